// Interconnect facts: NVLink generations, PCIe x16 bandwidths, NVLink packet efficiency.
#include "engine/hw/interconnect/links.h"

#include <gtest/gtest.h>

using namespace aisys::engine::hw::interconnect;

TEST(Nvlink, PerGpuBandwidths) {
    // SYLLABUS §2.9: 160, 300, 600, 900, 1800 GB/s bidirectional per GPU.
    const double expect[] = {160, 300, 600, 900, 1800};
    ASSERT_EQ(nvlinkGens().size(), 5u);
    for (size_t i = 0; i < 5; ++i) {
        const NvlinkGen& g = nvlinkGens()[i];
        EXPECT_DOUBLE_EQ(g.gpuGBsBidirectional(), expect[i]) << g.gpu;
        // A link's bandwidth is its pairs × signaling rate / 8 (within the 25.78 vs 25 rounding).
        EXPECT_NEAR(g.pairsPerDirection * g.signalingGbps / 8, g.linkGBsPerDirection, 0.01)
            << g.gpu;
    }
    EXPECT_DOUBLE_EQ(nvlinkGens()[0].linkGBsBidirectional(), 40);
}

TEST(Pcie, X16) {
    EXPECT_NEAR(pcieGens()[0].GBsPerDirection(), 15.754, 0.001);
    EXPECT_NEAR(2 * pcieGens()[0].GBsPerDirection(), 31.5, 0.01); // "about 32 GB/s" bidir
    EXPECT_NEAR(pcieGens()[1].GBsPerDirection(), 31.51, 0.01);
    EXPECT_NEAR(pcieGens()[2].GBsPerDirection(), 63.02, 0.01);
}

TEST(Nvlink, FlitEfficiency) {
    const FlitEfficiency f256 = nvlinkPacketEfficiency(256);
    EXPECT_EQ(f256.dataFlits, 16);
    EXPECT_EQ(f256.totalFlits, 17);
    EXPECT_NEAR(f256.efficiency * 100, 94.12, 0.005);
    const FlitEfficiency f64 = nvlinkPacketEfficiency(64);
    EXPECT_EQ(f64.totalFlits, 5);
    EXPECT_DOUBLE_EQ(f64.efficiency, 0.8);
    EXPECT_DOUBLE_EQ(nvlinkPacketEfficiency(16).efficiency, 0.5);
    EXPECT_NEAR(nvlinkPacketEfficiency(17).efficiency, 17.0 / 48, 1e-12);
    EXPECT_FALSE(nvlinkPacketEfficiency(0).error.empty());
    EXPECT_NE(nvlinkPacketEfficiency(257).error.find("1..256"), std::string::npos);
    EXPECT_DOUBLE_EQ(nvlinkWireBytes(512), 2 * 17 * 16);
    EXPECT_DOUBLE_EQ(nvlinkWireBytes(256 + 64), 17 * 16 + 5 * 16);
}
