// Lab "winograd": one tile's four stages with the real numbers, then the counts and errors.
#include "lessons/labs/inference/winograd/winograd_lab.h"

#include "engine/conv/winograd.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::lessons {

namespace {

namespace cv = engine::conv;

constexpr std::uint32_t kGridId = 1000; // + matrix · 100 + index
constexpr int kStages = 5;              // d and g, then the four stages

/// A matrix to draw: its values (row-major), rows, columns and name.
struct Mat {
    std::vector<double> v;
    int rows = 0, cols = 0;
    std::string name;
};

Mat transpose(const Mat& m, std::string name) {
    Mat t{std::vector<double>(m.v.size()), m.cols, m.rows, std::move(name)};
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c)
            t.v[static_cast<std::size_t>(c * m.rows + r)] =
                m.v[static_cast<std::size_t>(r * m.cols + c)];
    return t;
}

/// Integers as integers, fractions with enough digits to tell 1/24 from 1/12.
std::string valueText(double v) {
    if (std::abs(v - std::round(v)) < 1e-12)
        return fmtNum(std::round(v), 0);
    return fmtNum(v, std::abs(v) < 0.1 ? 3 : 2);
}

/// The f32 error of a whole layer under each algorithm, measured once per run.
struct LayerError {
    double direct = 0, f23 = 0, f22 = 0, f44 = 0;
};

class WinogradRun : public LabRun {
public:
    WinogradRun(cv::WinogradKind kind, std::int64_t seed) : m_kind(kind) {
        const cv::WinogradMatrices& mx = cv::winogradMatrices(kind);
        const int a = mx.alpha, r = mx.r;
        const bool one = mx.dims == 1;
        // Small integers −3…3, so that every stage can be checked by hand.
        const std::vector<double> raw = cv::randomValues((one ? a : a * a) + (one ? r : r * r),
                                                         static_cast<std::uint64_t>(seed));
        std::vector<double> d, g;
        for (std::size_t i = 0; i < raw.size(); ++i)
            (static_cast<int>(i) < (one ? a : a * a) ? d : g)
                .push_back(double(std::lround(raw[i] * 3)));
        m_tile = cv::winogradTile(kind, d, g);
        // The layer of the counts frame: 1×16×16×16 → 16, 3×3, pad 1.
        cv::ConvShape s;
        s.ic = s.oc = 16, s.ih = s.iw = 16, s.kh = s.kw = 3, s.padH = s.padW = 1;
        std::vector<double> x, w;
        cv::randomInputs(s, static_cast<std::uint64_t>(seed), x, w);
        std::vector<double> ax = x, aw = w;
        for (double& v : ax)
            v = std::abs(v);
        for (double& v : aw)
            v = std::abs(v);
        const auto ref = cv::convDirect(s, x, w).y, absRef = cv::convDirect(s, ax, aw).y;
        const auto xf = cv::toFloat(x), wf = cv::toFloat(w);
        m_err.direct = cv::normalizedError(cv::convDirect(s, xf, wf).y, ref, absRef);
        m_err.f23 =
            cv::normalizedError(cv::convWinograd(s, xf, wf, cv::WinogradKind::F2_3).y, ref, absRef);
        m_err.f22 = cv::normalizedError(cv::convWinograd(s, xf, wf, cv::WinogradKind::F2x2_3x3).y,
                                        ref, absRef);
        m_err.f44 = cv::normalizedError(cv::convWinograd(s, xf, wf, cv::WinogradKind::F4x4_3x3).y,
                                        ref, absRef);
    }
    std::vector<Phase> phases() const override { return {{"stages", kStages}, {"counts", 1}}; }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    viz::Scene stages(int frame, const DrawOptions& opt) const;
    viz::Scene counts(const DrawOptions& opt) const;

    cv::WinogradKind m_kind;
    cv::WinogradTile m_tile;
    LayerError m_err;
};

viz::Scene WinogradRun::scene(int frame, const DrawOptions& opt) const {
    return frame < kStages ? stages(frame, opt) : counts(opt);
}

