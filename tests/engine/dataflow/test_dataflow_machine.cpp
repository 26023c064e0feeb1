// The tagged-token dataflow machine: cond with Switch/Merge, while with Enter/Exit/NextIteration.
#include "engine/dataflow/dataflow_machine.h"

#include <gtest/gtest.h>

using namespace aisys::engine;

namespace {
double resultOf(const DataflowMachine& m, const std::string& node) {
    for (const auto& [n, t] : m.results())
        if (m.nodes()[n].name == node)
            return t.value;
    ADD_FAILURE() << "no result at " << node;
    return 0;
}
} // namespace

TEST(DataflowMachine, CondTakesOneBranchAndKillsTheOther) {
    for (double x : {3.0, -2.0, 0.0}) {
        DataflowMachine m = makeCondExample(x);
        m.run();
        EXPECT_DOUBLE_EQ(resultOf(m, "merge"), x > 0 ? 2 * x : -x) << "x = " << x;
        // Exactly one branch op computed a live value; the other saw a dead token.
        int liveNeg = 0, deadNeg = 0;
        for (const auto& f : m.firings())
            if (m.nodes()[f.node].kind == DfKind::Neg)
                (f.produced[0].second.dead ? deadNeg : liveNeg)++;
        EXPECT_EQ(liveNeg + deadNeg, 1);
        EXPECT_EQ(liveNeg, x > 0 ? 0 : 1);
        EXPECT_EQ(m.results().size(), 1u);
    }
}

TEST(DataflowMachine, WhileLoopRunsNIterationsWithTaggedTokens) {
    for (int n : {0, 1, 4, 7}) {
        DataflowMachine m = makeWhileExample(n);
        m.run();
        EXPECT_DOUBLE_EQ(resultOf(m, "exit s"), n * (n - 1) / 2.0) << "n = " << n;
        EXPECT_DOUBLE_EQ(resultOf(m, "exit i"), n);
        // NextIteration fires live once per iteration and raises the tag's iteration.
        int next = 0, maxIter = -1;
        for (const auto& f : m.firings()) {
            if (m.nodes()[f.node].name == "next i" && !f.produced.empty())
                ++next;
            for (const auto& [o, t] : f.produced)
                if (!t.iterations.empty())
                    maxIter = std::max(maxIter, t.iterations.back());
        }
        EXPECT_EQ(next, n);
        EXPECT_EQ(maxIter, n);
        // Results leave the loop frame: the tag is the root again.
        for (const auto& [node, t] : m.results())
            EXPECT_TRUE(t.frames.empty()) << t.tag();
    }
}

TEST(DataflowMachine, TagsMatchOnlyWithinTheSameIteration) {
    DfToken a, b;
    a.frames = b.frames = {"loop"};
    a.iterations = {1};
    b.iterations = {2};
    EXPECT_FALSE(a.sameTag(b));
    b.iterations = {-1}; // loop invariant
    EXPECT_TRUE(a.sameTag(b));
    EXPECT_EQ(a.tag(), "loop:1");
}
