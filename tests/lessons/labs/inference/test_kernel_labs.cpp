// The winograd and layout-snake Labs: every lesson frame draws in both languages within the
// primitive budget, and the numbers drawn are the engine's.
#include "engine/conv/attention.h"
#include "engine/conv/conv.h"
#include "engine/conv/layout.h"
#include "engine/conv/winograd.h"
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using namespace aisys::lessons;
using namespace aisys::test_support;
namespace cv = aisys::engine::conv;

TEST(KernelLabs, EveryLessonFrameDrawsInBothLanguagesWithinBudget) {
    expectEveryFrameDraws({"winograd", "flash-attention", "qnnpack-indirect"});
    // memory-layouts plays the snake phases frame by frame (9 or 8 addresses a frame).
    const Lesson& l = shippedLesson("memory-layouts");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    EXPECT_EQ(player.frameCount(), 26);
    for (int f = 0; f < player.frameCount(); ++f)
        for (Lang lang : {Lang::En, Lang::Zh}) {
            const auto s = player.scene(f, {lang, aisys::viz::Theme::Light});
            EXPECT_GT(s.list.size(), 100u) << f;
            EXPECT_LT(s.list.size(), 30000u) << f;
            EXPECT_EQ(hasChinese(s.caption), lang == Lang::Zh) << s.caption;
        }
}

TEST(KernelLabs, WinogradStagesShowTheEnginesTileAndItEqualsDirect) {
    ParamSet set;
    set.set("algorithm", std::string("F(2x2,3x3)"));
    auto run = runLab("winograd", set);
    ASSERT_EQ(run->frameCount(), 6);
    // The seed-1 tile of the lesson: Y = (−13, 1; 9, 1), equal to direct, drawn in stage 4.
    const std::string out = textOf(run->scene(4, {}));
    EXPECT_NE(out.find("Y  (2×2)"), std::string::npos) << out;
    EXPECT_NE(out.find("direct  (2×2)"), std::string::npos);
    EXPECT_EQ(fact(run->scene(4, {}), "Y[0][0]", "value"), "-13.0000");
    EXPECT_EQ(fact(run->scene(4, {}), "direct[0][0]", "value"), "-13.0000");
    EXPECT_EQ(fact(run->scene(1, {}), "U[0][1]", "value"), "2.5000");
    EXPECT_EQ(fact(run->scene(2, {}), "V[0][1]", "value"), "3.0000");
    EXPECT_EQ(fact(run->scene(3, {}), "M[0][1]", "value"), "7.5000");
    EXPECT_NE(textOf(run->scene(3, {})).find("16 = (m+r−1)² = 4²"), std::string::npos);
    // Every seed and algorithm: the tile equals direct in f64.
    for (const char* a : {"F(2x2,3x3)", "F(4x4,3x3)", "F(2,3)"})
        for (std::int64_t seed : {1, 7, 42}) {
            ParamSet p;
            p.set("algorithm", std::string(a));
            p.set("seed", seed);
            const std::string last = textOf(runLab("winograd", p)->scene(4, {}));
            const auto pos = last.find("max |Y − direct| (f64)\n");
            ASSERT_NE(pos, std::string::npos) << a;
            EXPECT_LT(std::stod(last.substr(pos + 24)), 1e-12) << a << " seed " << seed;
        }
}

TEST(KernelLabs, LayoutSnakeAddressesAreTheEnginesAndPaddingIsCounted) {
    ParamSet set;
    set.set("layout", std::string("NC4HW4"));
    auto run = runLab("layout-snake", set); // 1×6×3×3, 16 addresses per frame
    ASSERT_EQ(run->frameCount(), 5 + 1);
    const auto last = run->scene(run->frameCount() - 1, {});
    EXPECT_EQ(
        fact(last, "element (0, 5, 2, 1)", "address"),
        std::to_string(cv::makeAddressMap(cv::Layout::NC4HW4, {1, 6, 3, 3}).offset({0, 5, 2, 1})));
    EXPECT_EQ(fact(last, "address 38", "holds"), "padding");
    EXPECT_EQ(fact(last, "address 37", "holds"), "(0, 5, 0, 0)");
    EXPECT_NE(textOf(last).find("18 (25.0 %)"), std::string::npos);
    // Too large for one picture: refused with the reason.
    ParamSet big;
    big.set("layout", std::string("NC1HWC0"));
    big.set("c", std::int64_t{20});
    big.set("h", std::int64_t{6});
    big.set("w", std::int64_t{6});
    big.set("n", std::int64_t{2});
    big.set("c0", std::int64_t{32});
    try {
        runLab("layout-snake", big);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(
            std::string(e.what()).find("2304 stored elements; the picture shows at most 1024"),
            std::string::npos)
            << e.what();
    }
}

