// The helpers that run subgraphs for If and Loop (ONNX control flow on subgraph attributes;
// their factories are in op_library.h).
#pragma once

#include "engine/graph/ops.h"

#include <memory>
#include <mutex>
#include <vector>

namespace aisys::engine::ops {

/// The graph attribute `name` of a node; throws std::invalid_argument when it is missing.
const Subgraph& subgraphAttr(const Node& n, const char* name);

/// A subgraph as a top-level graph for one call: its formal inputs typed `formal`; each outer
/// reference turned into a graph input typed as the node input it binds to — or, with
/// `foldKnown` and a small known value, into an initializer (so inference folds through it); the
/// caller's opset.
Graph standaloneSubgraph(const Subgraph& sub, const OpCall& c,
                         const std::vector<TensorType>& formal, bool foldKnown);
/// Output types of a subgraph whose formal inputs have the given types (static inference).
std::vector<TensorType> inferSubgraph(const Subgraph& sub, const OpCall& c,
                                      const std::vector<TensorType>& formal);

/// Runs one subgraph repeatedly (a Loop body) with a nested Interpreter, rebuilt only when the
/// formal inputs' or outer references' types change between calls. `cached`: the interpreter
/// is kept in the subgraph's runCache() for the next runner of it (If runs its branch once
/// per call of the node); a runner that finds the cache in use by another thread builds its own.
class SubgraphRunner {
public:
    /// `nodeIn` are the owning node's input values (outer references read them).
    SubgraphRunner(const Subgraph& sub, const OpCall& c, const std::vector<const Tensor*>& nodeIn,
                   bool cached = false);
    ~SubgraphRunner();
    /// Outputs of one run with these formal inputs.
    std::vector<Tensor> run(const std::vector<const Tensor*>& formal);

private:
    struct State;
    const Subgraph& m_sub;
    const OpCall& m_call;
    const std::vector<const Tensor*>& m_nodeIn;
    std::shared_ptr<State> m_state;
    std::unique_lock<std::mutex> m_lock;
};

} // namespace aisys::engine::ops
