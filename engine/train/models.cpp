// The spirals MLP and the digits CNN as graphs, with a softmax cross-entropy head.
#include "engine/train/models.h"

#include <cmath>
#include <random>

namespace aisys::engine::train {

namespace {

/// Glorot-uniform f32 weights: U(−a, a) with a = √(6 / (fanIn + fanOut)).
Tensor glorot(Shape s, std::int64_t fanIn, std::int64_t fanOut, std::mt19937& rng) {
    const double a = std::sqrt(6.0 / static_cast<double>(fanIn + fanOut));
    std::uniform_real_distribution<float> u(static_cast<float>(-a), static_cast<float>(a));
    Tensor t(DType::F32, std::move(s));
    for (std::int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = u(rng);
    return t;
}

void addParam(Model& m, const std::string& name, Tensor t) {
    m.graph.addInitializer(name, std::move(t));
    m.params.push_back(name);
}

/// y = x·W + b as one Gemm with weight [in, out] and bias [out].
void dense(Model& m, const std::string& name, const std::string& x, const std::string& y,
           std::int64_t in, std::int64_t out, std::mt19937& rng) {
    addParam(m, name + ".W", glorot({in, out}, in, out, rng));
    addParam(m, name + ".b", Tensor(DType::F32, {out}));
    m.graph.addNode("Gemm", name, {x, name + ".W", name + ".b"}, {y});
}

} // namespace

void addSoftmaxCrossEntropy(Graph& g, const std::string& logits, const std::string& onehot,
                            const std::string& loss) {
    g.addNode("LogSoftmax", "log_softmax", {logits}, {"log_p"}, {{"axis", std::int64_t{1}}});
    g.addNode("Mul", "pick", {"log_p", onehot}, {"log_p_true"});
    g.addNode("ReduceSum", "per_sample", {"log_p_true"}, {"log_likelihood"},
              {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{0}}});
    g.addNode("Neg", "nll", {"log_likelihood"}, {"nll"});
    g.addNode("ReduceMean", "mean", {"nll"}, {loss}, {{"keepdims", std::int64_t{0}}});
}

Model spiralMlp(std::int64_t batch, std::int64_t hidden, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Model m;
    m.graph.name = "spiral-mlp";
    m.graph.addInput("x", DType::F32, {batch, 2});
    m.graph.addInput("onehot", DType::F32, {batch, 2});
    dense(m, "fc1", "x", "h1", 2, hidden, rng);
    m.graph.addNode("Tanh", "act1", {"h1"}, {"a1"});
    dense(m, "fc2", "a1", "h2", hidden, hidden, rng);
    m.graph.addNode("Tanh", "act2", {"h2"}, {"a2"});
    dense(m, "fc3", "a2", "logits", hidden, 2, rng);
    addSoftmaxCrossEntropy(m.graph, "logits", "onehot", "loss");
    m.graph.markOutput("logits");
    m.graph.markOutput("loss");
    return m;
}

Model digitCnn(std::int64_t batch, int size, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Model m;
    m.graph.name = "digit-cnn";
    const std::int64_t channels = 8, pooled = size / 2;
    m.graph.addInput("x", DType::F32, {batch, 1, size, size});
    m.graph.addInput("onehot", DType::F32, {batch, 10});
    addParam(m, "conv1.W", glorot({channels, 1, 3, 3}, 9, channels * 9, rng));
    addParam(m, "conv1.b", Tensor(DType::F32, {channels}));
    m.graph.addNode("Conv", "conv1", {"x", "conv1.W", "conv1.b"}, {"c1"},
                    {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    m.graph.addNode("Relu", "relu1", {"c1"}, {"r1"});
    m.graph.addNode("MaxPool", "pool1", {"r1"}, {"p1"},
                    {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
                     {"strides", std::vector<std::int64_t>{2, 2}}});
    m.graph.addNode("Flatten", "flatten", {"p1"}, {"f1"});
    dense(m, "fc", "f1", "logits", channels * pooled * pooled, 10, rng);
    addSoftmaxCrossEntropy(m.graph, "logits", "onehot", "loss");
    m.graph.markOutput("logits");
    m.graph.markOutput("loss");
    return m;
}

} // namespace aisys::engine::train
