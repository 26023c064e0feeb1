// Runs a collective on a topology: real numbers in every rank's buffer, moved by the schedule
// over the event-driven network, checked against the reference; time, bandwidths and traffic.
#pragma once

#include "engine/core/tensor.h"
#include "engine/dist/collective.h"
#include "engine/dist/network.h"
#include "engine/dist/topology.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::dist {

/// What to run.
struct CollectiveConfig {
    Op op = Op::AllReduce;
    Algo algo = Algo::Ring;
    /// nccl-tests' "size" S in bytes: the vector (all-reduce, broadcast, reduce), the whole
    /// concatenated array (all-gather, reduce-scatter, gather, scatter) or one rank's send
    /// buffer (all-to-all). Ignored for a barrier (it sends no data).
    std::int64_t bytes = 0;
    int elemBytes = 4;           ///< float32
    std::int64_t chunkBytes = 0; ///< network chunk (and pipeline segment); ≤ 0: no split
    int root = 0;
    int ranksPerNode = 0; ///< hierarchical; 0 = the topology's
    int timelineBins = 64;
    /// Floats the buffers of all ranks may hold together (× regions). When count × ranks is
    /// larger, each rank carries a payload of fewer elements (a multiple of the ranks) that
    /// every message carries in proportion: the schedule, the data movement and the check are
    /// the same, the time is that of the full size.
    std::int64_t payloadBudget = std::int64_t(1) << 24;
    /// Each rank's input (f32, `bytes/elemBytes` elements); empty = seeded small integers
    /// (sums exact in float). A rank's part that the op does not read is ignored.
    std::vector<Tensor> inputs;
    bool keepBuffers = false; ///< return every rank's final buffer
};

/// What a run gave.
struct CollectiveResult {
    double time = 0;       ///< seconds, until the last rank finished
    double algbw = 0;      ///< GB/s (1e9 bytes/s): S / time
    double busbw = 0;      ///< GB/s: algbw × busBandwidthFactor
    std::int64_t size = 0; ///< S in bytes
    std::int64_t count = 0;
    std::int64_t payload = 0; ///< elements per rank region the run carried and checked
    int rounds = 0;
    bool verified = false;
    std::int64_t wrong = 0;        ///< elements that differ from the reference (nccl-tests #wrong)
    std::string firstWrong;        ///< "rank 3 element 17: got 4, expected 5"
    std::vector<double> rankBytes; ///< bytes each rank sent (once per message, not per hop)
    std::vector<double> linkBytes; ///< bytes that crossed each link
    /// roundEnd[k]: when the last rank finished round k (ranks are not in lock-step; one
    /// value per round of the schedule).
    std::vector<double> roundEnd;
    double closedForm = -1; ///< the textbook α-β time where one applies, else −1
    UtilizationTimeline timeline;
    NetworkStats stats;
    std::vector<Tensor> buffers; ///< with keepBuffers: each rank's result region (f32)
};

/// nccl-tests' bus-bandwidth factor (src/*.cu GetBw): all-reduce 2(p−1)/p; all-gather,
/// reduce-scatter, all-to-all, gather, scatter (p−1)/p; broadcast, reduce 1; barrier 0.
double busBandwidthFactor(Op op, int ranks);

/// Runs cfg on `topo` (its ranks are the communicator). Bad input (sizes, algorithm, inputs) →
/// nullopt with `error` saying what and what was expected.
std::optional<CollectiveResult> simulateCollective(const Topology& topo,
                                                   const CollectiveConfig& cfg, std::string& error);

/// Called as each rank finishes a round: the rank, the round, the time, its buffer then (what
/// it holds after that round, before any later round's message lands).
using RoundObserver =
    std::function<void(int rank, int round, double time, const std::vector<float>& buffer)>;

/// Runs any schedule (e.g. a Lab's own variant of an algorithm) from the given buffers (f32,
/// timed as `elemBytes` bytes an element, the same length for every rank), calling `observe` at the
/// end of every rank's rounds. No reference check (the caller knows what its schedule computes):
/// `verified` is true and `buffers` holds every rank's final buffer. nullopt with `error` for
/// a bad topology or buffers.
std::optional<CollectiveResult> runSchedule(const Topology& topo, const Schedule& schedule,
                                            std::vector<std::vector<float>> buffers, int elemBytes,
                                            std::int64_t chunkBytes, const RoundObserver& observe,
                                            std::string& error);

} // namespace aisys::engine::dist
