// Lab "indirect-conv": the indirection buffer block by block, then the comparison with im2col.
#include "lessons/labs/inference/indirect_conv/indirect_conv_lab.h"

#include "engine/conv/conv.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::lessons {

namespace {

namespace cv = engine::conv;

constexpr std::uint32_t kInputId = 10;       // + h·IW + w
constexpr std::uint32_t kZeroId = 9'000;     // the zero vector
constexpr std::uint32_t kOutputId = 10'000;  // + output pixel
constexpr std::uint32_t kBufferId = 100'000; // + row · KH·KW + tap

class IndirectRun : public LabRun {
public:
    IndirectRun(const cv::ConvShape& s, std::int64_t mr, std::int64_t nr)
        : m_s(s), m_mr(mr), m_nr(nr) {
        if (std::string e = s.check(); !e.empty())
            throw std::invalid_argument(e);
        m_ib = cv::buildIndirection(s);
        std::vector<double> x, w;
        cv::randomInputs(s, 1, x, w);
        const auto ref = cv::convDirect(s, x, w).y;
        const auto ind = cv::convIndirect(s, x, w);
        m_err = cv::maxAbsDiff(ind.y, ref);
        m_indirectBytes = cv::convIndirect(s, cv::toFloat(x), cv::toFloat(w)).stats.bufferBytes;
        m_im2colBytes = cv::convIm2col(s, cv::toFloat(x), cv::toFloat(w)).stats.bufferBytes;
    }
    std::vector<Phase> phases() const override {
        const std::int64_t pixels = m_s.oh() * m_s.ow();
        return {{"sweep", static_cast<int>((pixels + m_mr - 1) / m_mr)}, {"compare", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    cv::ConvShape m_s;
    std::int64_t m_mr, m_nr;
    cv::IndirectionBuffer m_ib;
    double m_err = 0;
    std::int64_t m_indirectBytes = 0, m_im2colBytes = 0;
};

viz::Scene IndirectRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    const Lang L = opt.lang;
    const std::int64_t OH = m_s.oh(), OW = m_s.ow(), taps = m_s.kh * m_s.kw, pixels = OH * OW;
    const int sweepFrames = phases()[0].frames;
    const bool compare = frame >= sweepFrames;
    const std::int64_t b0 = compare ? 0 : frame * m_mr,
                       b1 = compare ? pixels : std::min(pixels, b0 + m_mr);
    dl.text({40, 24},
            std::string(tr2(L, "Indirect convolution: ", "间接卷积：")) + std::to_string(m_s.ih) +
                "×" + std::to_string(m_s.iw) + "×" + std::to_string(m_s.ic) + " (NHWC) ∗ " +
                std::to_string(m_s.kh) + "×" + std::to_string(m_s.kw) + ", pad " +
                std::to_string(m_s.padH) + ", stride " + std::to_string(m_s.strideH) + " → " +
                std::to_string(OH) + "×" + std::to_string(OW) + "×" + std::to_string(m_s.oc),
            pal.foreground, 16)
        .bold = true;
    dl.text({40, 48},
            std::string(tr2(L, "micro-kernel: MR = ", "微内核：MR = ")) + std::to_string(m_mr) +
                tr2(L, " output pixels × NR = ", " 个输出像素 × NR = ") + std::to_string(m_nr) +
                tr2(L, " channels per call", " 个通道（每次调用）"),
            pal.muted, 13);
    // How often each input pixel (and the zero vector) is pointed at by this block.
    std::vector<int> hits(static_cast<std::size_t>(m_s.ih * m_s.iw), 0);
    int zeroHits = 0;
    for (std::int64_t p = b0; p < b1; ++p)
        for (std::int64_t t = 0; t < taps; ++t) {
            const std::int64_t r = m_ib.rows[static_cast<std::size_t>(p * taps + t)];
            if (r == cv::IndirectionBuffer::kZeroRow)
                ++zeroHits;
            else
                ++hits[static_cast<std::size_t>(r / m_s.ic)];
        }
    // 1. The input pixels: each one a row of IC contiguous values.
    const float cs = 34, gx = 60, gy = 110;
    dl.text({gx, gy - 10}, tr2(L, "input pixels (rows of IC values)", "输入像素（各含 IC 个值）"),
            pal.muted, 12, HAlign::Left, VAlign::Bottom);
    for (std::int64_t h = 0; h < m_s.ih; ++h)
        for (std::int64_t w = 0; w < m_s.iw; ++w) {
            const int k = hits[static_cast<std::size_t>(h * m_s.iw + w)];
            const std::uint32_t id = kInputId + static_cast<std::uint32_t>(h * m_s.iw + w);
            const Color fill = k > 0 && !compare
                                   ? rampColor(0.25 + 0.6 * std::min(1.0, k / double(taps)))
                                   : pal.panel;
            const Rect rc{gx + w * cs, gy + h * cs, cs - 2, cs - 2};
            dl.box(rc, fill, pal.panelBorder, 2, 0.75f, id);
            dl.text(rc.center(), std::to_string(h) + "," + std::to_string(w),
                    k > 0 && !compare ? textOn(fill) : pal.muted, 10, HAlign::Center,
                    VAlign::Middle, id);
            ObjectInfo info;
            info.title = std::string(tr2(L, "input pixel ", "输入像素 ")) + "(" +
                         std::to_string(h) + ", " + std::to_string(w) + ")";
            info.facts.push_back(
                {tr2(L, "pointers in this call", "本次调用中的指针"), std::to_string(k)});
            info.facts.push_back(
                {tr2(L, "NHWC offset", "NHWC 偏移"), std::to_string((h * m_s.iw + w) * m_s.ic)});
            s.objects[id] = info;
        }
    const float zy = gy + m_s.ih * cs + 20;
    const Rect zr{gx, zy, cs * 2, cs - 2};
    dl.box(zr, zeroHits > 0 && !compare ? pal.bad.withAlpha(0.35f) : pal.panel, pal.bad, 2, 1.5f,
           kZeroId);
    dl.text(zr.center(), tr2(L, "zero", "零向量"), pal.foreground, 11, HAlign::Center,
            VAlign::Middle, kZeroId);
    ObjectInfo zinfo;
    zinfo.title = tr2(L, "the zero vector", "零向量");
    zinfo.facts = {
        {tr2(L, "pointers in this call", "本次调用中的指针"), std::to_string(zeroHits)},
        {tr2(L, "pointers in the buffer", "缓冲区中的指针"), std::to_string(m_ib.zeroEntries)}};
    s.objects[kZeroId] = zinfo;
    // 2. The output pixels, the current block outlined.
    const float ox = gx + std::max(float(m_s.iw) * cs, 220.0f) + 40;
    dl.text({ox, gy - 10}, tr2(L, "output pixels", "输出像素"), pal.muted, 12, HAlign::Left,
            VAlign::Bottom);
    for (std::int64_t p = 0; p < pixels; ++p) {
        const bool cur = p >= b0 && p < b1 && !compare;
        const bool done = p < b0 || compare;
        const Rect rc{ox + (p % OW) * cs, gy + (p / OW) * cs, cs - 2, cs - 2};
        dl.box(rc,
               cur    ? pal.accent.withAlpha(0.5f)
               : done ? pal.accent2.withAlpha(0.35f)
                      : pal.panel,
               cur ? pal.accent : pal.panelBorder, 2, cur ? 2.0f : 0.75f,
               kOutputId + static_cast<std::uint32_t>(p));
        dl.text(rc.center(), std::to_string(p), pal.foreground, 10, HAlign::Center, VAlign::Middle,
                kOutputId + static_cast<std::uint32_t>(p));
    }
    // 3. The indirection buffer of this block: MR rows × KH·KW pointers.
    const float bx = ox + OW * cs + 50;
    if (!compare) {
        dl.text({bx, gy - 10},
                std::string(tr2(L, "indirection buffer, pixels ", "间接缓冲区，像素 ")) +
                    std::to_string(b0) + "…" + std::to_string(b1 - 1) +
                    tr2(L, " (row = output pixel, column = tap)", "（行 = 输出像素，列 = 抽头）"),
                pal.muted, 12, HAlign::Left, VAlign::Bottom);
        const float pw = 40, ph = 22;
        for (std::int64_t p = b0; p < b1; ++p)
            for (std::int64_t t = 0; t < taps; ++t) {
                const std::int64_t r = m_ib.rows[static_cast<std::size_t>(p * taps + t)];
                const bool zero = r == cv::IndirectionBuffer::kZeroRow;
                const Rect rc{bx + t * pw, gy + (p - b0) * ph, pw - 2, ph - 2};
                const std::uint32_t id =
                    kBufferId + static_cast<std::uint32_t>((p - b0) * taps + t);
                dl.box(rc, zero ? pal.bad.withAlpha(0.25f) : pal.accent2.withAlpha(0.25f),
                       pal.panelBorder, 2, 0.75f, id);
                const std::string txt = zero ? "0"
                                             : std::to_string(r / m_s.ic / m_s.iw) + "," +
                                                   std::to_string(r / m_s.ic % m_s.iw);
                dl.text(rc.center(), txt, pal.foreground, 10, HAlign::Center, VAlign::Middle, id);
                ObjectInfo info;
                info.title = std::string(tr2(L, "pointer ", "指针 ")) + std::to_string(p) + "." +
                             std::to_string(t);
                info.facts.push_back(
                    {tr2(L, "points at", "指向"),
                     zero ? std::string(tr2(L, "the zero vector", "零向量")) : "(" + txt + ")"});
                s.objects[id] = info;
            }
    }
    // 4. The facts.
    const float fy = std::max(zy + cs + 30, gy + float(std::max<std::int64_t>(OH, m_mr)) * cs + 30);
    std::vector<FactRow> facts = {
        {tr2(L, "buffer entries N·OH·OW·KH·KW", "缓冲区条目 N·OH·OW·KH·KW"),
         std::to_string(m_ib.rows.size())},
        {tr2(L, "entries at the zero vector", "指向零向量的条目"),
         std::to_string(m_ib.zeroEntries)},
        {tr2(L, "micro-kernel calls ⌈OH·OW/MR⌉·⌈OC/NR⌉", "微内核调用次数 ⌈OH·OW/MR⌉·⌈OC/NR⌉"),
         std::to_string(((pixels + m_mr - 1) / m_mr) * ((m_s.oc + m_nr - 1) / m_nr))}};
    if (compare) {
        facts.push_back({tr2(L, "indirection buffer + zero vector (f32, 8-byte pointers)",
                             "间接缓冲区 + 零向量（f32，8 字节指针）"),
                         std::to_string(m_indirectBytes) + " B"});
        facts.push_back(
            {tr2(L, "im2col matrix + weight matrix (f32)", "im2col 矩阵 + 权重矩阵（f32）"),
             std::to_string(m_im2colBytes) + " B"});
        facts.push_back({tr2(L, "max |indirect − direct| (f64)", "max |间接 − 直接|（f64）"),
                         fmtSci(m_err, 2)});
    }
    drawFactTable(dl, {40, fy}, facts, pal, 13, 380);
    s.caption = compare
                    ? tr2(L, "No im2col copy: one pointer per tap instead of IC values per tap",
                          "没有 im2col 拷贝：每个抽头一个指针，而不是 IC 个值")
                    : tr2(L, "One micro-kernel call: its pointers light the input rows it reads",
                          "一次微内核调用：它的指针点亮所读取的输入行");
    s.legend = {
        {rampColor(0.4), tr2(L, "input row read by this call", "本次调用读取的输入行")},
        {pal.bad.withAlpha(0.35f), tr2(L, "padding tap → zero vector", "填充抽头 → 零向量")},
        {pal.accent, tr2(L, "current output pixels", "当前输出像素")}};
    return s;
}

} // namespace

LocalText IndirectConvLab::title() const {
    return {"QNNPACK's indirect convolution", "QNNPACK 的间接卷积"};
}

std::vector<ParamSpec> IndirectConvLab::params() const {
    return {
        {"h", ParamType::Int, {"input height", "输入高"}, 1, 8, {}, std::int64_t{4}},
        {"w", ParamType::Int, {"input width", "输入宽"}, 1, 8, {}, std::int64_t{4}},
        {"ic", ParamType::Int, {"input channels IC", "输入通道 IC"}, 1, 64, {}, std::int64_t{8}},
        {"oc", ParamType::Int, {"output channels OC", "输出通道 OC"}, 1, 64, {}, std::int64_t{8}},
        {"kernel", ParamType::Int, {"kernel KH = KW", "卷积核 KH = KW"}, 1, 5, {}, std::int64_t{3}},
        {"pad", ParamType::Int, {"padding", "填充"}, 0, 2, {}, std::int64_t{1}},
        {"stride", ParamType::Int, {"stride", "步长"}, 1, 3, {}, std::int64_t{1}},
        {"mr",
         ParamType::Int,
         {"micro-kernel rows MR", "微内核行数 MR"},
         1,
         8,
         {},
         std::int64_t{4}},
        {"nr",
         ParamType::Int,
         {"micro-kernel columns NR", "微内核列数 NR"},
         1,
         8,
         {},
         std::int64_t{4}},
    };
}

std::unique_ptr<LabRun> IndirectConvLab::run(const ParamSet& p) const {
    cv::ConvShape s;
    s.ih = p.getInt("h", 4), s.iw = p.getInt("w", 4), s.ic = p.getInt("ic", 8),
    s.oc = p.getInt("oc", 8);
    s.kh = s.kw = p.getInt("kernel", 3);
    s.padH = s.padW = p.getInt("pad", 1);
    s.strideH = s.strideW = p.getInt("stride", 1);
    return std::make_unique<IndirectRun>(s, p.getInt("mr", 4), p.getInt("nr", 4));
}

} // namespace aisys::lessons
