// Unit tests of the front-end passes on small hand-built graphs: each rule fires where it
// should, keeps the outputs, and leaves alone what it must not touch.
#include "tests/engine/compiler/compiler_util.h"

#include "engine/compiler/graph_edit.h"
#include "engine/compiler/graph_print.h"
#include "engine/ops/fused_ops.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::engine;
using namespace aisys::engine::compiler;
using namespace aisys::engine::compiler::testing;

namespace {

Tensor ramp(const Shape& s, float scale = 0.1f, float offset = 0.0f) {
    std::vector<float> v(static_cast<std::size_t>(numElements(s)));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = offset + scale * static_cast<float>(static_cast<int>(i % 7) - 3);
    return Tensor::f32(s, v);
}

/// Runs the pass, checks structure and outputs against the unoptimized graph; returns result.
PassResult checked(Graph& g, const std::string& pass, double tol = 1e-5) {
    inferShapes(g);
    const Graph before = g;
    const auto inputs = randomInputs(g, 7);
    const auto ref = runGraph(before, inputs);
    PassResult r = runPass(g, pass);
    EXPECT_EQ(fullVerify(g), "") << pass;
    EXPECT_LE(maxRelError(ref, runGraph(g, inputs)), tol) << pass;
    return r;
}

} // namespace

TEST(GraphEdit, ReplaceAllUsesKeepsOutputNamesAndCompactRenumbers) {
    Graph g;
    g.addInput("x", DType::F32, {4});
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Identity", "id", {"a"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    GraphEditor e(g);
    e.replaceAllUses(g.findValue("y"), g.findValue("a"));
    e.removeNode(1);
    e.compact();
    EXPECT_EQ(fullVerify(g), "");
    ASSERT_EQ(g.nodes.size(), 1u);
    EXPECT_EQ(g.values[g.outputs[0]].name, "y"); // the output kept its name
    EXPECT_EQ(g.values[g.nodes[0].outputs[0]].name, "y");
}

TEST(GraphEdit, OutputThatBecomesAnInputIsCopiedUnderItsName) {
    Graph g;
    g.addInput("x", DType::F32, {4});
    g.addNode("Identity", "id", {"x"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    GraphEditor e(g);
    e.replaceAllUses(g.findValue("y"), g.findValue("x"));
    e.removeNode(0);
    e.compact();
    EXPECT_EQ(fullVerify(g), "");
    ASSERT_EQ(g.nodes.size(), 1u);
    EXPECT_EQ(g.nodes[0].op, "Identity");
    EXPECT_EQ(g.values[g.outputs[0]].name, "y");
}

TEST(GraphEdit, UniqueNamesAreDeterministic) {
    Graph g;
    g.addInput("t", DType::F32, {1});
    GraphEditor e(g);
    EXPECT_EQ(e.uniqueValueName("t"), "t_1");
    EXPECT_EQ(e.uniqueValueName("t"), "t_2");
    EXPECT_EQ(e.uniqueValueName("u"), "u");
}

TEST(GraphEdit, CompactRefusesAReadOfARemovedNode) {
    Graph g;
    g.addInput("x", DType::F32, {2});
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Neg", "n", {"a"}, {"y"});
    g.markOutput("y");
    GraphEditor e(g);
    e.removeNode(0);
    EXPECT_THROW(e.compact(), std::logic_error);
}

TEST(ConstantFolding, FoldsConstantsAndStaticShapesTransitively) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 4});
    g.addNode("Constant", "c", {}, {"k"}, {{"value", Tensor::f32({4}, {1, 2, 3, 4})}});
    g.addNode("Mul", "k2", {"k", "k"}, {"kk"});
    g.addNode("Add", "use", {"x", "kk"}, {"y"});
    // Shape(x) → Gather dims 0 → Concat with -1 → Reshape: all static.
    g.addNode("Shape", "sh", {"x"}, {"s"});
    g.addInitializer("idx", Tensor::i64({1}, {0}));
    g.addInitializer("minus1", Tensor::i64({1}, {-1}));
    g.addNode("Gather", "g0", {"s", "idx"}, {"d0"});
    g.addNode("Concat", "cat", {"d0", "minus1"}, {"newshape"}, {{"axis", std::int64_t{0}}});
    g.addNode("Reshape", "rs", {"y", "newshape"}, {"z"});
    g.markOutput("z");
    PassResult r = checked(g, "constant-folding");
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(g.nodes.size(), 2u); // Add and Reshape remain
    EXPECT_EQ(countOp(g, "Constant"), 0);
    EXPECT_EQ(countOp(g, "Shape"), 0);
    EXPECT_TRUE(g.initializers.count(g.findValue("kk")));
}

