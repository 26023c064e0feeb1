// Lab "layout-snake": the address snake over the logical tensor, then the linear memory.
#include "lessons/labs/inference/layout_snake/layout_snake_lab.h"

#include "engine/conv/layout.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::lessons {

namespace {

namespace cv = engine::conv;

constexpr std::uint32_t kCellId = 10;        // + logical flat index
constexpr std::uint32_t kMemId = 1'000'000;  // + address
constexpr std::int64_t kMaxAddresses = 1024; // what one picture can show

std::string indexText(const std::vector<std::int64_t>& idx) {
    std::string s = "(";
    for (std::size_t i = 0; i < idx.size(); ++i)
        s += (i ? ", " : "") + std::to_string(idx[i]);
    return s + ")";
}

class SnakeRun : public LabRun {
public:
    SnakeRun(cv::AddressMap map, std::int64_t stride) : m_map(std::move(map)), m_stride(stride) {
        if (m_map.paddedSize() > kMaxAddresses)
            throw std::invalid_argument(std::string(cv::layoutName(m_map.layout)) + ": " +
                                        std::to_string(m_map.paddedSize()) +
                                        " stored elements; the picture shows at most " +
                                        std::to_string(kMaxAddresses) +
                                        " (make the tensor smaller)");
        for (std::int64_t off = 0; off < m_map.paddedSize(); ++off) {
            std::vector<std::int64_t> idx;
            m_order.push_back(m_map.indexOf(off, idx) ? idx : std::vector<std::int64_t>{});
        }
    }
    std::vector<Phase> phases() const override {
        return {{"snake", static_cast<int>((m_map.paddedSize() + m_stride - 1) / m_stride)},
                {"memory", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    bool fractal() const { return cv::isFractal(m_map.layout); }
    /// Flat logical index (row-major over dims).
    std::int64_t flat(const std::vector<std::int64_t>& idx) const {
        std::int64_t f = 0;
        for (std::size_t i = 0; i < idx.size(); ++i)
            f = f * m_map.dims[i] + idx[i];
        return f;
    }
    /// The cell of a logical element in the picture.
    viz::Rect cellOf(const std::vector<std::int64_t>& idx, float cs) const;
    /// The colour group of an element: its channel (4-D) or its fractal (NZ, zZ).
    double groupOf(const std::vector<std::int64_t>& idx) const;

    cv::AddressMap m_map;
    std::int64_t m_stride;
    std::vector<std::vector<std::int64_t>> m_order; ///< logical index per address ({} = padding)
};

viz::Rect SnakeRun::cellOf(const std::vector<std::int64_t>& idx, float cs) const {
    const float x0 = 60, y0 = 110;
    if (fractal()) {
        // A small gap between fractals shows the blocks.
        const float gx = float(idx[1] / m_map.block2) * 6, gy = float(idx[0] / m_map.block) * 6;
        return {x0 + idx[1] * cs + gx, y0 + idx[0] * cs + gy, cs - 2, cs - 2};
    }
    // Channel planes side by side (8 per row), one row of planes per batch image.
    const std::int64_t H = m_map.dims[2], W = m_map.dims[3];
    const std::int64_t perRow = 8;
    const std::int64_t plane = idx[0] * ((m_map.dims[1] + perRow - 1) / perRow) + idx[1] / perRow;
    const float px = x0 + float(idx[1] % perRow) * (W * cs + 18);
    const float py = y0 + float(plane) * (H * cs + 30);
    return {px + idx[3] * cs, py + idx[2] * cs, cs - 2, cs - 2};
}

double SnakeRun::groupOf(const std::vector<std::int64_t>& idx) const {
    if (fractal()) {
        const std::int64_t N1 = (m_map.dims[1] + m_map.block2 - 1) / m_map.block2;
        const std::int64_t M1 = (m_map.dims[0] + m_map.block - 1) / m_map.block;
        const std::int64_t f = (idx[0] / m_map.block) * N1 + idx[1] / m_map.block2;
        return double(f) / double(std::max<std::int64_t>(1, M1 * N1 - 1));
    }
    return double(idx[1]) / double(std::max<std::int64_t>(1, m_map.dims[1] - 1));
}

viz::Scene SnakeRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    const Lang L = opt.lang;
    const std::int64_t padded = m_map.paddedSize();
    const int snakeFrames = phases()[0].frames;
    const bool memory = frame >= snakeFrames;
    const std::int64_t shown = memory ? padded : std::min(padded, (frame + 1) * m_stride);
    const std::string name = cv::layoutName(m_map.layout);

    std::string dims;
    for (std::size_t i = 0; i < m_map.dims.size(); ++i)
        dims += (i ? "×" : "") + std::to_string(m_map.dims[i]);
    std::string stored, storedNames;
    for (std::size_t i = 0; i < m_map.storedShape.size(); ++i) {
        stored += (i ? "," : "") + std::to_string(m_map.storedShape[i]);
        storedNames += (i ? "," : "") + m_map.storedNames[i];
    }
    dl.text({40, 24}, name + "  " + (fractal() ? "M×N = " : "N×C×H×W = ") + dims, pal.foreground,
            16)
        .bold = true;
    dl.text({40, 48}, std::string(tr2(L, "offset = ", "偏移 = ")) + m_map.formula, pal.muted, 13);
    dl.text({40, 68},
            std::string(tr2(L, "stored shape [", "存储形状 [")) + storedNames + "] = [" + stored +
                "]",
            pal.muted, 13);

    // 1. The logical elements, each with its address.
    const std::int64_t cols =
        fractal() ? m_map.dims[1] : std::min<std::int64_t>(8, m_map.dims[1]) * m_map.dims[3];
    const float cs = std::clamp(760.0f / float(std::max<std::int64_t>(1, cols)), 14.0f, 40.0f);
    float bottom = 0, right = 0;
    const std::int64_t total = m_map.logicalSize();
    for (std::int64_t f = 0; f < total; ++f) {
        std::vector<std::int64_t> idx(m_map.dims.size());
        std::int64_t r = f;
        for (std::size_t i = m_map.dims.size(); i-- > 0;) {
            idx[i] = r % m_map.dims[i];
            r /= m_map.dims[i];
        }
        const std::int64_t addr = m_map.offset(idx);
        const Rect rc = cellOf(idx, cs);
        const bool lit = addr < shown;
        const Color fill = lit ? rampColor(0.15 + 0.7 * groupOf(idx)) : pal.grid;
        dl.heatCell(rc, fill, kCellId + std::uint32_t(f));
        if (cs >= 22)
            dl.text(rc.center(), std::to_string(addr), lit ? textOn(fill) : pal.muted,
                    std::min(11.0f, cs * 0.42f), HAlign::Center, VAlign::Middle,
                    kCellId + std::uint32_t(f))
                .layer = 3;
        ObjectInfo info;
        info.title = std::string(tr2(L, "element ", "元素 ")) + indexText(idx);
        info.facts.push_back({tr2(L, "address", "地址"), std::to_string(addr)});
        s.objects[kCellId + std::uint32_t(f)] = info;
        bottom = std::max(bottom, rc.y + rc.h);
        right = std::max(right, rc.x + rc.w);
    }
    if (!fractal()) // plane labels
        for (std::int64_t n = 0; n < m_map.dims[0]; ++n)
            for (std::int64_t c = 0; c < m_map.dims[1]; ++c) {
                const Rect rc = cellOf({n, c, 0, 0}, cs);
                dl.text({rc.x, rc.y - 4}, "n" + std::to_string(n) + " c" + std::to_string(c),
                        pal.muted, 11, HAlign::Left, VAlign::Bottom);
            }
    // 2. The snake: the centres of the elements in address order, up to `shown`.
    std::vector<Vec2> pts;
    for (std::int64_t a = 0; a < shown; ++a)
        if (!m_order[static_cast<std::size_t>(a)].empty())
            pts.push_back(cellOf(m_order[static_cast<std::size_t>(a)], cs).center());
    // Neighbouring cells are joined straight; longer jumps arc above the row, so that the
    // numbers they would cross stay readable.
    const Color snake = pal.foreground.withAlpha(0.55f);
    for (std::size_t i = 1; i < pts.size(); ++i) {
        const float dx = pts[i].x - pts[i - 1].x, dy = pts[i].y - pts[i - 1].y;
        const float dist = std::sqrt(dx * dx + dy * dy);
        if (dist <= cs * 1.5f)
            dl.line(pts[i - 1], pts[i], snake, 1.6f).layer = 2;
        else
            dl.polyline(bowedCurve(pts[i - 1], pts[i], std::min(0.18f * dist, 0.9f * cs)), snake,
                        1.3f)
                .layer = 2;
    }
    if (!pts.empty() && !memory)
        dl.circle(pts.back(), cs * 0.42f, kNoColor, pal.bad, 2.5f).layer = 4;

    // 3. Linear memory: one cell per address, padding grey, 32 per row.
    const float my = bottom + cs + 40; // below the arcs that bow under the last row
    const float mw = std::clamp(760.0f / 32.0f, 10.0f, 24.0f);
    dl.text({60, my - 10},
            std::string(tr2(L, "memory, address 0 … ", "内存，地址 0 … ")) +
                std::to_string(padded - 1) +
                tr2(L, " (32 per row; grey = padding)", "（每行 32 个；灰色 = 填充）"),
            pal.muted, 12, HAlign::Left, VAlign::Bottom);
    for (std::int64_t a = 0; a < padded; ++a) {
        const auto& idx = m_order[static_cast<std::size_t>(a)];
        const Rect rc{60 + float(a % 32) * mw, my + float(a / 32) * (mw + 4), mw - 1, mw - 1};
        const bool lit = a < shown;
        const Color fill = idx.empty() ? (lit ? pal.muted.withAlpha(0.5f) : pal.grid)
                                       : (lit ? rampColor(0.15 + 0.7 * groupOf(idx)) : pal.grid);
        dl.heatCell(rc, fill, kMemId + std::uint32_t(a));
        ObjectInfo info;
        info.title = std::string(tr2(L, "address ", "地址 ")) + std::to_string(a);
        info.facts.push_back(
            {tr2(L, "holds", "存放"), idx.empty() ? tr2(L, "padding", "填充") : indexText(idx)});
        s.objects[kMemId + std::uint32_t(a)] = info;
    }
    const float memBottom = my + float((padded + 31) / 32) * (mw + 4);
    const float fx = std::max(right, 60 + 32 * mw) + 40;
    drawFactTable(dl, {fx, 110},
                  {{tr2(L, "logical elements", "逻辑元素"), std::to_string(total)},
                   {tr2(L, "stored (padded) size", "存储（含填充）大小"), std::to_string(padded)},
                   {tr2(L, "padding", "填充"),
                    std::to_string(padded - total) + " (" +
                        fmtNum(100.0 * double(padded - total) / double(padded), 1) + " %)"},
                   {tr2(L, "addresses drawn", "已画出的地址"),
                    std::to_string(shown) + " / " + std::to_string(padded)}},
                  pal, 13, 170);
    (void)memBottom;
    s.caption = memory ? tr2(L, "The whole map: every element's address and the padding in memory",
                             "完整的映射：每个元素的地址与内存中的填充")
                       : tr2(L, "The address snake: elements joined in the order memory holds them",
                             "地址蛇形线：按内存中的顺序把元素连起来");
    s.legend = {{rampColor(0.15),
                 fractal() ? tr2(L, "first fractal", "第一个分形") : tr2(L, "channel 0", "通道 0")},
                {rampColor(0.85), fractal() ? tr2(L, "last fractal", "最后一个分形")
                                            : tr2(L, "last channel", "最后一个通道")},
                {pal.muted.withAlpha(0.5f), tr2(L, "padding", "填充")},
                {pal.bad, tr2(L, "last address drawn", "最近画出的地址")}};
    return s;
}

} // namespace

LocalText LayoutSnakeLab::title() const {
    return {"Memory layouts as address snakes", "内存布局的地址蛇形线"};
}

std::vector<ParamSpec> LayoutSnakeLab::params() const {
    return {
        {"layout",
         ParamType::Choice,
         {"layout", "布局"},
         0,
         0,
         {"NCHW", "NHWC", "NC4HW4", "NC1HWC0", "NZ", "zZ"},
         std::string("NC4HW4")},
        {"n", ParamType::Int, {"batch N", "批大小 N"}, 1, 2, {}, std::int64_t{1}},
        {"c", ParamType::Int, {"channels C", "通道数 C"}, 1, 20, {}, std::int64_t{6}},
        {"h", ParamType::Int, {"height H", "高 H"}, 1, 6, {}, std::int64_t{3}},
        {"w", ParamType::Int, {"width W", "宽 W"}, 1, 6, {}, std::int64_t{3}},
        {"c0", ParamType::Int, {"NC1HWC0's C0", "NC1HWC0 的 C0"}, 2, 32, {}, std::int64_t{16}},
        {"rows",
         ParamType::Int,
         {"matrix rows M (NZ, zZ)", "矩阵行数 M（NZ、zZ）"},
         1,
         32,
         {},
         std::int64_t{8}},
        {"cols",
         ParamType::Int,
         {"matrix columns N (NZ, zZ)", "矩阵列数 N（NZ、zZ）"},
         1,
         32,
         {},
         std::int64_t{8}},
        {"fractal",
         ParamType::Int,
         {"fractal size M0 = N0", "分形大小 M0 = N0"},
         1,
         16,
         {},
         std::int64_t{4}},
        {"stride",
         ParamType::Int,
         {"addresses per frame", "每帧地址数"},
         1,
         1024,
         {},
         std::int64_t{16}},
    };
}

std::unique_ptr<LabRun> LayoutSnakeLab::run(const ParamSet& p) const {
    cv::Layout l = cv::Layout::NC4HW4;
    cv::parseLayout(p.getString("layout", "NC4HW4"), l);
    cv::AddressMap m =
        cv::isFractal(l)
            ? cv::makeAddressMap(l, {p.getInt("rows", 8), p.getInt("cols", 8)},
                                 p.getInt("fractal", 4), p.getInt("fractal", 4))
            : cv::makeAddressMap(
                  l, {p.getInt("n", 1), p.getInt("c", 6), p.getInt("h", 3), p.getInt("w", 3)},
                  p.getInt("c0", 16));
    return std::make_unique<SnakeRun>(std::move(m), p.getInt("stride", 16));
}

} // namespace aisys::lessons
