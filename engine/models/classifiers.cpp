// The trainable classifiers of the zoo (spirals MLP, digits CNNs) with a softmax cross-entropy
// head; Glorot-uniform weights and zero biases.
#include "engine/models/random.h"
#include "engine/models/zoo.h"

namespace aisys::engine::models {

namespace {

void addParam(Model& m, const std::string& name, Tensor t) {
    m.graph.addInitializer(name, std::move(t));
    m.params.push_back(name);
}

/// y = x·W + b as one Gemm with weight [in, out] and bias [out].
void dense(Model& m, const std::string& name, const std::string& x, const std::string& y,
           std::int64_t in, std::int64_t out, std::mt19937& rng) {
    addParam(m, name + ".W", glorotTensor({in, out}, in, out, rng));
    addParam(m, name + ".b", Tensor(DType::F32, {out}));
    m.graph.addNode("Gemm", name, {x, name + ".W", name + ".b"}, {y});
}

/// A 3×3 Conv with padding 1, weight [out, in, 3, 3] and bias [out].
void conv3x3(Model& m, const std::string& name, const std::string& x, const std::string& y,
             std::int64_t in, std::int64_t out, std::mt19937& rng) {
    addParam(m, name + ".W", glorotTensor({out, in, 3, 3}, in * 9, out * 9, rng));
    addParam(m, name + ".b", Tensor(DType::F32, {out}));
    m.graph.addNode("Conv", name, {x, name + ".W", name + ".b"}, {y},
                    {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
}

void maxPool2(Graph& g, const std::string& name, const std::string& x, const std::string& y) {
    g.addNode("MaxPool", name, {x}, {y},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
}

/// The loss head and the outputs every classifier shares.
void finish(Model& m) {
    addSoftmaxCrossEntropy(m.graph, "logits", "onehot", "loss");
    m.graph.markOutput("logits");
    m.graph.markOutput("loss");
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
    finish(m);
    return m;
}

Model digitCnn(std::int64_t batch, int size, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Model m;
    m.graph.name = "digit-cnn";
    const std::int64_t channels = 8, pooled = size / 2;
    m.graph.addInput("x", DType::F32, {batch, 1, size, size});
    m.graph.addInput("onehot", DType::F32, {batch, 10});
    conv3x3(m, "conv1", "x", "c1", 1, channels, rng);
    m.graph.addNode("Relu", "relu1", {"c1"}, {"r1"});
    maxPool2(m.graph, "pool1", "r1", "p1");
    m.graph.addNode("Flatten", "flatten", {"p1"}, {"f1"});
    dense(m, "fc", "f1", "logits", channels * pooled * pooled, 10, rng);
    finish(m);
    return m;
}

Model twoConvDigitNet(std::int64_t batch, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Model m;
    Graph& g = m.graph;
    g.name = "two-conv-digits";
    g.addInput("x", DType::F32, {batch, 1, 12, 12});
    g.addInput("onehot", DType::F32, {batch, 10});
    conv3x3(m, "conv1", "x", "c1", 1, 8, rng);
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    maxPool2(g, "pool1", "r1", "p1");
    conv3x3(m, "conv2", "p1", "c2", 8, 8, rng);
    g.addNode("Relu", "relu2", {"c2"}, {"r2"});
    maxPool2(g, "pool2", "r2", "p2");
    g.addNode("Flatten", "flatten", {"p2"}, {"f"});
    dense(m, "fc", "f", "logits", 72, 10, rng);
    finish(m);
    return m;
}

} // namespace aisys::engine::models
