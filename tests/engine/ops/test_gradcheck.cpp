// Every differentiable op against central differences in f64: the backward graph built from the
// op's gradient rule must match (L(x + ε) − L(x − ε)) / 2ε for L = Σ R ⊙ op(x), R random.
#include "engine/autodiff/reverse.h"
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace aisys::engine;

namespace {

/// One op input: a differentiated graph input (random f64 of `shape`) or a fixed initializer.
struct In {
    Shape shape;
    Tensor fixed;           ///< used when valid (not differentiated)
    double lo = -1, hi = 1; ///< range of the random values (|x| ≥ 0.1 away from kinks at 0)
    bool omitted = false;
};

In x(Shape s, double lo = -1, double hi = 1) {
    return In{std::move(s), {}, lo, hi};
}
In fixed(Tensor t) {
    return In{t.shape(), std::move(t)};
}
In omitted() {
    In i;
    i.omitted = true;
    return i;
}
In positive(Shape s) {
    return x(std::move(s), 0.5, 2);
}
Tensor ints(std::vector<std::int64_t> v) {
    return Tensor::i64({static_cast<std::int64_t>(v.size())}, v);
}
Tensor f64s(Shape s, std::vector<double> v) {
    return Tensor::f64(std::move(s), std::move(v));
}

struct Case {
    std::string op;
    std::vector<In> inputs;
    std::map<std::string, AttrValue> attrs = {};
    int outputs = 1;
    std::int64_t opset = 18;
};

Tensor random(const In& in, std::mt19937& rng) {
    std::uniform_real_distribution<double> u(in.lo, in.hi);
    std::vector<double> v(static_cast<std::size_t>(numElements(in.shape)));
    for (auto& e : v) {
        do
            e = u(rng);
        while (std::abs(e) < 0.1);
    }
    return Tensor::f64(in.shape, v);
}

/// Builds op + loss, differentiates, and compares every gradient element with central
/// differences. Returns the number of elements checked.
int check(const Case& c, unsigned seed) {
    std::mt19937 rng(seed);
    Graph g;
    g.opsetImports[""] = c.opset;
    std::vector<std::string> names, wrt;
    std::map<std::string, Tensor> feeds;
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
        const In& in = c.inputs[i];
        const std::string name = "x" + std::to_string(i);
        if (in.omitted) {
            names.push_back("");
        } else if (in.fixed.valid()) {
            g.addInitializer(name, in.fixed);
            names.push_back(name);
        } else {
            g.addInput(name, DType::F64, in.shape);
            feeds[name] = random(in, rng);
            names.push_back(name);
            wrt.push_back(name);
        }
    }
    std::vector<std::string> outs;
    for (int i = 0; i < c.outputs; ++i)
        outs.push_back("y" + std::to_string(i));
    g.addNode(c.op, "op", names, outs, c.attrs);
    inferShapes(g);
    // L = Σ_k Σ R_k ⊙ y_k over the float outputs.
    std::string loss;
    for (int i = 0; i < c.outputs; ++i) {
        const Value& y = g.values[g.findValue(outs[i])];
        if (y.dtype != DType::F64)
            continue;
        In r = x(y.shape);
        g.addInitializer("r" + std::to_string(i), random(r, rng));
        g.addNode("Mul", "w" + std::to_string(i), {outs[i], "r" + std::to_string(i)},
                  {"wy" + std::to_string(i)});
        const std::string s = "s" + std::to_string(i);
        g.addNode("ReduceSum", s, {"wy" + std::to_string(i)}, {s}, {{"keepdims", std::int64_t{0}}});
        if (loss.empty()) {
            loss = s;
        } else {
            g.addNode("Add", "sum" + s, {loss, s}, {"acc" + s});
            loss = "acc" + s;
        }
    }
    g.markOutput(loss);

    const BackwardGraph bg = buildBackward(g, {loss}, wrt);
    EXPECT_EQ(bg.graph.verify(), "");
    const GradientResult r = runBackward(bg, feeds);

    Interpreter fwd(g);
    auto lossAt = [&](const std::map<std::string, Tensor>& in) {
        for (const auto& [n, t] : in)
            fwd.setInput(n, t);
        fwd.reset();
        fwd.run();
        return fwd.value(loss)->at(0);
    };
    const double eps = 1e-6;
    int checked = 0;
    for (const auto& w : wrt) {
        const Tensor& grad = r.gradients.at(w);
        for (std::int64_t j = 0; j < feeds[w].numel(); ++j) {
            auto plus = feeds, minus = feeds;
            plus[w].data<double>()[j] += eps;
            minus[w].data<double>()[j] -= eps;
            const double numeric = (lossAt(plus) - lossAt(minus)) / (2 * eps);
            const double analytic = grad.at(j);
            EXPECT_NEAR(analytic, numeric, 1e-6 * (1 + std::abs(numeric)))
                << c.op << ": d/d" << w << "[" << j << "]";
            ++checked;
        }
    }
    return checked;
}

