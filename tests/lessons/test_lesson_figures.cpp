// Figure elements a step's text names by their look — "the outlined element", "the grey cells",
// "the NextIteration back edge (orange)", "the staircase of waiting words" — found among the
// primitives of that step's display list (lessons/README.md, "How a lesson is checked", step 3).
#include "engine/compress/memory_format.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>

using namespace aisys::lessons;
using namespace aisys::test_support;
using aisys::viz::Color;
using aisys::viz::Prim;
using aisys::viz::PrimKind;

namespace {

const aisys::viz::Palette kLight = aisys::viz::Palette::forTheme(aisys::viz::Theme::Light);

/// The memory-format Lab's strip cells: id = 1 000 000 + format · 100 000 + address (its README).
constexpr std::uint32_t kStripId = 1'000'000;

/// Outline boxes: a stroke and no fill, drawn 2.5 units wide (the highlighted element).
std::vector<const Prim*> outlines(const aisys::viz::Scene& s) {
    std::vector<const Prim*> out;
    for (const auto& p : s.list.prims)
        if (p.kind == PrimKind::Box && !p.fill.visible() && p.stroke == kLight.foreground &&
            p.strokeWidth == 2.5f)
            out.push_back(&p);
    return out;
}

/// The strip cell (a heat cell with a strip id) whose centre the outline encloses, or nullptr.
const Prim* cellInside(const aisys::viz::Scene& s, const Prim& outline) {
    const Prim* found = nullptr;
    for (const auto& p : s.list.prims)
        if (p.kind == PrimKind::HeatCell && p.id >= kStripId &&
            outline.rect.contains(p.rect.center()))
            found = found ? nullptr : &p; // exactly one
    return found;
}

} // namespace

TEST(LessonFigures, MemoryFormatOutlinesTheHighlightedElementAtItsAddressInEveryFormat) {
    // compare step: "The outlined element sits at a different address in each format".
    using namespace aisys::engine::compress;
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto s = stepScene("memory-format", 5, lang);
        const auto boxes = outlines(s);
        ASSERT_EQ(boxes.size(), allFormats().size());
        std::map<int, std::int64_t> addressOf; // format → address of the outlined cell
        for (const Prim* o : boxes) {
            const Prim* cell = cellInside(s, *o);
            ASSERT_NE(cell, nullptr);
            const std::uint32_t k = cell->id - kStripId;
            addressOf[int(k / 100000)] = std::int64_t(k % 100000);
        }
        int f = 0;
        for (MemoryFormat fmt : allFormats()) {
            const FormatLayout l = layoutOf(fmt, 1, 6, 3, 3, 16);
            EXPECT_EQ(addressOf[f], l.offset(0, 5, 1, 2)) << formatName(fmt);
            ++f;
        }
    }
    // The first step outlines the element of the logical tensor: its cell has the 2.5-wide
    // stroke, and it is the cell of (0, 5, 1, 2).
    const auto first = stepScene("memory-format", 0, Lang::En);
    int outlined = 0;
    for (const auto& p : first.list.prims)
        if (p.kind == PrimKind::Box && p.stroke == kLight.foreground && p.strokeWidth == 2.5f) {
            ++outlined;
            EXPECT_NE(first.objects.count(p.id), 0u);
            EXPECT_NE(first.objects.at(p.id).title.find("(0, 5, 1, 2)"), std::string::npos)
                << first.objects.at(p.id).title;
        }
    EXPECT_EQ(outlined, 1);
}

TEST(LessonFigures, MemoryFormatGreyCellsAreThePaddingOfNc4hw4) {
    // "C = 6 is padded to 8 — the grey cells".
    using namespace aisys::engine::compress;
    const FormatLayout l = layoutOf(MemoryFormat::NC4HW4, 1, 6, 3, 3);
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto s = stepScene("memory-format", 3, lang);
        int grey = 0, other = 0;
        for (const auto& p : s.list.prims)
            if (p.kind == PrimKind::HeatCell && p.id >= kStripId) {
                const bool g = p.fill == kLight.grid;
                grey += g;
                other += !g;
                if (g) { // a padding address: no element of the tensor lives there
                    std::int64_t n, c, h, w;
                    EXPECT_FALSE(l.coordsOf(std::int64_t((p.id - kStripId) % 100000), n, c, h, w));
                }
            }
        EXPECT_EQ(grey, l.paddingSize()); // 18 = (8 − 6) · 3 · 3
        EXPECT_EQ(other, 6 * 3 * 3);
        // The grid colour is a grey: its channels nearly equal.
        EXPECT_LT(std::max({kLight.grid.r, kLight.grid.g, kLight.grid.b}) -
                      std::min({kLight.grid.r, kLight.grid.g, kLight.grid.b}),
                  0.08f);
    }
}

