// The zoo's larger models (a MobileNet-style CNN, a small transformer encoder) and the demo
// CNN shipped in assets/models, built node by node with the graph API.
#include "engine/models/random.h"
#include "engine/models/zoo.h"

#include <algorithm>
#include <cmath>

namespace aisys::engine::models {

namespace {

/// Adds named weights and nodes with unique names; weights are seeded (He-style scales).
class Builder {
public:
    explicit Builder(Graph& g) : m_g(g), m_rng(1234) {}

    /// scale · U(-1, 1) weights.
    std::string weight(const std::string& base, const Shape& shape, double scale) {
        Tensor t = uniformTensor(shape, m_rng, -1.0f, 1.0f);
        float* p = t.data<float>();
        for (std::int64_t i = 0; i < t.numel(); ++i)
            p[i] = static_cast<float>(scale) * p[i];
        const std::string name = fresh(base);
        m_g.addInitializer(name, std::move(t));
        return name;
    }
    std::string constant(const std::string& base, Tensor t) {
        const std::string name = fresh(base);
        m_g.addInitializer(name, std::move(t));
        return name;
    }
    std::string node(const std::string& op, const std::vector<std::string>& in,
                     std::map<std::string, AttrValue> attrs = {}) {
        const std::string name = fresh(op);
        m_g.addNode(op, name, in, {name + "_out"}, std::move(attrs));
        return name + "_out";
    }
    std::string fresh(const std::string& base) { return base + "_" + std::to_string(m_next++); }

private:
    Graph& m_g;
    std::mt19937 m_rng;
    int m_next = 0;
};

/// Conv (no bias) → BatchNormalization → ReLU6.
std::string convBnRelu6(Builder& b, const std::string& x, std::int64_t cin, std::int64_t cout,
                        std::int64_t k, std::int64_t stride, std::int64_t group) {
    const double fanIn = static_cast<double>(cin / group * k * k);
    const std::string w = b.weight("conv_w", {cout, cin / group, k, k}, std::sqrt(6.0 / fanIn));
    const std::int64_t pad = k / 2;
    std::string y = b.node("Conv", {x, w},
                           {{"kernel_shape", std::vector<std::int64_t>{k, k}},
                            {"strides", std::vector<std::int64_t>{stride, stride}},
                            {"pads", std::vector<std::int64_t>{pad, pad, pad, pad}},
                            {"group", group}});
    std::vector<float> ones(static_cast<std::size_t>(cout), 1.0f);
    const std::string scale = b.constant("bn_scale", Tensor::f32({cout}, ones));
    const std::string bias = b.weight("bn_bias", {cout}, 0.1);
    const std::string mean = b.weight("bn_mean", {cout}, 0.1);
    const std::string var = b.constant("bn_var", Tensor::f32({cout}, ones));
    y = b.node("BatchNormalization", {y, scale, bias, mean, var});
    const std::string lo = b.constant("relu6_min", Tensor::f32({}, {0.0f}));
    const std::string hi = b.constant("relu6_max", Tensor::f32({}, {6.0f}));
    return b.node("Clip", {y, lo, hi});
}

} // namespace

Graph mobileNetStyle(int resolution, double width, int classes) {
    Graph g;
    g.name = "mobilenet_style";
    g.opsetImports[""] = 18;
    g.addInput("image", DType::F32, {1, 3, resolution, resolution});
    Builder b(g);
    auto ch = [&](int c) { return static_cast<std::int64_t>(std::max(8.0, c * width)); };
    std::string x = convBnRelu6(b, "image", 3, ch(32), 3, 2, 1);
    const int blocks[13][2] = {{64, 1},  {128, 2},  {128, 1}, {256, 2}, {256, 1},
                               {512, 2}, {512, 1},  {512, 1}, {512, 1}, {512, 1},
                               {512, 1}, {1024, 2}, {1024, 1}};
    std::int64_t c = ch(32);
    for (const auto& [out, stride] : blocks) {
        x = convBnRelu6(b, x, c, c, 3, stride, c);  // depthwise
        x = convBnRelu6(b, x, c, ch(out), 1, 1, 1); // pointwise
        c = ch(out);
    }
    x = b.node("GlobalAveragePool", {x});
    x = b.node("Flatten", {x});
    const std::string w = b.weight("fc_w", {classes, c}, std::sqrt(1.0 / static_cast<double>(c)));
    const std::string bias = b.weight("fc_b", {classes}, 0.01);
    g.addNode("Gemm", "classifier", {x, w, bias}, {"logits"}, {{"transB", std::int64_t{1}}});
    g.markOutput("logits");
    return g;
}

Graph smallTransformer(int seq, int dModel, int heads, int layers) {
    Graph g;
    g.name = "small_transformer";
    g.opsetImports[""] = 18;
    const std::int64_t s = seq, d = dModel, h = heads, dh = dModel / heads;
    g.addInput("tokens", DType::F32, {1, s, d});
    Builder b(g);
    auto layerNorm = [&](const std::string& x) {
        std::vector<float> ones(static_cast<std::size_t>(d), 1.0f);
        const std::string gamma = b.constant("ln_g", Tensor::f32({d}, ones));
        const std::string beta = b.weight("ln_b", {d}, 0.02);
        return b.node("LayerNormalization", {x, gamma, beta}, {{"axis", std::int64_t{-1}}});
    };
    auto linear = [&](const std::string& x, std::int64_t in, std::int64_t out) {
        const std::string w = b.weight("w", {in, out}, std::sqrt(3.0 / static_cast<double>(in)));
        return b.node("Add", {b.node("MatMul", {x, w}), b.weight("b", {out}, 0.02)});
    };
    auto heads4 = [&](const std::string& x, std::vector<std::int64_t> perm) {
        const std::string shape = b.constant("shape", Tensor::i64({4}, {1, s, h, dh}));
        return b.node("Transpose", {b.node("Reshape", {x, shape})}, {{"perm", perm}});
    };
    std::string x = "tokens";
    for (int l = 0; l < layers; ++l) {
        // 1. Self-attention: softmax(Q·Kᵀ/√dh)·V per head, heads merged, projected.
        const std::string n1 = layerNorm(x);
        const std::string q = heads4(linear(n1, d, d), {0, 2, 1, 3});
        const std::string k = heads4(linear(n1, d, d), {0, 2, 3, 1});
        const std::string v = heads4(linear(n1, d, d), {0, 2, 1, 3});
        const std::string scale =
            b.constant("scale", Tensor::f32({}, {1.0f / std::sqrt(static_cast<float>(dh))}));
        std::string att = b.node("Mul", {b.node("MatMul", {q, k}), scale});
        att = b.node("Softmax", {att}, {{"axis", std::int64_t{-1}}});
        std::string ctx = b.node("Transpose", {b.node("MatMul", {att, v})},
                                 {{"perm", std::vector<std::int64_t>{0, 2, 1, 3}}});
        ctx = b.node("Reshape", {ctx, b.constant("shape", Tensor::i64({3}, {1, s, d}))});
        x = b.node("Add", {x, linear(ctx, d, d)});
        // 2. MLP with GELU = 0.5·u·(1 + erf(u/√2)).
        const std::string u = linear(layerNorm(x), d, 4 * d);
        const std::string e = b.node(
            "Erf", {b.node("Mul", {u, b.constant("inv_sqrt2", Tensor::f32({}, {0.70710678f}))})});
        const std::string one = b.constant("one", Tensor::f32({}, {1.0f}));
        const std::string half = b.constant("half", Tensor::f32({}, {0.5f}));
        const std::string gelu = b.node("Mul", {b.node("Mul", {u, half}), b.node("Add", {e, one})});
        x = b.node("Add", {x, linear(gelu, 4 * d, d)});
    }
    const std::string out = layerNorm(x);
    g.addNode("Identity", "output", {out}, {"encoded"});
    g.markOutput("encoded");
    return g;
}

Graph tinyCnn() {
    std::mt19937 rng(2024);
    Graph g;
    g.name = "tiny_cnn";
    g.addInput("image", DType::F32, {-1, 1, 28, 28});
    g.values[g.findValue("image")].dimParams = {"batch", "", "", ""};
    g.addInitializer("conv1.w", normalTensor({8, 1, 3, 3}, rng, 0.0f, 0.4f));
    g.addInitializer("conv1.b", normalTensor({8}, rng, 0.0f, 0.05f));
    g.addInitializer("conv2.w", normalTensor({16, 8, 3, 3}, rng, 0.0f, 0.15f));
    g.addInitializer("conv2.b", normalTensor({16}, rng, 0.0f, 0.05f));
    g.addInitializer("fc.w", normalTensor({10, 16}, rng, 0.0f, 0.3f));
    g.addInitializer("fc.b", normalTensor({10}, rng, 0.0f, 0.05f));
    g.addNode("Conv", "conv1", {"image", "conv1.w", "conv1.b"}, {"c1"},
              {{"kernel_shape", std::vector<std::int64_t>{3, 3}},
               {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    g.addNode("MaxPool", "pool1", {"r1"}, {"p1"},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode("Conv", "conv2", {"p1", "conv2.w", "conv2.b"}, {"c2"},
              {{"kernel_shape", std::vector<std::int64_t>{3, 3}},
               {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu2", {"c2"}, {"r2"});
    g.addNode("MaxPool", "pool2", {"r2"}, {"p2"},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode("GlobalAveragePool", "gap", {"p2"}, {"g"});
    g.addNode("Flatten", "flatten", {"g"}, {"f"});
    g.addNode("Gemm", "fc", {"f", "fc.w", "fc.b"}, {"logits"}, {{"transB", std::int64_t{1}}});
    g.addNode("Softmax", "softmax", {"logits"}, {"probs"}, {{"axis", std::int64_t{1}}});
    g.markOutput("probs");
    g.opsetImports[""] = 13;
    return g;
}

} // namespace aisys::engine::models