TEST(ConstantFolding, LeavesGraphOutputsProducedByNodes) {
    Graph g;
    g.addInitializer("a", Tensor::f32({2}, {1, 2}));
    g.addNode("Neg", "n", {"a"}, {"y"});
    g.markOutput("y");
    EXPECT_FALSE(runPass(g, "constant-folding").changed);
}

TEST(DeadCodeElimination, RemovesWhatNoOutputNeeds) {
    Graph g;
    g.addInput("x", DType::F32, {3});
    g.addInitializer("unused", Tensor::f32({1}, {1}));
    g.addNode("Relu", "live", {"x"}, {"y"});
    g.addNode("Neg", "dead1", {"x"}, {"d"});
    g.addNode("Exp", "dead2", {"d"}, {"e"});
    g.markOutput("y");
    PassResult r = checked(g, "dead-code-elimination");
    EXPECT_EQ(r.log.size(), 3u);
    ASSERT_EQ(g.nodes.size(), 1u);
    EXPECT_EQ(g.nodes[0].name, "live");
    EXPECT_EQ(g.findValue("unused"), -1);
    EXPECT_NE(g.findValue("x"), -1); // inputs stay
}

TEST(CommonSubexpressionElimination, MergesDuplicateSubtreesAndEqualConstants) {
    Graph g;
    g.addInput("x", DType::F32, {3});
    g.addInitializer("c1", Tensor::f32({1}, {2}));
    g.addInitializer("c2", Tensor::f32({1}, {2}));
    g.addNode("Mul", "m1", {"x", "c1"}, {"a"});
    g.addNode("Mul", "m2", {"c2", "x"}, {"b"}); // commuted, equal constant
    g.addNode("Exp", "e1", {"a"}, {"ea"});
    g.addNode("Exp", "e2", {"b"}, {"eb"});
    g.addNode("Sub", "s", {"ea", "eb"}, {"y"});
    g.markOutput("y");
    PassResult r = checked(g, "common-subexpression-elimination");
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(countOp(g, "Mul"), 1);
    EXPECT_EQ(countOp(g, "Exp"), 1);
}

TEST(CommonSubexpressionElimination, KeepsNodesWithDifferentAttributes) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3});
    g.addNode("Softmax", "a", {"x"}, {"p"}, {{"axis", std::int64_t{0}}});
    g.addNode("Softmax", "b", {"x"}, {"q"}, {{"axis", std::int64_t{1}}});
    g.addNode("Add", "s", {"p", "q"}, {"y"});
    g.markOutput("y");
    EXPECT_FALSE(checked(g, "common-subexpression-elimination").changed);
}

