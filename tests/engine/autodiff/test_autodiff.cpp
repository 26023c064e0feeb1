// Reverse and forward mode on the course's example, fan-out sums, trace tables and the
// backward graph's structure.
#include "engine/autodiff/forward.h"
#include "engine/autodiff/reverse.h"
#include "engine/autodiff/trace_table.h"
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::engine;

namespace {

constexpr double kF = 11.652071455223084;
constexpr double kDx1 = 5.5;
constexpr double kDx2 = 1.7163378145367738;

std::map<std::string, Tensor> at25() {
    return {{"x1", Tensor::f64({}, {2.0})}, {"x2", Tensor::f64({}, {5.0})}};
}

} // namespace

TEST(Autodiff, ReverseModeOnTheCourseExample) {
    const BackwardGraph bg = buildBackward(courseExample(), {"v5"}, {"x1", "x2"});
    EXPECT_EQ(bg.graph.verify(), "");
    const GradientResult r = runBackward(bg, at25());
    EXPECT_NEAR(r.outputs.at("v5").at(0), kF, 1e-12);
    EXPECT_NEAR(r.gradients.at("x1").at(0), kDx1, 1e-12);
    EXPECT_NEAR(r.gradients.at("x2").at(0), kDx2, 1e-12);
    // x1 and x2 fan out to two nodes each: their adjoints are sums made by Add nodes.
    int adds = 0;
    for (std::size_t n = static_cast<std::size_t>(bg.firstBackwardNode); n < bg.graph.nodes.size();
         ++n)
        adds += bg.graph.nodes[n].op == "Add" &&
                bg.graph.nodes[n].name.rfind("x", 0) == 0; // accumulation nodes of x1, x2
    EXPECT_EQ(adds, 2);
    // The forward nodes are untouched and come first.
    EXPECT_EQ(bg.firstBackwardNode, 5);
    // Sin's rule uses Cos, Log's divides: the backward graph is ordinary ops.
    bool hasCos = false;
    for (const auto& n : bg.graph.nodes)
        hasCos |= n.op == "Cos";
    EXPECT_TRUE(hasCos);
}

TEST(Autodiff, ForwardModeOnTheCourseExample) {
    const Graph g = courseExample();
    auto seed = [](double t1, double t2) {
        return std::map<std::string, Tensor>{{"x1", Tensor::f64({}, {t1})},
                                             {"x2", Tensor::f64({}, {t2})}};
    };
    const auto d1 = evaluateDual(g, at25(), seed(1, 0));
    const auto d2 = evaluateDual(g, at25(), seed(0, 1));
    EXPECT_NEAR(d1.at("v5").data[0].value, kF, 1e-12);
    EXPECT_NEAR(d1.at("v5").data[0].tangent, kDx1, 1e-12);
    EXPECT_NEAR(d2.at("v5").data[0].tangent, kDx2, 1e-12);
}

TEST(Autodiff, TraceTablesListEveryIntermediate) {
    const Graph g = courseExample();
    const auto fwd =
        forwardTrace(g, at25(), {{"x1", Tensor::f64({}, {1.0})}, {"x2", Tensor::f64({}, {0.0})}});
    ASSERT_EQ(fwd.size(), 7u); // x1 x2 v1..v5
    EXPECT_EQ(fwd[0].name, "x1");
    EXPECT_EQ(fwd[0].op, "input");
    EXPECT_EQ(fwd[2].name, "v1");
    EXPECT_EQ(fwd[2].op, "Log");
    EXPECT_NEAR(fwd[2].value.at(0), std::log(2.0), 1e-15);
    EXPECT_NEAR(fwd[2].derivative.at(0), 0.5, 1e-15); // v̇1 = ẋ1 / x1
    EXPECT_NEAR(fwd[3].derivative.at(0), 5.0, 1e-15); // v̇2 = ẋ1·x2 + x1·ẋ2
    EXPECT_NEAR(fwd.back().derivative.at(0), kDx1, 1e-12);

    const auto rev = reverseTrace(g, at25(), "v5");
    ASSERT_EQ(rev.size(), 7u);
    EXPECT_EQ(rev[0].name, "v5");
    EXPECT_NEAR(rev[0].derivative.at(0), 1.0, 0); // v̄5 = 1 (the seed)
    std::map<std::string, double> adj;
    for (const auto& r : rev)
        adj[r.name] = r.derivative.at(0);
    EXPECT_NEAR(adj["v3"], -1.0, 1e-15);
    EXPECT_NEAR(adj["v1"], 1.0, 1e-15);
    EXPECT_NEAR(adj["x1"], kDx1, 1e-12);
    EXPECT_NEAR(adj["x2"], kDx2, 1e-12);
}

TEST(Autodiff, FanOutOfOneValueIsSummed) {
    // y = x·x + x → dy/dx = 2x + 1 (x is read three times).
    Graph g;
    g.addInput("x", DType::F64, {3});
    g.addNode("Mul", "sq", {"x", "x"}, {"x2"});
    g.addNode("Add", "add", {"x2", "x"}, {"y"});
    g.addNode("ReduceSum", "sum", {"y"}, {"l"}, {{"keepdims", std::int64_t{0}}});
    g.markOutput("l");
    const BackwardGraph bg = buildBackward(g, {"l"}, {"x"});
    const auto r = runBackward(bg, {{"x", Tensor::f64({3}, {1, -2, 0.5})}});
    EXPECT_TRUE(r.gradients.at("x").allClose(Tensor::f64({3}, {3, -3, 2}), 1e-15));
}

