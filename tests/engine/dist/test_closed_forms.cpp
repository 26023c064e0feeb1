// The simulator against the textbook α-β costs: equal (to rounding) without contention, for
// many p (non-powers of two where the algorithm allows) and sizes; never below with contention.
#include "engine/dist/closed_forms.h"
#include "engine/dist/simulate.h"

#include <gtest/gtest.h>

using namespace aisys::engine::dist;

namespace {

constexpr double kAlpha = 3e-6, kBw = 40e9;

Topology shape(const std::string& name, int p) {
    ShapeParams sp;
    sp.ranks = p;
    sp.alpha = kAlpha;
    sp.bandwidth = kBw;
    std::string err;
    auto t = makeTopology(name, sp, err);
    EXPECT_TRUE(t) << err;
    return *t;
}

double simulated(const Topology& t, Op op, Algo algo, std::int64_t bytes) {
    CollectiveConfig c;
    c.op = op;
    c.algo = algo;
    c.bytes = bytes;
    std::string err;
    auto r = simulateCollective(t, c, err);
    EXPECT_TRUE(r) << err;
    EXPECT_TRUE(r && r->verified) << (r ? r->firstWrong : err);
    return r ? r->time : -1;
}

/// "Exactly": equal up to the rounding of summing the rounds in double.
void expectExact(double sim, double closed, const std::string& what) {
    EXPECT_NEAR(sim, closed, 1e-12 * closed) << what;
}

} // namespace

TEST(ClosedForms, RingAllReduceReduceScatterAndAllGatherOnARing) {
    for (int p : {2, 3, 4, 5, 6, 7, 8, 11, 16, 24, 31, 64})
        for (std::int64_t perRank : {1, 3, 256, 4096}) {
            const std::int64_t bytes = perRank * p * 4; // p divides the element count
            const Topology t = shape("ring", p);
            const double n = double(bytes), q = p;
            const std::string what = "p=" + std::to_string(p) + " n=" + std::to_string(bytes);
            expectExact(simulated(t, Op::AllReduce, Algo::Ring, bytes),
                        2 * (q - 1) * kAlpha + 2 * ((q - 1) / q) * n / kBw, "all-reduce " + what);
            expectExact(simulated(t, Op::ReduceScatter, Algo::Ring, bytes),
                        (q - 1) * kAlpha + ((q - 1) / q) * n / kBw, "reduce-scatter " + what);
            expectExact(simulated(t, Op::AllGather, Algo::Ring, bytes),
                        (q - 1) * kAlpha + ((q - 1) / q) * n / kBw, "all-gather " + what);
        }
}

TEST(ClosedForms, TreesAndButterfliesOnAFullyConnectedNetwork) {
    for (int p : {2, 3, 4, 5, 7, 8, 9, 16, 17, 32, 48, 64})
        for (std::int64_t perRank : {1, 5, 1024}) {
            const std::int64_t bytes = perRank * p * 4;
            const Topology t = shape("full", p);
            const double n = double(bytes), q = p;
            const std::string what = "p=" + std::to_string(p) + " n=" + std::to_string(bytes);
            int lg = 0;
            while ((1 << lg) < p)
                ++lg;
            expectExact(simulated(t, Op::Broadcast, Algo::Binomial, bytes), lg * (kAlpha + n / kBw),
                        "binomial broadcast " + what);
            const bool pow2 = (p & (p - 1)) == 0;
            const double red = simulated(t, Op::Reduce, Algo::Binomial, bytes);
            if (pow2) {
                expectExact(red, lg * (kAlpha + n / kBw), "binomial reduce " + what);
            } else { // the ranks above 2^⌊log₂p⌋ send at once, beside the first rounds
                EXPECT_LT(red, lg * (kAlpha + n / kBw)) << what;
                EXPECT_GE(red, (lg - 1) * (kAlpha + n / kBw) * (1 - 1e-12)) << what;
            }
            expectExact(simulated(t, Op::Broadcast, Algo::Linear, bytes),
                        (q - 1) * (kAlpha + n / kBw), "linear broadcast " + what);
            const double rd = simulated(t, Op::AllReduce, Algo::RecursiveDoubling, bytes);
            const double rab = simulated(t, Op::AllReduce, Algo::Rabenseifner, bytes);
            if (pow2) {
                expectExact(rd, lg * (kAlpha + n / kBw), "recursive doubling " + what);
                expectExact(rab, 2 * lg * kAlpha + 2 * ((q - 1) / q) * n / kBw,
                            "rabenseifner " + what);
            } else {
                // MPICH's fold: one round in, ⌊log₂p⌋ exchanges, one round out.
                expectExact(rd, (lg - 1 + 2) * (kAlpha + n / kBw), "folded rd " + what);
                EXPECT_GT(rab, 2 * (lg - 1) * kAlpha + 2 * ((q - 1) / q) * n / kBw) << what;
            }
            // closedFormTime agrees with the formulas written here.
            expectExact(*closedFormTime(Op::AllReduce, Algo::RecursiveDoubling, p, bytes / 4, 4,
                                        kAlpha, kBw),
                        rd, "closedFormTime " + what);
        }
}

