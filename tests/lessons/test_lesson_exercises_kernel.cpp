// The outcomes the kernel-optimization lessons (winograd, memory-layouts) state in their steps
// and exercises, re-run through the engine and their Labs with the exercise's parameters.
#include "engine/conv/layout.h"
#include "engine/conv/winograd.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::lessons;
using namespace aisys::test_support;
namespace cv = aisys::engine::conv;

namespace {

/// The line after the first line equal to `label`.
std::string after(const aisys::viz::Scene& s, const std::string& label) {
    const auto lines = linesOf(s);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
        if (lines[i] == label)
            return lines[i + 1];
    return "<no " + label + ">";
}

/// The f32 error in row `row` of the Winograd Lab's counts table (the row name, then α,
/// Winograd, direct, saving, f32 error).
double errorAfter(const std::string& row) {
    const auto lines = linesOf(runLab("winograd", {})->scene(5, {}));
    for (std::size_t i = lines.size() - 5; i-- > 0;) // the last match: the header says "direct" too
        if (lines[i] == row)
            return std::stod(lines[i + 5]);
    return std::nan("");
}

} // namespace

TEST(LessonExercisesKernel, WinogradMultiplicationsOfTheLayer) {
    // "direct 589 824; F(2×2): 262 144; F(4×4): 147 456" on 1×16×16×16 → 16, 3×3, pad 1.
    cv::ConvShape s;
    s.ic = s.oc = 16, s.ih = s.iw = 16, s.kh = s.kw = 3, s.padH = s.padW = 1;
    std::vector<double> x, w;
    cv::randomInputs(s, 1, x, w);
    EXPECT_EQ(s.macs(), 589824);
    EXPECT_EQ(cv::convWinograd(s, x, w, cv::WinogradKind::F2x2_3x3).stats.multiplies, 262144);
    EXPECT_EQ(cv::convWinograd(s, x, w, cv::WinogradKind::F4x4_3x3).stats.multiplies, 147456);
}

TEST(LessonExercisesKernel, WinogradStatedErrorsAndTileNumbers) {
    // The counts step: direct 1.6e-07, F(2,3) 8.1e-08, F(2×2) 6.0e-08, F(4×4) 8.1e-07, ~13×.
    const double d = errorAfter("direct"), f23 = errorAfter("F(2,3)"),
                 f22 = errorAfter("F(2x2,3x3)"), f44 = errorAfter("F(4x4,3x3)");
    EXPECT_NEAR(d, 1.6e-7, 0.05e-7);
    EXPECT_NEAR(f23, 8.1e-8, 0.05e-8);
    EXPECT_NEAR(f22, 6.0e-8, 0.05e-8);
    EXPECT_NEAR(f44, 8.1e-7, 0.05e-7);
    EXPECT_NEAR(f44 / f22, 13.0, 1.0);
    // Steps 2–5: U[0][1] = 2.5, V[0][1] = 3, M[0][1] = 7.5, Y = (−13, 1; 9, 1); F(4×4) 2.8e-14.
    auto run = runLab("winograd", {});
    EXPECT_EQ(fact(run->scene(1, {}), "U[0][1]", "value"), "2.5000");
    EXPECT_EQ(fact(run->scene(2, {}), "V[0][1]", "value"), "3.0000");
    EXPECT_EQ(fact(run->scene(3, {}), "M[0][1]", "value"), "7.5000");
    const auto y = run->scene(4, {});
    EXPECT_EQ(fact(y, "Y[0][0]", "value"), "-13.0000");
    EXPECT_EQ(fact(y, "Y[0][1]", "value"), "1.0000");
    EXPECT_EQ(fact(y, "Y[1][0]", "value"), "9.0000");
    EXPECT_EQ(fact(y, "Y[1][1]", "value"), "1.0000");
    ParamSet f4;
    f4.set("algorithm", std::string("F(4x4,3x3)"));
    EXPECT_NE(textOf(runLab("winograd", f4)->scene(4, {})).find("2.8e-14"), std::string::npos);
}

