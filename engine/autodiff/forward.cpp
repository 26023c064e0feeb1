// Forward-mode autodiff: dual arithmetic and a node-by-node evaluator on dual tensors (the
// element-wise rules come from each op's formula and partial derivatives in its OpDef).
#include "engine/autodiff/forward.h"

#include "engine/graph/ops.h"
#include "engine/ops/op_kit.h"

#include <array>
#include <cmath>
#include <stdexcept>

namespace aisys::engine {

Dual operator+(Dual a, Dual b) {
    return {a.value + b.value, a.tangent + b.tangent};
}
Dual operator-(Dual a, Dual b) {
    return {a.value - b.value, a.tangent - b.tangent};
}
Dual operator*(Dual a, Dual b) {
    return {a.value * b.value, a.tangent * b.value + a.value * b.tangent};
}
Dual operator/(Dual a, Dual b) {
    return {a.value / b.value, (a.tangent * b.value - a.value * b.tangent) / (b.value * b.value)};
}
Dual operator-(Dual a) {
    return {-a.value, -a.tangent};
}
Tensor DualTensor::values() const {
    std::vector<double> v;
    for (const Dual& d : data)
        v.push_back(d.value);
    return Tensor::f64(shape, v);
}

Tensor DualTensor::tangents() const {
    std::vector<double> v;
    for (const Dual& d : data)
        v.push_back(d.tangent);
    return Tensor::f64(shape, v);
}

namespace {

DualTensor fromTensor(const Tensor& v, const Tensor* t) {
    DualTensor d{v.shape(), std::vector<Dual>(static_cast<std::size_t>(v.numel()))};
    for (std::int64_t i = 0; i < v.numel(); ++i)
        d.data[i] = {v.at(i), t ? t->at(i) : 0.0};
    return d;
}

/// The dual rule of an element-wise op, from the formula in its OpDef:
/// 1. Broadcast the operands to the output shape (numpy rules).
/// 2. Values: the op's f64 formula over the broadcast operand values.
/// 3. Tangents: Σₖ ∂f/∂operandₖ · tangentₖ, skipping the terms whose tangent is 0 (a constant
///    operand then adds nothing, not NaN·0 — Pow's ln a for a < 0).
DualTensor elementwise(const Node& node, const ElementwiseFormula& f,
                       const std::vector<const DualTensor*>& in) {
    const std::size_t k = static_cast<std::size_t>(f.operands);
    if (in.size() != k)
        throw std::invalid_argument("node '" + node.name + "' (" + node.op + "): expected " +
                                    std::to_string(k) + " inputs, got " +
                                    std::to_string(in.size()));
    std::array<Shape, 3> shapes;
    DualTensor out;
    for (std::size_t j = 0; j < k; ++j) {
        shapes[j] = in[j]->shape;
        out.shape = j == 0 ? shapes[0] : broadcastShapes(out.shape, shapes[j]);
    }
    const std::size_t n = static_cast<std::size_t>(numElements(out.shape));
    std::array<std::vector<double>, 3> value, tangent;
    for (std::size_t j = 0; j < k; ++j) {
        value[j].resize(n);
        tangent[j].resize(n);
    }
    ops::forEachBroadcast<3>(out.shape, shapes,
                             [&](std::int64_t i, const std::array<std::int64_t, 3>& p) {
                                 for (std::size_t j = 0; j < k; ++j) {
                                     const Dual& d = in[j]->data[p[j]];
                                     value[j][i] = d.value;
                                     tangent[j][i] = d.tangent;
                                 }
                             });
    std::vector<double> y(n);
    auto operand = [&](std::size_t j) { return j < k ? value[j].data() : nullptr; };
    const ScalarParams params = f.paramsOf(node);
    f.f64(params, y.data(), operand(0), operand(1), operand(2), static_cast<std::int64_t>(n));
    out.data.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double a = value[0][i], b = k > 1 ? value[1][i] : 0, c = k > 2 ? value[2][i] : 0;
        double t = 0;
        for (std::size_t j = 0; j < k; ++j)
            if (tangent[j][i] != 0)
                t += f.partials[j](params, a, b, c) * tangent[j][i];
        out.data[i] = {y[i], t};
    }
    return out;
}

DualTensor reduce(const Node& node, const DualTensor& x, const Tensor* axesInput) {
    // 1. Axes from the attribute or input 1 (all dims when none); the kept shape has 1 there.
    // 2. Sum every element into its kept position (divide by the count for the mean).
    std::vector<std::int64_t> axes = attrInts(node, "axes");
    if (axes.empty() && axesInput)
        for (std::int64_t i = 0; i < axesInput->numel(); ++i)
            axes.push_back(axesInput->atInt(i));
    const std::int64_t rank = static_cast<std::int64_t>(x.shape.size());
    std::vector<bool> reduced(x.shape.size(), axes.empty());
    for (auto a : axes)
        reduced[ops::normalizeAxis(a, rank)] = true;
    Shape kept, out;
    for (std::size_t i = 0; i < x.shape.size(); ++i) {
        kept.push_back(reduced[i] ? 1 : x.shape[i]);
        if (!reduced[i] || attrInt(node, "keepdims", 1) != 0)
            out.push_back(kept.back());
    }
    DualTensor y{out, std::vector<Dual>(static_cast<std::size_t>(numElements(kept)))};
    ops::forEachBroadcast<1>(x.shape, {kept},
                             [&](std::int64_t i, const std::array<std::int64_t, 1>& p) {
                                 y.data[p[0]] = y.data[p[0]] + x.data[i];
                             });
    if (node.op == "ReduceMean") {
        const double n =
            static_cast<double>(x.data.size() / std::max<std::size_t>(y.data.size(), 1));
        for (Dual& d : y.data)
            d = d / Dual{n, 0};
    }
    return y;
}

DualTensor matMul(const DualTensor& a, const DualTensor& b) {
    if (a.shape.size() != 2 || b.shape.size() != 2 || a.shape[1] != b.shape[0])
        throw std::invalid_argument("forward mode supports 2-D MatMul [M, K]·[K, N] only");
    const std::int64_t m = a.shape[0], k = a.shape[1], n = b.shape[1];
    DualTensor y{{m, n}, std::vector<Dual>(static_cast<std::size_t>(m * n))};
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j)
            for (std::int64_t p = 0; p < k; ++p)
                y.data[i * n + j] = y.data[i * n + j] + a.data[i * k + p] * b.data[p * n + j];
    return y;
}

