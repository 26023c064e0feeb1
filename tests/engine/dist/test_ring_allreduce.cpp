// Ring all-reduce: final buffers, traffic against the closed form, and the round structure.
#include "engine/dist/ring_allreduce.h"
#include "engine/dist/simulate.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>

using namespace aisys::engine;

namespace {
std::vector<std::vector<float>> randomInputs(int p, std::int64_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> d(-50, 50);
    std::vector<std::vector<float>> in(p, std::vector<float>(n));
    for (auto& v : in)
        for (auto& x : v)
            x = static_cast<float>(d(rng));
    return in;
}
} // namespace

TEST(RingAllReduce, EveryRankEndsWithTheSumForManySizes) {
    for (int p = 2; p <= 16; ++p)
        for (std::int64_t n : {1, 2, 7, 8, 16, 33, 100}) {
            RingAllReduce ring(randomInputs(p, n, unsigned(p * 1000 + n)));
            ASSERT_EQ(ring.roundCount(), 2 * (p - 1));
            const auto expect = ring.expectedSum();
            const auto& last = ring.round(ring.roundCount() - 1);
            for (int r = 0; r < p; ++r)
                for (std::int64_t i = 0; i < n; ++i)
                    ASSERT_EQ(last.buffers[r][i], expect[i]) << "p=" << p << " n=" << n;
            for (int r = 0; r < p; ++r)
                for (int c = 0; c < p; ++c)
                    EXPECT_EQ(std::popcount(last.contributors[r][c]), p);
        }
}

TEST(RingAllReduce, BytesPerRankMatchClosedFormWhenPDividesN) {
    for (int p = 2; p <= 16; ++p) {
        const std::int64_t n = 4 * p;
        RingAllReduce ring(randomInputs(p, n, 5));
        const auto& last = ring.round(ring.roundCount() - 1);
        for (int r = 0; r < p; ++r)
            EXPECT_DOUBLE_EQ(double(last.bytesSent[r]),
                             RingAllReduce::closedFormBytesPerRank(p, n, 4));
    }
    // The course example: 4 GPUs, 8 floats → 2·3/4·32 B = 48 B.
    EXPECT_DOUBLE_EQ(RingAllReduce::closedFormBytesPerRank(4, 8, 4), 48.0);
}

TEST(RingAllReduce, TotalTrafficIsTwoTimesPMinusOneChunksEvenWhenUneven) {
    const int p = 5;
    const std::int64_t n = 13; // chunks of 3,3,3,2,2
    RingAllReduce ring(randomInputs(p, n, 9));
    std::int64_t total = 0;
    for (int r = 0; r < p; ++r)
        total += ring.round(ring.roundCount() - 1).bytesSent[r];
    EXPECT_EQ(total, 2 * (p - 1) * n * 4);
    EXPECT_EQ(ring.chunkEnd(0) - ring.chunkBegin(0), 3);
    EXPECT_EQ(ring.chunkEnd(4) - ring.chunkBegin(4), 2);
    EXPECT_EQ(ring.chunkEnd(p - 1), n);
}

TEST(RingAllReduce, AfterReduceScatterRankOwnsChunkRPlusOne) {
    const int p = 4;
    RingAllReduce ring(randomInputs(p, 8, 2));
    const auto& rs = ring.round(p - 2); // last reduce-scatter round
    EXPECT_EQ(rs.kind, RingRound::Kind::ReduceScatter);
    for (int r = 0; r < p; ++r) {
        int owned = (r + 1) % p;
        EXPECT_EQ(std::popcount(rs.contributors[r][owned]), p) << "rank " << r;
        for (int c = 0; c < p; ++c) {
            if (c != owned) {
                EXPECT_LT(std::popcount(rs.contributors[r][c]), p);
            }
        }
    }
    EXPECT_EQ(ring.round(p - 1).kind, RingRound::Kind::AllGather);
}

