// A small rewriting toolkit over Graph for the compiler passes: add nodes and initializers with
// unique names, redirect uses, remove nodes, then compact() renumbers everything.
#pragma once

#include "engine/graph/graph.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace aisys::engine::compiler {

/// Edits one graph in place. Node and value ids stay valid until compact(): removed nodes are
/// only marked, new nodes and values are appended. After the edits, compact() drops removed
/// nodes and dead values, sorts the nodes topologically (Kahn, ties by old index), renumbers
/// ids, and rebuilds producers and consumers, so the result passes Graph::verify().
class GraphEditor {
public:
    explicit GraphEditor(Graph& g);

    Graph& graph() { return m_g; }
    const Graph& graph() const { return m_g; }

    /// A value/node name not used yet: `hint`, else `hint_1`, `hint_2`, ... (deterministic).
    std::string uniqueValueName(const std::string& hint);
    std::string uniqueNodeName(const std::string& hint);

    /// Adds an initializer named after `hint` (made unique); returns its value id.
    int addInitializer(const std::string& hint, Tensor t);
    /// Adds a node reading value ids `inputs` (-1 = omitted optional input) with one new output
    /// per entry of `outputHints` (names made unique), runs shape inference on it (throws
    /// std::invalid_argument when its inputs do not type-check), and returns its index.
    int addNode(const std::string& op, const std::string& nameHint, const std::vector<int>& inputs,
                const std::vector<std::string>& outputHints,
                std::map<std::string, AttrValue> attrs = {});
    /// The single output value of node n (throws std::logic_error if it has not exactly one).
    int output(int n) const;

    /// True when every reader of `v` may be redirected (no If/Loop reads it as an implicit
    /// input: their subgraphs name it).
    bool replaceable(int v) const;
    /// Every node input and graph output reading `from` reads `to` instead. A graph output keeps
    /// its name: `to` is renamed to it when `to` is a plain node output; otherwise an Identity
    /// node copies `to` (the last of its output copies, see lastOutputCopy) into a new value
    /// carrying the output's name. Throws std::logic_error when !replaceable(from).
    void replaceAllUses(int from, int to);
    /// The end of v's chain of output copies: follows live Identity readers whose output is a
    /// graph output (other than `except`) while there is one; v itself when there is none.
    int lastOutputCopy(int v, int except = -1) const;
    /// Sets input `slot` of node n to value v (consumer lists updated).
    void setInput(int n, std::size_t slot, int v);
    /// Marks node n removed (its inputs forget it as a consumer). Its outputs must have no
    /// readers left by compact() time.
    void removeNode(int n);
    bool removed(int n) const { return m_removed[static_cast<std::size_t>(n)]; }
    /// Number of nodes not removed.
    int liveNodes() const;

    /// Turns the output v of a node (removed by the caller, now or later) into an initializer
    /// holding t, keeping its name and readers (constant folding).
    void makeConstant(int v, Tensor t);
    /// Re-runs shape inference on node n (after its attributes or inputs changed).
    void reinfer(int n);
    /// The constant value of v if it is an initializer, else nullptr.
    const Tensor* constant(int v) const;
    /// True when v is a graph output.
    bool isOutput(int v) const;
    /// True when v is a graph input or an initializer or an outer reference.
    bool isSource(int v) const;

    /// Drops removed nodes, values nobody produces/reads (unused initializers included; graph
    /// inputs and outputs stay), topologically sorts and renumbers. Throws std::logic_error when
    /// a removed node's output is still read.
    void compact();

private:
    Graph& m_g;
    std::vector<bool> m_removed;
    std::set<std::string> m_valueNames, m_nodeNames;
};

/// Convenience: compacts a graph with no pending edits (drops dead values, sorts, renumbers).
void compactGraph(Graph& g);

} // namespace aisys::engine::compiler
