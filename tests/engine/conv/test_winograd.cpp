// Winograd F(2,3), F(2×2,3×3), F(4×4,3×3): the matrices (Aᵀ is 2×4), the scalar F(2,3) of
// Lavin & Gray §4.1, one tile's four stages against direct, multiplies per tile (m+r−1)^2, whole
// convolutions against the direct reference (f64 ≤ 1e-9) over random shapes, and the measured
// f32 error — F(4×4) visibly larger than F(2×2), both within the documented bounds.
#include "engine/conv/winograd.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstdio>

namespace {

using namespace aisys::engine::conv;

ConvShape shape3x3(std::int64_t n, std::int64_t ic, std::int64_t ih, std::int64_t iw,
                   std::int64_t oc, std::int64_t pad, std::int64_t groups = 1) {
    ConvShape s;
    s.n = n, s.ic = ic, s.ih = ih, s.iw = iw, s.oc = oc, s.kh = 3, s.kw = 3;
    s.padH = s.padW = pad;
    s.groups = groups;
    return s;
}

std::vector<double> absOf(std::vector<double> v) {
    for (double& x : v)
        x = std::abs(x);
    return v;
}

/// The f32 bounds of engine/conv/README.md, relative to the |x|∗|w| scale: direct's K·u, times
/// 4 for F(2×2,3×3) (transforms of ±1 and ½) and 64 for F(4×4,3×3) (entries up to 8 in Aᵀ
/// and 5 in Bᵀ, 1/6 and 1/24 in G, inexact in binary).
double bound(WinogradKind k, const ConvShape& s) {
    const double direct = double(s.icPerGroup() * 9 + 2) * std::ldexp(1.0, -24);
    return direct * (k == WinogradKind::F4x4_3x3 ? 64.0 : 4.0);
}

} // namespace

TEST(WinogradMatrices, ShapesAndMultiplyCounts) {
    const auto& f23 = winogradMatrices(WinogradKind::F2_3);
    EXPECT_EQ(f23.AT.size(), 8u); // 2×4
    EXPECT_EQ(f23.BT.size(), 16u);
    EXPECT_EQ(f23.G.size(), 12u);
    EXPECT_EQ(f23.multipliesPerTile(), 4);
    EXPECT_EQ(f23.directMultipliesPerTile(), 6);
    const auto& f22 = winogradMatrices(WinogradKind::F2x2_3x3);
    EXPECT_EQ(f22.multipliesPerTile(), 16); // (2+3−1)²
    EXPECT_EQ(f22.directMultipliesPerTile(), 36);
    const auto& f44 = winogradMatrices(WinogradKind::F4x4_3x3);
    EXPECT_EQ(f44.AT.size(), 24u);          // 4×6
    EXPECT_EQ(f44.multipliesPerTile(), 36); // (4+3−1)²
    EXPECT_EQ(f44.directMultipliesPerTile(), 144);
}

TEST(WinogradF23, ScalarFormOfLavinGrayEqualsMatrixFormAndDirect) {
    const std::vector<double> d{1.5, -2.0, 0.25, 3.0}, g{0.5, -1.0, 2.0};
    // m1 = (d0 − d2) g0, m2 = (d1 + d2)(g0 + g1 + g2)/2, m3 = (d2 − d1)(g0 − g1 + g2)/2,
    // m4 = (d1 − d3) g2; y0 = m1 + m2 + m3, y1 = m2 − m3 − m4.
    const double m1 = (d[0] - d[2]) * g[0], m2 = (d[1] + d[2]) * (g[0] + g[1] + g[2]) / 2;
    const double m3 = (d[2] - d[1]) * (g[0] - g[1] + g[2]) / 2, m4 = (d[1] - d[3]) * g[2];
    const WinogradTile t = winogradTile(WinogradKind::F2_3, d, g);
    ASSERT_EQ(t.Y.size(), 2u);
    EXPECT_DOUBLE_EQ(t.Y[0], m1 + m2 + m3);
    EXPECT_DOUBLE_EQ(t.Y[1], m2 - m3 - m4);
    EXPECT_DOUBLE_EQ(t.Y[0], d[0] * g[0] + d[1] * g[1] + d[2] * g[2]);
    EXPECT_DOUBLE_EQ(t.Y[1], d[1] * g[0] + d[2] * g[1] + d[3] * g[2]);
}

TEST(WinogradTile, FourStagesGiveTheDirectTile) {
    for (WinogradKind k : {WinogradKind::F2x2_3x3, WinogradKind::F4x4_3x3}) {
        const int a = winogradMatrices(k).alpha;
        std::vector<double> d(static_cast<std::size_t>(a * a)), g(9);
        for (int i = 0; i < a * a; ++i)
            d[static_cast<std::size_t>(i)] = (i * 7 % 11) - 5;
        for (int i = 0; i < 9; ++i)
            g[static_cast<std::size_t>(i)] = (i * 5 % 7) - 3;
        const WinogradTile t = winogradTile(k, d, g);
        EXPECT_EQ(t.M.size(), static_cast<std::size_t>(a * a));
        ASSERT_EQ(t.Y.size(), t.direct.size());
        for (std::size_t i = 0; i < t.Y.size(); ++i)
            EXPECT_NEAR(t.Y[i], t.direct[i], 1e-12) << winogradName(k) << " output " << i;
    }
    EXPECT_THROW(
        winogradTile(WinogradKind::F4x4_3x3, std::vector<double>(16), std::vector<double>(9)),
        std::invalid_argument);
}

