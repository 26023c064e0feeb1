// The bodies of the kernels of vecmath.h, shared by the baseline build (core/gemm.cpp) and the
// AVX2 / AVX-512 builds (gemm_avx2.cpp, gemm_avx512.cpp). Include it after Eigen/Core and
// unsupported/Eigen/SpecialFunctions; `Eigen` may be a macro renaming the namespace. Internal
// linkage: each build keeps its own copy and the linker cannot merge one into another.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace aisys::engine::vecmath_detail {
namespace {

using Arr = Eigen::Array<float, Eigen::Dynamic, 1>;

// Results must not depend on where a tensor sits in memory (training is deterministic for a
// seed): Eigen peels the first elements of an unaligned destination, or of an unaligned source
// of a reduction, into scalar code whose rounding (std::exp against the packet exp, a*b+c
// against an FMA) and summation order differ from the vector body's. So every kernel here writes
// into an aligned Eigen array (Arr is allocated at EIGEN_MAX_ALIGN_BYTES) and reduces only
// aligned copies, then copies the result out: the same input gives the same bits at any address.

inline void copyOut(const Arr& r, float* y) {
    std::copy(r.data(), r.data() + r.size(), y);
}

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
    alignas(64) float yb[kBlock];
    for (std::int64_t s = 0; s < n; s += kBlock) {
        const std::int64_t m = n - s < kBlock ? n - s : kBlock;
        Eigen::Map<Arr, Eigen::Aligned64> xa(xb, m), es(e, m), ya(yb, m);
        std::copy(x + s, x + s + m, xb);
        es = (xa * invSqrt2).erf();
        ya = 0.5f * xa * (1.0f + es);
        if (es.minCoeff() < tailErf)
            for (std::int64_t i = 0; i < m; ++i)
                if (xb[i] < -3.0f)
                    yb[i] = 0.5f * xb[i] * Eigen::numext::erfc(-xb[i] * invSqrt2);
        std::copy(yb, yb + m, y + s);
    }
}

inline void vec(int f, const float* x, float* y, std::int64_t n) {
    Eigen::Map<const Arr> a(x, n);
    Arr b(n); // aligned: no peeled scalar head
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
        return;
    }
    copyOut(b, y);
}

inline void softmaxRows(const float* x, float* y, std::int64_t rows, std::int64_t len, bool log) {
    Arr xr(len), yr(len);
    for (std::int64_t r = 0; r < rows; ++r) {
        xr = Eigen::Map<const Arr>(x + r * len, len);
        const float mx = xr.maxCoeff();
        if (log) {
            yr = (xr - mx).exp();
            const float lse = std::log(yr.sum());
            yr = (xr - mx) - lse;
        } else {
            yr = (xr - mx).exp();
            yr *= 1.0f / yr.sum();
        }
        copyOut(yr, y + r * len);
    }
}

inline void layerNormRows(const float* x, float* y, std::int64_t rows, std::int64_t inner,
                          const float* scale, const float* bias, float eps, float* mean,
                          float* invStd) {
    Eigen::Map<const Arr> sc(scale, inner), bi(bias, inner);
    Arr xr(inner), yr(inner);
    for (std::int64_t r = 0; r < rows; ++r) {
        xr = Eigen::Map<const Arr>(x + r * inner, inner);
        const float mu = xr.sum() / static_cast<float>(inner);
        yr = (xr - mu).square();
        const float var = yr.sum() / static_cast<float>(inner);
        const float inv = 1.0f / std::sqrt(var + eps);
        yr = (xr - mu) * (inv * sc) + bi;
        copyOut(yr, y + r * inner);
        if (mean)
            mean[r] = mu;
        if (invStd)
            invStd[r] = inv;
    }
}

} // namespace
} // namespace aisys::engine::vecmath_detail
