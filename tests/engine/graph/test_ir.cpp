// Graph IR, verifier, shape inference and the interpreter's trace against naive references.
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <random>

using namespace aisys::engine;

namespace {

Graph denseLayer(std::int64_t m, std::int64_t n, const std::string& act = "Relu") {
    Graph g;
    g.addInput("x", DType::F32, {n});
    std::vector<float> w(m * n), b(m);
    for (std::int64_t i = 0; i < m * n; ++i)
        w[i] = static_cast<float>((i * 7 % 11) - 5) / 4.0f;
    for (std::int64_t i = 0; i < m; ++i)
        b[i] = static_cast<float>(i % 3) - 1.0f;
    g.addInitializer("W", Tensor::f32({m, n}, w));
    g.addInitializer("b", Tensor::f32({m}, b));
    g.addNode("MatMul", "mm", {"W", "x"}, {"Wx"});
    g.addNode("Add", "add", {"Wx", "b"}, {"z"});
    g.addNode(act, "act", {"z"}, {"y"});
    g.markOutput("y");
    return g;
}

} // namespace

TEST(Graph, TopologicalOrderIsDeterministicAndRespectsEdges) {
    Graph g;
    g.addInput("a", DType::F32, {2});
    g.addNode("Relu", "r2", {"a"}, {"b"});
    g.addNode("Neg", "n1", {"a"}, {"c"});
    g.addNode("Add", "sum", {"b", "c"}, {"d"});
    auto order = g.topoOrder();
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(order[0], 0);
    EXPECT_EQ(order[1], 1);
    EXPECT_EQ(order[2], 2);
    EXPECT_EQ(g.verify(), "");
}

TEST(Graph, VerifierNamesTheNodeOnACycle) {
    Graph g;
    g.addInput("a", DType::F32, {2});
    g.addNode("Relu", "first", {"a"}, {"b"});
    g.addNode("Relu", "second", {"b"}, {"c"});
    // Rewire "first" to read "c": a cycle first → second → first.
    g.nodes[0].inputs = {g.findValue("c")};
    g.values[g.findValue("a")].consumers.clear();
    g.values[g.findValue("c")].consumers.push_back(0);
    std::string err = g.verify();
    EXPECT_NE(err.find("cycle"), std::string::npos) << err;
    EXPECT_NE(err.find("first"), std::string::npos) << err;
}

TEST(Graph, UnknownInputNameIsReported) {
    Graph g;
    g.addInput("a", DType::F32, {2});
    try {
        g.addNode("Relu", "r", {"nope"}, {"b"});
        FAIL() << "expected an exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    }
}

TEST(ShapeInference, MatMulAndBroadcast) {
    Graph g = denseLayer(3, 4);
    inferShapes(g);
    EXPECT_EQ(g.values[g.findValue("Wx")].shape, (Shape{3}));
    EXPECT_EQ(g.values[g.findValue("y")].shape, (Shape{3}));
    EXPECT_EQ(broadcastShapes({2, 1, 4}, {3, 1}), (Shape{2, 3, 4}));
    EXPECT_THROW(broadcastShapes({2, 3}, {4}), std::invalid_argument);
}

TEST(ShapeInference, MismatchedMatMulNamesNodeAndShapes) {
    Graph g;
    g.addInput("a", DType::F32, {2, 3});
    g.addInput("b", DType::F32, {4, 5});
    g.addNode("MatMul", "bad_mm", {"a", "b"}, {"c"});
    try {
        inferShapes(g);
        FAIL() << "expected an exception";
    } catch (const std::invalid_argument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("bad_mm"), std::string::npos) << m;
        EXPECT_NE(m.find("[2, 3]"), std::string::npos) << m;
    }
}

TEST(Interpreter, DenseLayerMatchesNaiveReference) {
    for (std::string act : {"Relu", "Sigmoid", "Tanh"}) {
        const std::int64_t m = 5, n = 7;
        Graph g = denseLayer(m, n, act);
        std::vector<float> x(n);
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> d(-1, 1);
        for (auto& v : x)
            v = d(rng);
        const Tensor W = g.initializers.at(g.findValue("W"));
        const Tensor b = g.initializers.at(g.findValue("b"));
        Interpreter ip(g);
        ip.setInput("x", Tensor::f32({n}, x));
        ip.run();
        const Tensor* y = ip.value("y");
        ASSERT_NE(y, nullptr);
        for (std::int64_t i = 0; i < m; ++i) {
            double z = b.at(i);
            for (std::int64_t k = 0; k < n; ++k)
                z += W.at(i * n + k) * x[k];
            double ref = act == "Relu"      ? std::max(0.0, z)
                         : act == "Sigmoid" ? 1 / (1 + std::exp(-z))
                                            : std::tanh(z);
            EXPECT_NEAR(y->at(i), ref, 1e-5) << act << " element " << i;
        }
    }
}

