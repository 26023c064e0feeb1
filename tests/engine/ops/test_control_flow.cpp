// If and Loop (subgraph attributes, outer-scope references, loop-carried values, scans), their
// ONNX round trip, and the variadic Max Min Sum Mean against naive references.
#include "engine/graph/interpreter.h"
#include "engine/onnx/onnx_import.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::engine;

namespace {

/// y = If(c) then (x * w) else (x - w), both branches reading x and w from the outer graph.
Graph ifGraph() {
    Graph g;
    g.addInput("c", DType::Bool, {});
    g.addInput("x", DType::F32, {3});
    g.addInitializer("w", Tensor::f32({3}, {1, 2, 3}));
    Graph thenG;
    thenG.name = "then";
    thenG.addOuterRef("x");
    thenG.addOuterRef("w");
    thenG.addNode("Mul", "mul", {"x", "w"}, {"t"});
    thenG.markOutput("t");
    Graph elseG;
    elseG.name = "else";
    elseG.addOuterRef("w");
    elseG.addOuterRef("x");
    elseG.addNode("Sub", "sub", {"x", "w"}, {"e"});
    elseG.markOutput("e");
    g.addNode(
        "If", "if", {"c"}, {"y"},
        {{"then_branch", Subgraph(std::move(thenG))}, {"else_branch", Subgraph(std::move(elseG))}});
    g.addNode("Relu", "relu", {"y"}, {"z"});
    g.markOutput("z");
    return g;
}

/// Loop summing `step` (an outer value) M times while sum < limit; scan output: each sum.
Graph loopGraph(bool withCond) {
    Graph g;
    g.addInput("M", DType::I64, {});
    if (withCond)
        g.addInput("cond", DType::Bool, {});
    g.addInput("s0", DType::F32, {2});
    g.addInitializer("step", Tensor::f32({2}, {1, 10}));
    g.addInitializer("limit", Tensor::f32({}, {35}));
    Graph body;
    body.name = "body";
    body.addInput("i", DType::I64, {});
    body.addInput("c_in", DType::Bool, {});
    body.addInput("s_in", DType::F32, {2});
    body.addOuterRef("step");
    body.addOuterRef("limit");
    body.addNode("Add", "add", {"s_in", "step"}, {"s_out"});
    body.addNode("ReduceMax", "max", {"s_out"}, {"m"}, {{"keepdims", std::int64_t{0}}});
    body.addNode("Less", "less", {"m", "limit"}, {"c_out"});
    body.addNode("Cast", "iter_f", {"i"}, {"i_f"}, {{"to", std::int64_t{1}}});
    body.markOutput("c_out");
    body.markOutput("s_out");
    body.markOutput("i_f");
    g.addNode("Loop", "loop", {"M", withCond ? "cond" : "", "s0"}, {"s_final", "iters"},
              {{"body", Subgraph(std::move(body))}});
    g.markOutput("s_final");
    g.markOutput("iters");
    return g;
}

Tensor runLoop(bool withCond, std::int64_t m, const char* output) {
    Interpreter ip(loopGraph(withCond));
    ip.setInput("M", Tensor::i64({}, {m}));
    if (withCond)
        ip.setInput("cond", Tensor::of<bool>({}, {true}));
    ip.setInput("s0", Tensor::f32({2}, {0, 0}));
    ip.run();
    return *ip.value(output);
}

} // namespace

TEST(ControlFlow, IfRunsTheBranchTheConditionPicks) {
    Graph g = ifGraph();
    ASSERT_EQ(g.verify(), "");
    // The outer values the branches read are implicit inputs of the If node.
    const Node& node = g.nodes[0];
    EXPECT_EQ(node.implicitInputs, 2);
    EXPECT_EQ(node.inputs.size(), 3u);
    for (bool cond : {true, false}) {
        Interpreter ip(g);
        ip.setInput("c", Tensor::of<bool>({}, {cond}));
        ip.setInput("x", Tensor::f32({3}, {4, -5, 6}));
        ip.run();
        const Tensor want = cond ? Tensor::f32({3}, {4, 0, 18}) : Tensor::f32({3}, {3, 0, 3});
        EXPECT_EQ(*ip.value("z"), want) << "cond " << cond;
    }
    // Static inference: both branches give f32 [3].
    EXPECT_EQ(Interpreter(g).graph().values[g.findValue("y")].shape, (Shape{3}));
}

