// TPU facts and the TPUv4 interconnect model: tori, bisection, OCS wiring, slice allocation.
#include "engine/hw/tpu/pod.h"
#include "engine/hw/tpu/specs.h"
#include "engine/hw/tpu/torus.h"

#include <gtest/gtest.h>

#include <set>

using namespace aisys::engine::tpu;

TEST(TpuSpecs, PeaksFollowFromTheMacArrays) {
    // 65 536 MACs × 2 ops × 0.7 GHz = 91.75 TOPS ≈ 92; v2 45, v3 123, v4 275.
    EXPECT_NEAR(peakTopsFromArray(tpuGeneration("TPUv1")), 91.75, 0.01);
    for (const auto& g : tpuGenerations()) {
        if (g.peakTops > 0) {
            EXPECT_NEAR(peakTopsFromArray(g), g.peakTops, 0.025 * g.peakTops) << g.name;
        }
    }
}

TEST(TpuSpecs, TpuV1UsesTheCorrectedFigures) {
    const auto& v1 = tpuGeneration("TPUv1");
    EXPECT_EQ(v1.powerW, 75); // TDP, not the course's other 40 W
    EXPECT_FALSE(v1.powerIsMean);
    EXPECT_EQ(v1.memGBs, 34);                      // not the course table's 300 GB/s
    EXPECT_NEAR(ridgeOpsPerByte(v1), 2698.5, 1.0); // ≈ 1350 MAC/B
    TpuV1Buffers b;
    EXPECT_EQ(b.accumulatorBytes(), 4ll << 20);
    EXPECT_EQ(b.weightTileBytes(), 64ll << 10);
    EXPECT_NEAR(attainableTops(v1, 100), 3.4, 1e-9); // memory bound under the ridge
    EXPECT_NEAR(attainableTops(v1, 1e5), 91.75, 0.01);
    EXPECT_THROW(tpuGeneration("TPUv9"), std::invalid_argument);
}

TEST(TpuSpecs, TpuV4iAndV4UseThePublishedFigures) {
    // Jouppi et al., ISCA 2021, Table 1: TPUv4i has 8 GiB of HBM2 at 614 GB/s and 138 TFLOPS.
    const auto& v4i = tpuGeneration("TPUv4i");
    EXPECT_EQ(v4i.memory, "HBM2 8 GiB");
    EXPECT_EQ(v4i.memGBs, 614);
    EXPECT_EQ(v4i.peakTops, 138);
    EXPECT_NEAR(peakTopsFromArray(v4i), 137.6, 0.1);
    // TPUv4: 170 W is the measured mean, which the course's 1.62 TOPS/W implies.
    const auto& v4 = tpuGeneration("TPUv4");
    EXPECT_EQ(v4.powerW, 170);
    EXPECT_TRUE(v4.powerIsMean);
    EXPECT_NEAR(v4.peakTops / v4.powerW, 1.62, 0.005);
    for (const auto& g : tpuGenerations()) {
        EXPECT_FALSE(g.source.empty()) << g.name;
        EXPECT_GT(g.peakTops, 0) << g.name;
        if (g.name != "TPUv1") {
            EXPECT_EQ(g.memory.rfind("HBM", 0), 0u) << g.name; // "HBM instead of DDR3"
        }
    }
}

TEST(Torus, HopDistanceClosedFormEqualsBreadthFirstSearch) {
    for (auto dims : std::vector<std::vector<int>>{{4, 4, 4}, {16, 16}, {5, 3}, {8}, {2, 6, 3}})
        for (bool wrap : {true, false}) {
            Torus t(dims, wrap);
            const std::vector<bool> none(t.nodes(), false);
            int maxHops = 0;
            double sum = 0;
            for (int s = 0; s < t.nodes(); ++s) {
                auto d = t.routeDistances(s, none);
                for (int v = 0; v < t.nodes(); ++v) {
                    ASSERT_EQ(d[v], t.hopDistance(s, v)) << s << "→" << v;
                    maxHops = std::max(maxHops, d[v]);
                    sum += d[v];
                }
            }
            EXPECT_EQ(maxHops, t.diameter());
            EXPECT_NEAR(sum / (double(t.nodes()) * (t.nodes() - 1)), t.averageHops(), 1e-9);
        }
}

TEST(Torus, TpuV4CubeDistances) {
    Torus cube({4, 4, 4});
    EXPECT_EQ(cube.nodes(), 64);
    EXPECT_EQ(cube.links().size(), 192u); // 64 chips × 6 ports / 2
    EXPECT_EQ(cube.diameter(), 6);
    EXPECT_EQ(cube.hopDistance(cube.index({0, 0, 0}), cube.index({3, 3, 3})), 3); // wraps
    EXPECT_EQ(cube.hopDistance(cube.index({0, 0, 0}), cube.index({2, 2, 2})), 6);
    Torus mesh({4, 4, 4}, false);
    EXPECT_EQ(mesh.hopDistance(mesh.index({0, 0, 0}), mesh.index({3, 3, 3})), 9);
    EXPECT_EQ(mesh.links().size(), 144u);
}