TEST(RedundantNodeElimination, RemovesMeaninglessOpsAndInversePairs) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 4});
    g.addNode("Identity", "id", {"x"}, {"a"});
    g.addNode("Dropout", "drop", {"a"}, {"b"});
    g.addNode("Cast", "cast_same", {"b"}, {"c"}, {{"to", std::int64_t{1}}});
    g.addNode("Concat", "cat1", {"c"}, {"d"}, {{"axis", std::int64_t{0}}});
    g.addNode("Transpose", "t1", {"d"}, {"e"}, {{"perm", std::vector<std::int64_t>{1, 2, 0}}});
    g.addNode("Transpose", "t2", {"e"}, {"f"}, {{"perm", std::vector<std::int64_t>{2, 0, 1}}});
    g.addNode("Cast", "up", {"f"}, {"g64"}, {{"to", std::int64_t{11}}});
    g.addNode("Cast", "down", {"g64"}, {"h"}, {{"to", std::int64_t{1}}});
    g.addInitializer("ax", Tensor::i64({1}, {0}));
    g.addNode("Unsqueeze", "us", {"h", "ax"}, {"i"});
    g.addNode("Squeeze", "sq", {"i", "ax"}, {"j"});
    g.addNode("Relu", "r", {"j"}, {"y"});
    g.markOutput("y");
    checked(g, "redundant-node-elimination");
    ASSERT_EQ(g.nodes.size(), 1u) << g.nodes[0].op;
    EXPECT_EQ(g.nodes[0].op, "Relu");
    EXPECT_EQ(g.values[g.nodes[0].inputs[0]].name, "x");
}

TEST(RedundantNodeElimination, KeepsLossyCastPairsAndComposesTransposes) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 4});
    g.addNode("Cast", "toint", {"x"}, {"i"}, {{"to", std::int64_t{7}}});
    g.addNode("Cast", "back", {"i"}, {"f"}, {{"to", std::int64_t{1}}});
    g.addNode("Transpose", "t1", {"f"}, {"e"}, {{"perm", std::vector<std::int64_t>{1, 0, 2}}});
    g.addNode("Transpose", "t2", {"e"}, {"y"}, {{"perm", std::vector<std::int64_t>{0, 2, 1}}});
    g.markOutput("y");
    checked(g, "redundant-node-elimination");
    EXPECT_EQ(countOp(g, "Cast"), 2); // f32 → i64 truncates: not an inverse pair
    EXPECT_EQ(countOp(g, "Transpose"), 1);
}

TEST(RedundantNodeElimination, ReshapeChainBecomesOneReshape) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 4});
    g.addInitializer("s1", Tensor::i64({2}, {6, 4}));
    g.addInitializer("s2", Tensor::i64({2}, {4, 6}));
    g.addNode("Reshape", "r1", {"x", "s1"}, {"a"});
    g.addNode("Reshape", "r2", {"a", "s2"}, {"b"});
    g.addNode("Flatten", "fl", {"b"}, {"y"}, {{"axis", std::int64_t{0}}});
    g.markOutput("y");
    checked(g, "redundant-node-elimination");
    // One round merges pairwise; the level pipeline reaches one Reshape.
    Pipeline p = parsePipeline("redundant-node-elimination,dead-code-elimination");
    p.maxRounds = 4;
    PassManager(p).run(g);
    EXPECT_EQ(g.nodes.size(), 1u);
    EXPECT_EQ(g.nodes[0].op, "Reshape");
}

TEST(AlgebraicSimplification, NeutralElementsAndConstantChains) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3});
    g.addInitializer("one", Tensor::f32({}, {1}));
    g.addInitializer("zero", Tensor::f32({1}, {0}));
    g.addInitializer("c1", Tensor::f32({3}, {1, 2, 3}));
    g.addInitializer("c2", Tensor::f32({1}, {0.5f}));
    g.addNode("Mul", "m1", {"one", "x"}, {"a"});
    g.addNode("Add", "a0", {"a", "zero"}, {"b"});
    g.addNode("Div", "d1", {"b", "one"}, {"c"});
    g.addNode("Add", "k1", {"c", "c1"}, {"d"});
    g.addNode("Sub", "k2", {"d", "c2"}, {"e"});
    g.addNode("Mul", "k3", {"e", "c1"}, {"f"});
    g.addNode("Div", "k4", {"f", "c2"}, {"y"});
    g.markOutput("y");
    checked(g, "algebraic-simplification");
    EXPECT_EQ(g.nodes.size(), 2u); // x + c, then · c'
}