TEST(Autodiff, VectorOutputTakesASeedInputAndUnreachedWrtGetsZeros) {
    Graph g;
    g.addInput("x", DType::F64, {2});
    g.addInput("z", DType::F64, {2});
    g.addNode("Exp", "e", {"x"}, {"y"});
    g.markOutput("y");
    const BackwardGraph bg = buildBackward(g, {"y"}, {"x", "z"});
    ASSERT_EQ(bg.seeds.at("y"), "grad/y");
    const auto r = runBackward(bg, {{"x", Tensor::f64({2}, {0, 1})},
                                    {"z", Tensor::f64({2}, {0, 0})},
                                    {"grad/y", Tensor::f64({2}, {2, 3})}});
    EXPECT_TRUE(r.gradients.at("x").allClose(Tensor::f64({2}, {2, 3 * std::exp(1.0)}), 1e-12));
    EXPECT_TRUE(r.gradients.at("z").allClose(Tensor::f64({2}, {0, 0}), 0));
}

TEST(Autodiff, ErrorsNameTheValue) {
    const Graph g = courseExample();
    EXPECT_THROW(buildBackward(g, {"nope"}, {"x1"}), std::invalid_argument);
    try {
        buildBackward(g, {"v5"}, {"missing"});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
    }
}

TEST(Autodiff, ForwardModeMatchesReverseModeOnAVectorGraph) {
    // JVP along v equals the dot product of the reverse-mode gradient with v.
    Graph g;
    g.addInput("x", DType::F64, {2, 3});
    g.addInitializer("w", Tensor::f64({3, 2}, {0.1, -0.2, 0.3, 0.4, -0.5, 0.6}));
    g.addNode("MatMul", "mm", {"x", "w"}, {"h"});
    g.addNode("Tanh", "t", {"h"}, {"a"});
    g.addNode("ReduceMean", "m", {"a"}, {"l"}, {{"keepdims", std::int64_t{0}}});
    g.markOutput("l");
    const Tensor x = Tensor::f64({2, 3}, {1, 2, 3, -1, 0.5, 0.25});
    const Tensor v = Tensor::f64({2, 3}, {0.3, -1, 2, 0.1, 0.2, -0.4});
    const auto dual = evaluateDual(g, {{"x", x}}, {{"x", v}});
    const auto r = runBackward(buildBackward(g, {"l"}, {"x"}), {{"x", x}});
    double dot = 0;
    for (int i = 0; i < 6; ++i)
        dot += r.gradients.at("x").at(i) * v.at(i);
    EXPECT_NEAR(dual.at("l").data[0].tangent, dot, 1e-14);
}

TEST(Autodiff, ForwardModeRunsEveryOpWithAPartialDerivativePerOperand) {
    // Every op whose element-wise formula has a partial derivative for each operand runs in
    // forward mode (dualSupports); its tangent matches central differences of its value.
    const OpRegistry& reg = OpRegistry::builtin();
    int checked = 0;
    for (const std::string& op : reg.types()) {
        const ElementwiseFormula& f = reg.find(op)->elementwise;
        EXPECT_EQ(dualSupports(op),
                  f.differentiable() || op == "ReduceSum" || op == "ReduceMean" || op == "MatMul")
            << op;
        if (!f.differentiable())
            continue;
        // Points inside every op's domain: (0.2, 0.8), shifted above 1 for Acosh and off
        // Shrink's kink at lambd = 0.5.
        const double shift = op == "Acosh" ? 1 : op == "Shrink" ? 0.05 : 0;
        Graph g;
        std::vector<std::string> ins;
        std::map<std::string, Tensor> values, tangents;
        for (int k = 0; k < f.operands; ++k) {
            const std::string name = "x" + std::to_string(k);
            g.addInput(name, DType::F64, {3});
            ins.push_back(name);
            values[name] = Tensor::f64({3}, {0.25 + shift + 0.1 * k, 0.5 + shift, 0.7 + shift});
            tangents[name] = Tensor::f64({3}, {1.0, -0.5 + k, 0.25});
        }
        g.addNode(op, "op", ins, {"y"});
        g.markOutput("y");
        const DualTensor y = evaluateDual(g, values, tangents).at("y");
        Interpreter ip(g);
        auto valueAt = [&](double eps) {
            for (const auto& [name, v] : values) {
                Tensor moved = v;
                for (std::int64_t i = 0; i < 3; ++i)
                    moved.data<double>()[i] += eps * tangents.at(name).at(i);
                ip.setInput(name, moved);
            }
            ip.reset();
            ip.run();
            return *ip.value("y");
        };
        const double eps = 1e-6;
        const Tensor plus = valueAt(eps), minus = valueAt(-eps), at = valueAt(0);
        for (std::int64_t i = 0; i < 3; ++i) {
            const double numeric = (plus.at(i) - minus.at(i)) / (2 * eps);
            EXPECT_NEAR(y.data[i].value, at.at(i), 1e-15 * (1 + std::abs(at.at(i)))) << op;
            EXPECT_NEAR(y.data[i].tangent, numeric, 1e-6 * (1 + std::abs(numeric))) << op;
        }
        ++checked;
    }
    EXPECT_GE(checked, 35);
}
