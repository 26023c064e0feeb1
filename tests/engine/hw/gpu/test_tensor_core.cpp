// Tensor Cores: the tiled GEMM equals the reference product, instruction counts and padding,
// padding, bad tilings (the peaks from the device files: lessons/devices/test_tensor_core_peaks).
#include "engine/hw/gpu/tensor_core.h"

#include <gtest/gtest.h>

#include <random>

using namespace aisys::engine::hw;
using namespace aisys::engine::hw::gpu;

namespace {
std::vector<float> randomMatrix(int n, unsigned seed, bool integers) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> v(n);
    for (float& x : v)
        x = integers ? float(int(rng() % 7) - 3) : u(rng);
    return v;
}
} // namespace

TEST(TensorCore, GenerationsMultiplyOut) {
    for (const TensorCoreGen& g : tensorCoreGens()) {
        EXPECT_EQ(g.m * g.n * g.k, g.fmaPerClock) << g.name;
        EXPECT_EQ(4096 % g.fmaPerClock, 0) << g.name;
    }
    const TensorCoreGen& v = *findTensorCoreGen("volta");
    EXPECT_TRUE(v.shapePublished);
    EXPECT_EQ(v.m, 4);
    EXPECT_EQ(v.fmaPerClock * v.tensorCoresPerSm, 512); // 512 FMA/clk/SM
    EXPECT_EQ(findTensorCoreGen("A100")->fmaPerClock * 4, 1024);
    EXPECT_EQ(findTensorCoreGen("blackwell"), nullptr);
}

TEST(TensorCore, TiledEqualsReference) {
    for (const TensorCoreGen& g : tensorCoreGens())
        for (auto [M, N, K] : {std::tuple{64, 64, 64}, {100, 37, 50}, {16, 16, 16}, {1, 200, 33}}) {
            TcTiling t;
            t.blockM = 64, t.blockN = 32, t.blockK = 32, t.warpM = 32, t.warpN = 16;
            // Small integers: every product and sum exact, the result equal bit for bit.
            const auto A = randomMatrix(M * K, 1, true), B = randomMatrix(K * N, 2, true),
                       C = randomMatrix(M * N, 3, true);
            std::vector<float> D, R;
            const long long ops = tiledTensorCoreGemm(A, B, C, D, M, N, K, t, g);
            referenceGemm(A, B, C, R, M, N, K);
            ASSERT_EQ(D, R) << g.name << " " << M << "x" << N << "x" << K;
            const TcPlan p = planTensorCoreGemm(M, N, K, t, g);
            EXPECT_EQ(ops, p.mmaSync * p.perClockOps);
            // Random floats: FP32 accumulation in a different order, close to the reference.
            const auto a = randomMatrix(M * K, 4, false), b = randomMatrix(K * N, 5, false),
                       c = randomMatrix(M * N, 6, false);
            tiledTensorCoreGemm(a, b, c, D, M, N, K, t, g);
            referenceGemm(a, b, c, R, M, N, K);
            for (size_t i = 0; i < D.size(); ++i)
                EXPECT_NEAR(D[i], R[i], 1e-4) << g.name << " element " << i;
        }
}

TEST(TensorCore, CountsAndPadding) {
    const TensorCoreGen& v = *findTensorCoreGen("volta");
    TcTiling t; // 128×128×32 blocks, 64×64 warps
    const TcPlan p = planTensorCoreGemm(4096, 4096, 4096, t, v, 80, 1.53);
    ASSERT_TRUE(p.ok()) << p.error;
    EXPECT_EQ(p.gridM, 32);
    EXPECT_EQ(p.warpsPerBlock, 4);
    EXPECT_EQ(p.fragmentsPerWarp, 16);
    EXPECT_EQ(p.mmaPerWarpPerKStep, 32);
    EXPECT_EQ(p.mmaSync, 256LL * 256 * 256); // (4096/16)³
    EXPECT_EQ(p.mmaSync, p.mmaMinimal);
    EXPECT_DOUBLE_EQ(p.paddingWaste, 0);
    EXPECT_EQ(p.clocksPerMma, 64); // 4096 FMA at 64 per clock on one Tensor Core
    EXPECT_EQ(p.perClockOps, 64);  // 64 4×4×4 cubes
    // At 640 Tensor Cores and 1.53 GHz the time is 2·4096³ / 125.3 TFLOPS.
    EXPECT_NEAR(p.timeUs, 2.0 * 4096 * 4096 * 4096 / 125.337e12 * 1e6, 0.01);
    // 100×100×100 padded to 112 at fragments, to 128×128×128 at block tiles.
    const TcPlan q = planTensorCoreGemm(100, 100, 100, t, v);
    EXPECT_EQ(q.mmaMinimal, 7 * 7 * 7);
    EXPECT_EQ(q.mmaSync, 8 * 8 * 8);
    EXPECT_NEAR(q.paddingWaste, 1 - 1e6 / (512.0 * 4096), 1e-12);
    // Ampere: a fragment takes 16 clocks, 16 per-clock 8×4×8 MMAs.
    const TcPlan a = planTensorCoreGemm(256, 256, 256, t, *findTensorCoreGen("ampere"));
    EXPECT_EQ(a.clocksPerMma, 16);
    EXPECT_EQ(a.perClockOps, 16);
}

TEST(TensorCore, BadInput) {
    const TensorCoreGen& v = *findTensorCoreGen("volta");
    TcTiling t;
    EXPECT_NE(planTensorCoreGemm(0, 16, 16, t, v).error.find("impossible"), std::string::npos);
    t.blockK = 24;
    EXPECT_NE(planTensorCoreGemm(16, 16, 16, t, v).error.find("block K tile 24"),
              std::string::npos);
    t = TcTiling{};
    t.warpM = 48;
    EXPECT_NE(checkTiling(t).find("must divide"), std::string::npos);
    t = TcTiling{};
    t.warpM = 16, t.warpN = 16, t.blockM = 256, t.blockN = 256;
    EXPECT_NE(checkTiling(t).find("at most 32"), std::string::npos);
}
