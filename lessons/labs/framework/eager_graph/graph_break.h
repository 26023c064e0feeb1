// Dynamo's graph break at the program's data-dependent `if`, run for real: the ops before it as
// one captured graph, the branch decided by Python, the branch taken and the ops after it as a
// second captured graph fed with the first one's h.
#pragma once

#include "engine/graph/interpreter.h"
#include "lessons/lab.h"

#include <memory>
#include <string>

namespace aisys::lessons {

/// The two sub-graphs of `f` broken at `if h.sum() > 0`, each captured from its own tape and
/// run by the interpreter (TorchDynamo's graph break: graph 1, Python, the resumed frame's graph).
struct GraphBreakRun {
    std::unique_ptr<engine::Interpreter> before; ///< graph 1: x, W, b → h, h_sum
    std::unique_ptr<engine::Interpreter> after;  ///< graph 2: h → y (the branch taken, then · 2)
    double hsum = 0;                             ///< h_sum as graph 1 computed it
    bool positive = false;                       ///< what Python's `if` decided
    engine::Tensor y;                            ///< graph 2's result
};

/// Runs f(x) = (relu(h) if h.sum() > 0 else −h) · 2, h = W·x + b, as Dynamo would after a graph
/// break: graph 1 to h and h_sum, Python's `if` on h_sum, graph 2 for the branch it took.
GraphBreakRun runWithGraphBreak(const engine::Tensor& W, const engine::Tensor& b,
                                const engine::Tensor& x);

/// Scene ids of the picture: graph 1 keeps drawGraph's ids, graph 2's are offset by
/// kGraph2IdOffset; the Python box and the two sub-graph frames have ids of their own.
constexpr std::uint32_t kGraph2IdOffset = 1000000;
constexpr std::uint32_t kPythonBoxId = 2000000;
constexpr std::uint32_t kSubgraph1FrameId = 2000001;
constexpr std::uint32_t kSubgraph2FrameId = 2000002;

/// The picture: sub-graph 1 in a dashed frame, the graph break (the Python box that runs the
/// `if`), sub-graph 2 in a dashed frame, and the result against `eagerY`. `other`, when set, is
/// the run for an input that takes the other branch (its graph 2 is named below the picture).
viz::Scene drawGraphBreak(const GraphBreakRun& run, const engine::Tensor& eagerY,
                          const GraphBreakRun* other, const engine::Tensor* otherEagerY,
                          const DrawOptions& opt);

} // namespace aisys::lessons