TEST(AlgebraicSimplification, NeutralElementThatBroadcastsIsKept) {
    Graph g;
    g.addInput("x", DType::F32, {3});
    g.addInitializer("zero", Tensor::f32({2, 3}, {0, 0, 0, 0, 0, 0}));
    g.addNode("Add", "a", {"x", "zero"}, {"y"});
    g.markOutput("y");
    EXPECT_FALSE(checked(g, "algebraic-simplification").changed);
}

TEST(AlgebraicSimplification, BroadcastReorderSumsTheSmallOperandsFirst) {
    Graph g;
    g.addInput("m1", DType::F32, {4, 5});
    g.addInput("m2", DType::F32, {4, 5});
    g.addInput("s1", DType::F32, {5});
    g.addInput("s2", DType::F32, {1, 5});
    g.addNode("Add", "a1", {"s1", "m1"}, {"a"});
    g.addNode("Add", "a2", {"m2", "s2"}, {"b"});
    g.addNode("Add", "a3", {"a", "b"}, {"y"});
    g.markOutput("y");
    PassResult r = checked(g, "algebraic-simplification");
    EXPECT_TRUE(r.changed);
    bool smallSum = false;
    for (const Node& n : g.nodes)
        smallSum |= n.op == "Add" && g.values[n.inputs[0]].name == "s1" &&
                    g.values[n.inputs[1]].name == "s2";
    EXPECT_TRUE(smallSum);
}

