// The bodies of the kernels of vecmath.h, shared by the baseline build (core/gemm.cpp) and the
// AVX2 / AVX-512 builds (gemm_avx2.cpp, gemm_avx512.cpp). Include it after Eigen/Core and
// unsupported/Eigen/SpecialFunctions; `Eigen` may be a macro renaming the namespace. Internal
// linkage: each build keeps its own copy and the linker cannot merge one into another.
#pragma once

#include <cstdint>

namespace aisys::engine::vecmath_detail {
namespace {

using Arr = Eigen::Array<float, Eigen::Dynamic, 1>;

/// GELU (erf form) over an array: 0.5·x·(1 + erf(x/√2)), and where x < −3 (the sum cancels in
/// float) 0.5·x·erfc(−x/√2) per element. x and y may be the same array.
inline void geluErfBlock(const float* x, float* y, std::int64_t n) {
    // Per block of 128: x copied aside (y may alias x), e = erf(x/√2), y = 0.5·x·(1 + e); only
    // a block whose smallest e is below erf(−3/√2) is scanned for the tail. (Eigen vectorises
    // these simple forms; erf inside a longer expression, or any() of a comparison, ran scalar.)
    constexpr std::int64_t kBlock = 128;
    const float invSqrt2 = 0.7071067811865476f;
    const float tailErf = -0.99730020393f; // erf(−3/√2)
    alignas(64) float xb[kBlock];
    alignas(64) float e[kBlock];
    for (std::int64_t s = 0; s < n; s += kBlock) {
        const std::int64_t m = n - s < kBlock ? n - s : kBlock;
        Eigen::Map<Arr> xa(xb, m), es(e, m);
        xa = Eigen::Map<const Arr>(x + s, m);
        es = (xa * invSqrt2).erf();
        Eigen::Map<Arr>(y + s, m) = 0.5f * xa * (1.0f + es);
        if (es.minCoeff() < tailErf)
            for (std::int64_t i = 0; i < m; ++i)
                if (xb[i] < -3.0f)
                    y[s + i] = 0.5f * xb[i] * Eigen::numext::erfc(-xb[i] * invSqrt2);
    }
}

inline void vec(int f, const float* x, float* y, std::int64_t n) {
    Eigen::Map<const Arr> a(x, n);
    Eigen::Map<Arr> b(y, n);
    switch (f) {
    case 0:
        b = a.exp();
        break;
    case 1:
        b = a.tanh();
        break;
    case 2:
        b = a.erf();
        break;
    case 3:
        b = a.logistic();
        break;
    default:
        geluErfBlock(x, y, n);
        break;
    }
}

inline void softmaxRows(const float* x, float* y, std::int64_t rows, std::int64_t len, bool log) {
    for (std::int64_t r = 0; r < rows; ++r) {
        Eigen::Map<const Arr> xr(x + r * len, len);
        Eigen::Map<Arr> yr(y + r * len, len);
        const float mx = xr.maxCoeff();
        if (log) {
            const float lse = std::log((xr - mx).exp().sum());
            yr = (xr - mx) - lse;
        } else {
            yr = (xr - mx).exp();
            yr *= 1.0f / yr.sum();
        }
    }
}

inline void layerNormRows(const float* x, float* y, std::int64_t rows, std::int64_t inner,
                          const float* scale, const float* bias, float eps, float* mean,
                          float* invStd) {
    Eigen::Map<const Arr> sc(scale, inner), bi(bias, inner);
    for (std::int64_t r = 0; r < rows; ++r) {
        Eigen::Map<const Arr> xr(x + r * inner, inner);
        Eigen::Map<Arr> yr(y + r * inner, inner);
        const float mu = xr.sum() / static_cast<float>(inner);
        const float var = (xr - mu).square().sum() / static_cast<float>(inner);
        const float inv = 1.0f / std::sqrt(var + eps);
        yr = (xr - mu) * (inv * sc) + bi;
        if (mean)
            mean[r] = mu;
        if (invStd)
            invStd[r] = inv;
    }
}

} // namespace
} // namespace aisys::engine::vecmath_detail
