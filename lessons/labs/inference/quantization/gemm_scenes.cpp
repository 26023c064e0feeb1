// Lab "quantization", int8 GEMM frame: the seeded example and its picture.
#include "lessons/labs/inference/quantization/quantization_lab.h"

#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace aisys::lessons {

using namespace aisys::engine::compress;
using engine::Tensor;

namespace {

constexpr std::uint32_t kGemmId = 5000; // + matrix * 100 + element

/// A rows×cols grid of numbers with a title; integers when decimals = 0.
void numGrid(viz::DisplayList& dl, viz::Vec2 at, int rows, int cols, const std::vector<double>& v,
             int decimals, const std::string& title, const viz::Palette& pal, viz::Theme theme,
             std::uint32_t id, float cellW = 52) {
    const float cellH = 24;
    dl.text({at.x, at.y - 6}, title, pal.foreground, 12, viz::HAlign::Left, viz::VAlign::Bottom)
        .bold = true;
    double maxAbs = 0;
    for (double x : v)
        maxAbs = std::max(maxAbs, std::fabs(x));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const double x = v[static_cast<std::size_t>(r * cols + c)];
            const viz::Rect cell{at.x + c * cellW, at.y + r * cellH, cellW - 1, cellH - 1};
            const viz::Color fill = divergingColor(x, maxAbs, theme);
            const std::uint32_t cid = id + static_cast<std::uint32_t>(r * cols + c);
            dl.box(cell, fill, pal.panelBorder.withAlpha(0.6f), 0, 0.75f, cid);
            dl.text(cell.center(), fmtNum(x, decimals), textOn(fill), 11, viz::HAlign::Center,
                    viz::VAlign::Middle, cid);
        }
}

} // namespace

Int8GemmExample makeInt8GemmExample(QScheme scheme, int bits, bool perChannel, std::uint32_t seed) {
    Int8GemmExample e;
    // The GEMM: seeded small matrices, one activation outlier-free, weights per column.
    std::mt19937 rng(seed + 17);
    std::uniform_real_distribution<float> ua(-1.0f, 3.0f), ub(-1.0f, 1.0f);
    e.a.resize(12);
    e.b.resize(12);
    for (float& v : e.a)
        v = std::round(ua(rng) * 100.0f) / 100.0f;
    for (float& v : e.b)
        v = std::round(ub(rng) * 100.0f) / 100.0f;
    QuantSpec sa;
    sa.scheme = scheme;
    sa.bits = bits;
    e.qa = quantizeTensor(Tensor::f32({3, 4}, e.a), sa);
    QuantSpec sb;
    sb.bits = sa.bits;
    sb.perChannel = perChannel;
    sb.axis = 1;
    e.qb = quantizeTensor(Tensor::f32({4, 3}, e.b), sb);
    e.yf = floatGemm(3, 4, 3, e.a, e.b);
    const auto [lo, hi] = std::minmax_element(e.yf.begin(), e.yf.end());
    const QParams py = paramsForRange(*lo, *hi, QScheme::Affine, sa.bits);
    e.g = int8Gemm(3, 4, 3, e.qa.q, e.qa.params[0], e.qb.q, e.qb.params, py);
    return e;
}

