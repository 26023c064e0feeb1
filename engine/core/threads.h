// Thread count for the engine's kernels (Eigen's GEMM parallelises through OpenMP).
#pragma once

namespace aisys::engine {

/// Sets how many threads kernels may use (the app and CLI set 1 unless asked otherwise).
/// Returns the count in force, which is 1 when the engine was built without OpenMP.
int setThreads(int threads);
/// The count in force.
int threads();

} // namespace aisys::engine