TEST(LessonFigures, ControlFlowDrawsTheNextIterationBackEdgesInOrange) {
    // "Merge takes it the first time and the NextIteration back edge (orange) afterwards".
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto s = stepScene("control-flow", 3, lang);
        const std::string text = textOf(s);
        std::size_t nextIterations = 0;
        for (std::size_t p = text.find("NextIteration"); p != std::string::npos;
             p = text.find("NextIteration", p + 1))
            ++nextIterations;
        int orange = 0;
        for (const auto& p : s.list.prims)
            if (p.kind == PrimKind::Arrow && p.stroke == kLight.accent2) {
                ++orange;
                EXPECT_EQ(p.pts.size(), 4u); // out of NextIteration, around the side, into Merge
            }
        EXPECT_EQ(nextIterations, 2u); // next s, next i
        EXPECT_EQ(std::size_t(orange), nextIterations);
        // accent2 is orange: red high, green in between, little blue.
        EXPECT_GT(kLight.accent2.r, 0.7f);
        EXPECT_GT(kLight.accent2.r, kLight.accent2.g + 0.2f);
        EXPECT_GT(kLight.accent2.g, kLight.accent2.b + 0.2f);
        bool legend = false;
        for (const auto& e : s.legend)
            legend |= e.color == kLight.accent2 &&
                      e.label.find(lang == Lang::En ? "back edge" : "回边") != std::string::npos;
        EXPECT_TRUE(legend);
    }
}

TEST(LessonFigures, SystolicSkewIsAStaircaseOfWaitingWords) {
    // "Row i of A starts i cycles late, column j of B starts j cycles late — the skew (the
    // staircase of waiting words beside the array)."
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto s = stepScene("systolic-os-3x3", 1, lang);
        // The PE cells carry ids; the words waiting at the edges are small rounded boxes.
        float left = 1e9f, top = 1e9f, pe = 0;
        for (const auto& p : s.list.prims)
            if (p.kind == PrimKind::Box && p.id != 0 && p.fill.visible() &&
                p.stroke == kLight.panelBorder && p.rect.w == p.rect.h) {
                left = std::min(left, p.rect.x);
                top = std::min(top, p.rect.y);
                pe = std::max(pe, p.rect.w);
            }
        ASSERT_GT(pe, 0);
        std::map<int, float> nearestLeft, nearestTop; // row → x, column → y of its first word
        for (const auto& p : s.list.prims) {
            if (p.kind != PrimKind::Box || p.id != 0 || p.radius != 3 || p.rect.w != p.rect.h)
                continue;
            const auto c = p.rect.center();
            if (c.x < left && c.y > top) {
                const int row = int(std::floor((c.y - top) / pe));
                nearestLeft[row] =
                    std::max(nearestLeft.count(row) ? nearestLeft[row] : -1e9f, p.rect.x);
            } else if (c.y < top && c.x > left) {
                const int col = int(std::floor((c.x - left) / pe));
                nearestTop[col] =
                    std::max(nearestTop.count(col) ? nearestTop[col] : -1e9f, p.rect.y);
            }
        }
        // Each row's first word waits one word further out than the row above: a staircase.
        for (const auto* edge : {&nearestLeft, &nearestTop}) {
            ASSERT_EQ(edge->size(), 3u);
            const float step = edge->at(0) - edge->at(1);
            EXPECT_GT(step, 0);
            EXPECT_NEAR(edge->at(1) - edge->at(2), step, 0.01f);
        }
    }
}

