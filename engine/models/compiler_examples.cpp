// The compiler examples of the zoo: small graphs where every pass of the pipeline has
// something to do (the graph-optimizer Lab, the compiler tests).
#include "engine/models/random.h"
#include "engine/models/zoo.h"

#include <cmath>

namespace aisys::engine::models {

namespace {

using Ints = std::vector<std::int64_t>;

Tensor scalar(float v) {
    return Tensor::f32({1}, {v});
}

/// Conv(3×3, pad 1) → BatchNormalization: the weights named after `p`.
void convBn(Graph& g, std::mt19937& rng, const std::string& p, const std::string& in,
            const std::string& out, int c, bool bias) {
    g.addInitializer(p + ".W", uniformTensor({c, c, 3, 3}, rng, -0.4f, 0.4f));
    std::vector<std::string> ins = {in, p + ".W"};
    if (bias) {
        g.addInitializer(p + ".b", uniformTensor({c}, rng, -0.2f, 0.2f));
        ins.push_back(p + ".b");
    }
    g.addNode("Conv", p, ins, {p + "_out"}, {{"pads", Ints{1, 1, 1, 1}}});
    g.addInitializer(p + ".gamma", uniformTensor({c}, rng, 0.5f, 1.5f));
    g.addInitializer(p + ".beta", uniformTensor({c}, rng, -0.3f, 0.3f));
    g.addInitializer(p + ".mean", uniformTensor({c}, rng, -0.2f, 0.2f));
    g.addInitializer(p + ".var", uniformTensor({c}, rng, 0.5f, 2.0f));
    const std::string bn = "bn" + p.substr(4);
    g.addNode("BatchNormalization", bn,
              {p + "_out", p + ".gamma", p + ".beta", p + ".mean", p + ".var"}, {out},
              {{"epsilon", 1e-5}});
}

} // namespace

Graph convBnRelu(const ExampleSize& s) {
    std::mt19937 rng(7);
    Graph g;
    g.name = "conv-bn-relu";
    g.addInput("x", DType::F32, {1, s.channels, s.size, s.size});
    convBn(g, rng, "conv1", "x", "bn1_out", s.channels, true);
    g.addNode("Relu", "relu1", {"bn1_out"}, {"r1"});
    convBn(g, rng, "conv2", "r1", "bn2_out", s.channels, false);
    g.addNode("Add", "residual", {"bn2_out", "x"}, {"sum"});
    g.addNode("Relu", "relu2", {"sum"}, {"r2"});
    // Classifier head: global average pool, flatten, a linear layer written as MatMul + Add.
    g.addNode("GlobalAveragePool", "pool", {"r2"}, {"pooled"});
    g.addNode("Flatten", "flatten", {"pooled"}, {"feat"}, {{"axis", std::int64_t{1}}});
    g.addInitializer("fc.W", uniformTensor({s.channels, 10}, rng, -0.5f, 0.5f));
    g.addInitializer("fc.b", uniformTensor({10}, rng, -0.1f, 0.1f));
    g.addNode("MatMul", "fc", {"feat", "fc.W"}, {"logits0"});
    g.addNode("Add", "fc_bias", {"logits0", "fc.b"}, {"y"});
    g.markOutput("y");
    return g;
}

Graph transformerMlp(const ExampleSize& s) {
    std::mt19937 rng(11);
    const int d = s.channels * 4, h = 2 * d;
    Graph g;
    g.name = "transformer-mlp";
    g.addInput("x", DType::F32, {1, s.size, d});
    // Decomposed LayerNorm over the last axis.
    g.addInitializer("axes", Tensor::i64({1}, {-1}));
    g.addInitializer("two", scalar(2));
    g.addInitializer("eps", scalar(1e-5f));
    g.addInitializer("ln.gamma", uniformTensor({d}, rng, 0.8f, 1.2f));
    g.addInitializer("ln.beta", uniformTensor({d}, rng, -0.1f, 0.1f));
    g.addNode("ReduceMean", "ln_mean", {"x", "axes"}, {"mu"});
    g.addNode("Sub", "ln_sub", {"x", "mu"}, {"xc"});
    g.addNode("Pow", "ln_pow", {"xc", "two"}, {"xc2"});
    g.addNode("ReduceMean", "ln_var", {"xc2", "axes"}, {"var"});
    g.addNode("Add", "ln_addeps", {"var", "eps"}, {"ve"});
    g.addNode("Sqrt", "ln_sqrt", {"ve"}, {"sd"});
    g.addNode("Div", "ln_div", {"xc", "sd"}, {"xn"});
    g.addNode("Mul", "ln_scale", {"xn", "ln.gamma"}, {"xg"});
    g.addNode("Add", "ln_shift", {"xg", "ln.beta"}, {"ln"});
    // Up-projection, erf-form GELU, down-projection, residual.
    g.addInitializer("fc1.W", uniformTensor({d, h}, rng, -0.3f, 0.3f));
    g.addInitializer("fc1.b", uniformTensor({h}, rng, -0.1f, 0.1f));
    g.addNode("MatMul", "fc1", {"ln", "fc1.W"}, {"p1"});
    g.addNode("Add", "fc1_bias", {"p1", "fc1.b"}, {"h1"});
    g.addInitializer("inv_sqrt2", scalar(static_cast<float>(1 / std::sqrt(2.0))));
    g.addInitializer("one", scalar(1));
    g.addInitializer("half", scalar(0.5f));
    g.addNode("Mul", "gelu_scale", {"h1", "inv_sqrt2"}, {"hs"});
    g.addNode("Erf", "gelu_erf", {"hs"}, {"he"});
    g.addNode("Add", "gelu_add1", {"he", "one"}, {"ha"});
    g.addNode("Mul", "gelu_half", {"h1", "half"}, {"hh"});
    g.addNode("Mul", "gelu_mul", {"hh", "ha"}, {"gelu"});
    g.addInitializer("fc2.W", uniformTensor({h, d}, rng, -0.3f, 0.3f));
    g.addInitializer("fc2.b", uniformTensor({d}, rng, -0.1f, 0.1f));
    g.addNode("MatMul", "fc2", {"gelu", "fc2.W"}, {"p2"});
    g.addNode("Add", "fc2_bias", {"p2", "fc2.b"}, {"h2"});
    g.addNode("Add", "residual", {"h2", "x"}, {"y"});
    g.markOutput("y");
    return g;
}

Graph redundancies(const ExampleSize& s) {
    Graph g;
    g.name = "redundancies";
    g.addInput("x", DType::F32, {1, s.channels, s.size, s.size});
    g.addNode("Identity", "identity", {"x"}, {"a"});
    g.addNode("Dropout", "dropout", {"a"}, {"b"});
    g.addNode("Transpose", "to_nhwc", {"b"}, {"c"}, {{"perm", Ints{0, 2, 3, 1}}});
    g.addNode("Transpose", "to_nchw", {"c"}, {"d"}, {{"perm", Ints{0, 3, 1, 2}}});
    g.addNode("Cast", "cast_f32", {"d"}, {"e"}, {{"to", std::int64_t{1}}});
    g.addInitializer("one", scalar(1));
    g.addInitializer("zero", scalar(0));
    g.addNode("Mul", "times_one", {"e", "one"}, {"f"});
    g.addNode("Add", "plus_zero", {"f", "zero"}, {"g"});
    // The same subexpression written twice.
    g.addNode("Exp", "exp_a", {"g"}, {"ea"});
    g.addNode("Exp", "exp_b", {"g"}, {"eb"});
    g.addNode("Add", "sum", {"ea", "eb"}, {"s"});
    // Constant arithmetic: k·k is known before the model runs.
    g.addNode("Constant", "k", {}, {"kv"}, {{"value", Tensor::f32({1}, {0.5f})}});
    g.addNode("Mul", "k_squared", {"kv", "kv"}, {"kk"});
    g.addNode("Add", "add_k", {"s", "kk"}, {"t"});
    // A shape computation on a static shape: [N, -1] from Shape(x).
    g.addInitializer("idx0", Tensor::i64({1}, {0}));
    g.addInitializer("minus1", Tensor::i64({1}, {-1}));
    g.addNode("Shape", "shape", {"x"}, {"xs"});
    g.addNode("Gather", "batch_dim", {"xs", "idx0"}, {"n"});
    g.addNode("Concat", "new_shape", {"n", "minus1"}, {"ns"}, {{"axis", std::int64_t{0}}});
    g.addNode("Reshape", "flatten", {"t", "ns"}, {"y"});
    // A branch nothing reads.
    g.addNode("Neg", "unused_neg", {"x"}, {"dead1"});
    g.addNode("Exp", "unused_exp", {"dead1"}, {"dead2"});
    g.markOutput("y");
    return g;
}

Graph branches(const ExampleSize& s) {
    std::mt19937 rng(5);
    const int c = s.channels;
    Graph g;
    g.name = "branches";
    g.addInput("x", DType::F32, {1, c, s.size, s.size});
    g.addInitializer("conv1.W", uniformTensor({c, c, 3, 3}, rng, -0.4f, 0.4f));
    g.addNode("Conv", "conv1", {"x", "conv1.W"}, {"c1"}, {{"pads", Ints{1, 1, 1, 1}}});
    // Three siblings read c1 (horizontal), then meet again (the post-dominator of conv1).
    g.addNode("Relu", "relu", {"c1"}, {"r"});
    g.addNode("Sigmoid", "sigmoid", {"c1"}, {"sg"});
    g.addNode("Tanh", "tanh", {"c1"}, {"th"});
    g.addInitializer("k", uniformTensor({c, 1, 1}, rng, 0.5f, 1.5f));
    g.addNode("Mul", "scale", {"r", "k"}, {"rk"});
    g.addNode("Add", "merge1", {"rk", "sg"}, {"m1"});
    g.addNode("Add", "merge2", {"m1", "th"}, {"m2"});
    // A vertical chain: Conv → Add → Mul → Add (the course's fusion example).
    g.addInitializer("conv2.W", uniformTensor({c, c, 3, 3}, rng, -0.4f, 0.4f));
    g.addNode("Conv", "conv2", {"m2", "conv2.W"}, {"c2"}, {{"pads", Ints{1, 1, 1, 1}}});
    g.addNode("Add", "add_x", {"c2", "x"}, {"u"});
    g.addInitializer("s", uniformTensor({c, 1, 1}, rng, 0.5f, 1.5f));
    g.addNode("Mul", "mul_s", {"u", "s"}, {"v"});
    g.addNode("Add", "add_m", {"v", "m2"}, {"y"});
    g.markOutput("y");
    return g;
}

Graph mobileBlock(const ExampleSize& s) {
    std::mt19937 rng(3);
    const int c = s.channels, e = 2 * s.channels;
    Graph g;
    g.name = "mobile-block";
    g.addInput("image", DType::F32, {1, c, s.size, s.size});
    // Expand: 1×1 Conv → BatchNormalization → ReLU6 (Clip 0..6).
    g.addInitializer("expand.W", uniformTensor({e, c, 1, 1}, rng, -0.5f, 0.5f));
    g.addInitializer("expand.b", uniformTensor({e}, rng, -0.1f, 0.1f));
    g.addNode("Conv", "expand", {"image", "expand.W", "expand.b"}, {"e0"});
    g.addInitializer("bn_e.gamma", uniformTensor({e}, rng, 0.5f, 1.5f));
    g.addInitializer("bn_e.beta", uniformTensor({e}, rng, -0.3f, 0.3f));
    g.addInitializer("bn_e.mean", uniformTensor({e}, rng, -0.2f, 0.2f));
    g.addInitializer("bn_e.var", uniformTensor({e}, rng, 0.5f, 2.0f));
    g.addNode("BatchNormalization", "bn_e",
              {"e0", "bn_e.gamma", "bn_e.beta", "bn_e.mean", "bn_e.var"}, {"e1"});
    g.addInitializer("zero", scalar(0));
    g.addInitializer("six", scalar(6));
    g.addNode("Clip", "relu6", {"e1", "zero", "six"}, {"e2"});
    // Depthwise 3×3 Conv → BatchNormalization → HardSwish written out: x·Clip(x+3, 0, 6)/6.
    g.addInitializer("dw.W", uniformTensor({e, 1, 3, 3}, rng, -0.5f, 0.5f));
    g.addNode("Conv", "depthwise", {"e2", "dw.W"}, {"d0"},
              {{"pads", Ints{1, 1, 1, 1}}, {"group", std::int64_t{e}}});
    g.addInitializer("bn_d.gamma", uniformTensor({e}, rng, 0.5f, 1.5f));
    g.addInitializer("bn_d.beta", uniformTensor({e}, rng, -0.3f, 0.3f));
    g.addInitializer("bn_d.mean", uniformTensor({e}, rng, -0.2f, 0.2f));
    g.addInitializer("bn_d.var", uniformTensor({e}, rng, 0.5f, 2.0f));
    g.addNode("BatchNormalization", "bn_d",
              {"d0", "bn_d.gamma", "bn_d.beta", "bn_d.mean", "bn_d.var"}, {"d1"});
    g.addInitializer("three", scalar(3));
    g.addNode("Add", "hs_add3", {"d1", "three"}, {"h0"});
    g.addNode("Clip", "hs_clip", {"h0", "zero", "six"}, {"h1"});
    g.addNode("Mul", "hs_mul", {"d1", "h1"}, {"h2"});
    g.addNode("Div", "hs_div6", {"h2", "six"}, {"h3"});
    // Project back: 1×1 Conv → BatchNormalization, residual Add; a training-time Dropout and
    // an Identity the exporter left behind.
    g.addInitializer("project.W", uniformTensor({c, e, 1, 1}, rng, -0.5f, 0.5f));
    g.addNode("Conv", "project", {"h3", "project.W"}, {"p0"});
    g.addInitializer("bn_p.gamma", uniformTensor({c}, rng, 0.5f, 1.5f));
    g.addInitializer("bn_p.beta", uniformTensor({c}, rng, -0.3f, 0.3f));
    g.addInitializer("bn_p.mean", uniformTensor({c}, rng, -0.2f, 0.2f));
    g.addInitializer("bn_p.var", uniformTensor({c}, rng, 0.5f, 2.0f));
    g.addNode("BatchNormalization", "bn_p",
              {"p0", "bn_p.gamma", "bn_p.beta", "bn_p.mean", "bn_p.var"}, {"p1"});
    g.addNode("Add", "residual", {"p1", "image"}, {"r"});
    g.addNode("Dropout", "dropout", {"r"}, {"r1"});
    g.addNode("Identity", "identity", {"r1"}, {"r2"});
    // Head: global pool, flatten computed from the shape (Shape → Gather → Concat → Reshape),
    // and a linear layer as MatMul + Add.
    g.addNode("GlobalAveragePool", "pool", {"r2"}, {"pooled"});
    g.addInitializer("idx0", Tensor::i64({1}, {0}));
    g.addInitializer("minus1", Tensor::i64({1}, {-1}));
    g.addNode("Shape", "shape", {"pooled"}, {"ps"});
    g.addNode("Gather", "batch", {"ps", "idx0"}, {"n"});
    g.addNode("Concat", "flat_shape", {"n", "minus1"}, {"fs"}, {{"axis", std::int64_t{0}}});
    g.addNode("Reshape", "flatten", {"pooled", "fs"}, {"feat"});
    g.addInitializer("fc.W", uniformTensor({c, 10}, rng, -0.5f, 0.5f));
    g.addInitializer("fc.b", uniformTensor({10}, rng, -0.1f, 0.1f));
    g.addNode("MatMul", "fc", {"feat", "fc.W"}, {"l0"});
    g.addNode("Add", "fc_bias", {"l0", "fc.b"}, {"logits"});
    g.markOutput("logits");
    return g;
}

} // namespace aisys::engine::models