void drawInt8Gemm(viz::Scene& s, const Int8GemmExample& e, Lang L, const viz::Palette& pal,
                  viz::Theme theme) {
    using namespace viz;
    DisplayList& dl = s.list;
    auto d = [](const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); };
    auto di = [](const auto& v) { return std::vector<double>(v.begin(), v.end()); };
    // Float row: A · B = Y.
    numGrid(dl, {60, 60}, 3, 4, d(e.a), 2, tr2(L, "A (float)", "A（浮点）"), pal, theme, kGemmId);
    numGrid(dl, {300, 60}, 4, 3, d(e.b), 2, tr2(L, "B (float)", "B（浮点）"), pal, theme,
            kGemmId + 100);
    numGrid(dl, {500, 60}, 3, 3, d(e.yf), 3, tr2(L, "Y = A·B (float)", "Y = A·B（浮点）"), pal,
            theme, kGemmId + 200, 64);
    // Integer row: qA · qB → int32 accumulators → requantized qY → Y'.
    const float y2 = 220;
    numGrid(dl, {60, y2}, 3, 4, di(e.qa.q), 0, "qA (int8)", pal, theme, kGemmId + 300);
    numGrid(dl, {300, y2}, 4, 3, di(e.qb.q), 0, "qB (int8)", pal, theme, kGemmId + 400);
    numGrid(dl, {500, y2}, 3, 3, di(e.g.acc), 0, tr2(L, "acc (int32)", "累加器（int32）"), pal,
            theme, kGemmId + 500, 64);
    numGrid(dl, {720, y2}, 3, 3, di(e.g.qy), 0, tr2(L, "qY (requantized)", "qY（重量化）"), pal,
            theme, kGemmId + 600);
    numGrid(dl, {920, y2}, 3, 3, d(e.g.y), 3, tr2(L, "Y' = (qY − zy)·sy", "Y' = (qY − zy)·sy"), pal,
            theme, kGemmId + 700, 64);
    for (float x : {280.0f, 480.0f, 700.0f, 900.0f})
        dl.arrow({{x - 14, y2 + 36}, {x + 4, y2 + 36}}, pal.muted, 1.5f);
    // Parameters.
    float ty = 340;
    const QParams& pa = e.qa.params[0];
    auto line = [&](const std::string& t, bool bold = false) {
        dl.text({60, ty}, t, bold ? pal.foreground : pal.muted, 12).bold = bold;
        ty += 19;
    };
    line("sa = " + fmtSci(pa.scale, 4) + ", za = " + std::to_string(pa.zeroPoint) + "   ·   sb = " +
         (e.qb.params.size() == 1 ? fmtSci(e.qb.params[0].scale, 4)
                                  : tr2(L, "one per column", "每列一个")) +
         ", zb = 0   ·   sy = " + fmtSci(e.g.py.scale, 4) +
         ", zy = " + std::to_string(e.g.py.zeroPoint));
    // The exact expansion for element (0, 0).
    ty += 6;
    line(tr2(L, "acc[0,0] = Σ (qa − za)(qb − zb), expanded exactly into four terms:",
             "acc[0,0] = Σ (qa − za)(qb − zb)，精确展开成四项："),
         true);
    line("  [Σ qa·qb] " + std::to_string(e.g.termProduct[0]) + "  +  [−zb·Σqa] " +
         std::to_string(e.g.termRowSum[0]) + "  +  [−za·Σqb] " + std::to_string(e.g.termColSum[0]) +
         "  +  [K·za·zb] " + std::to_string(e.g.termConst[0]) + "   =   " +
         std::to_string(e.g.acc[0]));
    line(tr2(L,
             "  offline: −za·Σqb (weight column sums) and K·za·zb; at run time: −zb·Σqa "
             "(activation row sums)",
             "  离线：−za·Σqb（权重列和）与 K·za·zb；运行时：−zb·Σqa（激活行和）"));
    line(tr2(L,
             "  the weights are symmetric (zb = 0), so −zb·Σqa and K·za·zb are 0 here "
             "(Jacob et al. 2018, §2.3)",
             "  权重是对称量化的（zb = 0），所以这里 −zb·Σqa 与 K·za·zb 为 0"
             "（Jacob 等 2018，§2.3）"));
    line(std::string(tr2(L, "requantize: qY = round(M·acc) + zy with M = sa·sb/sy = ",
                         "重量化：qY = round(M·acc) + zy，其中 M = sa·sb/sy = ")) +
         fmtSci(e.g.multiplier[0], 4));
    double maxDiff = 0, maxReal = 0;
    for (std::size_t i = 0; i < e.yf.size(); ++i) {
        maxDiff = std::max(maxDiff, double(std::fabs(e.g.y[i] - e.yf[i])));
        maxReal = std::max(maxReal, double(std::fabs(e.g.real[i] - e.yf[i])));
    }
    ty += 6;
    line(std::string(tr2(L, "max |Y − sa·sb·acc| = ", "max |Y − sa·sb·acc| = ")) +
             fmtSci(maxReal, 2) + tr2(L, "   (operand rounding)", "   （操作数舍入误差）") +
             "   ·   max |Y − Y'| = " + fmtSci(maxDiff, 2) +
             tr2(L, "   (plus output rounding)", "   （再加输出舍入）"),
         true);
    s.caption = tr2(L, "int8 GEMM beside the float GEMM: int32 accumulators, then requantization",
                    "int8 GEMM 与浮点 GEMM 对照：int32 累加，再重量化");
}

} // namespace aisys::lessons
