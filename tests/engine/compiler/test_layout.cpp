// Layouts: address formulas against hand values, casts, Conv in NHWC / NC4HW4 against the NCHW
// Conv, and the layout pass (cast insertion, sinking, cancellation) keeping outputs equal.
#include "engine/compiler/pass_manager.h"
#include "engine/compiler/passes/layout.h"
#include "engine/compiler/passes/memory_plan.h"
#include "engine/onnx/onnx_import.h"
#include "tests/engine/compiler/fusion_graphs.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

using namespace aisys::engine;
using namespace aisys::engine::compiler;
using aisys::test::maxRelDiff;
using aisys::test::randomTensor;
using aisys::test::runGraph;
using ops::Layout;

TEST(LayoutAddress, HandValues) {
    EXPECT_EQ(ops::layoutOffset(Layout::NCHW, {1, 3, 2, 2}, 0, 1, 1, 0), 6);
    EXPECT_EQ(ops::layoutOffset(Layout::NHWC, {1, 3, 2, 2}, 0, 1, 1, 0), 7);
    // NC4HW4, C = 6 → C1 = 2: (((0·2 + 5/4)·2 + 1)·2 + 1)·4 + 5%4 = 29.
    EXPECT_EQ(ops::layoutOffset(Layout::NC4HW4, {1, 6, 2, 2}, 0, 5, 1, 1), 29);
    // NC1HWC0, C = 20 → C1 = 2, C0 = 16: ((1·2 + 0)·2 + 1)·16 + 1 = 81.
    EXPECT_EQ(ops::layoutOffset(Layout::NC1HWC0, {1, 20, 2, 2}, 0, 17, 0, 1), 81);
    EXPECT_EQ(ops::physicalSize(Layout::NC4HW4, {2, 5, 3, 3}), 2 * 2 * 4 * 9);
    EXPECT_EQ(ops::physicalShape(Layout::NC1HWC0, {1, 20, 2, 2}), (Shape{1, 2, 2, 2, 16}));
    EXPECT_EQ(ops::physicalShape(Layout::NHWC, {1, 3, 4, 5}), (Shape{1, 4, 5, 3}));
    EXPECT_FALSE(ops::parseLayout("NCWH").has_value());
}

TEST(LayoutAddress, EveryLayoutIsABijectionOntoItsPaddedRange) {
    for (Layout l : {Layout::NCHW, Layout::NHWC, Layout::NC4HW4, Layout::NC1HWC0})
        for (const Shape& s : {Shape{2, 5, 3, 2}, Shape{1, 17, 2, 3}, Shape{1, 4, 1, 1}}) {
            std::set<std::int64_t> seen;
            for (std::int64_t n = 0; n < s[0]; ++n)
                for (std::int64_t c = 0; c < s[1]; ++c)
                    for (std::int64_t h = 0; h < s[2]; ++h)
                        for (std::int64_t w = 0; w < s[3]; ++w) {
                            auto o = ops::layoutOffset(l, s, n, c, h, w);
                            EXPECT_GE(o, 0);
                            EXPECT_LT(o, ops::physicalSize(l, s));
                            seen.insert(o);
                        }
            EXPECT_EQ(static_cast<std::int64_t>(seen.size()), numElements(s))
                << ops::layoutName(l) << " " << shapeToString(s);
        }
}

TEST(LayoutAddress, NC1HWC0IsTheCoursesReshapeTranspose) {
    // NCHW → reshape [N, C1, C0, H, W] → transpose [0, 1, 3, 4, 2] (C divisible by C0).
    const Shape s{2, 32, 3, 2};
    const std::int64_t C0 = 16, C1 = 2, H = 3, W = 2;
    for (std::int64_t n = 0; n < 2; ++n)
        for (std::int64_t c = 0; c < 32; ++c)
            for (std::int64_t h = 0; h < H; ++h)
                for (std::int64_t w = 0; w < W; ++w) {
                    // Index in the transposed [N, C1, H, W, C0] array.
                    const std::int64_t c1 = c / C0, c0 = c % C0;
                    const std::int64_t t = (((n * C1 + c1) * H + h) * W + w) * C0 + c0;
                    EXPECT_EQ(ops::layoutOffset(Layout::NC1HWC0, s, n, c, h, w), t);
                }
}