TEST(ClosedForms, ChunksPipelineAlongARouteOfSeveralHops) {
    // A ring of 8 with one message from rank 0 to rank 3 (3 hops, via 1 and 2): (H+k−1)(α+c/β).
    const Topology t = shape("ring", 8);
    Routing routing(t);
    ASSERT_EQ(routing.route(0, 3).size(), 3u);
    for (std::int64_t chunk : {std::int64_t(0), std::int64_t(1) << 16, std::int64_t(1) << 18}) {
        Network net(t, routing);
        net.send(0, 3, std::int64_t(1) << 20, chunk, 7);
        std::uint64_t got = 0;
        net.run([&](std::uint64_t c) { got = c; });
        EXPECT_EQ(got, 7u);
        expectExact(net.now(), pipelineTime(3, std::int64_t(1) << 20, chunk, kAlpha, kBw),
                    "chunk " + std::to_string(chunk));
    }
}

TEST(ClosedForms, ContentionIsNeverFasterThanTheClosedForm) {
    // 1. Several transfers on one link: k messages of n bytes share it: k·n/β + α exactly
    //    (max-min: each gets β/k while all are active).
    const Topology ring = shape("ring", 4);
    for (int k : {1, 2, 3, 5}) {
        Routing routing(ring);
        Network net(ring, routing);
        for (int i = 0; i < k; ++i)
            net.send(0, 1, 1 << 20, 0, i);
        int delivered = 0;
        net.run([&](std::uint64_t) { ++delivered; });
        EXPECT_EQ(delivered, k);
        expectExact(net.now(), kAlpha + k * double(1 << 20) / kBw, "k=" + std::to_string(k));
        EXPECT_DOUBLE_EQ(net.linkBytes()[0], k * double(1 << 20));
        // The timeline: a fixed 64 bins per link, wide enough for the run; link 0 was busy
        // for k·n/β (transmitting), the others not at all.
        const UtilizationTimeline& tl = net.timeline();
        ASSERT_EQ(tl.busy.size(), std::size_t(ring.linkCount()) * 64);
        EXPECT_GE(tl.binWidth * tl.bins, net.now());
        double busy0 = 0, busyOthers = 0;
        for (int b = 0; b < tl.bins; ++b) {
            busy0 += tl.busy[b];
            EXPECT_LE(tl.utilization(0, b), 1 + 1e-9);
            for (int l = 1; l < ring.linkCount(); ++l)
                busyOthers += tl.busy[std::size_t(l) * tl.bins + b];
        }
        EXPECT_NEAR(busy0, k * double(1 << 20) / kBw, 1e-15);
        EXPECT_EQ(busyOthers, 0);
    }
    // 2. Unequal sizes: the small one finishes first, then the big one has the whole link.
    {
        Routing routing(ring);
        Network net(ring, routing);
        net.send(0, 1, 1000, 0, 0);
        net.send(0, 1, 3000, 0, 1);
        std::vector<double> at(2);
        net.run([&](std::uint64_t c) { at[c] = net.now(); });
        expectExact(at[0], kAlpha + 2000 / kBw, "small");
        expectExact(at[1], kAlpha + 4000 / kBw, "big");
    }
    // 3. An oversubscribed fat-tree: ring all-reduce is slower than on a full-bisection one,
    //    and both are at least the ring closed form with the path's α.
    for (int p : {8, 16, 32}) {
        const std::int64_t bytes = std::int64_t(p) * 65536;
        const double cf = *closedFormTime(Op::AllReduce, Algo::Ring, p, bytes / 4, 4, kAlpha, kBw);
        ShapeParams sp;
        sp.ranks = p;
        sp.alpha = kAlpha;
        sp.bandwidth = kBw;
        sp.fatTreeRadix = 4;
        std::string err;
        double times[2];
        for (int o = 0; o < 2; ++o) {
            sp.oversubscription = o == 0 ? 1 : 4;
            auto t = makeTopology("fat-tree", sp, err);
            ASSERT_TRUE(t) << err;
            CollectiveConfig c;
            c.algo = Algo::Ring;
            c.bytes = bytes;
            c.chunkBytes = 4096;
            auto r = simulateCollective(*t, c, err);
            ASSERT_TRUE(r) << err;
            EXPECT_TRUE(r->verified);
            EXPECT_GE(r->time, cf) << "p=" << p;
            times[o] = r->time;
        }
        EXPECT_GT(times[1], times[0]) << "p=" << p;
    }
}

TEST(ClosedForms, RingLosesToATreeForSmallMessagesAndWinsForLargeOnes) {
    // The course's crossover: a tree pays ~2·log₂p latencies but moves the whole vector at each
    // level; the ring pays 2(p−1) latencies but moves only 2(p−1)/p of it.
    const int p = 32;
    const Topology mesh = shape("full", p);
    const double ringSmall = simulated(mesh, Op::AllReduce, Algo::Ring, 32 * 4);
    const double treeSmall = simulated(mesh, Op::AllReduce, Algo::Binomial, 32 * 4);
    const double ringLarge = simulated(mesh, Op::AllReduce, Algo::Ring, std::int64_t(64) << 20);
    const double treeLarge = simulated(mesh, Op::AllReduce, Algo::Binomial, std::int64_t(64) << 20);
    EXPECT_LT(treeSmall, ringSmall);
    EXPECT_LT(ringLarge, treeLarge);
    // And both are their closed forms: binomial reduce + broadcast = 2·log₂p·(α + n/β).
    expectExact(treeLarge, 2 * 5 * (kAlpha + double(std::int64_t(64) << 20) / kBw), "tree");
}