TEST(ConvBnFolding, MatchesTheUnfoldedConvWithAndWithoutBias) {
    for (bool bias : {false, true}) {
        Graph g;
        g.addInput("x", DType::F32, {1, 3, 6, 6});
        g.addInitializer("W", ramp({4, 3, 3, 3}, 0.2f));
        std::vector<std::string> convIn = {"x", "W"};
        if (bias) {
            g.addInitializer("B", Tensor::f32({4}, {0.1f, -0.2f, 0.3f, 0.05f}));
            convIn.push_back("B");
        }
        g.addNode("Conv", "conv", convIn, {"c"}, {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
        g.addInitializer("gamma", Tensor::f32({4}, {1.5f, 0.5f, -1.0f, 2.0f}));
        g.addInitializer("beta", Tensor::f32({4}, {0.1f, 0.2f, 0.3f, 0.4f}));
        g.addInitializer("mean", Tensor::f32({4}, {0.3f, -0.1f, 0.0f, 0.2f}));
        g.addInitializer("var", Tensor::f32({4}, {0.5f, 1.5f, 2.0f, 0.25f}));
        g.addNode("BatchNormalization", "bn", {"c", "gamma", "beta", "mean", "var"}, {"y"},
                  {{"epsilon", 1e-3}});
        g.markOutput("y");
        PassResult r = checked(g, "conv-bn-folding");
        EXPECT_TRUE(r.changed);
        ASSERT_EQ(g.nodes.size(), 1u);
        EXPECT_EQ(g.nodes[0].op, "Conv");
        EXPECT_EQ(g.nodes[0].inputs.size(), 3u);
    }
}

TEST(ConvBnFolding, FoldsPerChannelScaleAndBiasButNotAFullTensor) {
    Graph g;
    g.addInput("x", DType::F32, {1, 2, 4, 4});
    g.addInitializer("W", ramp({2, 2, 1, 1}, 0.3f));
    g.addNode("Conv", "conv", {"x", "W"}, {"c"});
    g.addInitializer("s", Tensor::f32({2, 1, 1}, {2.0f, -0.5f}));
    g.addNode("Mul", "scale", {"c", "s"}, {"d"});
    g.addInitializer("a", Tensor::f32({1, 2, 1, 1}, {0.25f, 1.0f}));
    g.addNode("Add", "shift", {"a", "d"}, {"e"});
    g.addInitializer("full", ramp({1, 2, 4, 4}));
    g.addNode("Add", "notfolded", {"e", "full"}, {"y"});
    g.markOutput("y");
    checked(g, "conv-bn-folding");
    EXPECT_EQ(g.nodes.size(), 2u);
}

TEST(MatMulAddToGemm, OnlyFor2DOperands) {
    Graph g;
    g.addInput("a", DType::F32, {4, 3});
    g.addInput("a3", DType::F32, {2, 4, 3});
    g.addInitializer("B", ramp({3, 5}));
    g.addInitializer("c", ramp({5}, 0.5f));
    g.addNode("MatMul", "mm", {"a", "B"}, {"p"});
    g.addNode("Add", "add", {"p", "c"}, {"y"});
    g.addNode("MatMul", "mm3", {"a3", "B"}, {"p3"});
    g.addNode("Add", "add3", {"c", "p3"}, {"y3"});
    g.markOutput("y");
    g.markOutput("y3");
    checked(g, "matmul-add-to-gemm");
    EXPECT_EQ(countOp(g, "Gemm"), 1);
    EXPECT_EQ(countOp(g, "MatMul"), 1);
}

TEST(ActivationFusion, FusesIntoConvGemmAndMatMul) {
    Graph g;
    g.addInput("x", DType::F32, {1, 2, 4, 4});
    g.addInput("a", DType::F32, {4, 3});
    g.addInitializer("W", ramp({3, 2, 1, 1}));
    g.addInitializer("B", ramp({3, 5}));
    g.addInitializer("lo", Tensor::f32({}, {0}));
    g.addInitializer("hi", Tensor::f32({}, {0.2f}));
    g.addNode("Conv", "conv", {"x", "W"}, {"c"});
    g.addNode("Clip", "relu6", {"c", "lo", "hi"}, {"y1"});
    g.addNode("Gemm", "gemm", {"a", "B"}, {"p"});
    g.addNode("LeakyRelu", "lr", {"p"}, {"y2"}, {{"alpha", 0.3}});
    g.addNode("MatMul", "mm", {"a", "B"}, {"q"});
    g.addNode("Sigmoid", "sg", {"q"}, {"y3"});
    g.markOutput("y1");
    g.markOutput("y2");
    g.markOutput("y3");
    checked(g, "activation-fusion");
    EXPECT_EQ(countOp(g, "aisys:FusedConv"), 1);
    EXPECT_EQ(countOp(g, "aisys:FusedGemm"), 1);
    EXPECT_EQ(countOp(g, "aisys:FusedMatMul"), 1);
    EXPECT_EQ(g.nodes.size(), 3u);
}

TEST(ActivationFusion, EveryFusableActivationOfTheRegistryKeepsTheResult) {
    // Walks the registry: every op whose OpDef says fusedActivation fuses into a Conv, and the
    // fused kernel gives the unfused result, with the op's default attributes and with
    // non-default ones where it has them (their values carried as activation_<name>).
    const std::map<std::string, std::map<std::string, AttrValue>> nonDefault{
        {"LeakyRelu", {{"alpha", 0.3}}},
        {"HardSigmoid", {{"alpha", 0.4}, {"beta", 0.25}}},
        {"Gelu", {{"approximate", std::string("tanh")}}},
        {"Clip", {{"min", -0.1}, {"max", 0.3}}}};
    int fused = 0;
    for (const std::string& op : OpRegistry::builtin().types()) {
        if (!ops::fusableActivation(op))
            continue;
        std::vector<std::map<std::string, AttrValue>> variants{{}};
        if (auto it = nonDefault.find(op); it != nonDefault.end())
            variants.push_back(it->second);
        for (const auto& attrs : variants) {
            Graph g;
            g.addInput("x", DType::F32, {1, 2, 4, 4});
            g.addInitializer("W", ramp({3, 2, 1, 1}));
            g.addNode("Conv", "conv", {"x", "W"}, {"c"});
            g.addNode(op, "act", {"c"}, {"y"}, attrs);
            g.markOutput("y");
            SCOPED_TRACE(op + (attrs.empty() ? "" : " (non-default attributes)"));
            checked(g, "activation-fusion");
            EXPECT_EQ(countOp(g, "aisys:FusedConv"), 1);
            EXPECT_EQ(g.nodes.size(), 1u);
            ++fused;
        }
    }
    EXPECT_GE(fused, 12); // 8 activations, 4 of them with attributes
}

TEST(MatMulEpilogueFusion, ScaleBiasAndResidualBecomeOneKernel) {
    Graph g;
    g.addInput("x", DType::F32, {2, 4, 3});
    g.addInput("r", DType::F32, {2, 4, 5});
    g.addInitializer("W", ramp({3, 5}));
    g.addInitializer("s", Tensor::f32({}, {0.5f}));
    g.addInitializer("b", ramp({5}, 0.2f));
    g.addNode("MatMul", "mm", {"x", "W"}, {"p"});
    g.addNode("Div", "scale", {"p", "s"}, {"q"});
    g.addNode("Add", "bias", {"q", "b"}, {"u"});
    g.addNode("Add", "res", {"r", "u"}, {"y"});
    g.markOutput("y");
    checked(g, "matmul-epilogue-fusion");
    ASSERT_EQ(g.nodes.size(), 1u);
    EXPECT_EQ(g.nodes[0].op, "aisys:FusedMatMul");
    EXPECT_EQ(g.nodes[0].inputs.size(), 4u);
}

TEST(PatternRecognition, DecomposedLayerNorm) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 8});
    g.addInitializer("axes", Tensor::i64({1}, {-1}));
    g.addInitializer("two", Tensor::f32({}, {2}));
    g.addInitializer("eps", Tensor::f32({}, {1e-5f}));
    g.addInitializer("gamma", ramp({8}, 0.3f, 1.0f));
    g.addInitializer("beta", ramp({8}, 0.1f));
    g.addNode("ReduceMean", "m1", {"x", "axes"}, {"mu"});
    g.addNode("Sub", "sub", {"x", "mu"}, {"d"});
    g.addNode("Pow", "pow", {"d", "two"}, {"d2"});
    g.addNode("ReduceMean", "m2", {"d2", "axes"}, {"var"});
    g.addNode("Add", "ae", {"var", "eps"}, {"ve"});
    g.addNode("Sqrt", "sq", {"ve"}, {"sd"});
    g.addNode("Div", "div", {"d", "sd"}, {"n"});
    g.addNode("Mul", "mg", {"n", "gamma"}, {"ng"});
    g.addNode("Add", "ab", {"ng", "beta"}, {"y"});
    g.markOutput("y");
    checked(g, "pattern-recognition", 1e-4);
    ASSERT_EQ(g.nodes.size(), 1u);
    EXPECT_EQ(g.nodes[0].op, "LayerNormalization");
}

