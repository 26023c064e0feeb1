// Trace tables of the autodiff lessons: every intermediate vᵢ with its value and its tangent
// (forward mode) or adjoint (reverse mode), and the course's worked example as a graph.
#pragma once

#include "engine/graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine {

/// The course's example f(x1, x2) = ln x1 + x1·x2 − sin x2 (f64 scalars) with the textbook's
/// names: inputs x1, x2; v1 = ln x1, v2 = x1·x2, v3 = sin x2, v4 = v1 + v2, v5 = v4 − v3 = f.
Graph courseExample();

/// One row of a trace table.
struct TraceRow {
    std::string name;                ///< the value (vᵢ)
    std::string op;                  ///< its producer's op type, "input" for a graph input
    std::vector<std::string> inputs; ///< the producer's inputs
    Tensor value;
    Tensor derivative; ///< tangent v̇ᵢ (forward mode) or adjoint v̄ᵢ (reverse mode)
};

/// Forward mode: graph inputs first, then one row per node output in topological order, with
/// the tangent along the seed direction `tangents` (dual-number evaluation).
std::vector<TraceRow> forwardTrace(const Graph& g, const std::map<std::string, Tensor>& values,
                                   const std::map<std::string, Tensor>& tangents);

/// Reverse mode: one row per value in the order the backward pass visits them (the output
/// first, the inputs last), with the value from the forward run and the adjoint
/// v̄ᵢ = ∂output/∂vᵢ from the backward graph (a zero tensor where the output does not depend
/// on vᵢ).
std::vector<TraceRow> reverseTrace(const Graph& g, const std::map<std::string, Tensor>& values,
                                   const std::string& output);

} // namespace aisys::engine