namespace {

Graph castRoundTrip(Layout l, std::int64_t c) {
    Graph g;
    g.addInput("x", DType::F32, {2, c, 3, 4});
    g.addNode(
        "aisys:LayoutCast", "to", {"x"}, {"p"},
        {{"from", std::string("NCHW")}, {"to", std::string(ops::layoutName(l))}, {"channels", c}});
    g.addNode(
        "aisys:LayoutCast", "back", {"p"}, {"y"},
        {{"from", std::string(ops::layoutName(l))}, {"to", std::string("NCHW")}, {"channels", c}});
    g.markOutput("p");
    g.markOutput("y");
    return g;
}

/// Conv → Relu → Conv → Add(per-channel bias) → Sigmoid, a Conv reading x directly too.
Graph convNet(std::int64_t c, std::int64_t group = 1) {
    Graph g;
    g.addInput("x", DType::F32, {2, c, 6, 5});
    g.addInitializer("w1", randomTensor({2 * c, c / group, 3, 3}, 1, -0.4f, 0.4f));
    g.addInitializer("b1", randomTensor({2 * c}, 2));
    g.addInitializer("w2", randomTensor({c, 2 * c, 1, 1}, 3, -0.4f, 0.4f));
    g.addInitializer("bias", randomTensor({1, c, 1, 1}, 4));
    g.addNode("Conv", "conv1", {"x", "w1", "b1"}, {"c1"},
              {{"pads", std::vector<std::int64_t>{1, 0, 1, 2}},
               {"strides", std::vector<std::int64_t>{2, 1}},
               {"group", group}});
    g.addNode("Relu", "relu", {"c1"}, {"r"});
    g.addNode("Conv", "conv2", {"r", "w2"}, {"c2"});
    g.addNode("Add", "add", {"c2", "bias"}, {"a"});
    g.addNode("Sigmoid", "sig", {"a"}, {"y"});
    g.markOutput("y");
    return g;
}

std::vector<Tensor> runX(const Graph& g, const Shape& xs) {
    return runGraph(g, randomTensor(xs, 77));
}

} // namespace

TEST(LayoutCast, RoundTripsAndPadsWithZeros) {
    for (Layout l : {Layout::NHWC, Layout::NC4HW4, Layout::NC1HWC0}) {
        Graph g = castRoundTrip(l, 5);
        const Tensor x = randomTensor({2, 5, 3, 4}, 9);
        auto out = runGraph(g, x);
        EXPECT_EQ(out[0].shape(), ops::physicalShape(l, {2, 5, 3, 4}));
        EXPECT_EQ(maxRelDiff({out[1]}, {x}), 0.0);
        // Element (1, 4, 2, 3) sits at its layout address; padding lanes are zero.
        EXPECT_EQ(out[0].at(ops::layoutOffset(l, {2, 5, 3, 4}, 1, 4, 2, 3)),
                  x.at(((1 * 5 + 4) * 3 + 2) * 4 + 3));
        if (l == Layout::NC4HW4) { // channel 6 of 8 is a padding lane of the 5 channels
            EXPECT_EQ(out[0].at(ops::layoutOffset(l, {2, 8, 3, 4}, 0, 6, 0, 0)), 0.0);
        }
    }
}

TEST(LayoutPass, NhwcKeepsOutputsAndCancelsInnerCasts) {
    Graph g = convNet(4);
    Graph t = g;
    std::vector<RewriteEntry> log;
    LayoutReport rep = transformLayout(t, Layout::NHWC, &log);
    EXPECT_EQ(t.verify(), "");
    EXPECT_EQ(rep.convsConverted, 2);
    EXPECT_EQ(rep.castsInserted, 4);
    EXPECT_EQ(rep.opsMoved, 3); // Relu, Add (bias rewritten to [1,1,1,C]), Sigmoid
    // Left: the cast of x at the start and the cast of y at the end.
    EXPECT_EQ(rep.castsRemaining, 2);
    EXPECT_EQ(countLayoutCasts(t), 2);
    EXPECT_EQ(t.values[t.outputs[0]].name, "y");
    EXPECT_LE(maxRelDiff(runX(t, {2, 4, 6, 5}), runX(g, {2, 4, 6, 5})), 1e-5);
    EXPECT_FALSE(log.empty());
}

TEST(LayoutPass, Nc4hw4WithPaddedChannelsAndGroups) {
    for (std::int64_t group : {1, 5}) {
        Graph g = convNet(5, group);
        Graph t = g;
        LayoutReport rep = transformLayout(t, Layout::NC4HW4, nullptr);
        EXPECT_EQ(t.verify(), "");
        EXPECT_EQ(rep.castsRemaining, 2);
        EXPECT_LE(maxRelDiff(runX(t, {2, 5, 6, 5}), runX(g, {2, 5, 6, 5})), 1e-5)
            << "group " << group;
    }
}

TEST(LayoutPass, DilationAndAutoPadMatchTheNchwConv) {
    for (Layout l : {Layout::NHWC, Layout::NC4HW4, Layout::NC1HWC0}) {
        Graph g;
        g.addInput("x", DType::F32, {1, 6, 7, 8});
        g.addInitializer("w", randomTensor({5, 6, 3, 2}, 8, -0.5f, 0.5f));
        g.addNode("Conv", "dil", {"x", "w"}, {"a"},
                  {{"dilations", std::vector<std::int64_t>{2, 3}},
                   {"auto_pad", std::string("SAME_UPPER")}});
        g.addNode("Tanh", "t", {"a"}, {"y"});
        g.markOutput("y");
        Graph t = g;
        LayoutReport rep = transformLayout(t, l, nullptr);
        EXPECT_EQ(rep.convsConverted, 1);
        EXPECT_EQ(rep.castsRemaining, 2);
        EXPECT_LE(maxRelDiff(runX(t, {1, 6, 7, 8}), runX(g, {1, 6, 7, 8})), 1e-5)
            << ops::layoutName(l);
    }
}