TEST(PatternRecognition, GeluErfAndTanhForms) {
    Graph g;
    g.addInput("x", DType::F32, {2, 6});
    g.addInitializer("isq2", Tensor::f32({}, {0.70710678f}));
    g.addInitializer("one", Tensor::f32({}, {1}));
    g.addInitializer("half", Tensor::f32({}, {0.5f}));
    g.addNode("Mul", "s", {"x", "isq2"}, {"xs"});
    g.addNode("Erf", "erf", {"xs"}, {"e"});
    g.addNode("Add", "a1", {"e", "one"}, {"a"});
    g.addNode("Mul", "h", {"x", "half"}, {"xh"});
    g.addNode("Mul", "y", {"xh", "a"}, {"gelu_erf"});
    // tanh form with x·x·x and (x·a)·0.5
    g.addInitializer("k", Tensor::f32({}, {0.044715f}));
    g.addInitializer("c", Tensor::f32({}, {0.7978845608f}));
    g.addNode("Mul", "x2", {"x", "x"}, {"xx"});
    g.addNode("Mul", "x3", {"xx", "x"}, {"xxx"});
    g.addNode("Mul", "kx3", {"k", "xxx"}, {"kx"});
    g.addNode("Add", "inner", {"x", "kx"}, {"in"});
    g.addNode("Mul", "cs", {"in", "c"}, {"ci"});
    g.addNode("Tanh", "th", {"ci"}, {"t"});
    g.addNode("Add", "t1", {"one", "t"}, {"tp"});
    g.addNode("Mul", "xt", {"x", "tp"}, {"xtp"});
    g.addNode("Mul", "ht", {"xtp", "half"}, {"gelu_tanh"});
    g.markOutput("gelu_erf");
    g.markOutput("gelu_tanh");
    checked(g, "pattern-recognition", 1e-5);
    ASSERT_EQ(g.nodes.size(), 2u);
    EXPECT_EQ(countOp(g, "Gelu"), 2);
}

