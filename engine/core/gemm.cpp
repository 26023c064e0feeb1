// GEMM dispatch: the AVX-512 build, else the AVX2+FMA build, when the CPU supports it, else Eigen
// built for the baseline.
#include "engine/core/gemm.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "engine/core/depthwise_impl.h"
#include "engine/core/gemm_impl.h"
#include "engine/core/vecmath.h"
#include "engine/core/vecmath_impl.h"

namespace aisys::engine {

// The kernels each instruction-set build defines (gemm_avx2.cpp, gemm_avx512.cpp), declared
// once for every build.
#define AISYS_GEMM_KERNELS(ns)                                                                     \
    namespace ns {                                                                                 \
    void gemmF32(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*,        \
                 std::int64_t, const float*, std::int64_t, float, float*, std::int64_t);           \
    void gemmF64(bool, bool, std::int64_t, std::int64_t, std::int64_t, double, const double*,      \
                 std::int64_t, const double*, std::int64_t, double, double*, std::int64_t);        \
    void depthwiseF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y,        \
                      const float* zeros);                                                         \
    void convFlatF32(const DepthwiseGeometry& g, std::int64_t cin, std::int64_t cout,              \
                     const float* x, const float* w, float* y, const float* bias, float lo,        \
                     float hi, float* scratch);                                                    \
    void vecF32(int f, const float* x, float* y, std::int64_t n);                                  \
    void softmaxRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t len, bool log);  \
    void layerNormRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t inner,         \
                          const float* scale, const float* bias, float eps, float* mean,           \
                          float* invStd);                                                          \
    }
#ifdef AISYS_GEMM_AVX2
AISYS_GEMM_KERNELS(gemm_avx2)
#endif
#ifdef AISYS_GEMM_AVX512
AISYS_GEMM_KERNELS(gemm_avx512)
#endif
#undef AISYS_GEMM_KERNELS

namespace {
bool g_baselineOnly = false;

bool haveAvx2() {
#ifdef AISYS_GEMM_AVX2
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes && !g_baselineOnly;
#else
    return false;
#endif
}

/// AVX-512 F/DQ/VL/BW: twice AVX2's multiply-adds per cycle on CPUs with full 512-bit units
/// (Eigen's GEMM 236–256 vs 99–125 GFLOP/s on the development machine's EPYC, bench/README.md).
bool haveAvx512() {
#ifdef AISYS_GEMM_AVX512
    static const bool yes = __builtin_cpu_supports("avx512f") &&
                            __builtin_cpu_supports("avx512dq") &&
                            __builtin_cpu_supports("avx512vl") &&
                            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
    return yes && !g_baselineOnly;
#else
    return false;
#endif
}
} // namespace

void gemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc) {
#ifdef AISYS_GEMM_AVX512
    if (haveAvx512())
        return gemm_avx512::gemmF32(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
#ifdef AISYS_GEMM_AVX2
    if (haveAvx2())
        return gemm_avx2::gemmF32(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
    gemm_detail::gemmBody<float>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
          const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta,
          double* c, std::int64_t ldc) {
#ifdef AISYS_GEMM_AVX512
    if (haveAvx512())
        return gemm_avx512::gemmF64(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
#ifdef AISYS_GEMM_AVX2
    if (haveAvx2())
        return gemm_avx2::gemmF64(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#endif
    gemm_detail::gemmBody<double>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void depthwiseConv2dF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y,
                        const float* zeros) {
#ifdef AISYS_GEMM_AVX512
    if (haveAvx512())
        return gemm_avx512::depthwiseF32(g, x, w, y, zeros);
#endif
#ifdef AISYS_GEMM_AVX2
    if (haveAvx2())
        return gemm_avx2::depthwiseF32(g, x, w, y, zeros);
#endif
    depthwise_detail::depthwise<float>(g, x, w, y, zeros);
}

void convFlatF32(const DepthwiseGeometry& g, std::int64_t cin, std::int64_t cout, const float* x,
                 const float* w, float* y, const float* bias, float lo, float hi, float* scratch) {
#ifdef AISYS_GEMM_AVX512
    if (haveAvx512())
        return gemm_avx512::convFlatF32(g, cin, cout, x, w, y, bias, lo, hi, scratch);
#endif
#ifdef AISYS_GEMM_AVX2
    if (haveAvx2())
        return gemm_avx2::convFlatF32(g, cin, cout, x, w, y, bias, lo, hi, scratch);
#endif
    depthwise_detail::convFlat<float>(g, cin, cout, x, w, y, bias, lo, hi, scratch);
}

// The same dispatch for the float row and array kernels (vecmath.h).
#if defined(AISYS_GEMM_AVX512) && defined(AISYS_GEMM_AVX2)
#define AISYS_DISPATCH(call, baseline)                                                             \
    do {                                                                                           \
        if (haveAvx512())                                                                          \
            return gemm_avx512::call;                                                              \
        if (haveAvx2())                                                                            \
            return gemm_avx2::call;                                                                \
        return baseline;                                                                           \
    } while (0)
#else
#define AISYS_DISPATCH(call, baseline) return baseline
#endif

void vecF32(VecFn f, const float* x, float* y, std::int64_t n) {
    AISYS_DISPATCH(vecF32(static_cast<int>(f), x, y, n),
                   vecmath_detail::vec(static_cast<int>(f), x, y, n));
}

void softmaxRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t len, bool log) {
    AISYS_DISPATCH(softmaxRowsF32(x, y, rows, len, log),
                   vecmath_detail::softmaxRows(x, y, rows, len, log));
}

void layerNormRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t inner,
                      const float* scale, const float* bias, float eps, float* mean,
                      float* invStd) {
    AISYS_DISPATCH(
        layerNormRowsF32(x, y, rows, inner, scale, bias, eps, mean, invStd),
        vecmath_detail::layerNormRows(x, y, rows, inner, scale, bias, eps, mean, invStd));
}
#undef AISYS_DISPATCH

const char* gemmKernelName() {
    return haveAvx512() ? "avx512" : haveAvx2() ? "avx2+fma" : "baseline";
}

bool setGemmBaselineOnly(bool on) {
    const bool was = g_baselineOnly;
    g_baselineOnly = on;
    return was;
}

} // namespace aisys::engine