TEST(ControlFlow, IfBranchesWithDifferentShapesInferUnknownDims) {
    Graph g;
    g.addInput("c", DType::Bool, {});
    Graph a;
    a.addInitializer("ka", Tensor::f32({2}, {1, 2}));
    a.addNode("Identity", "ia", {"ka"}, {"oa"});
    a.markOutput("oa");
    Graph b;
    b.addInitializer("kb", Tensor::f32({3}, {1, 2, 3}));
    b.addNode("Identity", "ib", {"kb"}, {"ob"});
    b.markOutput("ob");
    g.addNode("If", "if", {"c"}, {"y"},
              {{"then_branch", Subgraph(std::move(a))}, {"else_branch", Subgraph(std::move(b))}});
    g.markOutput("y");
    inferShapes(g);
    EXPECT_EQ(g.values[g.findValue("y")].shape, (Shape{-1}));
    Interpreter ip(g);
    ip.setInput("c", Tensor::of<bool>({}, {false}));
    ip.run();
    EXPECT_EQ(*ip.value("y"), Tensor::f32({3}, {1, 2, 3}));
}

TEST(ControlFlow, LoopCarriesValuesAndStacksScans) {
    // Without a cond input the body's condition is ignored: exactly M iterations.
    EXPECT_EQ(runLoop(false, 5, "s_final"), Tensor::f32({2}, {5, 50}));
    EXPECT_EQ(runLoop(false, 3, "iters"), Tensor::f32({3}, {0, 1, 2}));
    // With a cond input the loop stops once the sum reaches 35: sums 10, 20, 30, 40.
    EXPECT_EQ(runLoop(true, 100, "s_final"), Tensor::f32({2}, {4, 40}));
    EXPECT_EQ(runLoop(true, 100, "iters"), Tensor::f32({4}, {0, 1, 2, 3}));
    // Zero iterations: the initial values, an empty scan with the body's element shape.
    EXPECT_EQ(runLoop(false, 0, "s_final"), Tensor::f32({2}, {0, 0}));
    EXPECT_EQ(runLoop(false, 0, "iters").shape(), (Shape{0}));
}

TEST(ControlFlow, LoopShapeInferenceUsesAKnownTripCount) {
    Graph g = loopGraph(false);
    g.addInitializer("M3", Tensor::i64({}, {3}));
    g.nodes[0].inputs[0] = g.findValue("M3");
    g.values[g.findValue("M3")].consumers.push_back(0);
    g.values[g.findValue("M")].consumers.clear();
    inferShapes(g);
    EXPECT_EQ(g.values[g.findValue("s_final")].shape, (Shape{2}));
    EXPECT_EQ(g.values[g.findValue("iters")].shape, (Shape{3}));
    // With a data-dependent condition the scan length is unknown.
    Graph h = loopGraph(true);
    inferShapes(h);
    EXPECT_EQ(h.values[h.findValue("iters")].shape, (Shape{-1}));
}

