// Number formats bit by bit: int8/uint8, FP64, FP32, FP16, BF16, TF32, FP8 (E4M3, E5M2), FP6
// (E3M2, E2M3) and FP4 (E2M1): decode a code, encode a value with round-to-nearest-even, the
// field breakdown, ulp and range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::hw {

/// Every format the bit inspector knows.
enum class BitFormat { Int8, UInt8, Fp64, Fp32, Fp16, Bf16, Tf32, E4M3, E5M2, E3M2, E2M3, E2M1 };

/// What a finite value too large for the format becomes.
enum class Overflow {
    Infinity, ///< ±Inf (IEEE 754 formats and FP8 E5M2)
    Saturate, ///< ±the largest finite value (integers, E4M3, FP6, FP4)
};

/// The layout and rules of one format.
struct FormatSpec {
    BitFormat format;
    const char* name;     ///< "fp8e4m3": what --format takes
    const char* label;    ///< "FP8 E4M3"
    int bits = 0;         ///< total width
    bool isFloat = true;  ///< false for int8/uint8
    bool isSigned = true; ///< a sign bit (floats) or two's complement (int8)
    int exponentBits = 0, mantissaBits = 0;
    int bias = 0;            ///< 2^(exponentBits−1) − 1 for every float here
    bool hasInfinity = true; ///< exponent all ones, mantissa 0 is ±Inf
    /// NaN codes: IEEE (exponent all ones, mantissa ≠ 0), E4M3's single S.1111.111, or none.
    enum class NaN { Ieee, AllOnes, None } nan = NaN::Ieee;
    Overflow overflow = Overflow::Infinity;
    const char* standard; ///< where the format is defined
};

/// The spec of `f`.
const FormatSpec& formatSpec(BitFormat f);
/// Every format, in the enum's order.
const std::vector<FormatSpec>& allFormats();
/// By name ("fp8e4m3", "e4m3", "fp16", "int8", ...; case-insensitive).
std::optional<BitFormat> formatByName(const std::string& name);
/// The names --format takes, comma-separated.
std::string formatNames();

/// Value classes.
enum class ValueClass { Zero, Subnormal, Normal, Infinity, NaN, Integer };
const char* valueClassName(ValueClass c);

/// One code taken apart.
struct Decoded {
    std::uint64_t code = 0;
    double value = 0;
    ValueClass cls = ValueClass::Normal;
    int sign = 0;               ///< the sign bit (floats; 1 for a negative int8)
    std::uint64_t exponent = 0; ///< the biased exponent field
    std::uint64_t mantissa = 0; ///< the mantissa (fraction) field
    int unbiasedExponent = 0;   ///< E − bias for normals, 1 − bias for subnormals
    std::string bitsText;       ///< "0 10000011 1010000…" sign, exponent, mantissa apart
};

/// Decodes `code` (only the low `bits` bits are read; higher bits must be 0 — a code with
/// higher bits set is reported in `error`).
struct DecodeResult {
    Decoded d;
    std::string error;
    bool ok() const { return error.empty(); }
};
DecodeResult decode(BitFormat f, std::uint64_t code);
/// The value of a code (NaN for NaN codes), without the breakdown.
double decodeValue(BitFormat f, std::uint64_t code);

/// The result of encoding a double.
struct Encoded {
    std::uint64_t code = 0;
    double value = 0;       ///< the value the code holds (the nearest representable)
    bool exact = true;      ///< value == input
    bool overflow = false;  ///< |input| beyond the largest finite: saturated or ±Inf per format
    bool underflow = false; ///< a non-zero input rounded to zero
    std::string error;      ///< a NaN or Inf the format cannot hold ("" = ok)
    bool ok() const { return error.empty(); }
};

/// Encodes `x` with round-to-nearest, ties-to-even. Overflow follows the format's rule
/// (`FormatSpec::overflow`); -0.0 keeps its sign where the format has one. NaN becomes the
/// format's canonical NaN (E4M3: S.1111.111); Inf becomes ±Inf, or NaN for E4M3 (no infinity);
/// formats with neither (FP6, FP4, integers) return an error for them.
Encoded encode(BitFormat f, double x);

/// The largest finite value, the smallest positive normal and the smallest positive subnormal
/// (for integers: max, 1, 1).
double maxFinite(BitFormat f);
double minNormal(BitFormat f);
double minSubnormal(BitFormat f);
/// The most negative value (−max for floats, −128 for int8, 0 for uint8).
double minFinite(BitFormat f);

/// The spacing of representable values in the binade of |x|: 2^(max(⌊log₂|x|⌋, 1−bias) −
/// mantissaBits); 1 for integers; at 0 the subnormal spacing. NaN for non-finite x.
double ulpAt(BitFormat f, double x);

/// Parses "0x4B", "0b01001011" or decimal digits into a code; nullopt for other text.
std::optional<std::uint64_t> parseCode(const std::string& text);

} // namespace aisys::engine::hw
