// Int8 quantization parameters: symmetric and affine, per tensor and per channel; quantize /
// dequantize with ONNX QuantizeLinear semantics; error metrics; an int8 GEMM with exact
// zero-point arithmetic. Formulas in engine/compiler/quant/README.md.
#pragma once

#include "engine/core/tensor.h"

#include <cstdint>
#include <vector>

namespace aisys::engine::quant {

enum class QScheme {
    Symmetric, ///< z = 0, s = absmax / 127 (int8, levels −127..127)
    Affine ///< s = (hi − lo) / (qmax − qmin), z = qmin − round(lo / s), 0 exactly representable
};

/// Scale(s) and zero point(s) of one tensor. One entry per tensor, or one per channel of `axis`.
struct QuantParams {
    std::vector<float> scale;            ///< stored as f32, as in the graph
    std::vector<std::int64_t> zeroPoint; ///< parallel to scale
    int axis = -1;                       ///< -1 for per-tensor
    DType type = DType::I8;              ///< I8 or U8
    std::int64_t qmin = -128, qmax = 127;
    bool perChannel() const { return axis >= 0; }
};

/// The integer range of a type: I8 → [−128, 127], U8 → [0, 255] (throws otherwise).
void integerRange(DType t, std::int64_t& qmin, std::int64_t& qmax);

/// Parameters for one real range [lo, hi]. Symmetric needs I8. Throws for lo > hi.
QuantParams chooseParams(double lo, double hi, QScheme scheme, DType type = DType::I8);
/// Per-channel parameters along `axis` from each channel's min and max.
QuantParams chooseParamsPerChannel(const Tensor& x, int axis, QScheme scheme,
                                   DType type = DType::I8);

/// q = saturate(round_half_even(x / s) + z), per tensor or per channel (ONNX QuantizeLinear).
Tensor quantize(const Tensor& x, const QuantParams& p);
/// x̂ = (q − z) · s as f32 (ONNX DequantizeLinear).
Tensor dequantize(const Tensor& q, const QuantParams& p);

/// Error of an approximation x̂ of x.
struct QuantError {
    double maxAbs = 0;
    double mse = 0;
    double sqnrDb = 0; ///< 10·log10(Σx² / Σ(x − x̂)²); +inf when exact
};
QuantError quantError(const Tensor& x, const Tensor& approx);
QuantError quantError(const std::vector<float>& x, const std::vector<float>& approx);

/// Int8 GEMM with exact zero points: acc[i,j] = Σ_k (a[i,k] − za)(b[k,j] − zb), computed as
/// Σ a·b − zb·Σ_k a[i,k] − za·Σ_k b[k,j] + K·za·zb (the row/column sums precomputable).
/// a: M×K, b: K×N, row-major integer values; returns M×N int32 accumulators.
std::vector<std::int32_t> int8GemmExact(const std::vector<std::int32_t>& a,
                                        const std::vector<std::int32_t>& b, int m, int k, int n,
                                        std::int32_t za, std::int32_t zb);

} // namespace aisys::engine::quant
