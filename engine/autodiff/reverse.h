// Reverse-mode autodiff: extends a graph with an explicit backward pass built from the ops'
// gradient rules, so a lesson can draw it beside the forward graph and the Interpreter runs it.
#pragma once

#include "engine/graph/ops.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine {

/// A graph extended with its backward pass.
struct BackwardGraph {
    /// The forward nodes (unchanged, same indices) followed by the backward nodes; its outputs
    /// are the differentiated outputs followed by one gradient per `wrt` value.
    Graph graph;
    /// Nodes from this index on form the backward pass.
    int firstBackwardNode = 0;
    /// wrt value name → name of its gradient value.
    std::map<std::string, std::string> gradients;
    /// Every forward value that received a gradient → its adjoint (the trace table's v̄ᵢ).
    std::map<std::string, std::string> adjoints;
    /// Differentiated output → its seed: an initializer of ones for a one-element output, else
    /// a graph input the caller feeds (the cotangent of a vector-Jacobian product).
    std::map<std::string, std::string> seeds;
};

/// Builds the backward pass of `outputs` with respect to `wrt` (graph inputs, initializers or
/// intermediate values of a float type). Steps are in the implementation. Throws
/// std::invalid_argument naming the value or node when a name is unknown, a shape is not known
/// (bind symbolic dims first) or a node on the way has no gradient rule.
BackwardGraph buildBackward(const Graph& g, const std::vector<std::string>& outputs,
                            const std::vector<std::string>& wrt,
                            const OpRegistry& ops = OpRegistry::builtin());

/// Values and gradients of one run of a backward graph.
struct GradientResult {
    std::map<std::string, Tensor> outputs;   ///< differentiated outputs by name
    std::map<std::string, Tensor> gradients; ///< by wrt name
};

/// Runs `bg` with the Interpreter, feeding `inputs` (graph inputs and non-scalar seeds).
GradientResult runBackward(const BackwardGraph& bg, const std::map<std::string, Tensor>& inputs,
                           const OpRegistry& ops = OpRegistry::builtin());

} // namespace aisys::engine