viz::Scene WinogradRun::stages(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    const Lang L = opt.lang;
    const cv::WinogradMatrices& mx = cv::winogradMatrices(m_kind);
    const int a = mx.alpha, r = mx.r, m = mx.m;
    const bool one = mx.dims == 1;
    // Vectors (F(2,3)) are drawn as columns, as the formulas multiply them.
    const Mat BT{mx.BT, a, a, "Bᵀ"}, G{mx.G, a, r, "G"}, AT{mx.AT, m, a, "Aᵀ"};
    const Mat d{m_tile.d, a, one ? 1 : a, "d"}, g{m_tile.g, r, one ? 1 : r, "g"};
    const Mat U{m_tile.U, a, one ? 1 : a, "U"}, V{m_tile.V, a, one ? 1 : a, "V"};
    const Mat M{m_tile.M, a, one ? 1 : a, "M"}, Y{m_tile.Y, m, one ? 1 : m, "Y"};
    const Mat D{m_tile.direct, m, one ? 1 : m, tr2(L, "direct", "直接卷积")};

    const std::string name = cv::winogradName(m_kind);
    dl.text({40, 24},
            name + "  —  " + (one ? "y = Aᵀ[(G g) ⊙ (Bᵀ d)]" : "Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)] A"),
            pal.foreground, 16)
        .bold = true;
    dl.text({40, 48}, mx.source, pal.muted, 12);

    // One equation: matrices with operators between them, left to right.
    std::vector<Mat> mats;
    std::vector<std::string> ops;
    std::string caption;
    switch (frame) {
    case 0:
        mats = {d, g};
        ops = {"   "};
        caption = one ? tr2(L, "The input d (4 values) and the kernel g (3 taps)",
                            "输入 d（4 个值）与卷积核 g（3 个抽头）")
                      : tr2(L, "The input tile d and the 3×3 kernel g", "输入块 d 与 3×3 卷积核 g");
        break;
    case 1:
        mats = one ? std::vector<Mat>{G, g, U} : std::vector<Mat>{G, g, transpose(G, "Gᵀ"), U};
        ops = one ? std::vector<std::string>{"·", "="} : std::vector<std::string>{"·", "·", "="};
        caption = tr2(L, "Stage 1, filter transform: U = G g Gᵀ (once per kernel, offline)",
                      "第 1 步，卷积核变换：U = G g Gᵀ（每个卷积核一次，可离线完成）");
        break;
    case 2:
        mats = one ? std::vector<Mat>{BT, d, V} : std::vector<Mat>{BT, d, transpose(BT, "B"), V};
        ops = one ? std::vector<std::string>{"·", "="} : std::vector<std::string>{"·", "·", "="};
        caption = tr2(L, "Stage 2, input transform: V = Bᵀ d B (per tile and channel)",
                      "第 2 步，输入变换：V = Bᵀ d B（每个块、每个通道一次）");
        break;
    case 3:
        mats = {U, V, M};
        ops = {"⊙", "="};
        caption =
            tr2(L, "Stage 3, element-wise product: M = U ⊙ V — the only multiplications by data",
                "第 3 步，逐元素乘积：M = U ⊙ V——唯一与数据相乘的一步");
        break;
    default:
        mats =
            one ? std::vector<Mat>{AT, M, Y, D} : std::vector<Mat>{AT, M, transpose(AT, "A"), Y, D};
        ops = one ? std::vector<std::string>{"·", "=", "  ="}
                  : std::vector<std::string>{"·", "·", "=", "  ="};
        caption = tr2(L, "Stage 4, output transform: Y = Aᵀ M A, equal to the direct convolution",
                      "第 4 步，输出变换：Y = Aᵀ M A，与直接卷积的结果相同");
        break;
    }
    const float cw = 46, ch = 26;
    float x = 40;
    const float y0 = 110;
    for (std::size_t i = 0; i < mats.size(); ++i) {
        const Mat& mt = mats[i];
        dl.text({x + mt.cols * cw / 2, y0 - 8},
                mt.name + "  (" + std::to_string(mt.rows) + "×" + std::to_string(mt.cols) + ")",
                pal.foreground, 13, HAlign::Center, VAlign::Bottom)
            .bold = true;
        double maxAbs = 0;
        for (double v : mt.v)
            maxAbs = std::max(maxAbs, std::abs(v));
        for (int k = 0; k < mt.rows * mt.cols; ++k) {
            const double v = mt.v[static_cast<std::size_t>(k)];
            const Rect cell{x + (k % mt.cols) * cw, y0 + (k / mt.cols) * ch, cw, ch};
            const Color fill = divergingColor(v, maxAbs, opt.theme);
            const std::uint32_t id =
                kGridId + static_cast<std::uint32_t>(i) * 100 + static_cast<std::uint32_t>(k);
            dl.box(cell, fill, pal.panelBorder.withAlpha(0.6f), 0, 0.75f, id);
            dl.text(cell.center(), valueText(v), textOn(fill), 11, HAlign::Center, VAlign::Middle,
                    id);
        }
        for (int k = 0; k < mt.rows * mt.cols; ++k) {
            ObjectInfo info;
            info.title = mt.name + "[" + std::to_string(k / mt.cols) + "][" +
                         std::to_string(k % mt.cols) + "]";
            info.facts.push_back(
                {tr2(L, "value", "值"), fmtNum(mt.v[static_cast<std::size_t>(k)], 4)});
            s.objects[kGridId + static_cast<std::uint32_t>(i) * 100 +
                      static_cast<std::uint32_t>(k)] = info;
        }
        x += mt.cols * cw;
        if (i < ops.size()) {
            dl.text({x + 20, y0 + std::max(1, mt.rows) * ch / 2}, ops[i], pal.foreground, 20,
                    HAlign::Center, VAlign::Middle);
            x += 40;
        }
    }
    // Under the equation: what this stage costs and what it says.
    float ty = y0 + a * ch + 40;
    std::vector<FactRow> facts;
    const std::int64_t mul = mx.multipliesPerTile(), direct = mx.directMultipliesPerTile();
    if (frame == 3)
        facts.push_back({tr2(L, "multiplications in this tile", "本块的乘法次数"),
                         std::to_string(mul) + (one ? " = (m+r−1)" : " = (m+r−1)²") + " = " +
                             (one ? std::to_string(a) : std::to_string(a) + "²")});
    facts.push_back({tr2(L, "direct convolution of the same outputs", "同样输出的直接卷积"),
                     std::to_string(direct) + (one ? " = m·r" : " = m²·r²") +
                         tr2(L, " multiplications", " 次乘法")});
    if (frame == 4) {
        double diff = 0;
        for (std::size_t i = 0; i < m_tile.Y.size(); ++i)
            diff = std::max(diff, std::abs(m_tile.Y[i] - m_tile.direct[i]));
        facts.push_back(
            {tr2(L, "max |Y − direct| (f64)", "max |Y − 直接卷积|（f64）"), fmtSci(diff, 2)});
    }
    if (frame == 1)
        facts.push_back(
            {tr2(L, "the transforms hold", "变换矩阵的元素"),
             m_kind == cv::WinogradKind::F4x4_3x3
                 ? tr2(L, "1/4, 1/6, 1/12, 1/24: inexact in binary",
                       "1/4、1/6、1/12、1/24：二进制下不能精确表示")
                 : tr2(L, "0, ±1 and ±½: exact in binary", "0、±1 与 ±½：二进制下精确")});
    drawFactTable(dl, {40, ty}, facts, pal, 13, 330);
    s.caption = caption;
    s.legend = {{divergingColor(-1, 1, opt.theme), tr2(L, "negative", "负值")},
                {divergingColor(1, 1, opt.theme), tr2(L, "positive", "正值")}};
    return s;
}

