// Runs a scheduled loop nest on real data and streams the address trace of every load and store.
#pragma once

#include "engine/loops/schedule.h"

#include <cstdint>
#include <span>
#include <vector>

namespace aisys::engine::loops {

/// One memory access: the byte address in the pool (array offset + 4·linear index).
struct TraceEvent {
    std::uint64_t address = 0;
    std::uint16_t array = 0;
    bool write = false;
};

/// Receives the trace in order, a batch at a time; nothing is kept by the executor, so a trace
/// of any length needs only the batch.
class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void consume(std::span<const TraceEvent> events) = 0;
    /// With `execute(…, markLoop)`: an iteration of that loop begins (`ordinal` counts them over
    /// the whole run from 0, `counter` is the loop's value); every event before it was consumed.
    virtual void iteration(std::int64_t ordinal, std::int64_t counter) {
        (void)ordinal;
        (void)counter;
    }
};

/// Values of every array (f64; the addresses are those of the f32 layout). The tests fill the
/// inputs with small integers so that every summation order gives the exact same result.
struct ArrayData {
    std::vector<std::vector<double>> arrays;
};

/// Inputs seeded with integers in [−4, 4], the output zero.
ArrayData seededData(const ComputeDef& def, std::uint32_t seed);

/// What a run did.
struct RunStats {
    std::int64_t bodyIterations = 0; ///< points computed (guarded-out ones excluded)
    std::int64_t skipped = 0;        ///< tail points a guard skipped
    std::int64_t vectorGroups = 0;   ///< executions of the innermost body (one per vector)
    std::int64_t lanesUsed = 0;      ///< lanes that computed a point, over all groups
    std::int64_t lanesOffered = 0;   ///< lanes of every group (lanes × groups)
    std::int64_t loads = 0, stores = 0;
};

/// Runs `nest` in its order (parallel loops run serially; a vectorized innermost loop runs as
/// one group: each load for all lanes, then the stores for all lanes). With `data` the values
/// are computed into it; with `sink` every access is streamed. Either may be null.
/// `markLoop` (a position in `nest.loops()`, not the vectorized loop; -1 = none) makes the sink
/// hear `iteration` at the start of every iteration of that loop.
RunStats execute(const LoopNest& nest, ArrayData* data, TraceSink* sink, int markLoop = -1);

/// One executed point: the value of every loop's counter (outermost first) and of every axis.
struct PointVisit {
    std::vector<std::int64_t> loops, axes;
};

/// The first `limit` points in execution order (a guarded tail's points are skipped; a vector
/// group's points in lane order), for pictures of small nests.
std::vector<PointVisit> visitOrder(const LoopNest& nest, std::int64_t limit);

/// A pipeline's inputs seeded like `seededData`; every array a stage writes starts at zero.
ArrayData seededData(const Pipeline& p, std::uint32_t seed);
/// The stages of `p`, each its naive nest, one after the other.
ArrayData reference(const Pipeline& p, std::uint32_t seed);
/// The stages' nests one after the other into the same data and sink; the stats summed.
RunStats execute(const std::vector<LoopNest>& stages, ArrayData* data, TraceSink* sink);

/// The naive definition evaluated directly from the compute definition's axes (no LoopNest):
/// the reference every schedule is checked against.
ArrayData reference(const ComputeDef& def, std::uint32_t seed);

} // namespace aisys::engine::loops
