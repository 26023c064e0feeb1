// Layer cost against the course's examples and closed forms, and its messages for bad shapes.
#include "engine/hw/roofline/layer_cost.h"

#include <gtest/gtest.h>

namespace hw = aisys::engine::hw;

namespace {

hw::ConvShape conv(std::int64_t inC, std::int64_t outC, std::int64_t k, std::int64_t groups = 1) {
    hw::ConvShape s;
    s.inC = inC;
    s.outC = outC;
    s.kernelH = s.kernelW = k;
    s.groups = groups;
    s.height = s.width = 32;
    s.pad = k / 2;
    return s;
}

} // namespace

TEST(LayerCost, TwoThreeByThreeConvsHave18Of25TheParametersOfOneFiveByFive) {
    // SYLLABUS §2.1: two stacked 3×3 convs see a 5×5 field with 2·9 = 18 weights per channel
    // pair against 25.
    const auto five = hw::convCost(conv(64, 64, 5), 2);
    const auto three = hw::convCost(conv(64, 64, 3), 2);
    ASSERT_TRUE(five.ok() && three.ok());
    EXPECT_EQ(five.cost.params, 25 * 64 * 64);
    EXPECT_EQ(2 * three.cost.params * 25, 18 * five.cost.params);
}

TEST(LayerCost, DepthwiseSeparableSixteenToThirtyTwoIs656Parameters) {
    // SYLLABUS §2.1: 3×3, 16 → 32 channels, without bias: 4608 standard, 144 + 512 separable.
    const auto standard = hw::convCost(conv(16, 32, 3), 4);
    const auto separable = hw::depthwiseSeparableCost(conv(16, 32, 3), 4);
    ASSERT_TRUE(standard.ok() && separable.ok()) << separable.error;
    EXPECT_EQ(standard.cost.params, 4608);
    EXPECT_EQ(separable.cost.params, 656);
    const auto dw = hw::convCost(conv(16, 16, 3, 16), 4);
    ASSERT_TRUE(dw.ok());
    EXPECT_EQ(dw.cost.params, 144);
    // The ratio 1/Co + 1/k² of the MACs (same spatial size: pad 1).
    EXPECT_NEAR(separable.cost.macs / standard.cost.macs, 1.0 / 32 + 1.0 / 9, 1e-12);
}

TEST(LayerCost, ConvFollowsTheCourseFormulasWithAndWithoutBias) {
    // Params = (k·k·Ci + 1)·Co with bias; the course's FLOPs W·H·(k·k·Ci+1)·Co count MACs with
    // the bias add, which is this macs + outputs; FLOPs = 2·MACs + bias adds.
    hw::ConvShape s = conv(3, 8, 3);
    s.bias = true;
    const auto c = hw::convCost(s, 4);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c.cost.params, (3 * 3 * 3 + 1) * 8);
    EXPECT_DOUBLE_EQ(c.cost.macs + double(c.cost.outputElements), 32.0 * 32 * (3 * 3 * 3 + 1) * 8);
    EXPECT_DOUBLE_EQ(c.cost.flops, 2 * c.cost.macs + 32.0 * 32 * 8);
    // Bytes: input + weights + output, each once (SYLLABUS §2.2 memory access cost), × 4 B.
    EXPECT_DOUBLE_EQ(c.cost.bytes, (3.0 * 32 * 32 + c.cost.params + 8.0 * 32 * 32) * 4);
    // Stride 2 without pad: (32 − 3)/2 + 1 = 15.
    hw::ConvShape t = conv(3, 8, 3);
    t.stride = 2;
    t.pad = 0;
    EXPECT_EQ(hw::convCost(t, 4).cost.outputElements, 8 * 15 * 15);
}

TEST(LayerCost, FcGemmElementwiseSoftmaxAndAttentionCounts) {
    const auto fc = hw::fcCost(4, 100, 10, true, 4);
    ASSERT_TRUE(fc.ok());
    EXPECT_EQ(fc.cost.params, 1010);
    EXPECT_DOUBLE_EQ(fc.cost.macs, 4000);
    EXPECT_DOUBLE_EQ(fc.cost.flops, 8040);
    EXPECT_DOUBLE_EQ(fc.cost.bytes, (400 + 1010 + 40) * 4.0);

    const auto g = hw::gemmCost(8192, 128, 8192, 2);
    ASSERT_TRUE(g.ok());
    // MNK / (MK + KN + MN) with 2-byte operands and 2 FLOPs per MAC: the course's 124.1.
    EXPECT_NEAR(g.cost.intensity(), 124.1, 0.05);
    EXPECT_NEAR(hw::gemmCost(8192, 8192, 8192, 2).cost.intensity(), 2730.67, 0.01);
    // FP32 halves the intensity of the same shape (SYLLABUS §2.2).
    EXPECT_DOUBLE_EQ(hw::gemmCost(8192, 128, 8192, 4).cost.intensity(), g.cost.intensity() / 2);

    const auto relu = hw::elementwiseCost(1000, 1, 1, 4);
    EXPECT_DOUBLE_EQ(relu.cost.intensity(), 1.0 / 8);
    const auto sm = hw::softmaxCost(10, 100, 4);
    EXPECT_DOUBLE_EQ(sm.cost.flops, 5000);
    EXPECT_DOUBLE_EQ(sm.cost.bytes, 8000);

    // Attention: 2·b·h·s²·d MACs (QKᵀ and ·V); projections add 4·b·s·model².
    const auto att = hw::attentionCost(2, 128, 512, 8, false, 2);
    ASSERT_TRUE(att.ok());
    EXPECT_DOUBLE_EQ(att.cost.macs, 2.0 * 2 * 8 * 128 * 128 * 64);
    const auto proj = hw::attentionCost(2, 128, 512, 8, true, 2);
    EXPECT_DOUBLE_EQ(proj.cost.macs - att.cost.macs, 4.0 * 2 * 128 * 512 * 512);
    EXPECT_EQ(proj.cost.params, 4 * 512 * 512 + 4 * 512);
}

TEST(LayerCost, ImpossibleShapesAreErrorsThatSayWhatWasExpected) {
    EXPECT_EQ(hw::convCost(conv(16, 32, 3, 3), 4).error,
              "conv: 16 input and 32 output channels must both be divisible by 3 groups");
    hw::ConvShape big = conv(3, 8, 7);
    big.height = big.width = 4;
    big.pad = 0;
    EXPECT_NE(hw::convCost(big, 4).error.find("does not fit a 4×4 input"), std::string::npos);
    EXPECT_EQ(hw::gemmCost(0, 4, 4, 2).error, "gemm: M = 0 (expected a positive integer)");
    EXPECT_EQ(hw::attentionCost(1, 8, 100, 3, false, 2).error,
              "attention: model width 100 is not divisible by 3 heads");
    EXPECT_FALSE(hw::fcCost(1, 2, 3, false, 0).ok());
}