TEST(Torus, BisectionMatchesTheCourseAndTheClosedForm) {
    EXPECT_EQ(Torus({16, 16}).bisectionLinks(), 32); // TPUv2 pod: 32 × 496 Gb/s
    for (int k : {4, 6, 8, 16})
        for (int n : {1, 2, 3}) {
            if (n == 3 && k > 8)
                continue;
            std::vector<int> dims(n, k);
            EXPECT_EQ(Torus(dims).bisectionLinks(), Torus::closedFormBisection(k, n));
            EXPECT_EQ(Torus(dims, false).bisectionLinks(), Torus::closedFormBisection(k, n) / 2);
        }
    EXPECT_EQ(Torus({16, 16, 16}).bisectionLinks(), 512);
}

TEST(Torus, RoutesAroundFailedChips) {
    Torus ring({8});
    std::vector<bool> failed(8, false);
    failed[1] = true;
    auto d = ring.routeDistances(0, failed);
    EXPECT_EQ(d[1], -1);
    EXPECT_EQ(d[2], 6); // the long way round
    EXPECT_EQ(ring.hopDistance(0, 2), 2);
    Torus mesh({8}, false);
    EXPECT_EQ(mesh.routeDistances(0, failed)[2], -1); // cut off
    EXPECT_THROW(Torus({1, 4}), std::invalid_argument);
    EXPECT_THROW(Torus({}), std::invalid_argument);
}

TEST(Pod, OcsWiringOfTpuV4) {
    auto w = ocsWiring(64, 4);
    EXPECT_EQ(w.linksPerCube, 96);
    EXPECT_EQ(w.ocsCount, 48);
    EXPECT_EQ(w.portsPerOcs, 128);
    EXPECT_EQ(w.totalFibres, w.ocsCount * w.portsPerOcs);
    Pod pod;
    EXPECT_EQ(pod.chips(), 4096);
    EXPECT_EQ(pod.cubeSide(), 4);
    EXPECT_THROW(Pod(10, 4), std::invalid_argument);
}

TEST(Pod, SlicesAvoidCubesWithFailedChips) {
    Pod pod;
    auto failed = pod.randomFailures(5, 7);
    int count = 0;
    for (bool f : failed)
        count += f;
    EXPECT_EQ(count, 5);
    auto healthy = pod.healthyCubes(failed);
    SliceShape s{8, 8, 8}; // 8 cubes
    auto a = pod.allocateWithOcs(s, failed);
    ASSERT_TRUE(a.ok) << a.reason;
    EXPECT_EQ(a.cubes.size(), 8u);
    EXPECT_EQ(std::set<int>(a.cubes.begin(), a.cubes.end()).size(), 8u);
    for (int c : a.cubes)
        EXPECT_TRUE(healthy[c]);
    auto st = pod.allocateStatic(s, failed);
    if (st.ok) {
        for (int c : st.cubes)
            EXPECT_TRUE(healthy[c]);
    }
    // The whole pod with one failed chip: impossible with and without OCS.
    std::vector<bool> one(pod.chips(), false);
    one[100] = true;
    EXPECT_FALSE(pod.allocateWithOcs({16, 16, 16}, one).ok);
    EXPECT_TRUE(pod.allocateWithOcs({16, 16, 12}, one).ok); // 48 healthy cubes suffice
    EXPECT_TRUE(pod.allocateStatic({16, 16, 12}, one).ok);  // cube 1 is on a face: avoidable
    // A failed chip in an inner cube (1,1,1) lies in every 4×4×3 block of the 4×4×4 grid.
    std::vector<bool> inner(pod.chips(), false);
    inner[((1 * 4 + 1) * 4 + 1) * 64 + 5] = true;
    EXPECT_FALSE(pod.allocateStatic({16, 16, 12}, inner).ok);
    EXPECT_TRUE(pod.allocateWithOcs({16, 16, 12}, inner).ok);
    EXPECT_NE(pod.checkShape({6, 4, 4}), "");
    EXPECT_NE(pod.checkShape({32, 16, 16}), "");
}

TEST(Pod, OcsProbabilityClosedFormAgreesWithMonteCarlo) {
    Pod pod;
    for (double avail : {0.999, 0.995}) {
        const double p = pod.ocsSuccessProbability(48, avail);
        const double mc = pod.monteCarloSuccess({16, 16, 12}, avail, true, 400, 3);
        EXPECT_NEAR(mc, p, 0.08) << avail;
        // The static layout can never beat OCS: any block it finds is a set of healthy cubes.
        EXPECT_LE(pod.monteCarloSuccess({16, 16, 12}, avail, false, 400, 3), mc);
    }
}
