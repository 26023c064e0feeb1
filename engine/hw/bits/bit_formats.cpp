// Bit formats: one generic sign/exponent/mantissa codec for every float format (FP64 encodes by
// copying the double's bits), two's complement and unsigned bytes for the integers.
#include "engine/hw/bits/bit_formats.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace aisys::engine::hw {

namespace {

using NaN = FormatSpec::NaN;

constexpr const char* kIeee = "IEEE 754-2019, §3.6 Table 3.5 (binary formats)";
constexpr const char* kBf16 = "Intel, BFLOAT16 — Hardware Numerics Definition, "
                              "doc. 338302-001US (2018), §2";
constexpr const char* kTf32 = "NVIDIA A100 Tensor Core GPU Architecture whitepaper (2020), "
                              "\"TF32 Tensor Core\" (1 sign, 8 exponent, 10 mantissa bits)";
constexpr const char* kOfp8 = "OCP 8-bit Floating Point Specification (OFP8) rev. 1.0 (2023), "
                              "Table 1; also OCP Microscaling Formats (MX) v1.0 §5.3";
constexpr const char* kMx = "OCP Microscaling Formats (MX) Specification v1.0 (2023), §5.3 "
                            "(FP6 and FP4 element types: no Inf, no NaN)";

const std::vector<FormatSpec>& specs() {
    static const std::vector<FormatSpec> all = {
        {BitFormat::Int8, "int8", "INT8", 8, false, true, 0, 0, 0, false, NaN::None,
         Overflow::Saturate, "two's complement, [−128, 127]"},
        {BitFormat::UInt8, "uint8", "UINT8", 8, false, false, 0, 0, 0, false, NaN::None,
         Overflow::Saturate, "unsigned binary, [0, 255]"},
        {BitFormat::Fp64, "fp64", "FP64", 64, true, true, 11, 52, 1023, true, NaN::Ieee,
         Overflow::Infinity, kIeee},
        {BitFormat::Fp32, "fp32", "FP32", 32, true, true, 8, 23, 127, true, NaN::Ieee,
         Overflow::Infinity, kIeee},
        {BitFormat::Fp16, "fp16", "FP16", 16, true, true, 5, 10, 15, true, NaN::Ieee,
         Overflow::Infinity, kIeee},
        {BitFormat::Bf16, "bf16", "BF16", 16, true, true, 8, 7, 127, true, NaN::Ieee,
         Overflow::Infinity, kBf16},
        {BitFormat::Tf32, "tf32", "TF32", 19, true, true, 8, 10, 127, true, NaN::Ieee,
         Overflow::Infinity, kTf32},
        {BitFormat::E4M3, "fp8e4m3", "FP8 E4M3", 8, true, true, 4, 3, 7, false, NaN::AllOnes,
         Overflow::Saturate, kOfp8},
        {BitFormat::E5M2, "fp8e5m2", "FP8 E5M2", 8, true, true, 5, 2, 15, true, NaN::Ieee,
         Overflow::Infinity, kOfp8},
        {BitFormat::E3M2, "fp6e3m2", "FP6 E3M2", 6, true, true, 3, 2, 3, false, NaN::None,
         Overflow::Saturate, kMx},
        {BitFormat::E2M3, "fp6e2m3", "FP6 E2M3", 6, true, true, 2, 3, 1, false, NaN::None,
         Overflow::Saturate, kMx},
        {BitFormat::E2M1, "fp4e2m1", "FP4 E2M1", 4, true, true, 2, 1, 1, false, NaN::None,
         Overflow::Saturate, kMx},
    };
    return all;
}

std::uint64_t mask(int bits) {
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

std::uint64_t maxExponentField(const FormatSpec& s) {
    return mask(s.exponentBits);
}

std::uint64_t pack(const FormatSpec& s, int sign, std::uint64_t e, std::uint64_t m) {
    return (std::uint64_t(sign) << (s.bits - 1)) | (e << s.mantissaBits) | m;
}

/// The largest finite code's exponent and mantissa fields.
std::uint64_t maxFiniteCode(const FormatSpec& s) {
    const std::uint64_t emax = maxExponentField(s), mmax = mask(s.mantissaBits);
    if (s.hasInfinity)
        return pack(s, 0, emax - 1, mmax);
    if (s.nan == NaN::AllOnes)
        return pack(s, 0, emax, mmax - 1);
    return pack(s, 0, emax, mmax);
}

std::uint64_t nanCode(const FormatSpec& s, int sign) {
    const std::uint64_t emax = maxExponentField(s);
    if (s.nan == NaN::AllOnes)
        return pack(s, sign, emax, mask(s.mantissaBits));
    return pack(s, sign, emax, 1ull << (s.mantissaBits - 1)); // the quiet NaN
}

/// Round-to-nearest, ties-to-even of a non-negative double to an integer-valued double.
double roundHalfEven(double r) {
    const double fl = std::floor(r);
    const double diff = r - fl;
    if (diff > 0.5 || (diff == 0.5 && std::fmod(fl, 2.0) != 0))
        return fl + 1;
    return fl;
}

/// The code of a representable non-negative value v with sign bit `sign`.
std::uint64_t codeOfValue(const FormatSpec& s, double v, int sign) {
    if (v == 0)
        return pack(s, sign, 0, 0);
    const int emin = 1 - s.bias;
    int k = 0;
    std::frexp(v, &k);
    const int e = k - 1; // v = 1.f × 2^e
    if (e < emin)
        return pack(s, sign, 0, std::uint64_t(std::ldexp(v, s.mantissaBits - emin)));
    const double frac = std::ldexp(v, -e) - 1.0; // in [0, 1)
    return pack(s, sign, std::uint64_t(e + s.bias),
                std::uint64_t(std::ldexp(frac, s.mantissaBits)));
}

std::string bitString(std::uint64_t code, int from, int count) {
    std::string out;
    for (int i = from + count - 1; i >= from; --i)
        out += ((code >> i) & 1) ? '1' : '0';
    return out;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Encoded encodeInteger(const FormatSpec& s, double x) {
    Encoded r;
    if (std::isnan(x) || std::isinf(x)) {
        r.error = std::string(s.name) + " has no " + (std::isnan(x) ? "NaN" : "infinity") +
                  " (expected a finite value)";
        return r;
    }
    const double lo = s.isSigned ? -128 : 0, hi = s.isSigned ? 127 : 255;
    double v = std::copysign(roundHalfEven(std::fabs(x)), x);
    if (v < lo || v > hi) {
        r.overflow = true;
        v = v < lo ? lo : hi;
    }
    v = v == 0 ? 0 : v; // no negative zero in an integer
    r.value = v;
    r.exact = v == x;
    r.underflow = x != 0 && v == 0;
    r.code = std::uint64_t(static_cast<std::int64_t>(v)) & 0xFF;
    return r;
}

} // namespace

const FormatSpec& formatSpec(BitFormat f) {
    return specs()[static_cast<std::size_t>(f)];
}

const std::vector<FormatSpec>& allFormats() {
    return specs();
}

std::optional<BitFormat> formatByName(const std::string& name) {
    const std::string n = lower(name);
    for (const FormatSpec& s : specs()) {
        const std::string full = s.name;
        // "fp8e4m3" also answers to "e4m3"; "fp16" to "f16" and "half".
        if (n == full || (full.size() > 3 && full.rfind("fp", 0) == 0 && n == full.substr(3)) ||
            (full.rfind("fp", 0) == 0 && n == "f" + full.substr(2)))
            return s.format;
    }
    if (n == "half")
        return BitFormat::Fp16;
    if (n == "float" || n == "single")
        return BitFormat::Fp32;
    if (n == "double")
        return BitFormat::Fp64;
    if (n == "bfloat16")
        return BitFormat::Bf16;
    return std::nullopt;
}

std::string formatNames() {
    std::string s;
    for (const FormatSpec& f : specs())
        s += (s.empty() ? "" : ", ") + std::string(f.name);
    return s;
}

const char* valueClassName(ValueClass c) {
    switch (c) {
    case ValueClass::Zero:
        return "zero";
    case ValueClass::Subnormal:
        return "subnormal";
    case ValueClass::Normal:
        return "normal";
    case ValueClass::Infinity:
        return "infinity";
    case ValueClass::NaN:
        return "NaN";
    case ValueClass::Integer:
        return "integer";
    }
    return "?";
}

DecodeResult decode(BitFormat f, std::uint64_t code) {
    const FormatSpec& s = formatSpec(f);
    DecodeResult res;
    Decoded& d = res.d;
    if (code & ~mask(s.bits)) {
        res.error = std::string(s.name) + " code " + std::to_string(code) + " needs more than " +
                    std::to_string(s.bits) + " bits (expected 0 to " +
                    std::to_string(mask(s.bits)) + ")";
        return res;
    }
    d.code = code;
    if (!s.isFloat) {
        d.cls = ValueClass::Integer;
        d.value = s.isSigned ? double(static_cast<std::int8_t>(code)) : double(code);
        d.sign = s.isSigned && (code & 0x80) ? 1 : 0;
        d.mantissa = code;
        d.bitsText = bitString(code, 4, 4) + " " + bitString(code, 0, 4);
        return res;
    }
    const int m = s.mantissaBits;
    d.sign = int((code >> (s.bits - 1)) & 1);
    d.exponent = (code >> m) & maxExponentField(s);
    d.mantissa = code & mask(m);
    d.bitsText = bitString(code, s.bits - 1, 1) + " " + bitString(code, m, s.exponentBits) + " " +
                 bitString(code, 0, m);
    const double sign = d.sign ? -1.0 : 1.0;
    const std::uint64_t emax = maxExponentField(s);
    const bool allOnesNan = s.nan == NaN::AllOnes && d.exponent == emax && d.mantissa == mask(m);
    if ((s.hasInfinity && d.exponent == emax) || allOnesNan) {
        d.unbiasedExponent = int(d.exponent) - s.bias;
        if (d.mantissa == 0 && s.hasInfinity) {
            d.cls = ValueClass::Infinity;
            d.value = sign * std::numeric_limits<double>::infinity();
        } else {
            d.cls = ValueClass::NaN;
            d.value = std::numeric_limits<double>::quiet_NaN();
        }
        return res;
    }
    if (d.exponent == 0) {
        d.unbiasedExponent = 1 - s.bias;
        d.cls = d.mantissa == 0 ? ValueClass::Zero : ValueClass::Subnormal;
        d.value = sign * std::ldexp(double(d.mantissa), 1 - s.bias - m);
        return res;
    }
    d.cls = ValueClass::Normal;
    d.unbiasedExponent = int(d.exponent) - s.bias;
    d.value = sign * std::ldexp(1.0 + std::ldexp(double(d.mantissa), -m), d.unbiasedExponent);
    return res;
}

double decodeValue(BitFormat f, std::uint64_t code) {
    const DecodeResult r = decode(f, code & mask(formatSpec(f).bits));
    return r.d.value;
}

Encoded encode(BitFormat f, double x) {
    // 1. Specials: NaN → the canonical NaN; ±Inf → ±Inf, E4M3's NaN, or an error.
    // 2. The quantum q of |x|'s binade: 2^(max(e, 1−bias) − mantissaBits) with |x| = 1.f × 2^e
    //    (frexp, exact), so below the normal range the spacing stays the subnormal one.
    // 3. n = |x|/q rounded to nearest, ties to even (|x|/q is exact: q is a power of two);
    //    the value n·q may step into the next binade, which is a representable value too.
    // 4. Past the largest finite value: ±Inf or saturation, as the format defines.
    // 5. The code of the value: exponent and mantissa fields from frexp again.
    const FormatSpec& s = formatSpec(f);
    if (!s.isFloat)
        return encodeInteger(s, x);
    Encoded r;
    const int sign = std::signbit(x) ? 1 : 0;
    if (std::isnan(x)) {
        if (s.nan == NaN::None) {
            r.error = std::string(s.name) + " has no NaN encoding (" + s.standard + ")";
            return r;
        }
        r.code = nanCode(s, 0);
        r.value = x;
        return r;
    }
    if (std::isinf(x)) {
        if (s.hasInfinity) {
            r.code = pack(s, sign, maxExponentField(s), 0);
            r.value = x;
        } else if (s.nan == NaN::AllOnes) {
            r.code = nanCode(s, sign);
            r.value = std::numeric_limits<double>::quiet_NaN();
            r.exact = false;
        } else {
            r.error = std::string(s.name) + " has no infinity (" + s.standard + ")";
        }
        return r;
    }
    if (f == BitFormat::Fp64) {
        std::memcpy(&r.code, &x, sizeof x);
        r.value = x;
        return r;
    }
    const double a = std::fabs(x);
    double v = 0;
    if (a > 0) {
        int k = 0;
        std::frexp(a, &k);
        const int e = std::max(k - 1, 1 - s.bias);
        const int qexp = e - s.mantissaBits;
        v = std::ldexp(roundHalfEven(std::ldexp(a, -qexp)), qexp);
    }
    const double top = maxFinite(f);
    if (v > top) {
        r.overflow = true;
        if (s.overflow == Overflow::Infinity) {
            r.code = pack(s, sign, maxExponentField(s), 0);
            r.value = std::copysign(std::numeric_limits<double>::infinity(), x);
            r.exact = false;
            return r;
        }
        v = top;
    }
    r.code = codeOfValue(s, v, sign);
    r.value = std::copysign(v, x);
    r.exact = v == a;
    r.underflow = a > 0 && v == 0;
    return r;
}

double maxFinite(BitFormat f) {
    const FormatSpec& s = formatSpec(f);
    if (!s.isFloat)
        return s.isSigned ? 127 : 255;
    return decodeValue(f, maxFiniteCode(s));
}

double minFinite(BitFormat f) {
    const FormatSpec& s = formatSpec(f);
    if (!s.isFloat)
        return s.isSigned ? -128 : 0;
    return -maxFinite(f);
}

double minNormal(BitFormat f) {
    const FormatSpec& s = formatSpec(f);
    return s.isFloat ? std::ldexp(1.0, 1 - s.bias) : 1;
}

double minSubnormal(BitFormat f) {
    const FormatSpec& s = formatSpec(f);
    return s.isFloat ? std::ldexp(1.0, 1 - s.bias - s.mantissaBits) : 1;
}

double ulpAt(BitFormat f, double x) {
    const FormatSpec& s = formatSpec(f);
    if (!std::isfinite(x))
        return std::numeric_limits<double>::quiet_NaN();
    if (!s.isFloat)
        return 1;
    const double a = std::fabs(x);
    if (a == 0)
        return minSubnormal(f);
    int k = 0;
    std::frexp(a, &k);
    return std::ldexp(1.0, std::max(k - 1, 1 - s.bias) - s.mantissaBits);
}

std::optional<std::uint64_t> parseCode(const std::string& text) {
    std::string t = lower(text);
    int base = 10;
    if (t.rfind("0x", 0) == 0) {
        base = 16;
        t = t.substr(2);
    } else if (t.rfind("0b", 0) == 0) {
        base = 2;
        t = t.substr(2);
    }
    std::string digits;
    for (char c : t)
        if (c != '_' && c != '\'' && c != ' ')
            digits += c;
    if (digits.empty())
        return std::nullopt;
    std::uint64_t v = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (res.ec != std::errc() || res.ptr != digits.data() + digits.size())
        return std::nullopt;
    return v;
}

} // namespace aisys::engine::hw