TEST(ControlFlow, LoopCarriedValueThatGrowsInfersUnknownDims) {
    // acc ← Concat(acc, [i]) three times: [0] → [0, 0, 1, 2].
    Graph g;
    g.addInitializer("M", Tensor::i64({}, {3}));
    g.addInitializer("acc0", Tensor::i64({1}, {0}));
    Graph body;
    body.addInput("i", DType::I64, {});
    body.addInput("c", DType::Bool, {});
    body.addInput("acc", DType::I64, {1});
    body.addNode("Unsqueeze", "u", {"i"}, {"iv"}, {{"axes", std::vector<std::int64_t>{0}}});
    body.addNode("Concat", "cat", {"acc", "iv"}, {"acc_out"}, {{"axis", std::int64_t{0}}});
    body.addNode("Identity", "keep", {"c"}, {"c_out"});
    body.markOutput("c_out");
    body.markOutput("acc_out");
    g.addNode("Loop", "loop", {"M", "", "acc0"}, {"acc_final"},
              {{"body", Subgraph(std::move(body))}});
    g.markOutput("acc_final");
    Interpreter ip(g);
    EXPECT_EQ(ip.graph().values[ip.graph().findValue("acc_final")].shape, (Shape{-1}));
    ip.run();
    EXPECT_EQ(*ip.value("acc_final"), Tensor::i64({4}, {0, 0, 1, 2}));
}

TEST(ControlFlow, NestedSubgraphsReadTheOutermostScope) {
    // Loop body holds an If whose then-branch reads `bias` from the top-level graph: the body
    // gets an outer reference to it, and the Loop node an implicit input.
    Graph g;
    g.addInput("M", DType::I64, {});
    g.addInput("x0", DType::F32, {1});
    g.addInitializer("bias", Tensor::f32({1}, {100}));
    g.addInitializer("one", Tensor::f32({1}, {1}));
    Graph thenG;
    thenG.addOuterRef("x");
    thenG.addOuterRef("bias");
    thenG.addNode("Add", "addb", {"x", "bias"}, {"xb"});
    thenG.markOutput("xb");
    Graph elseG;
    elseG.addOuterRef("x");
    elseG.addOuterRef("one");
    elseG.addNode("Add", "add1", {"x", "one"}, {"x1"});
    elseG.markOutput("x1");
    Graph body;
    body.addInput("i", DType::I64, {});
    body.addInput("c", DType::Bool, {});
    body.addInput("x", DType::F32, {1});
    body.addOuterRef("bias");
    body.addOuterRef("one");
    body.addInitializer("two", Tensor::i64({}, {2}));
    body.addNode("Equal", "is2", {"i", "two"}, {"at2"});
    body.addNode(
        "If", "if", {"at2"}, {"x_next"},
        {{"then_branch", Subgraph(std::move(thenG))}, {"else_branch", Subgraph(std::move(elseG))}});
    body.addNode("Identity", "keep", {"c"}, {"c_out"});
    body.markOutput("c_out");
    body.markOutput("x_next");
    g.addNode("Loop", "loop", {"M", "", "x0"}, {"x_final"}, {{"body", Subgraph(std::move(body))}});
    g.markOutput("x_final");
    ASSERT_EQ(g.verify(), "");
    EXPECT_EQ(g.nodes[0].implicitInputs, 2);
    Interpreter ip(g);
    ip.setInput("M", Tensor::i64({}, {4}));
    ip.setInput("x0", Tensor::f32({1}, {0}));
    ip.run();
    EXPECT_EQ(*ip.value("x_final"), Tensor::f32({1}, {103})); // +1 +1 +100 +1
    // The ONNX round trip keeps everything (subgraphs, outer references, implicit inputs).
    // (import → export → import, as for any model: the first import infers the output types.)
    const std::string e1 = exportOnnxBytes(importOnnxBytes(exportOnnxBytes(g), ""));
    Graph g1 = importOnnxBytes(e1, "");
    const std::string e2 = exportOnnxBytes(g1);
    Graph g2 = importOnnxBytes(e2, "");
    EXPECT_EQ(e1, e2);
    EXPECT_TRUE(g1 == g2);
    EXPECT_EQ(g1.nodes[0].implicitInputs, 2);
    Interpreter ip2(g2);
    ip2.setInput("M", Tensor::i64({}, {4}));
    ip2.setInput("x0", Tensor::f32({1}, {0}));
    ip2.run();
    EXPECT_EQ(*ip2.value("x_final"), Tensor::f32({1}, {103}));
}