TEST(Interpreter, StepwiseTraceRecordsCostAndLiveMemory) {
    Graph g = denseLayer(3, 4);
    Interpreter ip(g);
    ip.setInput("x", Tensor::f32({4}, {1, 2, 3, 4}));
    EXPECT_EQ(ip.executed(), 0);
    EXPECT_EQ(ip.value("Wx"), nullptr);
    ASSERT_TRUE(ip.step());
    EXPECT_EQ(ip.executed(), 1);
    EXPECT_NE(ip.value("Wx"), nullptr);
    EXPECT_EQ(ip.value("z"), nullptr);
    ip.run();
    EXPECT_FALSE(ip.step());
    const Trace& t = ip.trace();
    ASSERT_EQ(t.records.size(), 3u);
    EXPECT_DOUBLE_EQ(t.records[0].flops, 2.0 * 3 * 4); // MatMul
    EXPECT_DOUBLE_EQ(t.records[1].flops, 3.0);         // Add
    EXPECT_EQ(t.records[0].bytesRead, (12u + 4u) * 4u);
    EXPECT_EQ(t.records[0].bytesWritten, 3u * 4u);
    // Live activations (x, Wx, z, y with nothing freed): 16 + 12 + 12 + 12 bytes.
    EXPECT_EQ(t.records[2].liveBytes, 52u);
    EXPECT_EQ(t.peakLiveBytes, 52u);
}

TEST(Interpreter, FreeingDeadValuesLowersPeakMemory) {
    Graph g = denseLayer(3, 4);
    Interpreter ip(g);
    ip.setFreeDeadValues(true);
    ip.setInput("x", Tensor::f32({4}, {1, 2, 3, 4}));
    ip.run();
    EXPECT_LT(ip.trace().peakLiveBytes, 52u);
    EXPECT_NE(ip.value("y"), nullptr); // outputs survive
    EXPECT_EQ(ip.value("Wx"), nullptr);
}

TEST(Interpreter, WrongInputShapeIsAClearError) {
    Interpreter ip(denseLayer(3, 4));
    try {
        ip.setInput("x", Tensor::f32({3}, {1, 2, 3}));
        FAIL() << "expected an exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("expected f32 [4]"), std::string::npos) << e.what();
    }
}

TEST(Interpreter, BroadcastAddMatchesReference) {
    Graph g;
    g.addInput("a", DType::F32, {2, 3});
    g.addInput("b", DType::F32, {3});
    g.addNode("Add", "add", {"a", "b"}, {"c"});
    g.markOutput("c");
    Interpreter ip(g);
    ip.setInput("a", Tensor::f32({2, 3}, {1, 2, 3, 4, 5, 6}));
    ip.setInput("b", Tensor::f32({3}, {10, 20, 30}));
    ip.run();
    const Tensor* c = ip.value("c");
    std::vector<double> expect = {11, 22, 33, 14, 25, 36};
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(c->at(i), expect[i]);
}

TEST(OpCall, BuiltFromTheGraphOrFromRunTimeTensors) {
    Graph g;
    g.opsetImports[""] = 13;
    g.addInput("x", DType::F32, {2, 3});
    g.addInitializer("lo", Tensor::f32({}, {0.0f}));
    g.addNode("Clip", "clip", {"x", "", "lo"}, {"y"});
    const Node& n = g.nodes[0];
    // Before running: types from the graph, values where `known` has them.
    const OpCall before = opCall(g, n, [&](int v) -> const Tensor* {
        auto it = g.initializers.find(v);
        return it == g.initializers.end() ? nullptr : &it->second;
    });
    ASSERT_EQ(before.inputCount(), 3u);
    EXPECT_EQ(before.in[0].shape, (Shape{2, 3}));
    EXPECT_FALSE(before.has(1));
    EXPECT_EQ(before.constant(0), nullptr);
    EXPECT_EQ(before.constant(2), &g.initializers.at(g.findValue("lo")));
    EXPECT_EQ(before.opset, 13);
    // At run time: types and values from the tensors.
    const Tensor x(DType::F64, {4});
    const OpCall run = opCall(n, {&x, nullptr, &x}, 11);
    EXPECT_EQ(run.in[0].dtype, DType::F64);
    EXPECT_EQ(run.in[1].shape, Shape{});
    EXPECT_EQ(run.constant(2), &x);
    EXPECT_EQ(run.opset, 11);
}
