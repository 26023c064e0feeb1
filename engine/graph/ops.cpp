// Op definitions: MatMul, element-wise binary ops with broadcasting, and activations.
#include "engine/graph/ops.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::engine {

const char* fusionCategoryName(FusionCategory c) {
    switch (c) {
    case FusionCategory::Elementwise: return "elementwise";
    case FusionCategory::Broadcast: return "broadcast";
    case FusionCategory::Injective: return "injective";
    case FusionCategory::Reduction: return "reduction";
    case FusionCategory::OutElementwiseFusable: return "out-elementwise-fusable";
    case FusionCategory::Opaque: return "opaque";
    }
    return "?";
}

Shape broadcastShapes(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
        std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
        if (da != db && da != 1 && db != 1)
            throw std::invalid_argument("shapes " + shapeToString(a) + " and " +
                                        shapeToString(b) + " do not broadcast");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

namespace {

void expectInputs(const OpCall& c, std::size_t n) {
    if (c.in.size() != n)
        throw std::invalid_argument("expected " + std::to_string(n) + " inputs, got " +
                                    std::to_string(c.in.size()));
    for (const auto& t : c.in)
        if (t.dtype != DType::F32)
            throw std::invalid_argument(std::string("expected f32 inputs, got ") +
                                        dtypeName(t.dtype));
}

// ---- MatMul (numpy semantics for rank 1 and 2) ----
std::vector<TensorType> inferMatMul(const OpCall& c) {
    expectInputs(c, 2);
    const Shape& a = c.in[0].shape;
    const Shape& b = c.in[1].shape;
    if (a.empty() || b.empty() || a.size() > 2 || b.size() > 2)
        throw std::invalid_argument("expected rank-1 or rank-2 operands, got " +
                                    shapeToString(a) + " and " + shapeToString(b));
    std::int64_t k1 = a.back();
    std::int64_t k2 = b.size() == 2 ? b[0] : b[0];
    if (k1 != k2)
        throw std::invalid_argument("inner dimensions differ: " + shapeToString(a) + " · " +
                                    shapeToString(b));
    Shape out;
    if (a.size() == 2)
        out.push_back(a[0]);
    if (b.size() == 2)
        out.push_back(b[1]);
    return {{DType::F32, out}};
}

double flopsMatMul(const OpCall& c, const std::vector<TensorType>& out) {
    return 2.0 * static_cast<double>(numElements(out[0].shape)) *
           static_cast<double>(c.in[0].shape.back());
}

void forwardMatMul(const Node&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
    const Tensor& a = *in[0];
    const Tensor& b = *in[1];
    std::int64_t m = a.rank() == 2 ? a.shape()[0] : 1;
    std::int64_t k = a.shape().back();
    std::int64_t n = b.rank() == 2 ? b.shape()[1] : 1;
    out[0].matF32(m, n).noalias() = a.matF32(m, k) * b.matF32(k, n);
}

// ---- element-wise binary ops with broadcasting ----
std::vector<TensorType> inferBinary(const OpCall& c) {
    expectInputs(c, 2);
    return {{DType::F32, broadcastShapes(c.in[0].shape, c.in[1].shape)}};
}

double flopsPerOutput(const OpCall&, const std::vector<TensorType>& out) {
    return static_cast<double>(numElements(out[0].shape));
}

/// Row-major strides of `s` broadcast into rank `n` (0 stride on broadcast dims).
std::vector<std::int64_t> broadcastStrides(const Shape& s, const Shape& out) {
    std::vector<std::int64_t> strides(out.size(), 0);
    std::int64_t stride = 1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::size_t d = s.size() - 1 - i;
        std::size_t o = out.size() - 1 - i;
        strides[o] = s[d] == 1 ? 0 : stride;
        stride *= s[d];
    }
    return strides;
}

template <class F> void binaryKernel(const std::vector<const Tensor*>& in, Tensor& out, F f) {
    const float* a = in[0]->data<float>();
    const float* b = in[1]->data<float>();
    float* o = out.data<float>();
    const std::int64_t n = out.numel();
    if (in[0]->shape() == out.shape() && in[1]->shape() == out.shape()) {
        for (std::int64_t i = 0; i < n; ++i)
            o[i] = f(a[i], b[i]);
        return;
    }
    const Shape& os = out.shape();
    auto sa = broadcastStrides(in[0]->shape(), os);
    auto sb = broadcastStrides(in[1]->shape(), os);
    std::vector<std::int64_t> idx(os.size(), 0);
    std::int64_t ia = 0, ib = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        o[i] = f(a[ia], b[ib]);
        for (int d = static_cast<int>(os.size()) - 1; d >= 0; --d) {
            ia += sa[d];
            ib += sb[d];
            if (++idx[d] < os[d])
                break;
            ia -= sa[d] * os[d];
            ib -= sb[d] * os[d];
            idx[d] = 0;
        }
    }
}

