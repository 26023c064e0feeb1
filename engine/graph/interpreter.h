// Interpreter: runs a graph node by node in topological order and records a Trace.
#pragma once

#include "engine/graph/graph.h"
#include "engine/graph/ops.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine {

/// What running one node cost.
struct NodeRecord {
    int node = -1; ///< node index in the graph
    int order = 0; ///< position in the execution order
    double flops = 0;
    std::size_t bytesRead = 0;
    std::size_t bytesWritten = 0;
    double micros = 0;         ///< wall time of the kernel
    std::size_t liveBytes = 0; ///< activation bytes alive after this node (inputs included)
};

/// The record of an execution: one entry per executed node, in order.
struct Trace {
    std::vector<NodeRecord> records;
    std::size_t peakLiveBytes = 0;
    double totalFlops() const;
};

/// Step-wise executor. Initializers are always available; inputs must be set before stepping.
class Interpreter {
public:
    /// Infers shapes (throws std::invalid_argument on an invalid graph).
    explicit Interpreter(Graph graph, const OpRegistry& ops = OpRegistry::builtin());
    /// Not copyable: it reads initializers in place from its own graph. Movable (a moved
    /// std::map keeps its nodes, so those pointers stay valid).
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;
    Interpreter(Interpreter&&) = default;

    const Graph& graph() const { return m_graph; }
    /// Feeds a graph input by name; its type and shape must match the declaration.
    void setInput(const std::string& name, Tensor t);
    /// Feeds a graph input by name without copying it: the interpreter reads `t` in place
    /// until the input is set again or reset() — the caller keeps `t` alive and unchanged
    /// for every run that reads it (If and Loop feed their subgraphs' inputs this way).
    void setInputView(const std::string& name, const Tensor& t);
    /// Value `id` as a tensor the caller owns: a computed value is moved out (the
    /// interpreter forgets it), an input or initializer is copied. Throws when it is unknown.
    Tensor takeValue(int id);
    /// Forgets every computed value and every input view (inputs set by copy stay).
    void reset();
    /// Runs the next node of the order; returns false when all nodes have run.
    bool step();
    /// Runs all remaining nodes.
    void run();
    /// Nodes run so far.
    int executed() const { return static_cast<int>(m_trace.records.size()); }
    const std::vector<int>& order() const { return m_order; }
    /// A value's tensor if it is known (input, initializer or computed and still held).
    const Tensor* value(int id) const;
    const Tensor* value(const std::string& name) const;
    const Trace& trace() const { return m_trace; }
    /// Free intermediate values after their last use (the live-memory curve shows it).
    void setFreeDeadValues(bool on) { m_freeDead = on; }
    /// The most bytes the values held at once may take (inputs, computed values, a node's new
    /// outputs; weights are the graph's and not counted). A node whose outputs would exceed it
    /// is refused before anything is allocated, with a message naming the node, op, shape and
    /// bytes. Default: defaultMemoryBudget() (half of physical memory).
    void setMemoryBudget(std::size_t bytes) { m_budget = bytes; }
    std::size_t memoryBudget() const { return m_budget; }

private:
    std::size_t liveBytes() const { return m_live; }
    /// Bytes of the values held, counted from scratch (reset() starts the count with it).
    std::size_t countLiveBytes() const;
    /// The input slot of `name` after checking `t` against its declaration.
    int checkedInput(const std::string& name, const Tensor& t) const;
    /// Forgets input `id` (its bytes leave the live count).
    void dropInput(int id);
    /// Throws std::invalid_argument when the outputs of `node` would break the memory budget.
    void checkBudget(const Node& node, const std::vector<TensorType>& outTypes) const;
    /// The tensor of value v: computed, a live input, an initializer (in place), or null.
    const Tensor* known(int v) const;

    Graph m_graph;
    const OpRegistry& m_ops;
    std::vector<int> m_order;
    std::vector<int> m_lastUse; ///< per value: order position of its last reader (-1 none)
    std::vector<std::optional<Tensor>> m_values;
    std::vector<std::optional<Tensor>> m_inputs;
    std::vector<const Tensor*> m_inputView; ///< per value: an input fed by setInputView
    std::vector<const OpDef*> m_defs;       ///< per node: its op (looked up once)
    std::size_t m_live = 0;                 ///< bytes of the values held (see liveBytes)
    std::vector<char> m_inputLive;          ///< per value: a set input not yet freed
    std::size_t m_budget = 0;               ///< see setMemoryBudget
    std::vector<const Tensor*> m_init;      ///< per value: its initializer in m_graph, or null
    Trace m_trace;
    bool m_freeDead = false;
};

} // namespace aisys::engine
