// Three graphs with real parallelism: an inception-style block, a residual block, attention.
#include "lessons/labs/framework/scheduling/example_graphs.h"

#include <random>
#include <stdexcept>

namespace aisys::lessons {

namespace {

engine::Tensor weights(engine::Shape shape, std::mt19937& rng) {
    std::normal_distribution<float> d(0.0f, 0.3f);
    std::vector<float> v(static_cast<std::size_t>(engine::numElements(shape)));
    for (auto& x : v)
        x = d(rng);
    return engine::Tensor::f32(std::move(shape), std::move(v));
}

/// x[16,64] → three branches of different depth → Concat → MatMul → Softmax.
engine::Graph inception(std::mt19937& rng) {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {16, 64});
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

/// A ResNet basic block with a projection shortcut: two conv paths meet at Add.
engine::Graph residual(std::mt19937& rng) {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {1, 8, 16, 16});
    g.addInitializer("w1", weights({16, 8, 3, 3}, rng));
    g.addInitializer("w2", weights({16, 16, 3, 3}, rng));
    g.addInitializer("ws", weights({16, 8, 1, 1}, rng));
    const std::vector<std::int64_t> k3{3, 3}, pad1{1, 1, 1, 1};
    g.addNode("Conv", "conv1", {"x", "w1"}, {"c1"}, {{"kernel_shape", k3}, {"pads", pad1}});
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    g.addNode("Conv", "conv2", {"r1", "w2"}, {"c2"}, {{"kernel_shape", k3}, {"pads", pad1}});
    g.addNode("Conv", "shortcut", {"x", "ws"}, {"s"},
              {{"kernel_shape", std::vector<std::int64_t>{1, 1}}});
    g.addNode("Add", "add", {"c2", "s"}, {"sum"});
    g.addNode("Relu", "relu2", {"sum"}, {"y"});
    g.markOutput("y");
    return g;
}

/// Single-head self-attention: Q, K, V in parallel, scores, softmax, weighted sum, output.
engine::Graph attention(std::mt19937& rng) {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {32, 64});
    for (const char* w : {"Wq", "Wk", "Wv", "Wo"})
        g.addInitializer(w, weights({64, 64}, rng));
    g.addInitializer("scale", engine::Tensor::f32({}, {0.125f}));
    g.addNode("MatMul", "q", {"x", "Wq"}, {"Q"});
    g.addNode("MatMul", "k", {"x", "Wk"}, {"K"});
    g.addNode("MatMul", "v", {"x", "Wv"}, {"V"});
    g.addNode("Transpose", "kT", {"K"}, {"Kt"}, {{"perm", std::vector<std::int64_t>{1, 0}}});
    g.addNode("MatMul", "scores", {"Q", "Kt"}, {"S"});
    g.addNode("Mul", "scale", {"S", "scale"}, {"Ss"});
    g.addNode("Softmax", "softmax", {"Ss"}, {"P"}, {{"axis", std::int64_t{1}}});
    g.addNode("MatMul", "mix", {"P", "V"}, {"A"});
    g.addNode("MatMul", "out", {"A", "Wo"}, {"O"});
    g.addNode("Add", "residual", {"O", "x"}, {"y"});
    g.markOutput("y");
    return g;
}

} // namespace

std::vector<std::string> schedulingGraphNames() {
    return {"inception", "residual", "attention"};
}

engine::Graph buildSchedulingGraph(const std::string& name) {
    std::mt19937 rng(11);
    if (name == "inception")
        return inception(rng);
    if (name == "residual")
        return residual(rng);
    if (name == "attention")
        return attention(rng);
    throw std::invalid_argument("unknown graph '" + name +
                                "' (expected inception, residual or attention)");
}

} // namespace aisys::lessons