TEST(KernelLabs, FlashAttentionRowsAndTrafficAreTheEnginesRun) {
    auto run = runLab("flash-attention", {}); // N = 8, N_k = 12, Br = Bc = 4: 2 · 3 pairs
    ASSERT_EQ(run->frameCount(), 6 + 1);
    // The first pair touches rows 0–3 only; rows 4–7 keep m = −∞.
    EXPECT_EQ(fact(run->scene(0, {}), "row 4", "m"), "−∞");
    EXPECT_NE(fact(run->scene(0, {}), "row 0", "m"), "−∞");
    // The result frame: the engine's counts, and the error of the tiled output.
    const std::string out = textOf(run->scene(6, {}));
    cv::AttentionShape s{8, 12, 4};
    const auto all = cv::randomValues(8 * 4 + 2 * 12 * 4, 1);
    std::vector<double> x(all.begin(), all.end());
    for (double& v : x)
        v *= 1.5;
    const std::vector<double> q(x.begin(), x.begin() + 32), k(x.begin() + 32, x.begin() + 80),
        v(x.begin() + 80, x.end());
    cv::AttentionStats plain, flash;
    cv::attentionPlain(s, q, k, v, &plain);
    cv::attentionFlash(s, q, k, v, 4, 4, &flash);
    EXPECT_NE(out.find(std::to_string(plain.hbmReads) + " / " + std::to_string(flash.hbmReads)),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("192 / 16"), std::string::npos);
    EXPECT_EQ(fact(run->scene(5, {}), "row 0", "m"),
              fact(run->scene(6, {}), "row 0", "m")); // the last pair's m is final
}

TEST(KernelLabs, IndirectConvPointersAreTheEnginesBuffer) {
    auto run = runLab("indirect-conv", {}); // 4×4×8, 3×3, pad 1: 16 pixels, MR = 4
    ASSERT_EQ(run->frameCount(), 4 + 1);
    const auto call1 = run->scene(0, {});
    // Output pixel 0's first tap is padding, its fifth (the centre) input pixel (0, 0).
    EXPECT_EQ(fact(call1, "pointer 0.0", "points at"), "the zero vector");
    EXPECT_EQ(fact(call1, "pointer 0.4", "points at"), "(0,0)");
    // Output row 0: 3 taps above the input each (12), and pixels 0 and 3 two more at the side.
    EXPECT_EQ(fact(call1, "the zero vector", "pointers in this call"), "16");
    EXPECT_EQ(fact(call1, "input pixel (3, 0)", "pointers in this call"), "0");
    EXPECT_EQ(fact(run->scene(1, {}), "input pixel (1, 1)", "pointers in this call"), "3");
    cv::ConvShape s;
    s.ih = s.iw = 4, s.ic = s.oc = 8, s.kh = s.kw = 3, s.padH = s.padW = 1;
    const auto ib = cv::buildIndirection(s);
    const std::string cmp = textOf(run->scene(4, {}));
    EXPECT_NE(cmp.find(std::to_string(ib.rows.size())), std::string::npos);
    EXPECT_NE(cmp.find(std::to_string(ib.zeroEntries)), std::string::npos);
    EXPECT_NE(cmp.find("1184 B"), std::string::npos) << cmp;
    EXPECT_NE(cmp.find("6912 B"), std::string::npos) << cmp;
}