// ---- element-wise unary ops ----
std::vector<TensorType> inferUnary(const OpCall& c) {
    expectInputs(c, 1);
    return {c.in[0]};
}

template <class F> void unaryKernel(const std::vector<const Tensor*>& in, Tensor& out, F f) {
    const float* a = in[0]->data<float>();
    float* o = out.data<float>();
    for (std::int64_t i = 0; i < out.numel(); ++i)
        o[i] = f(a[i]);
}

OpDef binary(const char* type, float (*f)(float, float)) {
    return {type, FusionCategory::Broadcast, inferBinary, flopsPerOutput,
            [f](const Node&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
                binaryKernel(in, out[0], f);
            }};
}

OpDef unary(const char* type, float (*f)(float)) {
    return {type, FusionCategory::Elementwise, inferUnary, flopsPerOutput,
            [f](const Node&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
                unaryKernel(in, out[0], f);
            }};
}

} // namespace

const OpRegistry& OpRegistry::builtin() {
    static const OpRegistry registry = [] {
        OpRegistry r;
        r.m_ops.push_back({"MatMul", FusionCategory::OutElementwiseFusable, inferMatMul,
                           flopsMatMul, forwardMatMul});
        r.m_ops.push_back(binary("Add", [](float a, float b) { return a + b; }));
        r.m_ops.push_back(binary("Sub", [](float a, float b) { return a - b; }));
        r.m_ops.push_back(binary("Mul", [](float a, float b) { return a * b; }));
        r.m_ops.push_back(binary("Div", [](float a, float b) { return a / b; }));
        r.m_ops.push_back(unary("Relu", [](float x) { return x > 0 ? x : 0.0f; }));
        r.m_ops.push_back(unary("Sigmoid", [](float x) { return 1.0f / (1.0f + std::exp(-x)); }));
        r.m_ops.push_back(unary("Tanh", [](float x) { return std::tanh(x); }));
        r.m_ops.push_back(unary("Neg", [](float x) { return -x; }));
        r.m_ops.push_back(unary("Exp", [](float x) { return std::exp(x); }));
        r.m_ops.push_back(unary("Identity", [](float x) { return x; }));
        return r;
    }();
    return registry;
}

const OpDef* OpRegistry::find(const std::string& type) const {
    for (const auto& op : m_ops)
        if (op.type == type)
            return &op;
    return nullptr;
}

std::vector<std::string> OpRegistry::types() const {
    std::vector<std::string> out;
    for (const auto& op : m_ops)
        out.push_back(op.type);
    return out;
}

void inferNode(Graph& g, int n, const OpRegistry& ops) {
    Node& node = g.nodes[n];
    const OpDef* def = ops.find(node.op);
    if (!def)
        throw std::invalid_argument("node '" + node.name + "': unsupported op type '" + node.op +
                                    "'");
    OpCall call{node, {}};
    for (int v : node.inputs)
        call.in.push_back({g.values[v].dtype, g.values[v].shape});
    std::vector<TensorType> out;
    try {
        out = def->infer(call);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("node '" + node.name + "' (" + node.op + "): " + e.what());
    }
    if (out.size() != node.outputs.size())
        throw std::invalid_argument("node '" + node.name + "' (" + node.op + "): has " +
                                    std::to_string(node.outputs.size()) + " outputs, expected " +
                                    std::to_string(out.size()));
    for (std::size_t i = 0; i < out.size(); ++i) {
        g.values[node.outputs[i]].dtype = out[i].dtype;
        g.values[node.outputs[i]].shape = out[i].shape;
    }
}

void inferShapes(Graph& g, const OpRegistry& ops) {
    for (int n : g.topoOrder())
        inferNode(g, n, ops);
}

} // namespace aisys::engine
