// Engine thread count: Eigen's parallel GEMM and OpenMP loops follow it.
#include "engine/core/threads.h"

#include <Eigen/Core>
#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace aisys::engine {

#ifdef AISYS_GEMM_AVX2
namespace gemm_avx2 {
void setThreads(int n); // the AVX2 build's own copy of Eigen (gemm_avx2.cpp)
} // namespace gemm_avx2
#endif
#ifdef AISYS_GEMM_AVX512
namespace gemm_avx512 {
void setThreads(int n); // the AVX-512 build's own copy of Eigen (gemm_avx512.cpp)
} // namespace gemm_avx512
#endif

namespace {
int g_threads = 0; // 0 = not set yet: Eigen's own default (all cores with OpenMP)
} // namespace

int setThreads(int n) {
    n = std::max(1, n);
#ifdef _OPENMP
    omp_set_num_threads(n);
    Eigen::setNbThreads(n);
#ifdef AISYS_GEMM_AVX2
    gemm_avx2::setThreads(n);
#endif
#ifdef AISYS_GEMM_AVX512
    gemm_avx512::setThreads(n);
#endif
    g_threads = n;
#else
    g_threads = 1;
#endif
    return g_threads;
}

int threads() {
#ifdef _OPENMP
    return g_threads > 0 ? g_threads : Eigen::nbThreads();
#else
    return 1;
#endif
}

} // namespace aisys::engine