TEST(LayoutPass, LayoutSensitiveConsumerKeepsItsCast) {
    // Softmax over the last axis needs NCHW: its cast stays, the Relu branch's cast too.
    Graph g;
    g.addInput("x", DType::F32, {1, 4, 3, 3});
    g.addInitializer("w", randomTensor({4, 4, 1, 1}, 5));
    g.addNode("Conv", "conv", {"x", "w"}, {"c"});
    g.addNode("Softmax", "sm", {"c"}, {"s"}, {{"axis", std::int64_t{-1}}});
    g.addNode("Relu", "relu", {"c"}, {"r"});
    g.markOutput("s");
    g.markOutput("r");
    Graph t = g;
    LayoutReport rep = transformLayout(t, Layout::NHWC, nullptr);
    EXPECT_EQ(rep.opsMoved, 1);
    EXPECT_EQ(rep.castsRemaining, 3); // x in; c back for Softmax; r back for the output
    EXPECT_LE(maxRelDiff(runX(t, {1, 4, 3, 3}), runX(g, {1, 4, 3, 3})), 1e-5);
}

TEST(LayoutPass, ByNameInAPipelineAndThenFused) {
    Graph g = convNet(4);
    Graph t = g;
    PassManager pm(parsePipeline("layout-nc4hw4,operator-fusion"));
    PipelineReport rep = pm.run(t);
    ASSERT_EQ(rep.passes.size(), 2u);
    EXPECT_TRUE(rep.passes[0].result.changed);
    EXPECT_LE(maxRelDiff(runX(t, {2, 4, 6, 5}), runX(g, {2, 4, 6, 5})), 1e-5);
    // The layout passes are not part of any level.
    for (int level = 0; level <= 3; ++level)
        for (const auto& name : PassRegistry::builtin().levelPasses(level))
            EXPECT_EQ(name.rfind("layout-", 0), std::string::npos) << name;
    Graph again = t;
    EXPECT_FALSE(LayoutPass(Layout::NC4HW4).run(again).changed);
}

RC_GTEST_PROP(LayoutProperty, KeepsOutputsOnRandomGraphs,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs,
               bool blocked)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    Graph t = g;
    const LayoutReport rep = transformLayout(t, blocked ? Layout::NC4HW4 : Layout::NHWC, nullptr);
    RC_ASSERT(t.verify() == "");
    RC_ASSERT(rep.castsRemaining == countLayoutCasts(t));
    RC_TAG(rep.convsConverted > 0 ? "converted" : "no conv");
    const Tensor x = randomTensor({2, 3, 4, 5}, 3);
    RC_ASSERT(maxRelDiff(runGraph(t, x), runGraph(g, x)) <= 1e-5);
}

TEST(LayoutPass, TinyCnnThroughLayoutFusionAndOnnxRoundTrip) {
    // The repository's small CNN (Conv-Relu-MaxPool ×2, GAP, Gemm, Softmax), batch bound to 2.
    Graph g = importOnnxFile(AISYS_SOURCE_DIR "/assets/models/tiny_cnn.onnx");
    const Value& in = g.values[g.inputs[0]];
    ASSERT_FALSE(in.dimParams.empty());
    g.bindDims({{in.dimParams[0], 2}});
    const std::string inName = in.name;
    const Tensor x = randomTensor({2, 1, 28, 28}, 31, 0.0f, 1.0f);
    auto run = [&](const Graph& m) {
        Interpreter it(m);
        it.setInput(inName, x);
        it.run();
        return std::vector<Tensor>{*it.value(it.graph().outputs[0])};
    };
    const auto ref = run(g);
    for (const char* pipeline :
         {"-O3", "layout-nhwc,operator-fusion,memory-planning", "layout-nc4hw4,operator-fusion"}) {
        Graph o = g;
        PassManager(parsePipeline(pipeline)).run(o);
        EXPECT_EQ(o.verify(), "") << pipeline;
        EXPECT_LE(maxRelDiff(run(o), ref), 1e-5) << pipeline;
        // The optimized graph survives ONNX export and import (aisys domain ops included).
        Graph back = importOnnxBytes(exportOnnxBytes(o), ".");
        EXPECT_LE(maxRelDiff(run(back), ref), 1e-5) << pipeline;
        Graph typed = o;
        inferShapes(typed);
        const MemoryPlan plan = planMemory(typed);
        EXPECT_LE(plan.arenaBytes, plan.noReuseBytes) << pipeline;
        EXPECT_GE(plan.arenaBytes, plan.maxLiveBytes) << pipeline;
    }
}
