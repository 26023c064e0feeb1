// GradBuilder: what a gradient rule sees (the forward node, shapes, known values) and how it
// appends backward nodes (ordinary registry ops, shapes inferred as they are added).
#pragma once

#include "engine/graph/ops.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine {

/// Appends backward nodes to a graph on behalf of gradient rules.
class GradBuilder {
public:
    /// Works on `g` (its shapes inferred); `known` holds values computable before running.
    GradBuilder(Graph& g, const OpRegistry& ops, const std::map<int, Tensor>& known);
    GradBuilder(const GradBuilder&) = delete;
    GradBuilder& operator=(const GradBuilder&) = delete;

    /// Starts the rule of forward node `node`; `needs[i]` tells whether input i wants a
    /// gradient. New nodes are named after the forward node.
    void begin(int node, std::vector<bool> needs);
    /// Starts summing the gradient contributions of value `value` (names the Add nodes).
    void beginAccumulate(const std::string& value);
    /// The forward node being differentiated (a copy: appending nodes does not move it).
    const Node& node() const { return m_node; }
    /// The forward node's call facts (input types and known input values).
    const OpCall& call() const { return m_call; }
    /// True when input i exists and wants a gradient.
    bool needs(std::size_t i) const { return i < m_needs.size() && m_needs[i]; }
    /// Name of the forward node's input / output i ("" for an omitted input).
    std::string in(std::size_t i) const;
    std::string out(std::size_t i) const;
    /// Type and shape of a value by name.
    Shape shape(const std::string& value) const;
    DType dtype(const std::string& value) const;
    /// The value's tensor when it is known before running (initializer or folded), else null.
    const Tensor* known(const std::string& value) const;
    /// The graph's default-domain opset.
    std::int64_t opset() const { return m_graph.opset(); }

    /// Appends a node with one output; returns the output's name.
    std::string op(const std::string& type, const std::vector<std::string>& inputs,
                   std::map<std::string, AttrValue> attrs = {});
    /// Appends a node with `outputs` outputs; returns their names.
    std::vector<std::string> ops(const std::string& type, const std::vector<std::string>& inputs,
                                 std::map<std::string, AttrValue> attrs, int outputs);
    /// A new constant (an initializer named after the forward node).
    std::string constant(Tensor t);
    /// A rank-0 constant of type `t`.
    std::string scalar(double v, DType t);
    /// A 1-D i64 constant (shapes, axes).
    std::string ints(const std::vector<std::int64_t>& v);
    /// A zero tensor of the given type and shape.
    std::string zeros(DType t, const Shape& s);

    /// Sums `dy` over the dims a numpy broadcast added or stretched to reach `target`.
    std::string sumTo(const std::string& dy, const Shape& target);
    /// Reshape to a known shape (no node when the shape already matches).
    std::string reshape(const std::string& v, const Shape& s);
    /// Sums gradient contributions with explicit Add nodes (one name: returned as is).
    std::string sum(const std::vector<std::string>& parts);
    /// Element-wise helpers.
    std::string add(const std::string& a, const std::string& b) { return op("Add", {a, b}); }
    std::string sub(const std::string& a, const std::string& b) { return op("Sub", {a, b}); }
    std::string mul(const std::string& a, const std::string& b) { return op("Mul", {a, b}); }
    std::string div(const std::string& a, const std::string& b) { return op("Div", {a, b}); }
    std::string neg(const std::string& a) { return op("Neg", {a}); }

    /// Index of the first node appended since construction.
    int firstNewNode() const { return m_firstNew; }

private:
    std::string fresh(const std::string& what);

    Graph& m_graph;
    const OpRegistry& m_ops;
    const std::map<int, Tensor>& m_known;
    Node m_node;
    OpCall m_call;
    std::vector<bool> m_needs;
    int m_firstNew = 0;
    int m_counter = 0;
};

} // namespace aisys::engine
