// Graph IR: values (tensor edges), op nodes with attributes, initializers, inputs and outputs.
#pragma once

#include "engine/core/tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace aisys::engine {

/// The latest default-domain (ai.onnx) opset version the engine knows.
constexpr std::int64_t kLatestOpset = 18;

class Graph;

/// A graph-valued attribute (If's then/else branches, Loop's body), owned by its node and
/// deep-copied with it. Its graph may read values of the enclosing graphs (Graph::outerRefs).
class Subgraph {
public:
    Subgraph();
    /// Takes the graph.
    explicit Subgraph(Graph g);
    Subgraph(const Subgraph& other);
    Subgraph(Subgraph&& other) noexcept;
    Subgraph& operator=(const Subgraph& other);
    Subgraph& operator=(Subgraph&& other) noexcept;
    ~Subgraph();

    const Graph& graph() const { return *m_graph; }
    /// Mutable access drops the run cache (the graph may change).
    Graph& graph() {
        m_runCache.reset();
        return *m_graph;
    }
    /// A slot where the kernel running this subgraph keeps its state between calls (If keeps
    /// its nested interpreter); copies start empty, assignment drops it.
    std::shared_ptr<void>& runCache() const { return m_runCache; }
    /// Per outer reference of the graph (parallel to Graph::outerRefs): the index, in the
    /// owning node's inputs, of the enclosing-scope value it reads (set by Graph::addNode).
    const std::vector<int>& bindings() const { return m_bindings; }
    void setBindings(std::vector<int> b) { m_bindings = std::move(b); }
    /// Structural equality of the graphs (bindings follow from them).
    bool operator==(const Subgraph& other) const;

private:
    std::unique_ptr<Graph> m_graph;
    std::vector<int> m_bindings;
    mutable std::shared_ptr<void> m_runCache;
};

/// A node attribute (the ONNX attribute kinds the engine uses: int, float, string, ints,
/// floats, tensor, strings, graph).
using AttrValue = std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>,
                               std::vector<double>, Tensor, std::vector<std::string>, Subgraph>;

/// A tensor edge: produced by at most one node, read by any number.
struct Value {
    std::string name;
    DType dtype = DType::F32;
    Shape shape; ///< -1 marks a dimension not known before running
    /// Symbolic dimension names parallel to `shape` ("" where the dim is a number or unnamed);
    /// empty when no dimension is symbolic. Bind them with bindDims().
    std::vector<std::string> dimParams;
    int producer = -1;          ///< node index, -1 for graph inputs and initializers
    std::vector<int> consumers; ///< node indices, in insertion order
    bool initializer = false;
    /// False when a file declared no type (ONNX subgraph inputs and outputs may omit it); the
    /// dtype and shape are then placeholders until inference or a run fills them.
    bool typeKnown = true;

    bool operator==(const Value&) const = default;
};

/// An operation applied to values.
struct Node {
    std::string name;
    std::string op;           ///< ONNX op type, e.g. "MatMul"
    std::vector<int> inputs;  ///< value ids; -1 marks an omitted optional input
    std::vector<int> outputs; ///< value ids
    std::map<std::string, AttrValue> attrs;
    /// How many trailing entries of `inputs` are not ONNX inputs but enclosing-scope values the
    /// node's subgraphs read (If/Loop "implicit inputs"): they order execution and keep the
    /// values alive; the ONNX exporter leaves them out.
    int implicitInputs = 0;

    bool operator==(const Node&) const = default;
};

/// A dataflow graph. Ids are indices into `values` and `nodes`.
class Graph {
public:
    std::vector<Value> values;
    std::vector<Node> nodes;
    std::vector<int> inputs;            ///< value ids fed by the caller
    std::vector<int> outputs;           ///< value ids the caller reads
    std::map<int, Tensor> initializers; ///< constant values (weights)
    /// Opset version per operator domain ("" is the default ONNX domain); empty means latest.
    std::map<std::string, std::int64_t> opsetImports;
    std::string name; ///< graph name (ONNX GraphProto.name)
    /// In a subgraph: values read from an enclosing graph by name (no producer here; bound
    /// when the subgraph runs). Empty in a top-level graph.
    std::vector<int> outerRefs;

    /// Declares a graph input.
    int addInput(const std::string& name, DType dtype, Shape shape);
    /// Declares a value this (sub)graph reads from an enclosing graph by name.
    int addOuterRef(const std::string& name, DType dtype = DType::F32, Shape shape = {});
    /// Declares a constant (weight) value.
    int addInitializer(const std::string& name, Tensor t);
    /// Adds a node reading the named values (an empty name is an omitted optional input) and
    /// producing new values named `outputs` (their type and shape are filled by shape inference).
    /// Returns the node index. Subgraph attributes' outer references must name values of this
    /// graph: they are appended to the node's inputs as implicit inputs (Node::implicitInputs).
    /// Throws std::invalid_argument for an unknown input name or a duplicate output name.
    int addNode(const std::string& op, const std::string& name,
                const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                std::map<std::string, AttrValue> attrs = {});
    void markOutput(const std::string& name);

    /// The default-domain opset version (kLatestOpset when unset).
    std::int64_t opset() const;
    /// Replaces symbolic dimensions by the values bound to their names; returns the names
    /// that were bound. Throws std::invalid_argument for a name no value uses.
    std::vector<std::string> bindDims(const std::map<std::string, std::int64_t>& dims);
    /// Value id by name, or -1.
    int findValue(const std::string& name) const;
    /// Node indices in a topological order (Kahn's algorithm, ties by index — deterministic).
    /// Throws std::invalid_argument naming a node on a cycle.
    std::vector<int> topoOrder() const;
    /// Checks structure: ids in range, single producer, producer/consumer links consistent,
    /// acyclic, outputs produced; subgraphs too. Returns "" or a message naming the node and the
    /// problem.
    std::string verify() const;

    /// Structural equality (values, nodes with attributes and subgraphs, initializers, ...).
    bool operator==(const Graph&) const = default;

private:
    int addValue(const std::string& name);
};

} // namespace aisys::engine