std::vector<Case> cases() {
    const Tensor k3 = ints({3});
    std::vector<Case> v;
    // Broadcasting binary arithmetic.
    for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
        v.push_back({op, {x({2, 3, 4}), x({3, 1})}});
        v.push_back({op, {x({4}), x({2, 1, 4})}});
    }
    v.push_back({"Pow", {positive({2, 3}), x({3})}});
    v.push_back({"Pow", {positive({3}), fixed(f64s({}, {3.0}))}});
    v.push_back({"PRelu", {x({2, 3, 4}), x({3, 1})}});
    for (const char* op : {"Sum", "Mean", "Max", "Min"}) {
        v.push_back({op, {x({2, 3}), x({3}), x({2, 1})}});
        v.push_back({op, {x({4})}});
    }
    v.push_back({"Where",
                 {fixed(Tensor::of<bool>({2, 3}, {true, false, true, false, false, true})), x({3}),
                  x({2, 1})}});
    // Unary.
    for (const char* op :
         {"Exp", "Sigmoid", "Tanh", "Erf", "Gelu", "LeakyRelu", "Elu", "Selu", "Softplus",
          "Softsign", "Sin", "Cos", "Neg", "Abs", "Relu", "Identity", "Dropout", "Reciprocal"})
        v.push_back({op, {x({2, 5})}});
    for (const char* op : {"Sqrt", "Log"})
        v.push_back({op, {positive({2, 5})}});
    v.push_back({"Tan", {x({2, 5}, -1.2, 1.2)}});
    for (const char* op : {"Asin", "Acos", "Atanh"})
        v.push_back({op, {x({2, 5}, -0.9, 0.9)}});
    for (const char* op : {"Atan", "Sinh", "Cosh", "Asinh"})
        v.push_back({op, {x({2, 5}, -2, 2)}});
    v.push_back({"Acosh", {x({2, 5}, 1.2, 3)}});
    v.push_back({"Celu", {x({2, 5}, -2, 2)}});
    v.push_back({"Celu", {x({2, 5}, -2, 2)}, {{"alpha", 0.5}}});
    v.push_back({"ThresholdedRelu", {x({2, 5}, -3, 3)}});
    v.push_back({"ThresholdedRelu", {x({6})}, {{"alpha", 0.4}}});
    v.push_back({"Shrink", {x({2, 5}, -2, 2)}});
    v.push_back({"Shrink", {x({2, 5}, -2, 2)}, {{"lambd", 0.3}, {"bias", 0.1}}});
    v.push_back({"Gelu", {x({2, 5}, -3, 3)}, {{"approximate", std::string("tanh")}}});
    v.push_back({"LeakyRelu", {x({6})}, {{"alpha", 0.3}}});
    v.push_back({"HardSigmoid", {x({3, 4}, -4, 4)}});
    v.push_back({"HardSwish", {x({3, 4}, -5, 5)}});
    v.push_back({"Clip", {x({3, 4}), fixed(f64s({}, {-0.5})), fixed(f64s({}, {0.6}))}});
    v.push_back({"Clip", {x({3, 4}), omitted(), fixed(f64s({}, {0.3}))}});
    v.push_back({"Cast", {x({2, 3})}, {{"to", std::int64_t{11}}}});
    // Matrix products.
    v.push_back({"MatMul", {x({2, 3, 4}), x({4, 5})}});
    v.push_back({"MatMul", {x({4}), x({4, 5})}});
    v.push_back({"MatMul", {x({2, 1, 3, 4}), x({3, 4, 2})}});
    v.push_back({"MatMul", {x({3, 4}), x({4})}});
    v.push_back({"Gemm", {x({3, 4}), x({4, 5}), x({5})}, {{"alpha", 0.5}, {"beta", 2.0}}});
    v.push_back({"Gemm",
                 {x({4, 3}), x({5, 4}), x({3, 1})},
                 {{"transA", std::int64_t{1}}, {"transB", std::int64_t{1}}}});
    v.push_back({"Gemm", {x({4, 3}), x({4, 5})}, {{"transA", std::int64_t{1}}}});
    v.push_back({"Gemm", {x({3, 4}), x({5, 4})}, {{"transB", std::int64_t{1}}}});
    // Convolutions.
    const std::vector<std::int64_t> one1{1, 1, 1, 1}, two{2, 2};
    v.push_back(
        {"Conv", {x({1, 2, 5, 5}), x({3, 2, 3, 3}), x({3})}, {{"pads", one1}, {"strides", two}}});
    v.push_back({"Conv",
                 {x({2, 4, 5, 4}), x({4, 2, 2, 2})},
                 {{"group", std::int64_t{2}}, {"dilations", two}}});
    v.push_back({"Conv",
                 {x({1, 1, 6, 6}), x({2, 1, 3, 3})},
                 {{"auto_pad", std::string("SAME_UPPER")}, {"strides", two}}});
    v.push_back(
        {"Conv",
         {x({1, 2, 7}), x({2, 2, 3})},
         {{"strides", std::vector<std::int64_t>{2}}, {"pads", std::vector<std::int64_t>{0, 1}}}});
    v.push_back(
        {"ConvTranspose",
         {x({1, 2, 3, 3}), x({2, 3, 3, 3}), x({3})},
         {{"strides", two}, {"pads", one1}, {"output_padding", std::vector<std::int64_t>{1, 0}}}});
    // Pooling.
    const std::vector<std::int64_t> k3x3{3, 3};
    v.push_back(
        {"MaxPool", {x({1, 2, 5, 5})}, {{"kernel_shape", k3x3}, {"strides", two}, {"pads", one1}}});
    v.push_back({"MaxPool", {x({1, 2, 5, 5})}, {{"kernel_shape", k3x3}}, 2});
    v.push_back({"AveragePool",
                 {x({1, 2, 5, 5})},
                 {{"kernel_shape", k3x3}, {"strides", two}, {"pads", one1}}});
    v.push_back({"AveragePool",
                 {x({1, 2, 5, 5})},
                 {{"kernel_shape", k3x3}, {"pads", one1}, {"count_include_pad", std::int64_t{1}}}});
    v.push_back({"GlobalAveragePool", {x({2, 3, 2, 2})}});
    v.push_back({"GlobalMaxPool", {x({2, 3, 2, 2})}});
    // Normalizations and softmax.
    v.push_back({"BatchNormalization", {x({2, 3, 2, 2}), x({3}), x({3}), x({3}), positive({3})}});
    v.push_back({"InstanceNormalization", {x({2, 3, 4}), x({3}), x({3})}});
    v.push_back({"LayerNormalization", {x({2, 3, 4}), x({4}), x({4})}});
    v.push_back({"LayerNormalization", {x({2, 3, 4}), x({3, 4})}, {{"axis", std::int64_t{1}}}});
    v.push_back({"Softmax", {x({2, 3, 4})}, {{"axis", std::int64_t{1}}}});
    v.push_back({"LogSoftmax", {x({2, 3, 4})}});
    v.push_back({"Softmax", {x({2, 3, 4})}, {{"axis", std::int64_t{1}}}, 1, 11});
    v.push_back({"LogSoftmax", {x({2, 3, 4})}, {}, 1, 11});
    // Reductions.
    for (const char* op : {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
                           "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp"}) {
        v.push_back({op, {x({2, 3, 4}), fixed(ints({1}))}, {{"keepdims", std::int64_t{0}}}});
        v.push_back({op, {x({2, 3})}});
    }
    v.push_back({"ReduceSum", {x({2, 3, 4})}, {{"axes", std::vector<std::int64_t>{0, 2}}}, 1, 11});
    v.push_back({"TopK", {x({2, 5}), fixed(k3)}, {}, 2});
    v.push_back({"TopK", {x({4, 3}), fixed(ints({2}))}, {{"axis", std::int64_t{0}}}, 2});
    // Shape ops.
    v.push_back({"Reshape", {x({2, 3, 4}), fixed(ints({4, -1}))}});
    v.push_back({"Flatten", {x({2, 3, 4})}, {{"axis", std::int64_t{2}}}});
    v.push_back({"Squeeze", {x({2, 1, 3}), fixed(ints({1}))}});
    v.push_back({"Unsqueeze", {x({2, 3}), fixed(ints({0, 3}))}});
    v.push_back({"Transpose", {x({2, 3, 4})}, {{"perm", std::vector<std::int64_t>{2, 0, 1}}}});
    v.push_back({"Expand", {x({3, 1}), fixed(ints({2, 3, 4}))}});
    v.push_back({"Concat", {x({2, 1}), x({2, 3}), x({2, 2})}, {{"axis", std::int64_t{1}}}});
    v.push_back({"Split", {x({2, 6}), fixed(ints({2, 4}))}, {{"axis", std::int64_t{1}}}, 2});
    v.push_back({"Split", {x({6, 2})}, {}, 3});
    v.push_back({"Slice",
                 {x({4, 5}), fixed(ints({1, -1})), fixed(ints({4, 0})), fixed(ints({0, 1})),
                  fixed(ints({2, -2}))}});
    v.push_back({"Gather", {x({3, 4}), fixed(ints({2, 0, 2}))}, {{"axis", std::int64_t{1}}}});
    v.push_back({"Tile", {x({2, 3}), fixed(ints({2, 2}))}});
    for (const char* mode : {"constant", "reflect", "edge", "wrap"})
        v.push_back({"Pad", {x({3, 4}), fixed(ints({1, 2, 2, 1}))}, {{"mode", std::string(mode)}}});
    v.push_back({"Pad", {x({3, 4}), fixed(ints({-1, 1, 0, 2}))}});
    return v;
}

