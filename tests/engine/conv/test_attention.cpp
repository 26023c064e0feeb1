// FlashAttention's Algorithm 1 (Dao et al. 2022) against plain attention for any block sizes:
// f64 within 1e-12, f32 within 1e-5 of the f64 plain result; the running max and sum of a row;
// the HBM element counts of both by hand.
#include "engine/conv/attention.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>

namespace {

using namespace aisys::engine::conv;

std::vector<double> values(std::int64_t count, std::uint32_t seed, double scale) {
    std::vector<double> v(static_cast<std::size_t>(count));
    std::uint64_t s = seed * 2654435761u + 12345;
    for (double& x : v) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x = (static_cast<double>(s >> 11) / 9007199254740992.0 * 2 - 1) * scale;
    }
    return v;
}

double maxDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

} // namespace

RC_GTEST_PROP(FlashAttentionProperty, EqualsPlainAttentionForAnyBlockSizes, ()) {
    AttentionShape s;
    s.n = *rc::gen::inRange<std::int64_t>(1, 40);
    s.nk = *rc::gen::inRange<std::int64_t>(1, 40);
    s.d = *rc::gen::inRange<std::int64_t>(1, 17);
    const std::int64_t br = *rc::gen::inRange<std::int64_t>(1, 45);
    const std::int64_t bc = *rc::gen::inRange<std::int64_t>(1, 45);
    const std::uint32_t seed = *rc::gen::arbitrary<std::uint32_t>();
    const double scale = *rc::gen::element(0.5, 3.0, 10.0); // 10: scores up to ±100/√d
    const auto q = values(s.n * s.d, seed, scale), k = values(s.nk * s.d, seed + 1, scale),
               v = values(s.nk * s.d, seed + 2, 1.0);
    const auto ref = attentionPlain(s, q, k, v);
    RC_ASSERT(maxDiff(attentionFlash(s, q, k, v, br, bc), ref) <= 1e-12);
    auto f = [](const std::vector<double>& x) { return std::vector<float>(x.begin(), x.end()); };
    const auto of = attentionFlash(s, f(q), f(k), f(v), br, bc);
    RC_ASSERT(maxDiff(std::vector<double>(of.begin(), of.end()), ref) <= 1e-5);
}

TEST(FlashAttention, RunningMaxAndSumOfOneRow) {
    AttentionShape s{1, 6, 1};
    const std::vector<double> q{1.0}, k{0.5, 2.0, -1.0, 3.0, 0.0, 1.0}, v{1, 2, 3, 4, 5, 6};
    AttentionStats st;
    attentionFlash(s, q, k, v, 1, 2, &st);
    // Blocks {0.5, 2}, {−1, 3}, {0, 1}: m = 2, 3, 3.
    EXPECT_EQ(st.rowMax, (std::vector<double>{2.0, 3.0, 3.0}));
    double l = 0;
    for (double x : k)
        l += std::exp(x - 3.0);
    ASSERT_EQ(st.rowSum.size(), 3u);
    EXPECT_NEAR(st.rowSum[2], l, 1e-15);
    EXPECT_NEAR(st.rowSum[0], std::exp(0.5 - 2) + 1.0, 1e-15);
}

TEST(FlashAttention, HbmTrafficByHand) {
    // N = N_k = 64, d = 8, Br = Bc = 16: Tr = Tc = 4.
    AttentionShape s{64, 64, 8};
    const auto q = values(512, 1, 1), k = values(512, 2, 1), v = values(512, 3, 1);
    AttentionStats plain, flash;
    attentionPlain(s, q, k, v, &plain);
    attentionFlash(s, q, k, v, 16, 16, &flash);
    // Plain: read Q, K (1024), write S (4096), read S (4096), write P (4096), read P, V (4608),
    // write O (512).
    EXPECT_EQ(plain.hbmReads, 1024 + 4096 + 4096 + 512);
    EXPECT_EQ(plain.hbmWrites, 4096 + 4096 + 512);
    // Flash: init O, l, m (512 + 128); per j: K_j, V_j (256); per (i, j): Q_i, O_i, l_i, m_i in
    // (2·128 + 32), O_i, l_i, m_i out (128 + 32).
    EXPECT_EQ(flash.blocks, 16);
    EXPECT_EQ(flash.hbmReads, 4 * 256 + 16 * 288);
    EXPECT_EQ(flash.hbmWrites, 640 + 16 * 160);
    EXPECT_EQ(flash.extraElements, 128); // l and m, not the 2·N² of S and P
}

TEST(FlashAttention, BadInputNamesWhat) {
    AttentionShape s{4, 4, 0};
    EXPECT_EQ(s.check(), "d (head size) must be at least 1, got 0");
    s.d = 2;
    const std::vector<double> x(8, 0.0);
    EXPECT_THROW(attentionFlash(s, x, x, x, 0, 2), std::invalid_argument);
    EXPECT_THROW(attentionFlash(s, x, x, std::vector<double>(7), 2, 2), std::invalid_argument);
}

TEST(FlashAttention, RecordedRowsEndAtTheRowMaxAndSumOfExponentials) {
    AttentionShape s{5, 7, 3};
    const auto q = values(15, 4, 2), k = values(21, 5, 2), v = values(21, 6, 1);
    AttentionStats st;
    st.recordRows = true;
    attentionFlash(s, q, k, v, 2, 3, &st);
    ASSERT_EQ(st.pairs.size(), 9u);                                        // ⌈5/2⌉ · ⌈7/3⌉
    EXPECT_EQ(st.pairs[1], (std::pair<std::int64_t, std::int64_t>{2, 0})); // Q blocks inside
    for (std::int64_t i = 0; i < 5; ++i) {
        double mx = -1e300;
        std::vector<double> sc(7);
        for (std::int64_t j = 0; j < 7; ++j) {
            double acc = 0;
            for (std::int64_t e = 0; e < 3; ++e)
                acc +=
                    q[static_cast<std::size_t>(i * 3 + e)] * k[static_cast<std::size_t>(j * 3 + e)];
            sc[static_cast<std::size_t>(j)] = acc / std::sqrt(3.0);
            mx = std::max(mx, sc[static_cast<std::size_t>(j)]);
        }
        double l = 0;
        for (double x : sc)
            l += std::exp(x - mx);
        EXPECT_DOUBLE_EQ(st.mAfter.back()[static_cast<std::size_t>(i)], mx);
        EXPECT_NEAR(st.lAfter.back()[static_cast<std::size_t>(i)], l, 1e-12);
    }
}
