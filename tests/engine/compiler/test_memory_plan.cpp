// Memory planning: hand-worked plans, and properties on random DAGs (rapidcheck): no two
// overlapping lifetimes share a buffer, the arena covers the live bytes, in-place only when legal.
#include "engine/compiler/passes/fusion.h"
#include "engine/compiler/passes/memory_plan.h"
#include "tests/engine/compiler/fusion_graphs.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

using namespace aisys::engine;
using namespace aisys::engine::compiler;

namespace {

Graph chain3() {
    Graph g;
    g.addInput("x", DType::F32, {4, 8});
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Sigmoid", "s", {"a"}, {"b"});
    g.addNode("Tanh", "t", {"b"}, {"c"});
    g.markOutput("c");
    inferShapes(g);
    return g;
}

int bufferOf(const MemoryPlan& p, const Graph& g, const std::string& v) {
    const LiveInterval* iv = p.intervalOf(g.findValue(v));
    return iv ? iv->buffer : -100;
}

} // namespace

TEST(MemoryPlan, ChainRunsInOneBufferInPlace) {
    Graph g = chain3();
    MemoryPlan p = planMemory(g);
    ASSERT_EQ(p.intervals.size(), 3u);
    EXPECT_EQ(p.noReuseBytes, 3u * 128);
    EXPECT_EQ(p.inPlaceCount, 2); // a comes from the caller-owned input: not in place
    // b overwrites a, c overwrites b: one buffer of 128 bytes.
    EXPECT_EQ(p.buffers.size(), 1u);
    EXPECT_EQ(p.arenaBytes, 128u);
    EXPECT_EQ(p.intervalOf(g.findValue("b"))->inPlaceOf, g.findValue("a"));
}

TEST(MemoryPlan, ChainWithoutInPlaceAlternatesTwoBuffers) {
    Graph g = chain3();
    MemoryPlan p = planMemory(g, {.inPlace = false, .reuse = true});
    EXPECT_EQ(p.inPlaceCount, 0);
    EXPECT_EQ(p.buffers.size(), 2u);
    EXPECT_EQ(p.arenaBytes, 256u);
    EXPECT_EQ(bufferOf(p, g, "a"), bufferOf(p, g, "c"));
    EXPECT_NE(bufferOf(p, g, "a"), bufferOf(p, g, "b"));
    MemoryPlan none = planMemory(g, {.inPlace = false, .reuse = false});
    EXPECT_EQ(none.arenaBytes, 384u);
    EXPECT_EQ(none.arenaBytes, none.noReuseBytes);
}

TEST(MemoryPlan, InPlaceRefusedWhileTheInputIsStillRead) {
    // a is read by s and by the Add: s may not overwrite it; the Add may (a and b die there).
    Graph g;
    g.addInput("x", DType::F32, {4, 8});
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Sigmoid", "s", {"a"}, {"b"});
    g.addNode("Add", "add", {"a", "b"}, {"c"});
    g.markOutput("c");
    inferShapes(g);
    MemoryPlan p = planMemory(g);
    EXPECT_EQ(p.intervalOf(g.findValue("b"))->inPlaceOf, -1);
    EXPECT_EQ(p.intervalOf(g.findValue("c"))->inPlaceOf, g.findValue("a"));
    EXPECT_EQ(p.arenaBytes, 256u);
}

TEST(MemoryPlan, InPlaceRefusedForABroadcastInputOrAReduction) {
    Graph g;
    g.addInput("x", DType::F32, {4, 8});
    g.addNode("ReduceSum", "sum", {"x"}, {"s"},
              {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{1}}});
    g.addNode("Neg", "neg", {"x"}, {"a"});
    g.addNode("Mul", "mul", {"s", "a"}, {"m"}); // s [4,1] broadcasts: only a is eligible
    g.addNode("ReduceSum", "sum2", {"m"}, {"t"},
              {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{1}}});
    g.markOutput("t");
    inferShapes(g);
    MemoryPlan p = planMemory(g);
    EXPECT_EQ(p.intervalOf(g.findValue("m"))->inPlaceOf, g.findValue("a"));
    EXPECT_EQ(p.intervalOf(g.findValue("t"))->inPlaceOf, -1); // a reduction never in place
}

