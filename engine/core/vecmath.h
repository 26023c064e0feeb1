// Float row and array kernels (exp, tanh, erf, logistic, GELU; softmax and layer-norm rows),
// dispatched at run time to the AVX-512 or AVX2+FMA build like the GEMM (core/gemm.cpp), else
// the baseline build. Eigen's vectorised float functions run 4–8× wider in those builds.
#pragma once

#include <cstdint>

namespace aisys::engine {

/// The element-wise functions vecF32 computes.
enum class VecFn { Exp, Tanh, Erf, Logistic, GeluErf };

/// y[i] = f(x[i]) for i < n; y may be x.
void vecF32(VecFn f, const float* x, float* y, std::int64_t n);

/// Softmax (or, with `log`, LogSoftmax) of each of `rows` contiguous rows of `len` values:
/// max subtracted, exp, sum, divide (log: x − max − log Σ exp). y may be x.
void softmaxRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t len, bool log);

/// Layer normalization of each of `rows` contiguous rows of `inner` values: mean, biased
/// variance, y = (x − mean) / √(var + eps) · scale + bias (scale and bias hold `inner` values).
/// `mean` and `invStd`, when not null, receive one value per row.
void layerNormRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t inner,
                      const float* scale, const float* bias, float eps, float* mean, float* invStd);

} // namespace aisys::engine
