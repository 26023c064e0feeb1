// Runs a collective schedule of engine/dist (the simulator's algorithms, round by round) over
// MPI point-to-point messages, times every step with MPI_Wtime and checks the result against
// MPI_Allreduce.
#pragma once

#include "engine/dist/collective.h"
#include "engine/dist/collective_trace.h"

#include <mpi.h>

#include <cstdint>
#include <string>

namespace aisys::mpi {

struct RunOptions {
    engine::dist::Op op = engine::dist::Op::AllReduce;
    engine::dist::Algo algo = engine::dist::Algo::Ring;
    std::int64_t bytes = 0;
    std::string dtype = "f32"; ///< f32, f64, i32
    int iterations = 5;
    int warmup = 1;
    int segments = 1;
    int ranksPerNode = 0;
    bool randomData = false; ///< uniform [−1, 1) (i32: [−1000, 1000]) instead of 0…9
    unsigned seed = 1;
    /// ≥ 0: that rank adds 1 to element 0 of its result before the check (to see it fail).
    int corruptRank = -1;
};

/// What every rank learns (rank 0 has the whole trace).
struct RunResult {
    double avgTime = 0;     ///< mean over the timed iterations of the slowest rank's time
    double mpiTime = 0;     ///< the same for MPI_Allreduce on this communicator
    std::int64_t wrong = 0; ///< elements (all ranks) that differ beyond the tolerance
    std::string firstWrong; ///< rank 0: "rank 2 element 7: got 3, expected 4"
    bool bitExact = false;  ///< the check required equal bits (integers / i32)
    double tolerance = 0;   ///< else: |got − ref| ≤ tolerance · Σ|x_i| per element
    double maxError = 0;    ///< largest |got − ref| / Σ|x_i| seen
    engine::dist::CollectiveTrace trace; ///< rank 0: every rank's steps
};

/// Runs it on MPI_COMM_WORLD (every rank calls it with the same options). False with `error`
/// on every rank when the schedule cannot be built (the same on every rank: the options are).
bool runCollective(const RunOptions& opt, RunResult& out, std::string& error);

/// Hockney α and β between ranks 0 and 1 by ping-pong (half the round trip of 8 bytes, and of
/// `largeBytes`); every rank calls it; α, β < 0 with one rank or when the large exchange was
/// not slower than the small one (a machine too loaded to measure).
void calibrate(std::int64_t largeBytes, double& alpha, double& bandwidth);

} // namespace aisys::mpi