TEST(Winograd, RefusesWhatItCannotComputeWithTheReason) {
    ConvShape s = shape3x3(1, 1, 8, 8, 1, 1);
    s.strideH = s.strideW = 2;
    EXPECT_EQ(winogradApplicable(s, WinogradKind::F2x2_3x3), "F(2x2,3x3) needs stride 1, got 2,2");
    s = shape3x3(1, 1, 8, 8, 1, 1);
    s.kh = 5;
    s.kw = 5;
    EXPECT_EQ(winogradApplicable(s, WinogradKind::F4x4_3x3),
              "F(4x4,3x3) needs a 3×3 kernel, got 5×5");
    s.kw = 3; // 5×3 is fine for F(2,3) along the width
    EXPECT_EQ(winogradApplicable(s, WinogradKind::F2_3), "");
    s.dilW = 2;
    EXPECT_EQ(winogradApplicable(s, WinogradKind::F2_3), "F(2,3) needs dilation 1, got 1,2");
}

TEST(Winograd, CountsForOneLayer) {
    // 1×8×8×8 → 8 channels, pad 1: OH = OW = 8; F(2×2): 16 tiles · 8 · 8 · 16 multiplies.
    const ConvShape s = shape3x3(1, 8, 8, 8, 8, 1);
    std::vector<double> x, w;
    randomInputs(s, 3, x, w);
    const auto r22 = convWinograd(s, x, w, WinogradKind::F2x2_3x3);
    EXPECT_EQ(r22.stats.multiplies, 16 * 8 * 8 * 16);
    EXPECT_EQ(r22.stats.transforms, 8 * 8 + 16 * 8 + 16 * 8);
    const auto r44 = convWinograd(s, x, w, WinogradKind::F4x4_3x3);
    EXPECT_EQ(r44.stats.multiplies, 4 * 8 * 8 * 36);
    EXPECT_EQ(s.macs(), 8 * 8 * 8 * 8 * 9); // 4 × the F(4×4) count
}

RC_GTEST_PROP(WinogradProperty, MatchesDirectInF64AndWithinTheBoundInF32, ()) {
    const WinogradKind k =
        *rc::gen::element(WinogradKind::F2_3, WinogradKind::F2x2_3x3, WinogradKind::F4x4_3x3);
    ConvShape s =
        shape3x3(*rc::gen::inRange<std::int64_t>(1, 3), 1, 1, 1, 1,
                 *rc::gen::inRange<std::int64_t>(0, 3), *rc::gen::inRange<std::int64_t>(1, 3));
    s.ic = s.groups * *rc::gen::inRange<std::int64_t>(1, 5);
    s.oc = s.groups * *rc::gen::inRange<std::int64_t>(1, 5);
    s.padW = *rc::gen::inRange<std::int64_t>(0, 3);
    if (k == WinogradKind::F2_3)
        s.kh = *rc::gen::inRange<std::int64_t>(1, 5);
    // Sizes from the smallest the kernel fits (odd and even, 1 with enough padding) to 13.
    s.ih = *rc::gen::inRange<std::int64_t>(std::max<std::int64_t>(1, s.kh - 2 * s.padH), 14);
    s.iw = *rc::gen::inRange<std::int64_t>(std::max<std::int64_t>(1, 3 - 2 * s.padW), 14);
    RC_PRE(s.check().empty());
    std::vector<double> x, w;
    randomInputs(s, *rc::gen::arbitrary<std::uint32_t>(), x, w);
    const auto ref = convDirect(s, x, w).y;
    RC_ASSERT(maxAbsDiff(convWinograd(s, x, w, k).y, ref) <= 1e-9);
    const auto absRef = convDirect(s, absOf(x), absOf(w)).y;
    const double e = normalizedError(convWinograd(s, toFloat(x), toFloat(w), k).y, ref, absRef);
    RC_ASSERT(e <= bound(k, s));
}

TEST(WinogradF32, F4x4ErrorIsVisiblyLargerThanF2x2) {
    // A 1×32×16×16 layer, 32 output channels, pad 1, ten seeds: the largest error of each.
    const ConvShape s = shape3x3(1, 32, 16, 16, 32, 1);
    double worst[4] = {0, 0, 0, 0}; // direct, F(2,3), F(2×2), F(4×4)
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        std::vector<double> x, w;
        randomInputs(s, seed, x, w);
        const auto ref = convDirect(s, x, w).y;
        const auto absRef = convDirect(s, absOf(x), absOf(w)).y;
        const auto xf = toFloat(x), wf = toFloat(w);
        worst[0] = std::max(worst[0], normalizedError(convDirect(s, xf, wf).y, ref, absRef));
        int i = 1;
        for (WinogradKind k :
             {WinogradKind::F2_3, WinogradKind::F2x2_3x3, WinogradKind::F4x4_3x3}) {
            const double e = normalizedError(convWinograd(s, xf, wf, k).y, ref, absRef);
            EXPECT_LE(e, bound(k, s)) << winogradName(k) << " seed " << seed;
            worst[i] = std::max(worst[i], e);
            ++i;
        }
    }
    std::printf("f32 normalized error, worst of 10 seeds (u = 2^-24 = %.3g): direct %.3g, "
                "F(2,3) %.3g, F(2x2,3x3) %.3g, F(4x4,3x3) %.3g\n",
                std::ldexp(1.0, -24), worst[0], worst[1], worst[2], worst[3]);
    EXPECT_GT(worst[3], 2.0 * worst[2]);
    EXPECT_GT(worst[3], 2.0 * worst[0]);
}
