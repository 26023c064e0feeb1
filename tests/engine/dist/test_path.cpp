// One transfer between two GPUs on the shipped interconnect topologies: hops, bottleneck,
// max-flow bandwidth and α + n/B.
#include "engine/dist/path.h"

#include <gtest/gtest.h>

using namespace aisys::engine::dist;

namespace {
Topology load(const char* name) {
    std::string err;
    auto t = loadTopology(std::string(AISYS_SOURCE_DIR "/assets/topologies/") + name, err);
    EXPECT_TRUE(t) << err;
    return *t;
}
} // namespace

TEST(Path, PcieTree) {
    const Topology t = load("pcie_tree.topo");
    const PathReport same = pathBetween(t, 0, 1, 0);
    EXPECT_EQ(same.hops, 2);
    EXPECT_NEAR(same.alpha, 1.47e-6, 1e-12);
    const PathReport far = pathBetween(t, 0, 7, 64e6);
    EXPECT_EQ(far.hops, 5); // gpu → plx → cpu → cpu → plx → gpu
    EXPECT_NEAR(far.bottleneck, 15.75e9, 1);
    EXPECT_NEAR(far.time, far.alpha + 64e6 / 15.75e9, 1e-12);
    EXPECT_NEAR(far.maxFlow, 15.75e9, 1);
}

TEST(Path, Dgx1CubeMesh) {
    const Topology t = load("dgx1_cube_mesh.topo");
    // Inside a quad and i ↔ i+4: one link.
    EXPECT_EQ(pathBetween(t, 0, 3, 0).hops, 1);
    EXPECT_EQ(pathBetween(t, 1, 5, 0).hops, 1);
    // Across quads otherwise: through one more GPU.
    for (int a = 0; a < 4; ++a)
        for (int b = 4; b < 8; ++b)
            if (b != a + 4) {
                const PathReport r = pathBetween(t, a, b, 1e6);
                EXPECT_EQ(r.hops, 2) << a << "→" << b;
                EXPECT_EQ(r.gpuHops, 1);
                EXPECT_NEAR(r.alpha, 1.4e-6, 1e-12);
                // All 4 links of a GPU can carry the transfer over disjoint paths: 80 GB/s.
                EXPECT_NEAR(r.maxFlow, 80e9, 1);
            }
}

TEST(Path, NvSwitchIsNonBlocking) {
    // Every pair gets the GPU's whole NVLink bandwidth per direction: DGX-2 150, DGX A100 300,
    // DGX H100 450 GB/s; the simulator's single route uses one switch.
    struct Case {
        const char* file;
        double perGpu;
        double oneRoute;
    };
    for (auto [file, perGpu, oneRoute] :
         {Case{"dgx2.topo", 150e9, 25e9}, Case{"dgx_a100.topo", 300e9, 50e9},
          Case{"dgx_h100.topo", 450e9, 125e9}}) {
        const Topology t = load(file);
        for (int a = 0; a < t.rankCount(); ++a)
            for (int b = 0; b < t.rankCount(); ++b)
                if (a != b) {
                    const PathReport r = pathBetween(t, a, b, 1 << 20);
                    EXPECT_NEAR(r.maxFlow, perGpu, 1) << file << " " << a << "→" << b;
                    EXPECT_NEAR(r.bottleneck, oneRoute, 1) << file;
                    EXPECT_EQ(r.gpuHops, 0);
                    EXPECT_EQ(r.hops, (a < 8) == (b < 8) ? 2 : 3) << file;
                }
    }
}

TEST(Path, BadRanks) {
    const Topology t = load("dgx_a100.topo");
    EXPECT_THROW(pathBetween(t, 0, 8, 0), std::invalid_argument);
    EXPECT_THROW(pathBetween(t, -1, 0, 0), std::invalid_argument);
    EXPECT_THROW(pathBetween(t, 0, 1, -5), std::invalid_argument);
    EXPECT_EQ(pathBetween(t, 3, 3, 100).hops, 0);
}