TEST(ControlFlow, RoundTripOfIfIsIdentical) {
    const std::string e1 = exportOnnxBytes(importOnnxBytes(exportOnnxBytes(ifGraph()), ""));
    Graph g1 = importOnnxBytes(e1, "");
    const std::string e2 = exportOnnxBytes(g1);
    EXPECT_EQ(e1, e2);
    EXPECT_TRUE(g1 == importOnnxBytes(e2, ""));
    const auto& then = std::get<Subgraph>(g1.nodes[0].attrs.at("then_branch")).graph();
    ASSERT_EQ(then.outerRefs.size(), 2u); // declared in name order: w, x
    EXPECT_EQ(then.values[then.outerRefs[0]].name, "w");
}

TEST(ControlFlow, OuterReferenceToAnUnknownValueIsAnError) {
    Graph g;
    g.addInput("c", DType::Bool, {});
    Graph a;
    a.addOuterRef("missing");
    a.addNode("Identity", "i", {"missing"}, {"o"});
    a.markOutput("o");
    Graph b = a;
    EXPECT_THROW(g.addNode("If", "if", {"c"}, {"y"},
                           {{"then_branch", Subgraph(a)}, {"else_branch", Subgraph(b)}}),
                 std::invalid_argument);
}

TEST(ControlFlow, LoopWithoutTripCountOrConditionIsRefused) {
    Graph g = loopGraph(false);
    g.values[g.findValue("M")].consumers.clear();
    g.nodes[0].inputs[0] = -1;
    Interpreter ip(g);
    ip.setInput("M", Tensor::i64({}, {1}));
    ip.setInput("s0", Tensor::f32({2}, {0, 0}));
    EXPECT_THROW(ip.run(), std::invalid_argument);
}

TEST(VariadicOps, MatchNaiveReferenceWithBroadcasting) {
    const Tensor a = Tensor::f32({2, 3}, {1, -2, 3, 4, 5, -6});
    const Tensor b = Tensor::f32({3}, {0, 0, 10});
    const Tensor c = Tensor::f32({2, 1}, {2, -1});
    for (const char* op : {"Max", "Min", "Sum", "Mean"}) {
        Graph g;
        g.addInput("a", DType::F32, {2, 3});
        g.addInput("b", DType::F32, {3});
        g.addInput("c", DType::F32, {2, 1});
        g.addNode(op, "v", {"a", "b", "c"}, {"y"});
        g.markOutput("y");
        Interpreter ip(g);
        ip.setInput("a", a);
        ip.setInput("b", b);
        ip.setInput("c", c);
        ip.run();
        const Tensor& y = *ip.value("y");
        ASSERT_EQ(y.shape(), (Shape{2, 3}));
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j) {
                const double x[3] = {a.at(i * 3 + j), b.at(j), c.at(i)};
                double want = x[0];
                for (int k = 1; k < 3; ++k)
                    want = std::string(op) == "Max"   ? std::max(want, x[k])
                           : std::string(op) == "Min" ? std::min(want, x[k])
                                                      : want + x[k];
                if (std::string(op) == "Mean")
                    want /= 3;
                EXPECT_NEAR(y.at(i * 3 + j), want, 1e-6) << op << " " << i << "," << j;
            }
    }
    // One input is a copy; integer Max works; Sum of integers is refused (float only).
    Graph g;
    g.addInput("i", DType::I32, {2});
    g.addInput("j", DType::I32, {2});
    g.addNode("Max", "m", {"i", "j"}, {"y"});
    g.markOutput("y");
    Interpreter ip(g);
    ip.setInput("i", Tensor::of<std::int32_t>({2}, {3, -7}));
    ip.setInput("j", Tensor::of<std::int32_t>({2}, {-1, 9}));
    ip.run();
    EXPECT_EQ(*ip.value("y"), Tensor::of<std::int32_t>({2}, {3, 9}));
    Graph h;
    h.addInput("i", DType::I32, {2});
    h.addNode("Sum", "s", {"i"}, {"y"});
    EXPECT_THROW(inferShapes(h), std::invalid_argument);
}
