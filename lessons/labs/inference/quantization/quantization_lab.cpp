// Lab "quantization": histogram + clipping range, KL search, float→int mapping, int8 GEMM.
#include "lessons/labs/inference/quantization/quantization_lab.h"

#include "engine/compress/kl_calibration.h"
#include "engine/compress/quant_params.h"
#include "lessons/common/draw_helpers.h"
#include "viz/plot.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace aisys::lessons {

namespace {

using namespace aisys::engine::compress;
using engine::Tensor;

constexpr int kChannels = 8;
constexpr std::uint32_t kBinId = 1000;    // + bin
constexpr std::uint32_t kSampleId = 3000; // + sample

/// A seeded [8, per] tensor: channel k of the preset distribution.
Tensor makeTensor(const std::string& preset, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::uniform_real_distribution<float> ud(0.0f, 1.0f);
    const std::int64_t per = preset == "conv-weights" ? 72 : 500;
    Tensor t(engine::DType::F32, {kChannels, per});
    float* d = t.data<float>();
    for (std::int64_t c = 0; c < kChannels; ++c)
        for (std::int64_t i = 0; i < per; ++i) {
            float& x = d[c * per + i];
            if (preset == "gaussian-outliers") {
                x = nd(rng);
                if (ud(rng) < 0.002f)
                    x = (ud(rng) < 0.5f ? -1.0f : 1.0f) * (8.0f + 4.0f * ud(rng));
            } else if (preset == "relu-skewed") {
                x = std::max(0.0f, nd(rng) + 0.3f);
                if (ud(rng) < 0.002f)
                    x = 6.0f + 4.0f * ud(rng);
            } else if (preset == "uniform") {
                x = 2.0f * ud(rng) - 1.0f;
            } else { // conv-weights: per-channel spreads from 0.02 to about 0.5
                x = nd(rng) * 0.02f * std::pow(1.6f, static_cast<float>(c));
            }
        }
    return t;
}

/// MSE over the elements that fall inside their clipping range (the rounding error alone).
double keptMse(const Tensor& x, const QuantizedTensor& qt) {
    double sum = 0;
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        const QParams& p = qt.params[qt.channelOf(i)];
        const double v = x.at(i);
        if (v < p.clipLo() - p.scale / 2 || v > p.clipHi() + p.scale / 2)
            continue;
        const double d = v - qt.dequantized.at(i);
        sum += d * d;
        ++n;
    }
    return n ? sum / double(n) : 0.0;
}

/// An inspector entry with a title and facts.
viz::ObjectInfo obj(std::string title, std::vector<viz::Fact> facts) {
    viz::ObjectInfo o;
    o.title = std::move(title);
    o.facts = std::move(facts);
    return o;
}