/// Ops with no gradient rule, each with the reason.
const std::map<std::string, std::string>& notDifferentiable() {
    static const std::map<std::string, std::string> m = {
        {"Floor", "piecewise constant"},
        {"Ceil", "piecewise constant"},
        {"Round", "piecewise constant"},
        {"Sign", "piecewise constant"},
        {"Not", "bool"},
        {"Equal", "bool output"},
        {"Greater", "bool output"},
        {"Less", "bool output"},
        {"GreaterOrEqual", "bool output"},
        {"LessOrEqual", "bool output"},
        {"ArgMax", "integer output"},
        {"ArgMin", "integer output"},
        {"Shape", "integer output"},
        {"Size", "integer output"},
        {"ConstantOfShape", "no float input"},
        {"Constant", "no input"},
        {"QuantizeLinear", "integer output"},
        {"DequantizeLinear", "integer input"},
        {"Resize", "NOT YET: no gradient rule (needs an aisys:ResizeGrad kernel)"},
        {"And", "bool"},
        {"Or", "bool"},
        {"Xor", "bool"},
        {"IsNaN", "bool output"},
        {"IsInf", "bool output"},
        {"Mod", "NOT YET: no gradient rule (dA = dY; dB = −dY·trunc or floor of A/B)"},
        {"Range",
         "its inputs are scalars that set the length; the output is not a function of them"},
        {"Trilu", "NOT YET: no gradient rule (the gradient is Trilu of dY)"},
        {"CumSum", "NOT YET: no gradient rule (the gradient is a reverse CumSum of dY)"},
        {"LSTM", "NOT YET: no gradient rule (back-propagation through time is not implemented)"},
        {"If", "control flow: gradients through subgraphs are not implemented"},
        {"Loop", "control flow: gradients through subgraphs are not implemented"},
    };
    return m;
}

} // namespace