TEST(LessonFigures, SystolicFoldingGreyPesAreTheIdleOnesOfEachFold) {
    // "the last row fold uses only 4 rows and the last column fold only 4 columns — grey PEs
    // sit idle for the whole fold … mapping efficiency (here 75 %)". In every sampled fold of
    // the activity phase the per-fold map has R·C − rows used · columns used grey PEs.
    const Lesson& l = shippedLesson("systolic-folding");
    const auto run = runLab("systolic", l.params);
    const int first = run->phaseStart("activity");
    int frames = 0;
    for (const auto& ph : run->phases())
        if (ph.name == "activity")
            frames = ph.frames;
    ASSERT_GT(frames, 1);
    const int R = 8, C = 8;
    int partial = 0;
    for (int f = first; f < first + frames; ++f) {
        const auto s = run->scene(f, {Lang::En, aisys::viz::Theme::Light});
        // The heat maps' frames: unfilled boxes in the panel border, the per-fold map leftmost.
        const Prim* left = nullptr;
        for (const auto& p : s.list.prims)
            if (p.kind == PrimKind::Box && !p.fill.visible() && p.stroke == kLight.panelBorder &&
                p.radius == 0 && std::abs(p.rect.w - p.rect.h) < 0.5f && p.rect.w > 40 &&
                (!left || p.rect.x < left->rect.x))
                left = &p;
        ASSERT_NE(left, nullptr);
        // Its cells whose fill is the idle grey: channels equal, darker than the background.
        int grey = 0, cells = 0;
        for (const auto& p : s.list.prims) {
            if ((p.kind != PrimKind::Box && p.kind != PrimKind::HeatCell) || p.id != 0 ||
                !p.fill.visible() || !left->rect.contains(p.rect.center()) ||
                p.rect.w > left->rect.w / 2)
                continue;
            ++cells;
            const float spread =
                std::max({p.fill.r, p.fill.g, p.fill.b}) - std::min({p.fill.r, p.fill.g, p.fill.b});
            grey += spread < 0.05f && p.fill.r < kLight.background.r;
        }
        EXPECT_EQ(cells, R * C) << "frame " << f;
        // "PEs used: r × c / 8 × 8" in the fold's fact table.
        const std::string used = [&] {
            const auto lines = linesOf(s);
            for (std::size_t i = 0; i + 1 < lines.size(); ++i)
                if (lines[i] == "PEs used")
                    return lines[i + 1];
            return std::string();
        }();
        const int r = std::atoi(used.c_str());
        const int c = std::atoi(used.c_str() + used.find("× ") + std::strlen("× "));
        EXPECT_EQ(grey, R * C - r * c) << "frame " << f << ": " << used;
        partial += grey > 0;
    }
    EXPECT_GT(partial, 0); // the sampled folds include partial ones
    EXPECT_NE(textOf(run->scene(first, {})).find("mapping efficiency (all)\n75.0 %"),
              std::string::npos);
}

TEST(LessonFigures, RingAllReduceOutlinesTheChunkEachGpuJustReceived) {
    // "In round s, GPU r sends chunk (r − s) mod p to its neighbour, which adds it to its own
    // copy (outlined cells)": GPU q outlines chunk (q − 1 − s) mod p, and nothing else.
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto s = stepScene("ring-allreduce", 1, lang);
        const std::string cap = stepScene("ring-allreduce", 1, Lang::En).caption;
        const int round = std::atoi(cap.c_str() + cap.find("round ") + 6) - 1; // 0-based s
        ASSERT_GE(round, 0) << cap;
        const int p = 4, n = 8;
        int outlined = 0;
        for (const auto& prim : s.list.prims) {
            if (prim.kind != PrimKind::Box || prim.stroke != kLight.foreground ||
                prim.strokeWidth != 2.0f)
                continue;
            ++outlined;
            ASSERT_TRUE(s.objects.count(prim.id));
            const auto& info = s.objects.at(prim.id);
            const int q = std::atoi(info.title.c_str() + std::strlen("GPU "));
            std::string chunk;
            for (const auto& f : info.facts)
                if (f.label == (lang == Lang::En ? "chunk" : "数据块"))
                    chunk = f.value;
            EXPECT_EQ(std::atoi(chunk.c_str()), ((q - 1 - round) % p + p) % p) << info.title;
        }
        EXPECT_EQ(outlined, n); // p GPUs × one chunk of n / p values
    }
}
