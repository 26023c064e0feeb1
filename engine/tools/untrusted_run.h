// Running a model nobody vetted (the fuzz harness, its regression replays): symbolic dims
// bound to 1, seeded inputs, a small memory budget and a FLOP ceiling, so that any input ends
// in a result or a clean refusal.
#pragma once

#include "engine/graph/graph.h"

#include <cstddef>
#include <string>

namespace aisys::engine {

/// How an untrusted run ended.
struct UntrustedRunResult {
    bool ran = false;    ///< every node ran
    std::string refused; ///< otherwise the clean refusal (std::invalid_argument's message)
};

/// Binds every symbolic input dim to 1, infers, skips models whose estimated FLOPs exceed
/// `maxFlops` (refused, with the estimate), feeds seeded inputs and runs with `budget` bytes.
/// std::invalid_argument is a clean refusal and becomes `refused`; any other exception is a
/// bug and propagates.
UntrustedRunResult runUntrusted(Graph g, std::size_t budget, double maxFlops);

} // namespace aisys::engine
