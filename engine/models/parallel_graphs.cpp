// The zoo's graphs with parallel branches (inception, residual block, self-attention) and the
// inference graphs of a given batch (small CNN, residual stack, MLP); normal-distributed
// weights.
#include "engine/models/random.h"
#include "engine/models/zoo.h"

namespace aisys::engine::models {

namespace {

using Ints = std::vector<std::int64_t>;

Tensor weights(Shape shape, std::mt19937& rng) {
    return normalTensor(std::move(shape), rng, 0.0f, 0.3f);
}

} // namespace

Graph inceptionBranches() {
    std::mt19937 rng(11);
    Graph g;
    g.name = "inception";
    g.addInput("x", DType::F32, {16, 64});
    g.addInitializer("Wa", weights({64, 64}, rng));
    g.addInitializer("Wb", weights({64, 32}, rng));
    g.addInitializer("Wc", weights({64, 32}, rng));
    g.addInitializer("Wd", weights({64, 32}, rng));
    g.addInitializer("Wo", weights({96, 10}, rng));
    g.addNode("MatMul", "a1", {"x", "Wa"}, {"ha"});
    g.addNode("Relu", "a2", {"ha"}, {"ra"});
    g.addNode("MatMul", "a3", {"ra", "Wb"}, {"ya"});
    g.addNode("MatMul", "b1", {"x", "Wc"}, {"hb"});
    g.addNode("Tanh", "b2", {"hb"}, {"yb"});
    g.addNode("MatMul", "c1", {"x", "Wd"}, {"yc"});
    g.addNode("Concat", "cat", {"ya", "yb", "yc"}, {"y"}, {{"axis", std::int64_t{1}}});
    g.addNode("MatMul", "head", {"y", "Wo"}, {"logits"});
    g.addNode("Softmax", "softmax", {"logits"}, {"probs"}, {{"axis", std::int64_t{1}}});
    g.markOutput("probs");
    return g;
}

Graph residualBlock() {
    std::mt19937 rng(11);
    Graph g;
    g.name = "residual-block";
    g.addInput("x", DType::F32, {1, 8, 16, 16});
    g.addInitializer("w1", weights({16, 8, 3, 3}, rng));
    g.addInitializer("w2", weights({16, 16, 3, 3}, rng));
    g.addInitializer("ws", weights({16, 8, 1, 1}, rng));
    const Ints k3{3, 3}, pad1{1, 1, 1, 1};
    g.addNode("Conv", "conv1", {"x", "w1"}, {"c1"}, {{"kernel_shape", k3}, {"pads", pad1}});
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    g.addNode("Conv", "conv2", {"r1", "w2"}, {"c2"}, {{"kernel_shape", k3}, {"pads", pad1}});
    g.addNode("Conv", "shortcut", {"x", "ws"}, {"s"}, {{"kernel_shape", Ints{1, 1}}});
    g.addNode("Add", "add", {"c2", "s"}, {"sum"});
    g.addNode("Relu", "relu2", {"sum"}, {"y"});
    g.markOutput("y");
    return g;
}

Graph selfAttention() {
    std::mt19937 rng(11);
    Graph g;
    g.name = "self-attention";
    g.addInput("x", DType::F32, {32, 64});
    for (const char* w : {"Wq", "Wk", "Wv", "Wo"})
        g.addInitializer(w, weights({64, 64}, rng));
    g.addInitializer("scale", Tensor::f32({}, {0.125f}));
    g.addNode("MatMul", "q", {"x", "Wq"}, {"Q"});
    g.addNode("MatMul", "k", {"x", "Wk"}, {"K"});
    g.addNode("MatMul", "v", {"x", "Wv"}, {"V"});
    g.addNode("Transpose", "kT", {"K"}, {"Kt"}, {{"perm", Ints{1, 0}}});
    g.addNode("MatMul", "scores", {"Q", "Kt"}, {"S"});
    g.addNode("Mul", "scale", {"S", "scale"}, {"Ss"});
    g.addNode("Softmax", "softmax", {"Ss"}, {"P"}, {{"axis", std::int64_t{1}}});
    g.addNode("MatMul", "mix", {"P", "V"}, {"A"});
    g.addNode("MatMul", "out", {"A", "Wo"}, {"O"});
    g.addNode("Add", "residual", {"O", "x"}, {"y"});
    g.markOutput("y");
    return g;
}

namespace {

/// Builds the inference graphs of a batch: seeded N(0, 0.1²) weights, 3×3 convs with padding.
class BatchGraph {
public:
    explicit BatchGraph(std::string name) : m_rng(7) { m_g.name = std::move(name); }
    Graph& g() { return m_g; }
    Tensor weights(Shape s) { return normalTensor(std::move(s), m_rng, 0.0f, 0.1f); }
    void conv(const std::string& name, const std::string& x, const std::string& y, std::int64_t in,
              std::int64_t out) {
        m_g.addInitializer(name + ".W", weights({out, in, 3, 3}));
        m_g.addNode("Conv", name, {x, name + ".W"}, {y}, {{"pads", Ints{1, 1, 1, 1}}});
    }
    void pool(const std::string& name, const std::string& x, const std::string& y) {
        m_g.addNode("MaxPool", name, {x}, {y},
                    {{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}});
    }
    Graph done(const std::string& output) {
        m_g.markOutput(output);
        return std::move(m_g);
    }

private:
    Graph m_g;
    std::mt19937 m_rng;
};

} // namespace

Graph smallCnn(std::int64_t batch) {
    BatchGraph b("small-cnn");
    Graph& g = b.g();
    g.addInput("x", DType::F32, {batch, 1, 16, 16});
    b.conv("conv1", "x", "c1", 1, 8);
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    b.pool("pool1", "r1", "p1");
    b.conv("conv2", "p1", "c2", 8, 16);
    g.addNode("Relu", "relu2", {"c2"}, {"r2"});
    b.pool("pool2", "r2", "p2");
    g.addNode("Flatten", "flatten", {"p2"}, {"f"});
    g.addInitializer("fc.W", b.weights({16 * 16, 10}));
    g.addNode("Gemm", "fc", {"f", "fc.W"}, {"logits"});
    g.addNode("Softmax", "softmax", {"logits"}, {"y"});
    return b.done("y");
}

Graph residualStack(std::int64_t batch) {
    BatchGraph b("residual-stack");
    Graph& g = b.g();
    g.addInput("x", DType::F32, {batch, 8, 8, 8});
    b.conv("conv1", "x", "c1", 8, 8);
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    b.conv("conv2", "r1", "c2", 8, 8);
    g.addNode("Add", "add1", {"c2", "x"}, {"s1"});
    g.addNode("Relu", "relu2", {"s1"}, {"r2"});
    b.conv("conv3", "r2", "c3", 8, 8);
    g.addNode("Relu", "relu3", {"c3"}, {"r3"});
    b.conv("conv4", "r3", "c4", 8, 8);
    g.addNode("Add", "add2", {"c4", "r2"}, {"s2"});
    g.addNode("Relu", "relu4", {"s2"}, {"r4"});
    g.addNode("GlobalAveragePool", "gap", {"r4"}, {"y"});
    return b.done("y");
}

Graph mlp(std::int64_t batch) {
    BatchGraph b("mlp");
    Graph& g = b.g();
    g.addInput("x", DType::F32, {batch, 64});
    std::string prev = "x";
    const std::int64_t widths[] = {64, 256, 128, 256, 10};
    for (int l = 0; l < 4; ++l) {
        const std::string n = "fc" + std::to_string(l + 1);
        g.addInitializer(n + ".W", b.weights({widths[l], widths[l + 1]}));
        g.addNode("Gemm", n, {prev, n + ".W"}, {n + ".out"});
        prev = n + ".out";
        if (l < 3) {
            g.addNode("Relu", "relu" + std::to_string(l + 1), {prev},
                      {"a" + std::to_string(l + 1)});
            prev = "a" + std::to_string(l + 1);
        }
    }
    g.addNode("Softmax", "softmax", {prev}, {"y"});
    return b.done("y");
}

} // namespace aisys::engine::models
