// Lab "memory-format": the logical tensor, each format's linear memory, and all four compared.
#include "lessons/labs/compiler/memory_format/memory_format_lab.h"

#include "engine/compress/memory_format.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <array>

namespace aisys::lessons {

namespace {

using namespace aisys::engine::compress;

constexpr std::uint32_t kLogicalId = 10;      // + logical flat index
constexpr std::uint32_t kStripId = 1'000'000; // + format * 100000 + offset

struct Coord {
    std::int64_t n = 0, c = 0, h = 0, w = 0;
};

std::string coordText(const Coord& k) {
    return "(" + std::to_string(k.n) + ", " + std::to_string(k.c) + ", " + std::to_string(k.h) +
           ", " + std::to_string(k.w) + ")";
}

class FormatRun : public LabRun {
public:
    FormatRun(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, std::int64_t c0,
              Coord hl)
        : m_hl(hl) {
        for (MemoryFormat f : allFormats())
            m_layouts.push_back(layoutOf(f, n, c, h, w, c0));
    }
    std::vector<Phase> phases() const override {
        return {{"tensor", 1}, {"layouts", 4}, {"compare", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    const FormatLayout& base() const { return m_layouts[0]; }
    /// Inspector facts for a logical element: its address in every format.
    viz::ObjectInfo elementInfo(const Coord& k, Lang L) const;
    void tensor(viz::Scene& s, Lang L, const viz::Palette& pal) const;
    /// Draws format f's memory as rows of cells at `y`; returns the bottom.
    float strip(viz::Scene& s, Lang L, const viz::Palette& pal, std::size_t f, float y, float cellW,
                bool detail) const;

    std::vector<FormatLayout> m_layouts;
    Coord m_hl;
};

viz::ObjectInfo FormatRun::elementInfo(const Coord& k, Lang L) const {
    viz::ObjectInfo o;
    o.title = std::string(tr2(L, "element ", "元素 ")) + coordText(k);
    for (const FormatLayout& l : m_layouts)
        o.facts.push_back({std::string(formatName(l.format)) + tr2(L, " address", " 地址"),
                           std::to_string(l.offset(k.n, k.c, k.h, k.w))});
    return o;
}

viz::Scene FormatRun::scene(int frame, const DrawOptions& opt) const {
    const viz::Palette pal = viz::Palette::forTheme(opt.theme);
    viz::Scene s = sceneOn(pal);
    const Lang L = opt.lang;
    if (frame == 0) {
        tensor(s, L, pal);
    } else if (frame <= 4) {
        const std::size_t f = static_cast<std::size_t>(frame - 1);
        const FormatLayout& l = m_layouts[f];
        float y = strip(s, L, pal, f, 120, 0, true);
        // The formula with the highlighted element's numbers.
        const auto st = l.storedStrides();
        const auto sh = l.storedShape();
        std::string shape = "[", strides = "[";
        for (std::size_t k = 0; k < sh.size(); ++k) {
            shape += (k ? ", " : "") + std::to_string(sh[k]);
            strides += (k ? ", " : "") + std::to_string(st[k]);
        }
        shape += "]";
        strides += "]";
        viz::DisplayList& dl = s.list;
        dl.text({40, 40},
                std::string(formatName(l.format)) + tr2(L, ": stored shape ", "：存储形状 ") +
                    shape + tr2(L, ", strides ", "，步长 ") + strides,
                pal.foreground, 14)
            .bold = true;
        const char* formula = l.format == MemoryFormat::NCHW ? "offset = ((n·C + c)·H + h)·W + w"
                              : l.format == MemoryFormat::NHWC
                                  ? "offset = ((n·H + h)·W + w)·C + c"
                                  : "offset = (((n·C1 + ⌊c/b⌋)·H + h)·W + w)·b + c mod b";
        dl.text({40, 64}, formula, pal.muted, 13);
        dl.text({40, 86},
                std::string(tr2(L, "highlighted ", "高亮元素 ")) + coordText(m_hl) + " → " +
                    std::to_string(l.offset(m_hl.n, m_hl.c, m_hl.h, m_hl.w)) + "   ·   " +
                    tr2(L, "size ", "大小 ") + std::to_string(l.paddedSize()) +
                    tr2(L, " elements, padding ", " 个元素，填充 ") +
                    std::to_string(l.paddingSize()) + " (" +
                    fmtNum(100.0 * double(l.paddingSize()) / double(l.paddedSize()), 1) + " %)",
                pal.accent, 13)
            .bold = true;
        (void)y;
        s.caption = std::string(formatName(l.format)) +
                    tr2(L, ": the tensor in linear memory, addresses left to right",
                        "：张量在线性内存中的排列，地址从左到右");
    } else {
        float y = 60;
        const float cellW = 16.0f;
        for (int a = 0; a < 48; a += 8)
            s.list.text({110 + a * cellW + cellW / 2, y + 8}, std::to_string(a), pal.muted, 10,
                        viz::HAlign::Center, viz::VAlign::Bottom);
        for (std::size_t f = 0; f < m_layouts.size(); ++f)
            y = strip(s, L, pal, f, y + 14, cellW, false) + 6;
        s.caption = tr2(L, "The same tensor in four memory formats (highlighted element outlined)",
                        "同一个张量的四种内存格式（高亮元素带描边）");
    }
    s.legend = {{pal.category(0),
                 tr2(L, "colour = channel c; cells show h,w", "颜色 = 通道 c；格内为 h,w")},
                {pal.grid, tr2(L, "padding (blocked formats)", "填充（分块格式）")},
                {pal.foreground, tr2(L, "highlighted element", "高亮元素")}};
    return s;
}

void FormatRun::tensor(viz::Scene& s, Lang L, const viz::Palette& pal) const {
    using namespace viz;
    DisplayList& dl = s.list;
    const FormatLayout& b = base();
    const float cell = 26;
    float y = 90;
    for (std::int64_t n = 0; n < b.n; ++n) {
        dl.text({40, y - 40}, "n = " + std::to_string(n), pal.foreground, 13).bold = true;
        float x = 40;
        float rowH = 0;
        for (std::int64_t c = 0; c < b.c; ++c) {
            const float pw = b.w * cell + 14;
            if (x + pw > 1180) {
                x = 40;
                y += rowH + 28;
            }
            dl.text({x, y - 4}, "c = " + std::to_string(c), pal.category(std::size_t(c)), 11,
                    HAlign::Left, VAlign::Bottom);
            for (std::int64_t h = 0; h < b.h; ++h)
                for (std::int64_t w = 0; w < b.w; ++w) {
                    const Coord k{n, c, h, w};
                    const std::int64_t flat = b.offset(n, c, h, w);
                    const std::uint32_t id = kLogicalId + std::uint32_t(flat);
                    const bool hl = n == m_hl.n && c == m_hl.c && h == m_hl.h && w == m_hl.w;
                    const Color fill = mix(pal.background, pal.category(std::size_t(c)), 0.55f);
                    const Rect r{x + w * cell, y + h * cell, cell - 2, cell - 2};
                    dl.box(r, fill, hl ? pal.foreground : kNoColor, 2, hl ? 2.5f : 0, id);
                    dl.text(r.center(), std::to_string(h) + "," + std::to_string(w), textOn(fill),
                            9, HAlign::Center, VAlign::Middle, id);
                    s.objects[id] = elementInfo(k, L);
                }
            x += pw;
            rowH = std::max(rowH, float(b.h * cell));
        }
        y += rowH + 50;
    }
    dl.text({40, y},
            std::string(tr2(L, "N×C×H×W = ", "N×C×H×W = ")) + std::to_string(b.n) + "×" +
                std::to_string(b.c) + "×" + std::to_string(b.h) + "×" + std::to_string(b.w) +
                tr2(L, "   (cells show h,w; colour is the channel; hover for the addresses)",
                    "   （格子里是 h,w；颜色表示通道；悬停查看地址）"),
            pal.muted, 12);
    s.caption = tr2(L, "The logical tensor: N images of C channel planes H×W",
                    "逻辑张量：N 张图，每张 C 个 H×W 的通道平面");
}

float FormatRun::strip(viz::Scene& s, Lang L, const viz::Palette& pal, std::size_t f, float y,
                       float cellW, bool detail) const {
    using namespace viz;
    DisplayList& dl = s.list;
    const FormatLayout& l = m_layouts[f];
    const auto shape = l.storedShape();
    // Cells per row: the innermost two stored dims when they fit, else the innermost one.
    // (In the comparison every format uses rows of 48, so equal columns are equal addresses.)
    std::int64_t perRow = shape[shape.size() - 1] * shape[shape.size() - 2];
    if (perRow > 64)
        perRow = shape.back() <= 64 ? shape.back() : 64;
    if (!detail)
        perRow = 48;
    if (cellW <= 0)
        cellW = std::clamp(1000.0f / float(perRow), 12.0f, 34.0f);
    const float cellH = detail ? std::max(16.0f, std::min(cellW, 26.0f)) : std::min(cellW, 14.0f);
    const std::int64_t total = l.paddedSize();
    const bool text = detail && total <= 600 && cellW >= 16;
    const float x0 = 110;
    dl.text({x0 - 12, y + cellH / 2}, formatName(l.format), pal.foreground, 12, HAlign::Right,
            VAlign::Middle)
        .bold = true;
    const std::int64_t hlOff = l.offset(m_hl.n, m_hl.c, m_hl.h, m_hl.w);
    const std::int64_t rows = (total + perRow - 1) / perRow;
    for (std::int64_t o = 0; o < total; ++o) {
        const std::int64_t r = o / perRow, col = o % perRow;
        const Rect cell{x0 + col * cellW, y + r * cellH, cellW - 1, cellH - 1};
        const std::uint32_t id = kStripId + std::uint32_t(f) * 100000u + std::uint32_t(o);
        Coord k;
        if (l.coordsOf(o, k.n, k.c, k.h, k.w)) {
            const Color fill = mix(pal.background, pal.category(std::size_t(k.c)), 0.55f);
            dl.heatCell(cell, fill, id);
            if (text)
                dl.text(cell.center(),
                        cellW >= 20 ? std::to_string(k.h) + "," + std::to_string(k.w)
                                    : std::to_string(k.c),
                        textOn(fill), 9, HAlign::Center, VAlign::Middle, id);
            if (detail) {
                ObjectInfo info = elementInfo(k, L);
                info.title = std::string(formatName(l.format)) + tr2(L, " address ", " 地址 ") +
                             std::to_string(o) + " = " + coordText(k);
                s.objects[id] = std::move(info);
            }
        } else {
            dl.heatCell(cell, pal.grid, id);
            if (text)
                dl.text(cell.center(), "·", pal.muted, 9, HAlign::Center, VAlign::Middle, id);
            if (detail) {
                ObjectInfo info;
                info.title = std::string(formatName(l.format)) + tr2(L, " address ", " 地址 ") +
                             std::to_string(o);
                info.facts = {
                    {tr2(L, "holds", "内容"), tr2(L, "padding (channel ≥ C)", "填充（通道 ≥ C）")}};
                s.objects[id] = std::move(info);
            }
        }
    }
    // Row start addresses.
    for (std::int64_t r = 0; r < rows; ++r)
        dl.text({x0 + perRow * cellW + 8, y + r * cellH + cellH / 2},
                "@" + std::to_string(r * perRow), pal.muted, 10, HAlign::Left, VAlign::Middle);
    // The highlighted element.
    const std::int64_t hr = hlOff / perRow, hc = hlOff % perRow;
    dl.box({x0 + hc * cellW - 1.5f, y + hr * cellH - 1.5f, cellW + 2, cellH + 2}, kNoColor,
           pal.foreground, 1, 2.5f)
        .layer = 2;
    if (!detail)
        dl.text({x0 + perRow * cellW + 50, y + cellH / 2},
                std::string(tr2(L, "highlighted at ", "高亮元素位于 ")) + std::to_string(hlOff) +
                    tr2(L, ", padding ", "，填充 ") + std::to_string(l.paddingSize()),
                pal.accent, 11, HAlign::Left, VAlign::Middle);
    return y + rows * cellH;
}

} // namespace

LocalText MemoryFormatLab::title() const {
    return {"Memory formats", "内存格式"};
}

std::vector<ParamSpec> MemoryFormatLab::params() const {
    return {
        {"n", ParamType::Int, {"batch N", "批大小 N"}, 1, 2, {}, std::int64_t{1}},
        {"c", ParamType::Int, {"channels C", "通道数 C"}, 1, 32, {}, std::int64_t{6}},
        {"h", ParamType::Int, {"height H", "高 H"}, 1, 6, {}, std::int64_t{3}},
        {"w", ParamType::Int, {"width W", "宽 W"}, 1, 6, {}, std::int64_t{3}},
        {"c0",
         ParamType::Int,
         {"NC1HWC0 block C0", "NC1HWC0 分块 C0"},
         4,
         32,
         {},
         std::int64_t{16}},
        {"hc", ParamType::Int, {"highlight c", "高亮 c"}, 0, 31, {}, std::int64_t{5}},
        {"hh", ParamType::Int, {"highlight h", "高亮 h"}, 0, 5, {}, std::int64_t{1}},
        {"hw", ParamType::Int, {"highlight w", "高亮 w"}, 0, 5, {}, std::int64_t{2}},
    };
}

std::unique_ptr<LabRun> MemoryFormatLab::run(const ParamSet& p) const {
    const std::int64_t n = p.getInt("n", 1), c = p.getInt("c", 6), h = p.getInt("h", 3),
                       w = p.getInt("w", 3);
    // The highlighted element is clamped into the tensor.
    const Coord hl{0, std::min(c - 1, p.getInt("hc", 5)), std::min(h - 1, p.getInt("hh", 1)),
                   std::min(w - 1, p.getInt("hw", 2))};
    return std::make_unique<FormatRun>(n, c, h, w, p.getInt("c0", 16), hl);
}

} // namespace aisys::lessons