TEST(MemoryPlan, BestFitTakesTheSmallestFreeBufferThatFits) {
    // pos0 a=Neg(x) 128 B; pos1 s=ReduceSum(x) 16 B; pos2 m=Mul(a,s) 128 B (a, s end here: a new
    // buffer); pos3 t=ReduceSum(m) 16 B: free are buffer 0 (128 B) and 1 (16 B) -> best fit 1.
    Graph g;
    g.addInput("x", DType::F32, {4, 8});
    g.addNode("Neg", "neg", {"x"}, {"a"});
    g.addNode("ReduceSum", "sum", {"x"}, {"s"},
              {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{1}}});
    g.addNode("Mul", "mul", {"a", "s"}, {"m"});
    g.addNode("ReduceSum", "sum2", {"m"}, {"t"},
              {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{1}}});
    g.markOutput("t");
    inferShapes(g);
    MemoryPlan p = planMemory(g, {.inPlace = false, .reuse = true});
    EXPECT_EQ(bufferOf(p, g, "a"), 0);
    EXPECT_EQ(bufferOf(p, g, "s"), 1);
    EXPECT_EQ(bufferOf(p, g, "m"), 2);
    EXPECT_EQ(bufferOf(p, g, "t"), 1);
    EXPECT_EQ(p.arenaBytes, 128u + 16u + 128u);
    EXPECT_EQ(p.buffers[2].offset, 144u);
    EXPECT_EQ(p.maxLiveBytes, 272u); // a, s and m all alive at pos2
}

TEST(MemoryPlan, PassRecordsThePlanAndLeavesTheGraph) {
    Graph g = chain3();
    const Graph before = g;
    auto sink = std::make_shared<MemoryPlan>();
    MemoryPlanPass pass(sink);
    EXPECT_EQ(pass.name(), "memory-planning");
    PassResult r = pass.run(g);
    EXPECT_FALSE(r.changed);
    EXPECT_EQ(g, before);
    EXPECT_EQ(sink->arenaBytes, 128u);
    ASSERT_FALSE(r.log.empty());
    EXPECT_NE(r.log.back().rule.find("arena 128 B"), std::string::npos) << r.log.back().rule;
}

TEST(MemoryPlan, AFusedElementwiseChainRunsInPlace) {
    // x → Exp → a → (Relu → Neg) → y: after fusion the chain is one aisys:Fused node reading a,
    // which dies there: y may overwrite a. A fused group with a reduction may not.
    Graph g;
    g.addInput("x", DType::F32, {4, 8});
    g.addNode("Exp", "e", {"x"}, {"a"});
    g.addNode("Softmax", "sm", {"a"}, {"b"}); // opaque: keeps e out of the chain
    g.addNode("Relu", "r", {"b"}, {"c"});
    g.addNode("Neg", "n", {"c"}, {"y"});
    g.markOutput("y");
    FusionPass().run(g);
    inferShapes(g);
    ASSERT_EQ(g.nodes.back().op, "aisys:Fused");
    MemoryPlan p = planMemory(g);
    EXPECT_EQ(p.intervalOf(g.findValue("y"))->inPlaceOf, g.findValue("b"));
    g.nodes.back().attrs["kernel"] = std::string("subgraph");
    EXPECT_EQ(planMemory(g).intervalOf(g.findValue("y"))->inPlaceOf, -1);
}