TEST(PatternRecognition, HardSwishAndHardSigmoid) {
    Graph g;
    g.addInput("x", DType::F32, {2, 6});
    g.addInitializer("three", Tensor::f32({}, {3}));
    g.addInitializer("zero", Tensor::f32({}, {0}));
    g.addInitializer("six", Tensor::f32({}, {6}));
    g.addNode("Add", "a", {"x", "three"}, {"x3"});
    g.addNode("Clip", "c", {"x3", "zero", "six"}, {"cl"});
    g.addNode("Mul", "m", {"x", "cl"}, {"xc"});
    g.addNode("Div", "d", {"xc", "six"}, {"hswish"});
    g.addInput("z", DType::F32, {2, 6});
    g.addNode("Add", "za", {"three", "z"}, {"z3"});
    g.addNode("Clip", "zc", {"z3", "zero", "six"}, {"zcl"});
    g.addNode("Div", "zd", {"zcl", "six"}, {"hsig"});
    g.markOutput("hswish");
    g.markOutput("hsig");
    checked(g, "pattern-recognition", 1e-5);
    EXPECT_EQ(countOp(g, "HardSwish"), 1);
    EXPECT_EQ(countOp(g, "HardSigmoid"), 1);
    EXPECT_EQ(g.nodes.size(), 2u);
}

TEST(PatternRecognition, InnerValueReadElsewhereBlocksTheMatch) {
    Graph g;
    g.addInput("x", DType::F32, {2, 6});
    g.addInitializer("three", Tensor::f32({}, {3}));
    g.addInitializer("zero", Tensor::f32({}, {0}));
    g.addInitializer("six", Tensor::f32({}, {6}));
    g.addNode("Add", "a", {"x", "three"}, {"x3"});
    g.addNode("Clip", "c", {"x3", "zero", "six"}, {"cl"});
    g.addNode("Mul", "m", {"x", "cl"}, {"xc"});
    g.addNode("Div", "d", {"xc", "six"}, {"y"});
    g.markOutput("y");
    g.markOutput("x3"); // the inner value is needed
    EXPECT_FALSE(checked(g, "pattern-recognition").changed);
}

TEST(PassManager, LevelsUnknownNamesAndReports) {
    EXPECT_TRUE(levelPipeline(0).passes.empty());
    EXPECT_EQ(levelPipeline(1).passes.size(), 5u);
    EXPECT_GT(levelPipeline(2).passes.size(), levelPipeline(1).passes.size());
    EXPECT_EQ(parsePipeline("-O2").label, "O2");
    try {
        parsePipeline("constant-folding,no-such-pass");
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("no-such-pass"), std::string::npos);
        EXPECT_NE(msg.find("dead-code-elimination"), std::string::npos);
    }
    for (const auto& info : PassRegistry::builtin().passes())
        EXPECT_FALSE(info.pass->description().empty()) << info.pass->name();
    Graph g;
    g.addInput("x", DType::F32, {2});
    g.addNode("Identity", "id", {"x"}, {"a"});
    g.addNode("Relu", "r", {"a"}, {"y"});
    g.markOutput("y");
    PassManager pm(levelPipeline(1));
    pm.setSnapshots(true);
    int hooked = 0;
    pm.setHook([&](const PassRecord& rec) {
        ++hooked;
        EXPECT_EQ(rec.snapshot.verify(), "");
    });
    PipelineReport rep = pm.run(g);
    EXPECT_EQ(hooked, static_cast<int>(rep.passes.size()));
    EXPECT_EQ(rep.before.nodes, 2);
    EXPECT_EQ(rep.before.kernels, 1); // Identity launches none
    EXPECT_EQ(rep.after.nodes, 1);
    const std::string json = reportJson(rep);
    EXPECT_NE(json.find("\"rule\": \"Identity\""), std::string::npos) << json;
    EXPECT_NE(reportText(rep).find("redundant-node-elimination"), std::string::npos);
}

