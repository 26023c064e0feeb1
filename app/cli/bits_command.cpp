// `aisyslab bits`: one value or code in a number format, bit by bit.
#include "app/cli/chips_commands.h"
#include "app/cli/chips_common.h"
#include "app/cli/options.h"
#include "engine/hw/bits/bit_formats.h"

#include <cmath>
#include <cstdio>

namespace aisys::app::cli {

namespace hw = engine::hw;

const char* bitsUsage() {
    return R"(  aisyslab bits --format F (--value V | --bits CODE) [--json]
      A number format bit by bit. F is one of int8, uint8, fp64, fp32, fp16, bf16, tf32,
      fp8e4m3, fp8e5m2, fp6e3m2, fp6e2m3, fp4e2m1. --value encodes a decimal (also inf, nan)
      with round-to-nearest-even: the code, its fields, the value it holds, the rounding
      error and the ulp there; past the largest finite value E4M3, FP6, FP4 and the integers
      saturate, the IEEE formats and E5M2 give ±Inf. --bits decodes a code (0x4B, 0b0100_1011
      or decimal). Both print the format's range: largest finite, smallest normal and
      subnormal, and its NaN/Inf rule.
)";
}

namespace {

std::string hex(std::uint64_t code, int bits) {
    char b[32];
    std::snprintf(b, sizeof b, "0x%0*llX", (bits + 3) / 4, static_cast<unsigned long long>(code));
    return b;
}

std::string exact(double v) {
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

std::string specialRule(const hw::FormatSpec& s) {
    if (!s.isFloat)
        return "no NaN or Inf; out-of-range values saturate";
    if (s.nan == hw::FormatSpec::NaN::AllOnes)
        return "no infinity; NaN only at S.1111.111; finite overflow saturates to ±max, ±Inf "
               "becomes NaN";
    if (s.nan == hw::FormatSpec::NaN::None)
        return "no NaN and no infinity; overflow saturates to ±max";
    return "IEEE-like: exponent all ones is ±Inf (mantissa 0) or NaN; overflow gives ±Inf";
}

} // namespace

int runBits(int argc, char** argv) {
    ChipsArgs args;
    std::string err;
    if (!parseChipsArgs(argc, argv, {"--format", "--value", "--bits"}, {"--json"}, args, err))
        return chipsFail("bits", err);
    if (!args.positional.empty())
        return chipsFail("bits", "unexpected '" + args.positional[0] + "'");
    const std::string fname = args.get("--format");
    if (fname.empty())
        return chipsFail("bits",
                         "--format is required (expected one of: " + hw::formatNames() + ")");
    const auto f = hw::formatByName(fname);
    if (!f)
        return chipsFail("bits", "unknown format '" + fname +
                                     "' (expected one of: " + hw::formatNames() + ")");
    const hw::FormatSpec& s = hw::formatSpec(*f);
    if (args.has("--value") == args.has("--bits"))
        return chipsFail("bits", "give exactly one of --value V or --bits CODE");
    std::uint64_t code = 0;
    hw::Encoded enc;
    bool fromValue = args.has("--value");
    double input = 0;
    if (fromValue) {
        if (!parseNumber(args.get("--value"), input))
            return chipsFail("bits", "--value '" + args.get("--value") +
                                         "' is not a number (expected a decimal such as 3.14, "
                                         "1e-3, inf or nan)");
        enc = hw::encode(*f, input);
        if (!enc.ok())
            return chipsFail("bits", "--value " + args.get("--value") + ": " + enc.error);
        code = enc.code;
    } else {
        const auto c = hw::parseCode(args.get("--bits"));
        if (!c)
            return chipsFail("bits", "--bits '" + args.get("--bits") +
                                         "' is not a code (expected 0x.., 0b.. or decimal digits)");
        code = *c;
    }
    const hw::DecodeResult dec = hw::decode(*f, code);
    if (!dec.ok())
        return chipsFail("bits", "--bits " + args.get("--bits") + ": " + dec.error);
    const hw::Decoded& d = dec.d;
    const double ulp = hw::ulpAt(*f, d.value);
    if (args.on("--json")) {
        std::string j =
            "{\"format\": " + jsonText(s.name) + ", \"label\": " + jsonText(s.label) +
            ", \"bits\": " + std::to_string(s.bits) + ", \"code\": " + jsonText(hex(code, s.bits)) +
            ", \"binary\": " + jsonText(d.bitsText) + ", \"sign\": " + std::to_string(d.sign) +
            ", \"exponent_field\": " + std::to_string(d.exponent) +
            ", \"mantissa_field\": " + std::to_string(d.mantissa) +
            ", \"class\": " + jsonText(hw::valueClassName(d.cls)) +
            ", \"value\": " + jsonNumber(d.value) + ", \"ulp\": " + jsonNumber(ulp);
        if (s.isFloat && d.cls != hw::ValueClass::NaN && d.cls != hw::ValueClass::Infinity)
            j += ", \"exponent\": " + std::to_string(d.unbiasedExponent);
        if (fromValue)
            j += ", \"input\": " + jsonNumber(input) +
                 ", \"exact\": " + (enc.exact ? "true" : "false") +
                 ", \"error\": " + jsonNumber(d.value - input) +
                 ", \"overflow\": " + (enc.overflow ? "true" : "false") +
                 ", \"underflow\": " + (enc.underflow ? "true" : "false");
        j += ", \"max\": " + jsonNumber(hw::maxFinite(*f)) +
             ", \"min\": " + jsonNumber(hw::minFinite(*f)) +
             ", \"min_normal\": " + jsonNumber(hw::minNormal(*f)) +
             ", \"min_subnormal\": " + jsonNumber(hw::minSubnormal(*f)) +
             ", \"rule\": " + jsonText(specialRule(s)) + ", \"standard\": " + jsonText(s.standard) +
             "}";
        std::printf("%s\n", j.c_str());
        return 0;
    }
    std::printf("%s (%d bits", s.label, s.bits);
    if (s.isFloat)
        std::printf(": 1 sign, %d exponent (bias %d), %d mantissa", s.exponentBits, s.bias,
                    s.mantissaBits);
    std::printf(") — %s\n", s.standard);
    if (fromValue) {
        std::printf("input   %s\n", exact(input).c_str());
        std::printf("nearest %s%s\n", exact(d.value).c_str(),
                    enc.exact ? " (exact)"
                    : enc.overflow
                        ? (std::isinf(d.value) ? " (overflow → ±Inf)" : " (overflow: saturated)")
                    : enc.underflow ? " (underflow to zero)"
                                    : "");
        if (!enc.exact && std::isfinite(d.value) && std::isfinite(input))
            std::printf("error   %s\n", exact(d.value - input).c_str());
    }
    std::printf("code    %s = %s\n", hex(code, s.bits).c_str(), d.bitsText.c_str());
    if (s.isFloat) {
        std::printf("fields  sign %d, exponent %llu, mantissa %llu\n", d.sign,
                    static_cast<unsigned long long>(d.exponent),
                    static_cast<unsigned long long>(d.mantissa));
        std::printf("class   %s", hw::valueClassName(d.cls));
        if (d.cls == hw::ValueClass::Normal)
            std::printf(": (-1)^%d × 2^(%llu-%d) × (1 + %llu/2^%d) = %s", d.sign,
                        static_cast<unsigned long long>(d.exponent), s.bias,
                        static_cast<unsigned long long>(d.mantissa), s.mantissaBits,
                        exact(d.value).c_str());
        else if (d.cls == hw::ValueClass::Subnormal)
            std::printf(": (-1)^%d × 2^(1-%d) × %llu/2^%d = %s", d.sign, s.bias,
                        static_cast<unsigned long long>(d.mantissa), s.mantissaBits,
                        exact(d.value).c_str());
        std::printf("\n");
    } else {
        std::printf("value   %s\n", exact(d.value).c_str());
    }
    if (std::isfinite(ulp))
        std::printf("ulp     %s\n", exact(ulp).c_str());
    std::printf("range   %s … %s; smallest normal %s, smallest subnormal %s\n",
                exact(hw::minFinite(*f)).c_str(), exact(hw::maxFinite(*f)).c_str(),
                exact(hw::minNormal(*f)).c_str(), exact(hw::minSubnormal(*f)).c_str());
    std::printf("rule    %s\n", specialRule(s).c_str());
    return 0;
}

} // namespace aisys::app::cli
