// The roofline on a device: ridge, attainable, bound; the course's V100 GEMMs; a model's nodes.
#include "engine/hw/roofline/layer_cost.h"
#include "engine/hw/roofline/model_roofline.h"
#include "engine/hw/roofline/roofline.h"
#include "engine/models/zoo.h"

#include <gtest/gtest.h>

namespace hw = aisys::engine::hw;

namespace {

/// V100 as the course uses it (its numbers; the shipped file is tested in tests/lessons/devices).
hw::Device v100() {
    hw::Device d;
    d.name = "V100";
    d.clockGHz = 1.53;
    d.units = 80;
    d.tensorCoresPerUnit = 8;
    hw::PeakRate fp16;
    fp16.precision = hw::Precision::Fp16;
    fp16.denseTflops = 125;
    fp16.fmaPerTensorCoreClock = 64;
    d.peaks = {fp16};
    d.memory = {{"HBM2", 16e9, false, 900, 0, "", 0}, {"L2", 6e6, false, 3100, 0, "", 0}};
    return d;
}

} // namespace

TEST(Roofline, V100RidgeIs138Point9FlopPerByteOffChip) {
    const auto r = hw::makeRoof(v100(), hw::Precision::Fp16);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.roof.memory, "HBM2");
    EXPECT_NEAR(r.roof.ridge(), 138.9, 0.05);
    // From L2 the ridge is ~40 (SYLLABUS §2.2).
    EXPECT_NEAR(hw::makeRoof(v100(), hw::Precision::Fp16, "l2").roof.ridge(), 40.3, 0.1);
}

TEST(Roofline, TheCourseV100GemmsAreMemoryAndComputeBound) {
    const hw::Roof roof = hw::makeRoof(v100(), hw::Precision::Fp16).roof;
    const auto thin = hw::gemmCost(8192, 128, 8192, 2).cost;
    const auto p = hw::placeOnRoof(roof, thin.flops, thin.bytes);
    EXPECT_NEAR(p.intensity, 124.1, 0.05);
    EXPECT_TRUE(p.memoryBound);
    EXPECT_NEAR(p.attainableTflops, 124.1 * 0.9, 0.05); // AI × 900 GB/s
    const auto cube = hw::gemmCost(8192, 8192, 8192, 2).cost;
    const auto q = hw::placeOnRoof(roof, cube.flops, cube.bytes);
    EXPECT_FALSE(q.memoryBound);
    EXPECT_DOUBLE_EQ(q.attainableTflops, 125);
    EXPECT_DOUBLE_EQ(q.seconds, cube.flops / 125e12);
}

TEST(Roofline, AttainableIsTheMinimumOfPeakAndIntensityTimesBandwidth) {
    const hw::Roof roof = hw::makeRoof(v100(), hw::Precision::Fp16).roof;
    for (double ai : {0.01, 1.0, 50.0, 138.0, 139.0, 1e4}) {
        const auto p = hw::placeOnRoof(roof, ai * 1e9, 1e9);
        EXPECT_DOUBLE_EQ(p.attainableTflops, std::min(125.0, ai * 0.9));
        // The time estimate agrees with the roof: flops / time = attainable.
        EXPECT_NEAR(p.flops / p.seconds / 1e12, p.attainableTflops, 1e-9 * p.attainableTflops);
        EXPECT_EQ(p.memoryBound, ai < roof.ridge());
    }
}

TEST(Roofline, MissingPeaksAndLevelsAreMessages) {
    EXPECT_EQ(hw::makeRoof(v100(), hw::Precision::Fp8).error,
              "V100 publishes no fp8 peak (it has: fp16)");
    EXPECT_EQ(hw::makeRoof(v100(), hw::Precision::Fp16, "L9").error,
              "V100: no memory level 'L9' with a published bandwidth (expected one of: HBM2, L2)");
}

TEST(ModelRoofline, EveryNodeIsAPointAndTheTotalIsTheirSum) {
    const auto g = aisys::engine::models::smallCnn(4);
    const hw::Roof f32 = {"X", "DRAM", hw::Precision::Fp32, 10, 100};
    const hw::Roof f16 = {"X", "DRAM", hw::Precision::Fp16, 10, 100};
    const auto a = hw::modelRoofline(g, f32);
    const auto b = hw::modelRoofline(g, f16);
    ASSERT_TRUE(a.error.empty()) << a.error;
    ASSERT_EQ(a.nodes.size(), g.nodes.size());
    double flops = 0, seconds = 0;
    for (const auto& n : a.nodes) {
        flops += n.point.flops;
        seconds += n.point.seconds;
    }
    EXPECT_DOUBLE_EQ(flops, a.totalFlops);
    EXPECT_DOUBLE_EQ(seconds, a.totalSeconds);
    EXPECT_GT(a.totalFlops, 0);
    EXPECT_TRUE(a.complete);
    // Same FLOPs at f16, half the float bytes: every Conv's intensity doubles.
    EXPECT_DOUBLE_EQ(a.totalFlops, b.totalFlops);
    for (std::size_t i = 0; i < a.nodes.size(); ++i)
        if (a.nodes[i].op == "Conv") {
            EXPECT_NEAR(b.nodes[i].point.intensity, 2 * a.nodes[i].point.intensity,
                        1e-9 * a.nodes[i].point.intensity);
        }
}
