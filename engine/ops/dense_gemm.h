// denseGemm<T>: the kernels' one way to multiply matrices. f32/f64 go through engine::gemm (an
// AVX2+FMA build when the CPU has it); integer types use the baseline Eigen body.
#pragma once

#include <Eigen/Core>

#include "engine/core/gemm.h"
#include "engine/core/gemm_impl.h"

#include <type_traits>

namespace aisys::engine::ops {

/// C = alpha · op(A) · op(B) + beta · C, row-major with row strides (see engine::gemm).
template <class T>
void denseGemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
               const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T beta, T* c,
               std::int64_t ldc) {
    if (m == 0 || n == 0)
        return;
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>)
        engine::gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
        gemm_detail::gemmBody<T>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

} // namespace aisys::engine::ops
