// Affine (linear) quantization arithmetic: q = clamp(round(x/s) + z), x̂ = (q − z)·s, the
// signed range of a bit width and the scale/zero point of a clipping range. The quantization
// ops (QuantizeLinear, DequantizeLinear, aisys:FakeQuant) compute it; engine/compress/
// calibrates and applies it.
#pragma once

#include <cstdint>

namespace aisys::engine {

/// Symmetric: zero point 0, range [−T, T]. Affine (asymmetric): any [lo, hi] containing 0.
enum class QScheme { Symmetric, Affine };
/// One scale and zero point over the signed integer range of `bits` bits.
struct QParams {
    double scale = 1;
    std::int32_t zeroPoint = 0;
    std::int32_t qmin = -128, qmax = 127;
    /// q = clamp(round_half_even(x / s) + z, qmin, qmax); the division is done in f32 as
    /// ONNX QuantizeLinear does.
    std::int32_t quantize(float x) const;
    /// x̂ = (q − z) · s.
    float dequantize(std::int32_t q) const;
    /// dq(q(x)) = s · (clamp(round(x/s) + z, qmin, qmax) − z).
    float fakeQuant(float x) const { return dequantize(quantize(x)); }
    /// The real interval that is not clipped: [(qmin − z)·s, (qmax − z)·s].
    double clipLo() const { return (qmin - zeroPoint) * scale; }
    double clipHi() const { return (qmax - zeroPoint) * scale; }
};

/// Signed range of a bit width (2..16): [−2^(b−1), 2^(b−1) − 1].
void signedRange(int bits, std::int32_t& qmin, std::int32_t& qmax);

/// Parameters for a clipping range [lo, hi]:
/// symmetric: T = max(|lo|, |hi|), s = T / qmax, z = 0;
/// affine: the range is widened to contain 0, s = (hi − lo)/(qmax − qmin),
/// z = qmin − round(lo / s) (real 0 maps exactly to z).
/// An all-zero range gets s = 1. Throws std::invalid_argument for bits outside 2..16.
QParams paramsForRange(double lo, double hi, QScheme scheme, int bits);

} // namespace aisys::engine
