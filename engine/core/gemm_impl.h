// The GEMM body shared by the baseline and the AVX2 builds (gemm.cpp, gemm_avx2.cpp). Include
// it after Eigen/Core; `Eigen` may be a macro renaming the namespace (see gemm_avx2.cpp).
#pragma once

#include <cstdint>

namespace aisys::engine::gemm_detail {
// Internal linkage: each build (baseline, AVX2) keeps its own instantiation; the linker must
// never merge them.
namespace {

template <class T>
void gemmBody(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
              const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T beta, T* c,
              std::int64_t ldc) {
    using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Stride = Eigen::OuterStride<>;
    Eigen::Map<const Mat, 0, Stride> ma(a, transA ? k : m, transA ? m : k, Stride(lda));
    Eigen::Map<const Mat, 0, Stride> mb(b, transB ? n : k, transB ? k : n, Stride(ldb));
    Eigen::Map<Mat, 0, Stride> mc(c, m, n, Stride(ldc));
    if (beta == T(0))
        mc.setZero();
    else if (beta != T(1))
        mc *= beta;
    if (transA && transB)
        mc.noalias() += alpha * (ma.transpose() * mb.transpose());
    else if (transA)
        mc.noalias() += alpha * (ma.transpose() * mb);
    else if (transB)
        mc.noalias() += alpha * (ma * mb.transpose());
    else
        mc.noalias() += alpha * (ma * mb);
}

} // namespace
} // namespace aisys::engine::gemm_detail