RC_GTEST_PROP(MemoryPlanProperty, NoOverlappingLifetimesShareABuffer,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs,
               bool inPlace, bool fuse)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    if (fuse) // fused element-wise chains may run in place too
        FusionPass().run(g);
    inferShapes(g);
    MemoryPlan p = planMemory(g, {.inPlace = inPlace, .reuse = true});
    for (std::size_t i = 0; i < p.intervals.size(); ++i)
        for (std::size_t j = i + 1; j < p.intervals.size(); ++j) {
            const auto &a = p.intervals[i], &b = p.intervals[j];
            if (a.buffer == b.buffer)
                RC_ASSERT(!lifetimesOverlap(a, b));
        }
    std::size_t sum = 0;
    for (const auto& b : p.buffers) {
        for (int v : b.values)
            RC_ASSERT(p.intervalOf(v)->bytes <= b.bytes);
        RC_ASSERT(b.offset == sum);
        sum += b.bytes;
    }
    RC_ASSERT(p.arenaBytes == sum);
    RC_ASSERT(p.arenaBytes >= p.maxLiveBytes);
    RC_ASSERT(p.arenaBytes <= p.noReuseBytes);
    // In place only for element-wise/broadcast ops over a same-typed input dying right there.
    for (const auto& iv : p.intervals) {
        if (iv.inPlaceOf < 0)
            continue;
        RC_ASSERT(inPlace);
        const Node& n = g.nodes[p.order[iv.start]];
        auto cat = OpRegistry::builtin().find(n.op)->category;
        RC_ASSERT(cat == FusionCategory::Elementwise || cat == FusionCategory::Broadcast ||
                  (n.op == "aisys:Fused" && attrString(n, "kernel", "") == "elementwise"));
        const LiveInterval* src = p.intervalOf(iv.inPlaceOf);
        RC_ASSERT(src != nullptr);
        RC_ASSERT(src->end == iv.start);
        RC_ASSERT(src->buffer == iv.buffer);
        RC_ASSERT(g.values[iv.inPlaceOf].shape == g.values[iv.value].shape);
    }
}

RC_GTEST_PROP(MemoryPlanProperty, NaturalPeakIsTheInterpretersPeak,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    inferShapes(g);
    MemoryPlan p = planMemory(g);
    Trace t;
    aisys::test::runGraph(g, aisys::test::randomTensor({2, 3, 4, 5}, 1), true, &t);
    RC_ASSERT(p.naturalPeakBytes == t.peakLiveBytes);
}

RC_GTEST_PROP(MemoryPlanProperty, RunningInTheArenaGivesTheInterpretersOutputs,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs,
               bool inPlace, bool fuse)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    if (fuse)
        FusionPass().run(g);
    inferShapes(g);
    const MemoryPlan p = planMemory(g, {.inPlace = inPlace, .reuse = true});
    const Tensor x = aisys::test::randomTensor({2, 3, 4, 5}, 21);
    RC_ASSERT(aisys::test::maxRelDiff(runWithPlan(g, p, {{"x", x}}), aisys::test::runGraph(g, x)) ==
              0.0);
}

TEST(MemoryPlan, AnOverlappingPlanCorruptsTheArenaRun) {
    // The check above can fail: force a and b (both alive at s) into one buffer.
    Graph g;
    g.addInput("x", DType::F32, {4, 8});
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Neg", "n", {"x"}, {"b"});
    g.addNode("Add", "s", {"a", "b"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    MemoryPlan p = planMemory(g);
    const Tensor x = aisys::test::randomTensor({4, 8}, 5);
    EXPECT_EQ(aisys::test::maxRelDiff(runWithPlan(g, p, {{"x", x}}), aisys::test::runGraph(g, x)),
              0.0);
    for (auto& iv : p.intervals)
        if (g.values[iv.value].name == "b")
            iv.offset = p.intervalOf(g.findValue("a"))->offset;
    EXPECT_GT(aisys::test::maxRelDiff(runWithPlan(g, p, {{"x", x}}), aisys::test::runGraph(g, x)),
              0.1);
}
