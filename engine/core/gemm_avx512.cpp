// The AVX-512 build of the GEMM (compiled with -mavx512f -mavx512dq -mavx512vl -mavx512bw -mfma;
// called only when the CPU has them, see gemm.cpp). Eigen is included under another namespace name,
// so none of its inline functions built here with AVX-512 can be merged by the linker with the
// baseline build's copies; this file includes nothing else that instantiates templates (a test
// checks its symbols).
#define Eigen EigenAvx512
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "engine/core/depthwise_impl.h"
#include "engine/core/gemm_impl.h"
#include "engine/core/vecmath_impl.h"

namespace aisys::engine::gemm_avx512 {

void gemmF32(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
             const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta,
             float* c, std::int64_t ldc) {
    gemm_detail::gemmBody<float>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemmF64(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
             const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta,
             double* c, std::int64_t ldc) {
    gemm_detail::gemmBody<double>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void depthwiseF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y,
                  const float* zeros) {
    depthwise_detail::depthwise<float>(g, x, w, y, zeros);
}

void convFlatF32(const DepthwiseGeometry& g, std::int64_t cin, std::int64_t cout, const float* x,
                 const float* w, float* y, const float* bias, float lo, float hi, float* scratch) {
    depthwise_detail::convFlat<float>(g, cin, cout, x, w, y, bias, lo, hi, scratch);
}

void vecF32(int f, const float* x, float* y, std::int64_t n) {
    vecmath_detail::vec(f, x, y, n);
}

void softmaxRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t len, bool log) {
    vecmath_detail::softmaxRows(x, y, rows, len, log);
}

void layerNormRowsF32(const float* x, float* y, std::int64_t rows, std::int64_t inner,
                      const float* scale, const float* bias, float eps, float* mean,
                      float* invStd) {
    vecmath_detail::layerNormRows(x, y, rows, inner, scale, bias, eps, mean, invStd);
}

void setThreads(int n) {
    EigenAvx512::setNbThreads(n);
}

} // namespace aisys::engine::gemm_avx512