DualTensor reduceRule(const Node& node, const std::vector<const DualTensor*>& in) {
    const Tensor* axes = nullptr;
    Tensor axesT;
    if (in.size() > 1 && in[1]) {
        axesT = in[1]->values();
        axes = &axesT;
    }
    return reduce(node, *in[0], axes);
}

DualTensor matMulRule(const Node&, const std::vector<const DualTensor*>& in) {
    return matMul(*in[0], *in[1]);
}

/// The dual rules of the ops that are not element-wise (element-wise ops take theirs from the
/// formula in their OpDef).
using DualRule = DualTensor (*)(const Node&, const std::vector<const DualTensor*>&);
DualRule structuralRule(const std::string& op) {
    if (op == "ReduceSum" || op == "ReduceMean")
        return reduceRule;
    if (op == "MatMul")
        return matMulRule;
    return nullptr;
}

} // namespace

bool dualSupports(const std::string& op) {
    if (structuralRule(op))
        return true;
    const OpDef* def = OpRegistry::builtin().find(op);
    return def && def->elementwise.differentiable();
}

std::map<std::string, DualTensor> evaluateDual(const Graph& g,
                                               const std::map<std::string, Tensor>& values,
                                               const std::map<std::string, Tensor>& tangents) {
    // 1. Seed: inputs carry (value, tangent), initializers (value, 0).
    // 2. In topological order, apply each node's dual rule (element-wise ops: their formula and
    //    its partial derivatives, with numpy broadcasting), so every value carries its
    //    directional derivative.
    std::map<std::string, DualTensor> env;
    for (const auto& [id, t] : g.initializers)
        env[g.values[id].name] = fromTensor(t, nullptr);
    for (const auto& [name, v] : values) {
        auto t = tangents.find(name);
        env[name] = fromTensor(v, t == tangents.end() ? nullptr : &t->second);
    }
    for (int n : g.topoOrder()) {
        const Node& node = g.nodes[n];
        if (!dualSupports(node.op))
            throw std::invalid_argument("node '" + node.name + "' (" + node.op +
                                        "): forward mode does not support this op");
        std::vector<const DualTensor*> in;
        for (int v : node.inputs) {
            auto it = v >= 0 ? env.find(g.values[v].name) : env.end();
            if (it == env.end() && v >= 0)
                throw std::invalid_argument("node '" + node.name + "': input '" + g.values[v].name +
                                            "' has no value");
            in.push_back(v >= 0 ? &it->second : nullptr);
        }
        const DualRule rule = structuralRule(node.op);
        DualTensor out =
            rule ? rule(node, in)
                 : elementwise(node, OpRegistry::builtin().find(node.op)->elementwise, in);
        env[g.values[node.outputs[0]].name] = std::move(out);
    }
    return env;
}

} // namespace aisys::engine