class QuantRun : public LabRun {
public:
    QuantRun(Tensor x, QuantSpec spec, std::string preset, std::uint32_t seed);
    std::vector<Phase> phases() const override {
        return {{"histogram", 1},  {"kl-search", 1}, {"mapping", 1},
                {"fake-quant", 1}, {"int8-gemm", 1}, {"qdq-model", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    void histogram(viz::Scene& s, Lang L, const viz::Palette& pal) const;
    void klFrame(viz::Scene& s, Lang L, const viz::Palette& pal) const;
    void mapping(viz::Scene& s, Lang L, const viz::Palette& pal) const;
    std::string specText(Lang L) const;

    Tensor m_x;
    std::vector<float> m_all;
    QuantSpec m_spec;
    std::string m_preset;
    QuantizedTensor m_qt;
    ErrorStats m_err;
    std::vector<std::pair<Calibration, ErrorStats>> m_byCalibrator;
    double m_keptMse = 0;                   ///< MSE over the values inside the range
    std::vector<double> m_keptByCalibrator; ///< the same per calibrator
    KlSearch m_kl;
    Int8GemmExample m_gemm;
    FakeQuantCurve m_fakeQuant;
    QdqExample m_qdq;
};

QuantRun::QuantRun(Tensor x, QuantSpec spec, std::string preset, std::uint32_t seed)
    : m_x(std::move(x)), m_spec(spec), m_preset(std::move(preset)) {
    m_all.assign(m_x.data<float>(), m_x.data<float>() + m_x.numel());
    m_qt = quantizeTensor(m_x, m_spec);
    m_err = quantError(m_x, m_qt);
    m_keptMse = keptMse(m_x, m_qt);
    for (Calibration c : {Calibration::MinMax, Calibration::Percentile, Calibration::KL}) {
        QuantSpec o = m_spec;
        o.calibration = c;
        const QuantizedTensor qt = quantizeTensor(m_x, o);
        m_byCalibrator.push_back({c, quantError(m_x, qt)});
        m_keptByCalibrator.push_back(keptMse(m_x, qt));
    }
    m_kl = klSearch(m_all);
    m_fakeQuant = makeFakeQuantCurve(m_spec.scheme, m_spec.bits);
    m_qdq = makeQdqExample(m_spec, seed);
    m_gemm = makeInt8GemmExample(m_spec.scheme, std::min(8, m_spec.bits), m_spec.perChannel, seed);
}

std::string QuantRun::specText(Lang L) const {
    return std::string(schemeName(m_spec.scheme)) + " · " +
           (m_spec.perChannel ? tr2(L, "per-channel", "逐通道") : tr2(L, "per-tensor", "逐张量")) +
           " · " + std::to_string(m_spec.bits) + " bit · " + calibrationName(m_spec.calibration);
}

viz::Scene QuantRun::scene(int frame, const DrawOptions& opt) const {
    const viz::Palette pal = viz::Palette::forTheme(opt.theme);
    viz::Scene s = sceneOn(pal);
    if (frame == 0)
        histogram(s, opt.lang, pal);
    else if (frame == 1)
        klFrame(s, opt.lang, pal);
    else if (frame == 2)
        mapping(s, opt.lang, pal);
    else if (frame == 3)
        drawFakeQuant(s, m_fakeQuant, m_spec.bits, opt.lang, pal);
    else if (frame == 4)
        drawInt8Gemm(s, m_gemm, opt.lang, pal, opt.theme);
    else
        drawQdq(s, m_qdq, opt.lang, pal);
    return s;
}

void QuantRun::histogram(viz::Scene& s, Lang L, const viz::Palette& pal) const {
    using namespace viz;
    DisplayList& dl = s.list;
    const auto [mnIt, mxIt] = std::minmax_element(m_all.begin(), m_all.end());
    // Per-channel: the grid and range drawn are those of the widest channel.
    std::size_t wide = 0;
    for (std::size_t c = 1; c < m_qt.params.size(); ++c)
        if (m_qt.params[c].scale > m_qt.params[wide].scale)
            wide = c;
    const QParams& p0 = m_qt.params[wide];
    const double clipLo = p0.clipLo(), clipHi = p0.clipHi();
    const double lo0 = std::min({0.0, double(*mnIt), clipLo});
    const double hi0 = std::max({0.0, double(*mxIt), clipHi});
    const double pad = 0.04 * (hi0 - lo0 + 1e-9);
    const double lo = lo0 - pad, hi = hi0 + pad;
    const Rect area{70, 50, 700, 280};
    auto X = [&](double v) { return area.x + float((v - lo) / (hi - lo)) * area.w; };
    // 1. Histogram (log count) with the bins outside the clipping range in red.
    constexpr int kBins = 100;
    std::vector<int> counts(kBins, 0);
    for (float v : m_all)
        ++counts[std::clamp(int((v - lo) / (hi - lo) * kBins), 0, kBins - 1)];
    const double top = std::log1p(*std::max_element(counts.begin(), counts.end()));
    dl.line({area.x, area.y + area.h}, {area.x + area.w, area.y + area.h}, pal.muted, 1);
    for (int b = 0; b < kBins; ++b) {
        if (!counts[b])
            continue;
        const double b0 = lo + (hi - lo) * b / kBins, b1 = lo + (hi - lo) * (b + 1) / kBins;
        const float h = float(std::log1p(counts[b]) / top) * area.h;
        const bool inside = b1 > clipLo && b0 < clipHi;
        const std::uint32_t id = kBinId + std::uint32_t(b);
        dl.box({X(b0), area.y + area.h - h, X(b1) - X(b0) - 0.5f, h},
               inside ? pal.accent.withAlpha(0.75f) : pal.bad, kNoColor, 0, 0, id);
        s.objects[id] =
            obj("[" + fmtNum(b0, 3) + ", " + fmtNum(b1, 3) + ")",
                {{tr2(L, "values", "数值个数"), std::to_string(counts[b])},
                 {tr2(L, "clipped", "被截断"), inside ? tr2(L, "no", "否") : tr2(L, "yes", "是")}});
    }
    dl.text({area.x, area.y - 8},
            tr2(L, "Histogram of the tensor (count on a log scale)", "张量直方图（计数取对数）"),
            pal.foreground, 13, HAlign::Left, VAlign::Bottom)
        .bold = true;
    // 2. The clipping range.
    for (double c : {clipLo, clipHi}) {
        if (c < lo || c > hi)
            continue;
        Prim& l = dl.line({X(c), area.y - 2}, {X(c), area.y + area.h + 60}, pal.bad, 2);
        l.dashed = true;
        dl.text({X(c), area.y + area.h + 62}, fmtNum(c, 3), pal.bad, 11, HAlign::Center,
                VAlign::Top);
    }
    // 3. The integer grid: one tick per level (p0's grid), labels at qmin, z and qmax.
    const float gy = area.y + area.h + 24;
    dl.text({area.x - 8, gy + 9},
            m_spec.perChannel ? "c" + std::to_string(wide) + tr2(L, " grid", " 网格")
                              : std::string(tr2(L, "grid", "网格")),
            pal.muted, 11, HAlign::Right, VAlign::Middle);
    const int levels = p0.qmax - p0.qmin + 1;
    for (int q = p0.qmin; q <= p0.qmax; ++q) {
        const double v = p0.dequantize(q);
        if (v < lo || v > hi)
            continue;
        const bool major = q == p0.qmin || q == p0.qmax || q == p0.zeroPoint;
        dl.line({X(v), gy}, {X(v), gy + (major ? 18.0f : 10.0f)},
                major ? pal.foreground : pal.accent2.withAlpha(levels > 64 ? 0.5f : 1.0f),
                major ? 1.5f : 1.0f);
        if (major && (q != p0.zeroPoint || (q - p0.qmin > 12 && p0.qmax - q > 12)))
            dl.text({X(v), gy + 20}, std::to_string(q), pal.foreground, 10,
                    q == p0.qmin   ? HAlign::Right
                    : q == p0.qmax ? HAlign::Left
                                   : HAlign::Center,
                    VAlign::Top);
    }
    // 4. Per-channel ranges (one row per channel) under the grid.
    float y = area.y + area.h + 92;
    if (m_spec.perChannel) {
        dl.text({area.x, y}, tr2(L, "per-channel clipping ranges", "逐通道截断范围"),
                pal.foreground, 12)
            .bold = true;
        y += 18;
        for (std::size_t c = 0; c < m_qt.params.size(); ++c, y += 14) {
            const QParams& p = m_qt.params[c];
            dl.line({X(std::max(lo, p.clipLo())), y + 5}, {X(std::min(hi, p.clipHi())), y + 5},
                    pal.category(c), 5);
            dl.text({area.x - 8, y + 5}, "c" + std::to_string(c), pal.muted, 10, HAlign::Right,
                    VAlign::Middle);
            dl.text({area.x + area.w + 6, y + 5},
                    "s = " + fmtSci(p.scale, 3) + ", z = " + std::to_string(p.zeroPoint), pal.muted,
                    10, HAlign::Left, VAlign::Middle);
        }
    }
    // 5. Numbers: parameters, error, and the three calibrators side by side.
    const float px = 880;
    float ty = 50;
    auto row = [&](const std::string& k, const std::string& v, bool bold = false) {
        dl.text({px, ty}, k, pal.muted, 12);
        dl.text({px + 150, ty}, v, pal.foreground, 12).bold = bold;
        ty += 19;
    };
    dl.text({px, ty}, specText(L), pal.foreground, 13).bold = true;
    ty += 24;
    if (!m_spec.perChannel) {
        row(tr2(L, "clipping range", "截断范围"),
            "[" + fmtNum(p0.clipLo(), 4) + ", " + fmtNum(p0.clipHi(), 4) + "]");
        row(tr2(L, "scale s", "缩放因子 s"), fmtSci(p0.scale, 4), true);
        row(tr2(L, "zero point z", "零点 z"), std::to_string(p0.zeroPoint), true);
    }
    row(tr2(L, "integer range", "整数范围"),
        "[" + std::to_string(p0.qmin) + ", " + std::to_string(p0.qmax) + "]");
    row(tr2(L, "values", "元素个数"), std::to_string(m_all.size()));
    ty += 8;
    row("MSE", fmtSci(m_err.mse, 3), true);
    row("SQNR", fmtNum(m_err.sqnrDb, 2) + " dB", true);
    row(tr2(L, "max |error|", "最大绝对误差"), fmtSci(m_err.maxAbs, 3));
    row(tr2(L, "clipped", "被截断比例"), fmtNum(100 * m_err.clipRate, 3) + " %");
    row(tr2(L, "MSE of kept values", "未截断值的 MSE"), fmtSci(m_keptMse, 3), true);
    ty += 14;
    dl.text({px, ty}, tr2(L, "Same tensor, other calibrators:", "同一张量，换用其他校准方法："),
            pal.foreground, 12)
        .bold = true;
    ty += 20;
    dl.text({px + 90, ty}, "MSE", pal.muted, 11);
    dl.text({px + 170, ty}, tr2(L, "kept MSE", "未截断 MSE"), pal.muted, 11);
    dl.text({px + 255, ty}, "SQNR", pal.muted, 11);
    ty += 16;
    for (std::size_t k = 0; k < m_byCalibrator.size(); ++k) {
        const auto& [c, e] = m_byCalibrator[k];
        const bool cur = c == m_spec.calibration;
        const Color col = cur ? pal.accent : pal.muted;
        dl.text({px, ty}, calibrationName(c), col, 12).bold = cur;
        dl.text({px + 90, ty}, fmtSci(e.mse, 2), col, 12);
        dl.text({px + 170, ty}, fmtSci(m_keptByCalibrator[k], 2), col, 12);
        dl.text({px + 255, ty}, fmtNum(e.sqnrDb, 1) + " dB", col, 12);
        ty += 18;
    }
    s.caption = std::string(tr2(L, "Histogram and clipping range — ", "直方图与截断范围 —— ")) +
                specText(L);
    s.legend = {{pal.accent, tr2(L, "kept (inside the range)", "保留（范围内）")},
                {pal.bad, tr2(L, "clipped to qmin/qmax", "被截断到 qmin/qmax")},
                {pal.accent2, tr2(L, "integer levels (q − z)·s", "整数网格 (q − z)·s")}};
}

void QuantRun::klFrame(viz::Scene& s, Lang L, const viz::Palette& pal) const {
    using namespace viz;
    DisplayList& dl = s.list;
    if (m_kl.candidates.empty()) {
        dl.text({60, 60},
                tr2(L, "All values are zero: nothing to search.", "所有值为零，无需搜索。"),
                pal.foreground, 14);
        return;
    }
    // 1. The |x| histogram (2048 bins drawn as 256 columns, log count) with T marked.
    const Rect ha{80, 50, 760, 170};
    const double amax = m_kl.absMax;
    std::vector<double> cols(256, 0.0);
    for (std::size_t b = 0; b < m_kl.histogram.size(); ++b)
        cols[b * 256 / m_kl.histogram.size()] += m_kl.histogram[b];
    const double top = std::log1p(*std::max_element(cols.begin(), cols.end()));
    for (int c = 0; c < 256; ++c) {
        if (cols[c] == 0)
            continue;
        const float h = float(std::log1p(cols[c]) / top) * ha.h;
        const bool inside = (c + 0.5) / 256.0 * amax <= m_kl.chosen;
        dl.heatCell({ha.x + c * ha.w / 256, ha.y + ha.h - h, ha.w / 256, h},
                    inside ? pal.accent.withAlpha(0.7f) : pal.bad);
    }
    dl.line({ha.x, ha.y + ha.h}, {ha.x + ha.w, ha.y + ha.h}, pal.muted, 1);
    dl.text({ha.x, ha.y - 8},
            tr2(L, "|x| in 2048 bins (log count); red = above the chosen threshold T",
                "|x| 的 2048 桶直方图（计数取对数）；红色 = 高于所选阈值 T"),
            pal.foreground, 13, HAlign::Left, VAlign::Bottom)
        .bold = true;
    // 2. KL(P‖Q) per candidate threshold.
    double kmin = 1e300, kmax = 0;
    for (double k : m_kl.kl) {
        kmin = std::min(kmin, std::max(k, 1e-7));
        kmax = std::max(kmax, k);
    }
    PlotFrame plot({ha.x, 290, ha.w, 300}, 0, amax, kmin * 0.5, kmax * 2, false, true);
    plot.drawAxes(dl, tr2(L, "threshold T", "阈值 T"), "KL(P‖Q)", pal.muted, pal.grid, pal.muted);
    std::vector<std::pair<double, double>> pts;
    for (std::size_t i = 0; i < m_kl.kl.size(); ++i)
        pts.push_back({m_kl.threshold[i], std::max(m_kl.kl[i], 1e-7)});
    plot.plotLine(dl, pts, pal.accent, 2, 1);
    s.objects[1] = obj(
        "KL(P‖Q)", {{tr2(L, "candidates", "候选阈值数"), std::to_string(m_kl.candidates.size())},
                    {tr2(L, "first", "起点"), "i = 128"},
                    {tr2(L, "last", "终点"), "i = 2048"}});
    const Vec2 best = plot.map(m_kl.chosen, std::max(m_kl.kl[std::size_t(m_kl.best)], 1e-7));
    dl.circle(best, 6, pal.bad, pal.background, 1.5f, 2);
    const float xT = ha.x + float(m_kl.chosen / amax) * ha.w;
    Prim& l = dl.line({xT, ha.y}, {xT, 590}, pal.bad, 1.5f);
    l.dashed = true;
    dl.text({xT + 6, ha.y + 4}, "T = " + fmtNum(m_kl.chosen, 3), pal.bad, 12).bold = true;
    s.objects[2] = obj(tr2(L, "smallest divergence", "最小散度"),
                       {{"T", fmtNum(m_kl.chosen, 4)},
                        {tr2(L, "slice length m", "切片长度 m"),
                         std::to_string(m_kl.candidates[std::size_t(m_kl.best)])},
                        {"KL", fmtSci(m_kl.kl[std::size_t(m_kl.best)], 3)}});
    // 3. Numbers.
    const float px = 880;
    float ty = 60;
    std::int64_t clipped = 0;
    for (float v : m_all)
        clipped += std::fabs(v) > m_kl.chosen;
    auto row = [&](const std::string& k, const std::string& v) {
        dl.text({px, ty}, k, pal.muted, 12);
        dl.text({px + 160, ty}, v, pal.foreground, 12).bold = true;
        ty += 20;
    };
    row("max |x|", fmtNum(amax, 4));
    row(tr2(L, "bin width", "桶宽"), fmtSci(m_kl.binWidth, 3));
    row(tr2(L, "chosen T", "选出的 T"), fmtNum(m_kl.chosen, 4));
    row("T / max|x|", fmtNum(100 * m_kl.chosen / amax, 1) + " %");
    row(tr2(L, "values clipped", "被截断的值"), std::to_string(clipped));
    row(tr2(L, "int8 scale T/127", "int8 缩放 T/127"), fmtSci(m_kl.chosen / 127, 3));
    ty += 10;
    dl.text({px, ty}, tr2(L, "For each i = 128 … 2048:", "对每个 i = 128 … 2048："), pal.foreground,
            12)
        .bold = true;
    ty += 20;
    for (const char* line :
         {tr2(L, "P = bins[0:i], outliers added to P[i−1]", "P = bins[0:i]，离群值并入 P[i−1]"),
          tr2(L, "Q = bins[0:i] merged into 128 levels,", "Q = bins[0:i] 合并成 128 级，"),
          tr2(L, "    spread back over P's non-zero bins", "    再展开到 P 的非零桶上"),
          tr2(L, "T = (m + 0.5) · bin width at min KL", "T = (m + 0.5) · 桶宽，取 KL 最小的 m")}) {
        dl.text({px, ty}, line, pal.muted, 12);
        ty += 18;
    }
    s.caption = std::string(tr2(L, "KL calibration: threshold T = ", "KL 校准：阈值 T = ")) +
                fmtNum(m_kl.chosen, 3) + tr2(L, " of max ", "，最大值 ") + fmtNum(amax, 3);
    s.legend = {{pal.accent, "KL(P‖Q)"}, {pal.bad, tr2(L, "chosen threshold", "选出的阈值")}};
}

void QuantRun::mapping(viz::Scene& s, Lang L, const viz::Palette& pal) const {
    using namespace viz;
    DisplayList& dl = s.list;
    const QParams& p = m_qt.params[0];
    const std::size_t ch0 = 0;
    // Samples of channel 0: its extremes, zero, and seeded values between.
    std::vector<float> xs;
    const std::int64_t per = m_x.shape()[1];
    const float* c0 = m_x.data<float>() + ch0 * per;
    const auto [mn, mx] = std::minmax_element(c0, c0 + per);
    std::vector<float> sorted(c0, c0 + per);
    std::sort(sorted.begin(), sorted.end());
    xs = {0.0f};
    for (double f : {0.0, 0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.99, 1.0})
        xs.push_back(sorted[static_cast<std::size_t>(f * double(per - 1))]);
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    const double lo = std::min({double(*mn), p.clipLo(), 0.0});
    const double hi = std::max({double(*mx), p.clipHi(), 0.0});
    const Rect ax{90, 70, 800, 0};
    auto X = [&](double v) { return ax.x + float((v - lo) / (hi - lo)) * ax.w; };
    auto Q = [&](int q) { return ax.x + float(double(q - p.qmin) / (p.qmax - p.qmin)) * ax.w; };
    const float yR = 80, yQ = 240, yD = 400;
    dl.line({ax.x, yR}, {ax.x + ax.w, yR}, pal.foreground, 1.5f);
    dl.line({ax.x, yQ}, {ax.x + ax.w, yQ}, pal.foreground, 1.5f);
    dl.line({ax.x, yD}, {ax.x + ax.w, yD}, pal.foreground, 1.5f);
    dl.text({ax.x - 10, yR}, tr2(L, "real x", "实数 x"), pal.foreground, 12, HAlign::Right,
            VAlign::Middle);
    dl.text({ax.x - 10, yQ}, tr2(L, "integer q", "整数 q"), pal.foreground, 12, HAlign::Right,
            VAlign::Middle);
    dl.text({ax.x - 10, yD}, tr2(L, "x̂ = (q−z)·s", "x̂ = (q−z)·s"), pal.foreground, 12,
            HAlign::Right, VAlign::Middle);
    for (int q : {p.qmin, p.zeroPoint, p.qmax}) {
        dl.line({Q(q), yQ - 5}, {Q(q), yQ + 5}, pal.foreground, 1.5f);
        dl.text({Q(q), yQ + 8}, (q == p.zeroPoint ? "z = " : "") + std::to_string(q), pal.muted, 11,
                HAlign::Center, VAlign::Top);
    }
    for (double v : {p.clipLo(), p.clipHi()}) {
        dl.line({X(v), yR - 8}, {X(v), yR + 8}, pal.bad, 2);
        dl.text({X(v), yR - 10}, fmtNum(v, 3), pal.bad, 11, HAlign::Center, VAlign::Bottom);
    }
    dl.line({X(0), yR - 5}, {X(0), yR + 5}, pal.foreground, 1.5f);
    dl.text({X(0), yR + 8}, "0", pal.muted, 11, HAlign::Center, VAlign::Top);
    // Sample lines x → q → x̂ and the table of the arithmetic.
    float ty = 470;
    const float cols[] = {90, 200, 310, 420, 520, 620, 740};
    const char* heads[] = {"x", "x / s", "round", "+ z", "clamp → q", "x̂", "|x − x̂|"};
    for (int k = 0; k < 7; ++k)
        dl.text({cols[k], ty}, heads[k], pal.foreground, 12).bold = true;
    ty += 18;
    for (std::size_t i = 0; i < xs.size(); ++i, ty += 17) {
        const float x = xs[i];
        const int q = p.quantize(x);
        const float xd = p.dequantize(q);
        const Color c = pal.category(i);
        const std::uint32_t id = kSampleId + std::uint32_t(i);
        dl.line({X(x), yR}, {Q(q), yQ}, c, 1.5f, id);
        dl.line({Q(q), yQ}, {X(xd), yD}, c.withAlpha(0.6f), 1.5f, id).dashed = true;
        dl.circle({X(x), yR}, 4, c, kNoColor, 1, id);
        dl.circle({Q(q), yQ}, 4, c, kNoColor, 1, id);
        dl.circle({X(xd), yD}, 4, c, kNoColor, 1, id);
        const double r = double(x / static_cast<float>(p.scale));
        const std::string vals[] = {fmtNum(x, 4),
                                    fmtNum(r, 2),
                                    fmtNum(std::nearbyint(r), 0),
                                    fmtNum(std::nearbyint(r) + p.zeroPoint, 0),
                                    std::to_string(q),
                                    fmtNum(xd, 4),
                                    fmtSci(std::fabs(x - xd), 2)};
        for (int k = 0; k < 7; ++k)
            dl.text({cols[k], ty}, vals[k], k == 4 ? c : pal.foreground, 12, HAlign::Left,
                    VAlign::Top, id)
                .bold = k == 4;
        s.objects[id] = obj("x = " + fmtNum(x, 5),
                            {{"q", std::to_string(q)},
                             {"x̂", fmtNum(xd, 5)},
                             {tr2(L, "error", "误差"), fmtSci(x - xd, 3)},
                             {tr2(L, "bound s/2 (inside the range)", "上界 s/2（范围内）"),
                              fmtSci(p.scale / 2, 3)}});
    }
    const float px = 920;
    dl.text({px, 80}, specText(L), pal.foreground, 13).bold = true;
    dl.text({px, 104},
            m_spec.perChannel ? tr2(L, "channel 0's parameters:", "通道 0 的参数：")
                              : tr2(L, "tensor parameters:", "张量参数："),
            pal.muted, 12);
    dl.text({px, 124}, "s = " + fmtSci(p.scale, 4) + "   z = " + std::to_string(p.zeroPoint),
            pal.foreground, 12)
        .bold = true;
    dl.text({px, 150}, "q = clamp(round(x/s) + z, qmin, qmax)", pal.muted, 12);
    dl.text({px, 170}, "x̂ = (q − z) · s", pal.muted, 12);
    dl.text(
        {px, 196},
        m_spec.scheme == QScheme::Symmetric
            ? tr2(L, "symmetric: z = 0, s = T / qmax", "对称：z = 0，s = T / qmax")
            : tr2(L, "affine: s = (hi − lo)/(qmax − qmin)", "非对称：s = (hi − lo)/(qmax − qmin)"),
        pal.muted, 12);
    if (m_spec.scheme == QScheme::Affine)
        dl.text({px, 216}, "z = qmin − round(lo / s)", pal.muted, 12);
    s.caption = tr2(L, "From real numbers to integers and back: real 0 lands exactly on z",
                    "实数到整数再回到实数：实数 0 恰好映射到 z");
}

} // namespace

LocalText QuantizationLab::title() const {
    return {"Quantization bench", "量化实验台"};
}

std::vector<ParamSpec> QuantizationLab::params() const {
    return {
        {"tensor",
         ParamType::Choice,
         {"tensor", "张量"},
         0,
         0,
         {"gaussian-outliers", "relu-skewed", "uniform", "conv-weights"},
         std::string("gaussian-outliers")},
        {"scheme",
         ParamType::Choice,
         {"scheme", "方案"},
         0,
         0,
         {"symmetric", "affine"},
         std::string("symmetric")},
        {"granularity",
         ParamType::Choice,
         {"granularity", "粒度"},
         0,
         0,
         {"per-tensor", "per-channel"},
         std::string("per-tensor")},
        {"bits", ParamType::Int, {"bits", "位宽"}, 2, 8, {}, std::int64_t{8}},
        {"calibration",
         ParamType::Choice,
         {"calibration", "校准方法"},
         0,
         0,
         {"minmax", "percentile", "kl"},
         std::string("minmax")},
        {"percentile", ParamType::Float, {"percentile", "百分位"}, 90, 100, {}, 99.99},
        {"seed", ParamType::Int, {"random seed", "随机种子"}, 0, 999, {}, std::int64_t{1}},
    };
}

std::unique_ptr<LabRun> QuantizationLab::run(const ParamSet& p) const {
    QuantSpec spec;
    spec.scheme = parseScheme(p.getString("scheme", "symmetric"));
    spec.bits = static_cast<int>(p.getInt("bits", 8));
    spec.perChannel = p.getString("granularity", "per-tensor") == "per-channel";
    spec.axis = 0;
    spec.calibration = parseCalibration(p.getString("calibration", "minmax"));
    spec.percentile = p.getFloat("percentile", 99.99);
    const std::string preset = p.getString("tensor", "gaussian-outliers");
    const auto seed = static_cast<std::uint32_t>(p.getInt("seed", 1));
    return std::make_unique<QuantRun>(makeTensor(preset, seed), spec, preset, seed);
}

} // namespace aisys::lessons