viz::Scene WinogradRun::counts(const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    const Lang L = opt.lang;
    dl.text({40, 24}, tr2(L, "Multiplications per tile and f32 error", "每块乘法次数与 f32 误差"),
            pal.foreground, 16)
        .bold = true;
    const char* head[] = {"",
                          "α = m+r−1",
                          tr2(L, "Winograd", "Winograd"),
                          tr2(L, "direct", "直接"),
                          tr2(L, "saving", "节省"),
                          tr2(L, "f32 error", "f32 误差")};
    const float xs[] = {40, 200, 320, 440, 560, 680};
    float y = 80;
    for (int i = 0; i < 6; ++i)
        dl.text({xs[i], y}, head[i], pal.muted, 13).bold = true;
    y += 28;
    auto row = [&](const std::string& name, const std::string& alpha, std::int64_t w,
                   std::int64_t d, double err, bool current) {
        if (current)
            dl.box({32, y - 6, 760, 26}, pal.accent2.withAlpha(0.25f), kNoColor, 4, 0);
        dl.text({xs[0], y}, name, pal.foreground, 13).bold = current;
        dl.text({xs[1], y}, alpha, pal.foreground, 13);
        dl.text({xs[2], y}, w > 0 ? std::to_string(w) : "—", pal.foreground, 13);
        dl.text({xs[3], y}, std::to_string(d), pal.foreground, 13);
        dl.text({xs[4], y}, w > 0 ? fmtNum(double(d) / double(w), 2) + "×" : "1×", pal.foreground,
                13);
        dl.text({xs[5], y}, fmtSci(err, 2), pal.foreground, 13);
        y += 30;
    };
    row(tr2(L, "direct", "直接卷积"), "—", 0, 9, m_err.direct, false);
    for (cv::WinogradKind k :
         {cv::WinogradKind::F2_3, cv::WinogradKind::F2x2_3x3, cv::WinogradKind::F4x4_3x3}) {
        const auto& mx = cv::winogradMatrices(k);
        const double e = k == cv::WinogradKind::F2_3       ? m_err.f23
                         : k == cv::WinogradKind::F2x2_3x3 ? m_err.f22
                                                           : m_err.f44;
        row(cv::winogradName(k), std::to_string(mx.alpha), mx.multipliesPerTile(),
            mx.directMultipliesPerTile(), e, k == m_kind);
    }
    y += 20;
    const std::vector<std::string> notes = {
        tr2(L, "Counts per output tile and (input, output) channel pair; F(2,3) per kernel row.",
            "次数按每个输出块、每对（输入、输出）通道计；F(2,3) 按卷积核的每一行计。"),
        tr2(L,
            "f32 error: max |y₃₂ − y₆₄| / max(|x|∗|w|) on a 1×16×16×16 layer, 16 outputs, 3×3, pad "
            "1.",
            "f32 误差：在 1×16×16×16、16 个输出通道、3×3、pad 1 的一层上，max |y₃₂ − y₆₄| / "
            "max(|x|∗|w|)。"),
        tr2(L, "Unit round-off of f32: u = 2⁻²⁴ ≈ 6.0e-08.",
            "f32 的单位舍入误差：u = 2⁻²⁴ ≈ 6.0e-08。")};
    for (const std::string& n : notes) {
        dl.text({40, y}, n, pal.muted, 12);
        y += 20;
    }
    s.caption = tr2(L, "Fewer multiplications, larger f32 error: F(4×4,3×3) against F(2×2,3×3)",
                    "乘法更少，f32 误差更大：F(4×4,3×3) 与 F(2×2,3×3) 对比");
    return s;
}

} // namespace

LocalText WinogradLab::title() const {
    return {"Winograd convolution", "Winograd 卷积"};
}

std::vector<ParamSpec> WinogradLab::params() const {
    return {
        {"algorithm",
         ParamType::Choice,
         {"algorithm", "算法"},
         0,
         0,
         {"F(2x2,3x3)", "F(4x4,3x3)", "F(2,3)"},
         std::string("F(2x2,3x3)")},
        {"seed", ParamType::Int, {"input seed", "输入随机种子"}, 1, 99, {}, std::int64_t{1}},
    };
}

std::unique_ptr<LabRun> WinogradLab::run(const ParamSet& p) const {
    const std::string a = p.getString("algorithm", "F(2x2,3x3)");
    const cv::WinogradKind k = a == "F(4x4,3x3)" ? cv::WinogradKind::F4x4_3x3
                               : a == "F(2,3)"   ? cv::WinogradKind::F2_3
                                                 : cv::WinogradKind::F2x2_3x3;
    return std::make_unique<WinogradRun>(k, p.getInt("seed", 1));
}

} // namespace aisys::lessons
