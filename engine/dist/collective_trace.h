// The trace of a real collective run (tools/mpi's `aisyslab-mpi --trace FILE`): per rank, per
// iteration, per step (a round of the schedule) its start and end and every message it sent
// or received (peer, bytes, start, end); parsed with errors naming file:line; and the same
// collective replayed on the simulator for the picture beside it.
#pragma once

#include "engine/dist/collective.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::dist {

/// One message of a step, seen from the rank that recorded it.
struct TraceMessage {
    bool send = true;       ///< sent by the recording rank (else received by it)
    int peer = 0;           ///< the other rank
    std::int64_t bytes = 0; ///< payload bytes
    double start = 0;       ///< posted (seconds from the iteration's start on this rank)
    double end = 0;         ///< completed
};

/// One step (round) of one rank in one iteration. Times are seconds from the start of the
/// iteration on that rank (every iteration starts right after an MPI_Barrier).
struct TraceStep {
    int rank = 0, iteration = 0, step = 0;
    double start = 0, end = 0;
    std::vector<TraceMessage> messages;
};

/// A whole trace (format: engine/dist/README.md, "The trace file").
struct CollectiveTrace {
    Op op = Op::AllReduce;
    Algo algo = Algo::Ring;
    int ranks = 0;
    std::int64_t bytes = 0; ///< nccl-tests' size S
    std::string dtype = "f32";
    int elemBytes = 4;
    int segments = 1;
    int ranksPerNode = 0; ///< hierarchical: ranks of one node (0 = not used)
    int iterations = 0;
    int rounds = 0; ///< steps of the schedule
    /// Ping-pong calibration between ranks 0 and 1 (Hockney: t(m) = α + m/β); < 0 = none.
    double alpha = -1, bandwidth = -1;
    std::vector<std::string> hosts; ///< per rank
    /// Sorted by (iteration, rank, step); exactly one per (iteration, rank, step).
    std::vector<TraceStep> steps;

    const TraceStep& step(int iteration, int rank, int step) const {
        return steps[(std::size_t(iteration) * ranks + rank) * rounds + step];
    }
    /// When the last rank ended its last step in `iteration`.
    double iterationTime(int iteration) const;
    /// The iteration whose time is the median (the lower one of the middle two).
    int medianIteration() const;
};

/// The trace as text.
std::string writeTrace(const CollectiveTrace& trace);
/// Parses `text` (`name` for messages: "name:line: what, expected …"); nullopt with `error`.
std::optional<CollectiveTrace> parseTrace(const std::string& text, const std::string& name,
                                          std::string& error);
/// Reads and parses a file.
std::optional<CollectiveTrace> readTrace(const std::string& path, std::string& error);

/// The same collective on the simulator: ranks on a fully connected topology whose links have
/// latency `alpha` (s) and bandwidth `bandwidth` (bytes/s), one message per piece list (no
/// chunking). start[r][k], end[r][k]: rank r's round k.
struct SimulatedSteps {
    std::vector<std::vector<double>> start, end;
    double time = 0;
    /// Elements per rank the simulation carried (the trace's count, or a divisor of it when
    /// the buffers of all ranks would exceed 2^24 floats: every message then counts
    /// count/payload elements per element carried, so the bytes timed are the trace's).
    std::int64_t payload = 0;
};
std::optional<SimulatedSteps> simulateTrace(const CollectiveTrace& trace, double alpha,
                                            double bandwidth, std::string& error);

} // namespace aisys::engine::dist
