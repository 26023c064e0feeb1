// Graph IR: values (tensor edges), op nodes with attributes, initializers, inputs and outputs.
#pragma once

#include "engine/core/tensor.h"

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace aisys::engine {

/// A node attribute (the ONNX attribute kinds the engine uses: int, float, string, ints,
/// floats, tensor, strings).
using AttrValue = std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>,
                               std::vector<double>, Tensor, std::vector<std::string>>;

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
};

/// An operation applied to values.
struct Node {
    std::string name;
    std::string op;           ///< ONNX op type, e.g. "MatMul"
    std::vector<int> inputs;  ///< value ids; -1 marks an omitted optional input
    std::vector<int> outputs; ///< value ids
    std::map<std::string, AttrValue> attrs;
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

    /// Declares a graph input.
    int addInput(const std::string& name, DType dtype, Shape shape);
    /// Declares a constant (weight) value.
    int addInitializer(const std::string& name, Tensor t);
    /// Adds a node reading the named values (an empty name is an omitted optional input) and
    /// producing new values named `outputs` (their type and shape are filled by shape inference).
    /// Returns the node index. Throws std::invalid_argument for an unknown input name or a
    /// duplicate output name.
    int addNode(const std::string& op, const std::string& name,
                const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                std::map<std::string, AttrValue> attrs = {});
    void markOutput(const std::string& name);

    /// The default-domain opset version (18, the latest the engine knows, when unset).
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
    /// acyclic, outputs produced. Returns "" or a message naming the node and the problem.
    std::string verify() const;

private:
    int addValue(const std::string& name);
};

} // namespace aisys::engine
