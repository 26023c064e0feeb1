// An estimated time per schedule: instructions counted from the nest, cycles for them at an
// assumed issue rate, plus misses × penalty per cache level.
#pragma once

#include "engine/loops/cache_sim.h"
#include "engine/loops/executor.h"
#include "engine/loops/schedule.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::loops {

/// The machine the estimate assumes.
struct CostParams {
    /// Instructions retired per cycle when nothing misses (an assumption of the model, not a
    /// measurement; a 4-wide core sustains less than 4 on loop code).
    double instructionsPerCycle = 2.0;
    /// Cycles a miss at level i costs: the latency of the level behind it. Empty = defaults:
    /// 14 for a miss of the first level (an L2 hit takes 12–17 cycles), 42 for a miss of a
    /// middle level (an unshared L3 hit, ~16 ns), 200 for a miss of the last level (main memory,
    /// ~100 ns at 2 GHz). Sources: "Dive into Deep Learning", §13.4 Hardware
    /// (https://d2l.ai/chapter_computational-performance/hardware.html); "Latency numbers every
    /// programmer should know" (main memory reference 100 ns).
    std::vector<double> missPenalty;
    int cores = 1; ///< a parallel loop divides the compute cycles by min(extent, cores)
};

/// The penalties `estimateCost` uses for `levels` levels (the defaults above unless given).
std::vector<double> missPenalties(const CostParams& p, int levels);

/// What the estimate is made of.
struct CostEstimate {
    std::int64_t bodyInstructions = 0;  ///< loads, stores and arithmetic (one per vector group)
    std::int64_t loopInstructions = 0;  ///< increment + compare-and-branch per loop iteration
    std::int64_t guardInstructions = 0; ///< compare-and-branch per guarded point or group
    std::int64_t instructions() const {
        return bodyInstructions + loopInstructions + guardInstructions;
    }
    int lanes = 1;                  ///< lanes of the vectorized loop (1 when none)
    double laneUtilization = 1;     ///< lanes that computed a point / lanes offered
    double parallelSpeedup = 1;     ///< min(extent of the parallel loops, cores)
    double computeCycles = 0;       ///< instructions / IPC / parallelSpeedup
    std::vector<double> missCycles; ///< per level: misses × penalty
    double cycles = 0;              ///< computeCycles + Σ missCycles
};

/// 1. Body: per vector group, one instruction per load and store and `flopsPerIteration`
///    arithmetic (a vector instruction does all lanes). 2. Loops: 2 per iteration of each loop
///    that is neither unrolled nor vectorized. 3. Guards: 2 per group when the nest has any.
/// 4. Compute cycles = instructions / IPC / parallel speedup. 5. Memory: misses of level i
///    (from the simulator) × its penalty; the misses are not overlapped with compute.
CostEstimate estimateCost(const LoopNest& nest, const RunStats& run, const CacheSim& cache,
                          const CostParams& params);

/// A pipeline: each stage's instructions and compute cycles (with its own run's stats) summed,
/// the misses of the whole run (the one cache all stages went through) added once.
CostEstimate estimateCost(const std::vector<LoopNest>& stages, const std::vector<RunStats>& runs,
                          const CacheSim& cache, const CostParams& params);

/// Step 5: the miss cycles of `cache` into `c` (c.cycles = c.computeCycles + Σ missCycles).
void addMissCycles(CostEstimate& c, const CacheSim& cache, const CostParams& params);

} // namespace aisys::engine::loops
