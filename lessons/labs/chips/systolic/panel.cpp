// One systolic array at one cycle: PE grid, skewed edge words, outputs, SRAM grids, activity.
#include "lessons/labs/chips/systolic/panel.h"

#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>

namespace aisys::lessons {

using namespace viz;
namespace sys = engine::systolic;

Color kColour(std::int64_t k, const Palette& pal) {
    return pal.category(static_cast<std::size_t>(k < 0 ? 0 : k % 10));
}

std::string valueText(double v, bool integers) {
    if (integers)
        return fmtNum(v, 0);
    return fmtNum(v, std::fabs(v) >= 10 ? 1 : 2);
}

namespace {

/// Cell geometry: PE size in scene units and, for heat maps, PEs per cell side.
struct Geometry {
    float pe = 0;
    int block = 1;
    bool boxes = true;
};

Geometry geometry(int R, int C, float maxSize) {
    Geometry g;
    const int side = std::max(R, C);
    g.boxes = side <= kBoxLimit;
    // Heat-map cells: at most 128 per side, fewer in small panels (≥ 3.5 units per cell), so
    // three 256² panels side by side stay within ~13k cells.
    const int maxCells = std::clamp(static_cast<int>(maxSize / 3.5f), 32, 128);
    g.block = g.boxes ? 1 : (side + maxCells - 1) / maxCells;
    g.pe = std::min(64.0f, maxSize / side);
    return g;
}

/// Which matrix a word on the left / top edge comes from, and its reduction index.
std::int64_t wordK(const sys::EdgeWord& w, bool fromA) {
    return fromA ? w.j : w.i;
}

} // namespace

Vec2 arrayExtent(const SystolicCase& c, const PanelStyle& style) {
    const auto& a = c.array.array();
    const Geometry g = geometry(a.rows, a.cols, style.maxSize);
    return {a.cols * g.pe, a.rows * g.pe};
}

float stagingLead(const SystolicCase& c, const PanelStyle& style) {
    const float pe = arrayExtent(c, style).x / c.array.array().cols;
    const bool staged = style.staging && pe >= 30 &&
                        std::max(c.array.array().rows, c.array.array().cols) <= kBoxLimit;
    return staged ? style.stagingDepth * (0.62f * pe + 3) + 8 : 24;
}

Rect drawArrayAt(Scene& sc, const SystolicSetup& s, const SystolicCase& c, std::int64_t g,
                 Vec2 origin, const PanelStyle& style, Lang L, const Palette& pal) {
    DisplayList& dl = sc.list;
    const auto& arr = c.array.array();
    const int R = arr.rows, C = arr.cols;
    const Geometry geo = geometry(R, C, style.maxSize);
    const FoldCycle fc = foldCycleOf(c, g);
    const sys::Dataflow df = c.array.dataflow();
    const bool bigCells = geo.boxes && geo.pe >= 30;
    const bool idle = fc.finished || style.mappingOnly;
    const bool numbers = bigCells && style.numbers && !s.colourByK && !style.mappingOnly;
    const auto states = c.array.snapshot(fc.fold, fc.cycle, numbers);
    const Rect grid{origin.x, origin.y, C * geo.pe, R * geo.pe};
    const Color unused = mix(pal.background, pal.grid, 0.7f);

    if (geo.boxes) {
        for (int r = 0; r < R; ++r)
            for (int col = 0; col < C; ++col) {
                const auto& st = states[std::size_t(r) * C + col];
                const bool active = st.active && !idle;
                Color fill = !st.used ? unused : pal.panel;
                if (active)
                    fill = mix(pal.panel, kColour(st.k, pal), 0.6f);
                const std::uint32_t id =
                    style.idBase ? style.idBase + static_cast<std::uint32_t>(r * C + col) : 0;
                const Rect cell{grid.x + col * geo.pe, grid.y + r * geo.pe, geo.pe, geo.pe};
                dl.box(geo.pe >= 8 ? cell.adjusted(-1) : cell, fill,
                       geo.pe >= 8 ? pal.panelBorder : kNoColor, geo.pe >= 30 ? 4 : 0, 1, id);
                if (numbers && st.used) {
                    const Color ink = textOn(fill);
                    const bool showPsum = df == sys::Dataflow::OS ? st.macsDone > 0 : st.m >= 0;
                    if (showPsum)
                        dl.text(cell.center() + Vec2{0, geo.pe * 0.08f},
                                valueText(st.psum, s.integers), ink, std::min(18.0f, geo.pe * 0.3f),
                                HAlign::Center, VAlign::Middle, id)
                            .bold = true;
                    if (df != sys::Dataflow::OS && st.stationaryLoaded)
                        dl.text({cell.x + 4, cell.y + 3},
                                std::string(df == sys::Dataflow::WS ? "w " : "x ") +
                                    valueText(st.stationary, s.integers),
                                pal.accent2, std::min(12.0f, geo.pe * 0.2f), HAlign::Left,
                                VAlign::Top, id);
                    if (active)
                        dl.text({cell.x + cell.w - 4, cell.y + cell.h - 3},
                                "k=" + std::to_string(st.k), ink, std::min(11.0f, geo.pe * 0.18f),
                                HAlign::Right, VAlign::Bottom, id);
                }
                if (id) {
                    ObjectInfo info;
                    info.title = "PE (" + std::to_string(r) + ", " + std::to_string(col) + ")";
                    if (!st.used) {
                        info.facts = {{tr2(L, "state", "状态"),
                                       tr2(L, "unused in this fold", "本折叠中未使用")}};
                    } else {
                        info.facts = {{tr2(L, "state", "状态"),
                                       active ? tr2(L, "MAC this cycle", "本周期做 MAC")
                                              : tr2(L, "idle", "空闲")},
                                      {tr2(L, "MACs done in this fold", "本折叠已完成 MAC"),
                                       std::to_string(st.macsDone)}};
                        if (active)
                            info.facts.push_back({"a · b", valueText(st.a, s.integers) + " × " +
                                                               valueText(st.b, s.integers) +
                                                               "  (k = " + std::to_string(st.k) +
                                                               ")"});
                        if (st.m >= 0)
                            info.facts.push_back(
                                {tr2(L, "partial sum of", "部分和属于"),
                                 "C[" + std::to_string(st.m) + "][" + std::to_string(st.n) + "]"});
                        if (numbers)
                            info.facts.push_back(
                                {tr2(L, "partial sum", "部分和"), valueText(st.psum, s.integers)});
                        if (df != sys::Dataflow::OS && st.stationaryLoaded)
                            info.facts.push_back({df == sys::Dataflow::WS
                                                      ? tr2(L, "stationary weight", "驻留权重")
                                                      : tr2(L, "stationary input", "驻留输入"),
                                                  valueText(st.stationary, s.integers)});
                    }
                    sc.objects[id] = std::move(info);
                }
            }
    } else {
        // Heat-map cells: each covers block×block PEs; shade = share of them active now,
        // hue = the reduction index of the first active one.
        const int b = geo.block;
        const int gr = (R + b - 1) / b, gcn = (C + b - 1) / b;
        const std::int64_t kMax = c.array.gemm().K - 1;
        const float cell = geo.pe * b;
        for (int br = 0; br < gr; ++br)
            for (int bc = 0; bc < gcn; ++bc) {
                int active = 0, used = 0, n = 0;
                std::int64_t k = -1;
                for (int r = br * b; r < std::min(R, (br + 1) * b); ++r)
                    for (int col = bc * b; col < std::min(C, (bc + 1) * b); ++col) {
                        const auto& st = states[std::size_t(r) * C + col];
                        ++n;
                        used += st.used;
                        if (st.active && !idle) {
                            ++active;
                            if (k < 0)
                                k = st.k;
                        }
                    }
                Color fill = used == 0 ? unused : pal.panel;
                // Big arrays: k on a continuous ramp (ten categorical colours would repeat
                // every ten rows and read as noise).
                if (active > 0)
                    fill = mix(pal.panel,
                               rampColor(double(k) / double(std::max<std::int64_t>(1, kMax))),
                               0.35f + 0.6f * float(active) / n);
                dl.heatCell({grid.x + bc * cell, grid.y + br * cell,
                             std::min(cell, grid.x + grid.w - (grid.x + bc * cell)),
                             std::min(cell, grid.y + grid.h - (grid.y + br * cell))},
                            fill);
            }
        dl.box(grid, kNoColor, pal.panelBorder, 0, 1, style.idBase);
        if (style.idBase) {
            ObjectInfo info;
            info.title = std::to_string(R) + "×" + std::to_string(C) + tr2(L, " array", " 阵列");
            info.facts = {{tr2(L, "drawn as", "绘制方式"),
                           std::to_string(b) + "×" + std::to_string(b) +
                               tr2(L, " PEs per heat-map cell", " 个 PE 合成一个热图格")}};
            sc.objects[style.idBase] = std::move(info);
        }
    }

    // Edges: words entering now and the skewed words waiting behind them (small arrays), or a
    // strip marking the rows / columns fed this cycle (big arrays).
    if (idle)
        return grid;
    const bool leftIsA = df != sys::Dataflow::IS;
    const bool topIsA = df == sys::Dataflow::IS;
    const auto& fi = c.array.fold(fc.fold);
    if (bigCells && style.staging) {
        const float w = geo.pe * 0.62f;
        const int depth = style.stagingDepth;
        for (int d = depth - 1; d >= 0; --d) {
            if (fc.cycle + d >= fi.cycles)
                continue;
            const auto feed = c.array.feed(fc.fold, fc.cycle + d);
            const float alpha = d == 0 ? 1.0f : 0.75f - 0.15f * d;
            for (int r = 0; r < R; ++r) {
                const auto& wd = feed.left[std::size_t(r)];
                if (!wd.valid)
                    continue;
                const Rect box{grid.x - (d + 1) * (w + 3) - 4,
                               grid.y + r * geo.pe + (geo.pe - w) / 2, w, w};
                const Color f =
                    mix(pal.background, kColour(wordK(wd, leftIsA), pal), 0.55f * alpha);
                dl.box(box, f, d == 0 ? pal.foreground : kNoColor, 3, 1.5f);
                dl.text(box.center(), valueText(wd.value, s.integers), textOn(f).withAlpha(alpha),
                        std::min(13.0f, w * 0.4f), HAlign::Center, VAlign::Middle);
            }
            for (int col = 0; col < C; ++col) {
                const auto& wd = feed.top[std::size_t(col)];
                if (!wd.valid)
                    continue;
                const Rect box{grid.x + col * geo.pe + (geo.pe - w) / 2,
                               grid.y - (d + 1) * (w + 3) - 4, w, w};
                const Color f = mix(pal.background, kColour(wordK(wd, topIsA), pal), 0.55f * alpha);
                dl.box(box, f, d == 0 ? pal.foreground : kNoColor, 3, 1.5f);
                dl.text(box.center(), valueText(wd.value, s.integers), textOn(f).withAlpha(alpha),
                        std::min(13.0f, w * 0.4f), HAlign::Center, VAlign::Middle);
            }
            if (d == 0)
                for (int col = 0; col < C; ++col) {
                    const auto& wd = feed.bottom[std::size_t(col)];
                    if (!wd.valid)
                        continue;
                    const Rect box{grid.x + col * geo.pe + (geo.pe - w) / 2, grid.y + grid.h + 6, w,
                                   w};
                    const Color f = mix(pal.background, pal.good, 0.6f);
                    dl.box(box, f, pal.good, 3, 1.5f);
                    dl.text(box.center(), valueText(wd.value, s.integers), textOn(f),
                            std::min(13.0f, w * 0.4f), HAlign::Center, VAlign::Middle);
                }
        }
    } else {
        const auto feed = c.array.feed(fc.fold, fc.cycle);
        const float strip = std::max(4.0f, std::min(10.0f, geo.pe));
        const double kMax = double(std::max<std::int64_t>(1, c.array.gemm().K - 1));
        auto edgeColour = [&](std::int64_t k) {
            return geo.boxes ? kColour(k, pal) : rampColor(double(k) / kMax);
        };
        for (int r = 0; r < R; ++r)
            if (feed.left[std::size_t(r)].valid)
                dl.heatCell({grid.x - strip - 3, grid.y + r * geo.pe, strip, geo.pe},
                            edgeColour(wordK(feed.left[std::size_t(r)], leftIsA)));
        for (int col = 0; col < C; ++col) {
            if (feed.top[std::size_t(col)].valid)
                dl.heatCell({grid.x + col * geo.pe, grid.y - strip - 3, geo.pe, strip},
                            edgeColour(wordK(feed.top[std::size_t(col)], topIsA)));
            if (feed.bottom[std::size_t(col)].valid)
                dl.heatCell({grid.x + col * geo.pe, grid.y + grid.h + 3, geo.pe, strip}, pal.good);
        }
    }
    return grid;
}

Vec2 operandGridSize(std::int64_t rows, std::int64_t cols, float w, float h) {
    const bool small = rows <= 12 && cols <= 12;
    const std::int64_t bs = small ? 1 : (std::max(rows, cols) + 39) / 40;
    const std::int64_t gr = (rows + bs - 1) / bs, gc = (cols + bs - 1) / bs;
    const float cell = std::min({small ? 30.0f : 12.0f, w / gc, h / gr});
    return {gc * cell, gr * cell};
}

void drawOperandGrid(DisplayList& dl, Rect box, const std::string& title, const sys::Matrix* m,
                     std::int64_t rows, std::int64_t cols,
                     const std::vector<std::pair<std::int64_t, std::int64_t>>& hot, Color hotColour,
                     bool integers, const Palette& pal) {
    dl.text({box.x, box.y - 6}, title, pal.foreground, 13, HAlign::Left, VAlign::Bottom).bold =
        true;
    const bool small = rows <= 12 && cols <= 12;
    const std::int64_t bs = small ? 1 : (std::max(rows, cols) + 39) / 40;
    const std::int64_t gr = (rows + bs - 1) / bs, gc = (cols + bs - 1) / bs;
    const float cell = std::min({small ? 30.0f : 12.0f, box.w / gc, box.h / gr});
    std::vector<char> isHot(std::size_t(gr * gc), 0);
    for (auto [i, j] : hot)
        if (i >= 0 && j >= 0 && i < rows && j < cols)
            isHot[std::size_t((i / bs) * gc + j / bs)] = 1;
    for (std::int64_t r = 0; r < gr; ++r)
        for (std::int64_t c = 0; c < gc; ++c) {
            const Rect rc{box.x + c * cell, box.y + r * cell, cell, cell};
            const bool h = isHot[std::size_t(r * gc + c)];
            const Color fill = h ? mix(pal.background, hotColour, 0.7f) : pal.panel;
            if (small) {
                dl.box(rc.adjusted(-0.5f), fill, h ? pal.foreground : pal.panelBorder, 2,
                       h ? 1.5f : 0.75f);
                if (m && !std::isnan((*m)(r, c)))
                    dl.text(rc.center(), valueText((*m)(r, c), integers), textOn(fill),
                            std::min(12.0f, cell * 0.42f), HAlign::Center, VAlign::Middle);
            } else {
                dl.heatCell(rc, fill);
            }
        }
    if (!small)
        dl.box({box.x, box.y, gc * cell, gr * cell}, kNoColor, pal.panelBorder, 0, 1);
    dl.text({box.x, box.y + gr * cell + 4},
            std::to_string(rows) + "×" + std::to_string(cols) +
                (small ? "" : "  (" + std::to_string(bs) + "×" + std::to_string(bs) + " / cell)"),
            pal.muted, 11);
}

Rect drawPeHeat(DisplayList& dl, const Eigen::MatrixXd& v, double vmax, Vec2 origin, float maxSize,
                const Palette& pal) {
    const int R = static_cast<int>(v.rows()), C = static_cast<int>(v.cols());
    const Geometry geo = geometry(R, C, maxSize);
    const Rect grid{origin.x, origin.y, C * geo.pe, R * geo.pe};
    const Color unused = mix(pal.background, pal.grid, 0.7f);
    const int b = geo.block;
    const float cell = geo.pe * b;
    for (int br = 0; br * b < R; ++br)
        for (int bc = 0; bc * b < C; ++bc) {
            double sum = 0;
            int n = 0, used = 0;
            for (int r = br * b; r < std::min(R, (br + 1) * b); ++r)
                for (int col = bc * b; col < std::min(C, (bc + 1) * b); ++col) {
                    ++n;
                    if (v(r, col) >= 0) {
                        ++used;
                        sum += v(r, col);
                    }
                }
            const Color fill = used == 0 ? unused : rampColor(vmax > 0 ? sum / n / vmax : 0);
            const Rect rc{grid.x + bc * cell, grid.y + br * cell, cell, cell};
            if (geo.boxes && geo.pe >= 8) {
                dl.box(rc.adjusted(-1), fill, kNoColor, geo.pe >= 30 ? 3 : 0);
                if (geo.pe >= 26 && used)
                    dl.text(rc.center(), fmtNum(sum, 0), textOn(fill),
                            std::min(14.0f, geo.pe * 0.3f), HAlign::Center, VAlign::Middle);
            } else {
                dl.heatCell(rc, fill);
            }
        }
    dl.box(grid, kNoColor, pal.panelBorder, 0, 1);
    return grid;
}

Rect drawActivity(DisplayList& dl, const SystolicCase& c, std::int64_t fold, Vec2 origin,
                  float maxSize, const Palette& pal) {
    const auto act = c.array.activity(fold);
    const auto fi = c.array.fold(fold);
    Eigen::MatrixXd v = act.cast<double>();
    for (int r = 0; r < v.rows(); ++r)
        for (int col = 0; col < v.cols(); ++col)
            if (r >= fi.rowsUsed || col >= fi.colsUsed)
                v(r, col) = -1;
    return drawPeHeat(dl, v, static_cast<double>(c.array.spatioTemporal().T), origin, maxSize, pal);
}

} // namespace aisys::lessons
