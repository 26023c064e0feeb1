// Dense matrix multiply for the kernels (MatMul, Gemm, Conv's im2col GEMM), dispatched at run
// time to an AVX-512 or AVX2+FMA build of Eigen's GEMM when the CPU has it, else the baseline
// build.
#pragma once

#include <cstdint>

namespace aisys::engine {

/// C = alpha · op(A) · op(B) + beta · C, all row-major. op(A) is m×k, op(B) is k×n, C is m×n;
/// lda/ldb/ldc are the row strides of A, B (as stored, before op) and C. beta == 0 ignores C's
/// old contents (it may be uninitialised).
void gemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc);
void gemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
          const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta,
          double* c, std::int64_t ldc);

/// "avx512", "avx2+fma" or "baseline": which GEMM build runs on this CPU.
const char* gemmKernelName();

/// Forces the baseline build (tests compare the two); returns the previous setting.
bool setGemmBaselineOnly(bool on);

} // namespace aisys::engine
