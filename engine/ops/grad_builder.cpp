// GradBuilder: appends backward nodes for gradient rules, inferring shapes as it goes.
#include "engine/ops/grad_builder.h"

#include <stdexcept>

namespace aisys::engine {

GradBuilder::GradBuilder(Graph& g, const OpRegistry& ops, const std::map<int, Tensor>& known)
    : m_graph(g), m_ops(ops), m_known(known), m_call{m_node, {}, {}, g.opset()},
      m_firstNew(static_cast<int>(g.nodes.size())) {}

void GradBuilder::begin(int node, std::vector<bool> needs) {
    m_node = m_graph.nodes[node];
    m_needs = std::move(needs);
    m_counter = 0;
    // m_call refers to m_node, so it takes the call's facts rather than being rebuilt.
    const OpCall call =
        opCall(m_graph, m_node, [&](int v) { return known(m_graph.values[v].name); });
    m_call.in = call.in;
    m_call.constants = call.constants;
    m_call.opset = call.opset;
}

void GradBuilder::beginAccumulate(const std::string& value) {
    m_node = Node{};
    m_node.name = value;
    m_needs.clear();
    m_counter = 0;
    m_call.in.clear();
    m_call.constants.clear();
}

std::string GradBuilder::sum(const std::vector<std::string>& parts) {
    if (parts.empty())
        throw std::logic_error("GradBuilder::sum of nothing");
    std::string acc = parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i)
        acc = op("Add", {acc, parts[i]});
    return acc;
}

std::string GradBuilder::in(std::size_t i) const {
    if (i >= m_node.inputs.size() || m_node.inputs[i] < 0)
        return {};
    return m_graph.values[m_node.inputs[i]].name;
}

std::string GradBuilder::out(std::size_t i) const {
    if (i >= m_node.outputs.size())
        return {};
    return m_graph.values[m_node.outputs[i]].name;
}

Shape GradBuilder::shape(const std::string& value) const {
    const int id = m_graph.findValue(value);
    if (id < 0)
        throw std::logic_error("GradBuilder: unknown value '" + value + "'");
    return m_graph.values[id].shape;
}

DType GradBuilder::dtype(const std::string& value) const {
    const int id = m_graph.findValue(value);
    if (id < 0)
        throw std::logic_error("GradBuilder: unknown value '" + value + "'");
    return m_graph.values[id].dtype;
}

const Tensor* GradBuilder::known(const std::string& value) const {
    const int id = m_graph.findValue(value);
    if (id < 0)
        return nullptr;
    if (auto it = m_graph.initializers.find(id); it != m_graph.initializers.end())
        return &it->second;
    if (auto it = m_known.find(id); it != m_known.end())
        return &it->second;
    return nullptr;
}

std::string GradBuilder::fresh(const std::string& what) {
    std::string name;
    do
        name = m_node.name + "/grad/" + what + std::to_string(m_counter++);
    while (m_graph.findValue(name) >= 0);
    return name;
}

std::vector<std::string> GradBuilder::ops(const std::string& type,
                                          const std::vector<std::string>& inputs,
                                          std::map<std::string, AttrValue> attrs, int outputs) {
    // 1. Name the node and its outputs after the forward node ("conv1/grad/Mul3").
    // 2. Append it and infer its output types at once, so later rules see the shapes.
    std::vector<std::string> outs;
    for (int i = 0; i < outputs; ++i)
        outs.push_back(fresh(type.substr(type.find(':') + 1)));
    const std::string nodeName = outs[0];
    const int n = m_graph.addNode(type, nodeName, inputs, outs, std::move(attrs));
    inferNode(m_graph, n, m_ops);
    return outs;
}

std::string GradBuilder::op(const std::string& type, const std::vector<std::string>& inputs,
                            std::map<std::string, AttrValue> attrs) {
    return ops(type, inputs, std::move(attrs), 1)[0];
}

std::string GradBuilder::constant(Tensor t) {
    const std::string name = fresh("const");
    m_graph.addInitializer(name, std::move(t));
    return name;
}

std::string GradBuilder::scalar(double v, DType t) {
    return constant(Tensor::f64({}, {v}).cast(t));
}

std::string GradBuilder::ints(const std::vector<std::int64_t>& v) {
    return constant(Tensor::i64({static_cast<std::int64_t>(v.size())}, v));
}

std::string GradBuilder::zeros(DType t, const Shape& s) {
    return constant(Tensor(t, s));
}

std::string GradBuilder::sumTo(const std::string& dy, const Shape& target) {
    // 1. Dims the broadcast prepended, and dims stretched from 1, are summed (keepdims).
    // 2. A reshape drops the prepended dims.
    const Shape& s = shape(dy);
    if (s == target)
        return dy;
    const std::size_t lead = s.size() - target.size();
    std::vector<std::int64_t> axes;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i < lead || (target[i - lead] == 1 && s[i] != 1))
            axes.push_back(static_cast<std::int64_t>(i));
    std::string r = dy;
    if (!axes.empty())
        r = op("ReduceSum", {dy}, {{"axes", axes}, {"keepdims", std::int64_t{1}}});
    return reshape(r, target);
}

std::string GradBuilder::reshape(const std::string& v, const Shape& s) {
    if (shape(v) == s)
        return v;
    return op("Reshape", {v, ints(s)});
}

} // namespace aisys::engine