TEST(LessonExercisesKernel, MemoryLayoutsPaddingAndFractalAddresses) {
    // NC4HW4 at c = 5: 72 stored, 27 padding (37.5 %); at c = 8 none. Through the Lab.
    for (auto [c, text] : std::vector<std::pair<std::int64_t, const char*>>{
             {5, "27 (37.5 %)"}, {6, "18 (25.0 %)"}, {8, "0 (0.0 %)"}}) {
        ParamSet p;
        p.set("layout", std::string("NC4HW4"));
        p.set("c", c);
        auto run = runLab("layout-snake", p);
        EXPECT_NE(textOf(run->scene(run->frameCount() - 1, {})).find(text), std::string::npos) << c;
    }
    // NC1HWC0, C0 = 16: 144 stored, 90 padding (62.5 %).
    ParamSet p;
    p.set("layout", std::string("NC1HWC0"));
    auto r = runLab("layout-snake", p);
    EXPECT_NE(textOf(r->scene(r->frameCount() - 1, {})).find("90 (62.5 %)"), std::string::npos);
    // NHWC: pixel (0, 1) starts at 6, pixel (1, 0) at 18.
    const auto nhwc = cv::makeAddressMap(cv::Layout::NHWC, {1, 6, 3, 3});
    EXPECT_EQ(nhwc.offset({0, 0, 0, 1}), 6);
    EXPECT_EQ(nhwc.offset({0, 0, 1, 0}), 18);
    // (5, 2) in a 6×7 matrix, 4×4 fractals: NZ 22, zZ 38; both 64 stored, 22 padding (34.4 %).
    for (auto [layout, addr] :
         std::vector<std::pair<const char*, const char*>>{{"NZ", "22"}, {"zZ", "38"}}) {
        ParamSet q;
        q.set("layout", std::string(layout));
        q.set("rows", std::int64_t{6});
        q.set("cols", std::int64_t{7});
        q.set("fractal", std::int64_t{4});
        auto run = runLab("layout-snake", q);
        const auto last = run->scene(run->frameCount() - 1, {});
        EXPECT_EQ(fact(last, "element (5, 2)", "address"), addr) << layout;
        EXPECT_NE(textOf(last).find("22 (34.4 %)"), std::string::npos) << layout;
    }
}

TEST(LessonExercisesKernel, FlashAttentionStatedNumbersAndTheLargerProblem) {
    auto run = runLab("flash-attention", {});
    // Steps 1–3: row 0 m = 0.816, l = 1.958 after the first pair; row 2 0.388 → 0.492; final
    // row maxima 1.107 and 0.760; the result: 3.3e-16, 320 / 336 read, 224 / 192 written.
    EXPECT_EQ(fact(run->scene(0, {}), "row 0", "m"), "0.816");
    EXPECT_NEAR(std::stod(fact(run->scene(0, {}), "row 0", "l")), 1.958, 5e-4);
    EXPECT_EQ(fact(run->scene(0, {}), "row 2", "m"), "0.388");
    EXPECT_EQ(fact(run->scene(2, {}), "row 2", "m"), "0.492");
    EXPECT_EQ(fact(run->scene(2, {}), "row 0", "m"), "0.816");
    EXPECT_EQ(fact(run->scene(5, {}), "row 0", "m"), "1.107");
    EXPECT_EQ(fact(run->scene(5, {}), "row 1", "m"), "0.760");
    const std::string res = textOf(run->scene(6, {}));
    for (const char* want : {"3.3e-16", "320 / 336", "224 / 192", "192 / 16"})
        EXPECT_NE(res.find(want), std::string::npos) << want << "\n" << res;
    // The exercise: N = N_k = 32, Br = Bc = 8, d = 4.
    ParamSet p;
    p.set("n", std::int64_t{32});
    p.set("nk", std::int64_t{32});
    p.set("br", std::int64_t{8});
    p.set("bc", std::int64_t{8});
    auto big = runLab("flash-attention", p);
    const std::string out = textOf(big->scene(big->frameCount() - 1, {}));
    EXPECT_NE(out.find("2432 / 1536"), std::string::npos) << out;
    EXPECT_NE(out.find("2176 / 960"), std::string::npos) << out;
}

TEST(LessonExercisesKernel, QnnpackIndirectCountsAndTheEightByEightInput) {
    // 4×4: 144 entries, 44 at zero, 8 calls; 1184 B against 6912 B; 2.7e-15.
    auto run = runLab("indirect-conv", {});
    const std::string cmp = textOf(run->scene(run->frameCount() - 1, {}));
    for (const char* want : {"144", "44", "1184 B", "6912 B", "2.7e-15"})
        EXPECT_NE(cmp.find(want), std::string::npos) << want << "\n" << cmp;
    EXPECT_EQ(after(run->scene(0, {}), "micro-kernel calls ⌈OH·OW/MR⌉·⌈OC/NR⌉"), "8");
    // The exercise: h = w = 8 → 576 entries, 92 at zero, 32 calls.
    ParamSet p;
    p.set("h", std::int64_t{8});
    p.set("w", std::int64_t{8});
    auto big = runLab("indirect-conv", p);
    const auto last = big->scene(big->frameCount() - 1, {});
    EXPECT_EQ(after(last, "buffer entries N·OH·OW·KH·KW"), "576");
    EXPECT_EQ(after(last, "entries at the zero vector"), "92");
    EXPECT_EQ(after(last, "micro-kernel calls ⌈OH·OW/MR⌉·⌈OC/NR⌉"), "32");
    // Call 2 of the 4×4 input: pixel (1,1) is read by three of pixels 4–7.
    EXPECT_EQ(fact(run->scene(1, {}), "input pixel (1, 1)", "pointers in this call"), "3");
}
