// Megatron-style tensor parallelism on real shards: the sharded layer (attention by heads,
// column-then-row MLP, vocabulary-parallel cross-entropy) equals the unsharded one forward and
// backward; its f/g collectives ran on the simulator (verified, timed as the ring closed form
// on a ring); a split that does not divide is refused with its reason.
#include "engine/dist/closed_forms.h"
#include "engine/dist/tensor_parallel.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace aisys::engine::dist;

namespace {

void expectEqualToUnsharded(const TensorParallelResult& r, double tol) {
    ASSERT_EQ(r.compared.size(), 11u);
    for (const TpComparison& c : r.compared) {
        SCOPED_TRACE(c.name);
        EXPECT_GT(c.maxAbsRef, 0.0) << "the reference is all zeros: the comparison says nothing";
        EXPECT_LE(c.maxAbsDiff, tol * c.maxAbsRef); // relative to the value's own scale
    }
}

} // namespace

TEST(TensorParallel, ShardsEqualTheUnshardedLayerForwardAndBackward) {
    TransformerLayerShape s; // batch 2, seq 4, hidden 8, heads 4, ffn 32, vocab 16
    for (int t : {1, 2, 4}) {
        SCOPED_TRACE("t=" + std::to_string(t));
        TensorParallelConfig cfg;
        cfg.ranks = t;
        const TensorParallelResult r = runTensorParallel(s, cfg);
        expectEqualToUnsharded(r, 1e-5);
        EXPECT_LE(r.worstRelative(), 1e-5);
        EXPECT_NEAR(r.loss, r.referenceLoss, 1e-5);
        // A loss near log(vocab) (small random weights): the comparison is of real numbers.
        EXPECT_GT(r.referenceLoss, 1.0);
    }
    s = {1, 5, 16, 8, 16, 24}; // 8 heads over 8 ranks: one head each
    TensorParallelConfig cfg;
    cfg.ranks = 8;
    cfg.seed = 7;
    expectEqualToUnsharded(runTensorParallel(s, cfg), 1e-5);
}

TEST(TensorParallel, FAndGCollectivesRunOnTheSimulator) {
    const TransformerLayerShape s; // b·s = 8 tokens, hidden 8
    TensorParallelConfig cfg;
    cfg.ranks = 4;
    cfg.topology = "ring";
    cfg.net.alpha = 2e-6;
    cfg.net.bandwidth = 50e9;
    const TensorParallelResult r = runTensorParallel(s, cfg);
    // Forward: g after attention and after the MLP, the CE's max (all-gather), Σexp and the
    // target logit; backward: f of the output layer, the MLP and the attention.
    ASSERT_EQ(r.collectives.size(), 8u);
    int forward = 0;
    double sum = 0;
    for (const TpCollective& c : r.collectives) {
        SCOPED_TRACE(c.what);
        EXPECT_TRUE(c.verified);
        forward += c.phase == "forward";
        sum += c.time;
        const bool perToken = c.what.rfind("vocab-parallel", 0) == 0;
        const std::int64_t bytes =
            perToken ? (c.op == Op::AllGather ? 8 * 4 * 4 : 8 * 4) : 8 * 8 * 4; // b·s·h floats
        EXPECT_EQ(c.bytes, bytes);
        // One-hop ring, no contention: the simulated time is the textbook one.
        const auto closed = closedFormTime(c.op, Algo::Ring, 4, bytes / 4, 4, 2e-6, 50e9);
        ASSERT_TRUE(closed.has_value());
        EXPECT_NEAR(c.time, *closed, 1e-12 * *closed);
    }
    EXPECT_EQ(forward, 5);
    EXPECT_NEAR(r.commTime, sum, 1e-15);
    EXPECT_GT(r.commBytesRank, 0.0);
    // t = 1: nothing to exchange.
    cfg.ranks = 1;
    EXPECT_TRUE(runTensorParallel(s, cfg).collectives.empty());
}

TEST(TensorParallel, RefusesSplitsThatDoNotDivide) {
    TransformerLayerShape s; // heads 4, ffn 32, vocab 16, hidden 8
    EXPECT_EQ(checkTensorParallel(s, 4), "");
    EXPECT_EQ(checkTensorParallel(s, 3),
              "tensor parallel 3 does not divide heads 4 (each rank must hold the same number "
              "of heads)");
    s.ffn = 30;
    EXPECT_NE(checkTensorParallel(s, 4).find("does not divide ffn 30"), std::string::npos);
    s = {};
    s.vocab = 18;
    EXPECT_NE(checkTensorParallel(s, 4).find("does not divide vocab 18"), std::string::npos);
    s = {};
    s.heads = 3;
    EXPECT_NE(checkTensorParallel(s, 1).find("hidden 8 is not divisible by heads 3"),
              std::string::npos);
    s = {};
    EXPECT_NE(checkTensorParallel(s, 0).find("expected at least 1, got 0"), std::string::npos);
    s.seq = 0;
    EXPECT_NE(checkTensorParallel(s, 2).find("seq: expected at least 1"), std::string::npos);
    s = {};
    TensorParallelConfig cfg;
    cfg.ranks = 3;
    EXPECT_THROW(runTensorParallel(s, cfg), std::invalid_argument);
    cfg.ranks = 2;
    cfg.topology = "hypercube";
    EXPECT_THROW(runTensorParallel(s, cfg), std::invalid_argument);
}