TEST(GraphStats, EliminatingAnIntermediateSavesItsWriteAndRead) {
    Graph g;
    g.addInput("x", DType::F32, {1, 2, 4, 4});
    g.addInitializer("W", ramp({2, 2, 1, 1}));
    g.addNode("Conv", "conv", {"x", "W"}, {"c"});
    g.addNode("Relu", "relu", {"c"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    const GraphStats before = graphStats(g);
    runPass(g, "activation-fusion");
    const GraphStats after = graphStats(g);
    const double intermediate = 1 * 2 * 4 * 4 * 4;
    EXPECT_EQ(before.kernels - after.kernels, 1);
    EXPECT_DOUBLE_EQ(before.activationBytes - after.activationBytes, 2 * intermediate);
    EXPECT_DOUBLE_EQ(after.peakBytes, 2 * intermediate); // x and y
    EXPECT_DOUBLE_EQ(before.peakBytes, 2 * intermediate);
}

TEST(ConvBnFolding, WorksWithASymbolicBatch) {
    Graph g;
    g.addInput("x", DType::F32, {-1, 2, 4, 4});
    g.values[0].dimParams = {"N", "", "", ""};
    g.addInitializer("W", ramp({3, 2, 3, 3}, 0.2f));
    g.addNode("Conv", "conv", {"x", "W"}, {"c"}, {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addInitializer("gamma", Tensor::f32({3}, {1.5f, 0.5f, -1.0f}));
    g.addInitializer("beta", Tensor::f32({3}, {0.1f, 0.2f, 0.3f}));
    g.addInitializer("mean", Tensor::f32({3}, {0.3f, -0.1f, 0.0f}));
    g.addInitializer("var", Tensor::f32({3}, {0.5f, 1.5f, 2.0f}));
    g.addNode("BatchNormalization", "bn", {"c", "gamma", "beta", "mean", "var"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    Graph ref = g;
    EXPECT_TRUE(runPass(g, "conv-bn-folding").changed);
    EXPECT_EQ(fullVerify(g), "");
    ASSERT_EQ(g.nodes.size(), 1u);
    ref.bindDims({{"N", 2}});
    g.bindDims({{"N", 2}});
    const auto inputs = randomInputs(ref, 5);
    EXPECT_LE(maxRelError(runGraph(ref, inputs), runGraph(g, inputs)), 1e-5);
}

TEST(GraphPrint, ShortAndFullFormsOfOneGraph) {
    Graph g;
    g.name = "tiny";
    g.addInput("x", DType::F32, {-1, 4});
    g.values[g.findValue("x")].dimParams = {"N", ""};
    g.addInitializer("W", Tensor::f32({4, 3}, std::vector<float>(12, 0.5f)));
    g.addNode("MatMul", "mm", {"x", "W"}, {"xw"});
    g.addNode("LeakyRelu", "act", {"xw"}, {"y"}, {{"alpha", 0.1}});
    g.markOutput("y");
    const std::vector<std::string> lines = compiler::graphLines(g);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "graph tiny(%x: f32[?,4]) -> (%y)");
    EXPECT_EQ(lines[1], "  init W: f32[4,3]");
    EXPECT_EQ(lines[2], "  %xw = MatMul(%x, W)  # mm");
    EXPECT_EQ(lines[3], "  %y = LeakyRelu(%xw) {alpha=0.10000}  # act");
    const std::string full = compiler::graphText(g);
    EXPECT_NE(full.find("graph tiny (%x: f32[N,4]) {"), std::string::npos) << full;
    EXPECT_NE(full.find("= MatMul(%x, @W)  # mm"), std::string::npos) << full;
    EXPECT_NE(full.find("{alpha=0.1}  # act"), std::string::npos) << full;
}