TEST(GradCheck, EveryDifferentiableOpMatchesCentralDifferences) {
    std::set<std::string> covered;
    int elements = 0;
    unsigned seed = 1;
    for (const Case& c : cases()) {
        try {
            elements += check(c, seed++);
        } catch (const std::exception& e) {
            ADD_FAILURE() << c.op << " (case " << seed - 1 << "): " << e.what();
        }
        covered.insert(c.op);
    }
    EXPECT_GT(elements, 1000);
    std::cout << "gradient check: " << covered.size() << " ops, " << elements
              << " gradient elements:";
    for (const auto& op : covered)
        std::cout << " " << op;
    std::cout << "\n";
}

TEST(GradCheck, EveryOpIsCheckedOrListedAsNotDifferentiable) {
    // A new op must either get a gradient rule and a case above, or a reason here.
    std::set<std::string> covered;
    for (const Case& c : cases())
        covered.insert(c.op);
    const OpRegistry& reg = OpRegistry::builtin();
    for (const auto& type : reg.types()) {
        if (type.rfind("aisys:", 0) == 0)
            continue; // internal backward ops: first order only, checked through their users
        const bool listed = notDifferentiable().count(type) > 0;
        const bool rule = static_cast<bool>(reg.find(type)->gradient);
        EXPECT_TRUE(covered.count(type) || listed)
            << type << " has no gradient check case and no reason to skip one";
        EXPECT_EQ(rule, covered.count(type) > 0)
            << type << (rule ? " has a gradient rule but no check" : " is checked but has no rule");
        EXPECT_FALSE(listed && covered.count(type)) << type << " is both listed and checked";
    }
}

TEST(GradCheck, OpWithoutRuleOnThePathIsNamed) {
    Graph g;
    g.addInput("x", DType::F64, {3});
    g.addNode("Floor", "floor1", {"x"}, {"y"});
    g.addNode("ReduceSum", "sum", {"y"}, {"l"}, {{"keepdims", std::int64_t{0}}});
    g.markOutput("l");
    try {
        buildBackward(g, {"l"}, {"x"});
        FAIL() << "expected an exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("floor1"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("no gradient rule"), std::string::npos);
    }
}