TEST(RingAllReduce, EachRoundSendsToTheNextRank) {
    RingAllReduce ring(randomInputs(6, 12, 1));
    for (int k = 0; k < ring.roundCount(); ++k)
        for (const auto& t : ring.round(k).transfers)
            EXPECT_EQ(t.dst, (t.src + 1) % 6);
}

TEST(RingAllReduce, RejectsImpossibleInputs) {
    using Vecs = std::vector<std::vector<float>>;
    EXPECT_THROW(RingAllReduce(Vecs{{1.0f}}), std::invalid_argument);
    EXPECT_THROW(RingAllReduce(Vecs{{1.0f, 2.0f}, {1.0f}}), std::invalid_argument);
    EXPECT_THROW(RingAllReduce(Vecs{{}, {}}), std::invalid_argument);
}

TEST(RingAllReduce, AlphaBetaTimeFormula) {
    // 2(p-1)(α + (n/p)·4/β) with p=4, n=1M floats, α=5 µs, β=100 GB/s.
    double t = RingAllReduce::alphaBetaTime(4, 1 << 20, 4, 5e-6, 100e9);
    EXPECT_NEAR(t, 6 * (5e-6 + (262144.0 * 4) / 100e9), 1e-12);
}

TEST(RingAllReduce, TheSimulatorAgreesWithTheRoundByRoundRing) {
    // The Lab's times come from the collective simulator running the same inputs: its result
    // equals the ring's last round, and its time is the ring's α-β time (exactly when p divides
    // n; below it otherwise, as only some chunks have ⌈n/p⌉ elements).
    using namespace aisys::engine::dist;
    for (int p : {2, 3, 4, 5, 8, 16})
        for (std::int64_t n : {std::int64_t(p), std::int64_t(3 * p), std::int64_t(7)}) {
            auto inputs = randomInputs(p, n, unsigned(p * 100 + n));
            RingAllReduce ring(inputs);
            ShapeParams sp;
            sp.ranks = p;
            sp.alpha = 5e-6;
            sp.bandwidth = 1e9;
            std::string err;
            auto topo = makeTopology("ring", sp, err);
            ASSERT_TRUE(topo) << err;
            CollectiveConfig cfg;
            cfg.bytes = n * 4;
            cfg.keepBuffers = true;
            for (const auto& v : inputs)
                cfg.inputs.push_back(Tensor::f32({n}, v));
            auto r = simulateCollective(*topo, cfg, err);
            ASSERT_TRUE(r) << err;
            ASSERT_TRUE(r->verified) << r->firstWrong;
            const auto& last = ring.round(ring.roundCount() - 1).buffers;
            for (int q = 0; q < p; ++q)
                for (std::int64_t i = 0; i < n; ++i)
                    EXPECT_NEAR(r->buffers[q].data<float>()[i], last[q][i], 1e-5)
                        << "p=" << p << " n=" << n;
            const double ab = RingAllReduce::alphaBetaTime(p, n, 4, 5e-6, 1e9);
            if (n % p == 0) {
                EXPECT_NEAR(r->time, ab, 1e-12 * ab) << "p=" << p << " n=" << n;
                // Every round ends (k+1)(α + (n/p)·4/β) after the start.
                ASSERT_EQ(int(r->roundEnd.size()), 2 * (p - 1));
                for (int k = 0; k < 2 * (p - 1); ++k)
                    EXPECT_NEAR(r->roundEnd[k], (k + 1) * ab / (2 * (p - 1)), 1e-12 * ab);
                // RingAllReduce's own rounds ran on the simulator with the same links.
                RingAllReduce timed(inputs, 4, 5e-6, 1e9);
                for (int k = 0; k < timed.roundCount(); ++k)
                    EXPECT_NEAR(timed.round(k).time, r->roundEnd[k], 1e-12 * ab);
            } else {
                EXPECT_LE(r->time, ab * (1 + 1e-12)) << "p=" << p << " n=" << n;
            }
        }
}
