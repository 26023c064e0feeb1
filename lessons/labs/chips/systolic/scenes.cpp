// Pictures of the "systolic" Lab: the mapping and one cycle (one or three dataflows side by
// side). The activity and report pictures are in report.cpp.
#include "lessons/labs/chips/systolic/scenes.h"

#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/chips/systolic/panel.h"
#include "lessons/labs/chips/systolic/text.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisys::lessons {

using namespace viz;
namespace sys = engine::systolic;
using namespace systolic;

namespace {

constexpr std::uint32_t kPeId = 100000; // + case · 70000 + PE index

std::pair<std::int64_t, std::int64_t> progress(const SystolicCase& c, std::int64_t g) {
    const FoldCycle fc = foldCycleOf(c, g);
    if (fc.finished)
        return {c.report.macs, 0};
    std::int64_t done = 0;
    const auto T = c.array.spatioTemporal().T;
    for (std::int64_t f = 0; f < fc.fold; ++f) {
        const auto fi = c.array.fold(f);
        done += fi.rowsUsed * fi.colsUsed * T;
    }
    done += c.array.activity(fc.fold, fc.cycle).cast<std::int64_t>().sum();
    std::int64_t active = 0;
    for (const auto& st : c.array.snapshot(fc.fold, fc.cycle, false))
        active += st.active;
    return {done, active};
}

/// For small outputs: C as written to the ofmap SRAM up to global cycle g (partial sums of
/// row folds added up), NaN where nothing was written yet; empty when too big to replay.
sys::Matrix writtenOutputs(const SystolicCase& c, std::int64_t g) {
    const auto gm = c.array.gemm();
    if (gm.M > 12 || gm.N > 12 || c.globalCycles() > 4000)
        return {};
    sys::Matrix out = sys::Matrix::Constant(gm.M, gm.N, std::numeric_limits<double>::quiet_NaN());
    const std::int64_t end = std::min(g, c.globalCycles() - 1);
    for (std::int64_t t = 0; t <= end; ++t) {
        const FoldCycle fc = foldCycleOf(c, t);
        for (const auto& w : c.array.feed(fc.fold, fc.cycle).bottom)
            if (w.valid)
                out(w.i, w.j) = (std::isnan(out(w.i, w.j)) ? 0.0 : out(w.i, w.j)) + w.value;
    }
    return out;
}

Scene baseScene(const DrawOptions& opt) {
    Scene sc = sceneOn(Palette::forTheme(opt.theme));
    return sc;
}

void legendK(Scene& sc, const Palette& pal, Lang L, bool heat = false) {
    if (heat) {
        sc.legend.push_back({rampColor(0), tr2(L, "MAC with k = 0", "MAC，k = 0")});
        sc.legend.push_back({rampColor(0.5), tr2(L, "k = K/2", "k = K/2")});
        sc.legend.push_back({rampColor(1), tr2(L, "k = K − 1", "k = K − 1")});
        sc.legend.push_back(
            {mix(pal.background, pal.good, 0.6f), tr2(L, "output leaving", "输出离开")});
        return;
    }
    for (int k = 0; k < 3; ++k)
        sc.legend.push_back({mix(pal.panel, kColour(k, pal), 0.6f),
                             std::string(tr2(L, "MAC with k = ", "MAC，k = ")) + n2s(k)});
    sc.legend.push_back(
        {mix(pal.background, pal.good, 0.6f), tr2(L, "output leaving", "输出离开")});
}

/// Three dataflows side by side at global cycle g (or the mapping when g < 0).
Scene threeWay(const SystolicSetup& s, std::int64_t g, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = baseScene(opt);
    DisplayList& dl = sc.list;
    float x = 30;
    for (std::size_t i = 0; i < s.cases.size(); ++i) {
        const auto& c = s.cases[i];
        PanelStyle st;
        st.maxSize = 250;
        st.stagingDepth = 2;
        st.idBase = kPeId + static_cast<std::uint32_t>(i) * 70000u;
        st.mappingOnly = g < 0;
        const Vec2 ext = arrayExtent(c, st);
        const bool staging = ext.x / c.array.array().cols >= 30;
        const float lead = stagingLead(c, st);
        const float panelW = std::max(320.0f, lead + ext.x + 20);
        dl.text({x, 60}, dataflowTitle(c.array.dataflow(), L), pal.foreground, 16).bold = true;
        dl.text({x, 84}, mappingText(c, L), pal.muted, 12);
        const Vec2 origin{x + lead, 110 + lead};
        const Rect grid = drawArrayAt(sc, s, c, std::max<std::int64_t>(0, g), origin, st, L, pal);
        const FoldCycle fc = foldCycleOf(c, std::max<std::int64_t>(0, g));
        std::vector<FactRow> rows;
        if (g >= 0) {
            const auto [done, active] = progress(c, g);
            rows = {{tr2(L, "cycle in fold", "折叠内周期"),
                     fc.finished ? tr2(L, "finished", "已完成")
                                 : n2s(fc.cycle + 1) + " / " + n2s(c.array.cyclesPerFold())},
                    {tr2(L, "fold", "折叠"), n2s(fc.fold + 1) + " / " + n2s(c.array.foldCount())},
                    {tr2(L, "active PEs", "活跃 PE"),
                     n2s(active) + " / " +
                         n2s(std::int64_t(c.array.array().rows) * c.array.array().cols)},
                    {tr2(L, "MACs done", "已完成 MAC"), n2s(done) + " / " + n2s(c.report.macs)}};
        }
        rows.push_back({tr2(L, "total cycles", "总周期"), n2s(c.report.computeCycles)});
        rows.push_back(
            {tr2(L, "overall utilization", "总体利用率"), pct(c.report.overallUtilization)});
        drawFactTable(dl, {x, grid.y + grid.h + (staging ? 56 : 30)}, rows, pal, 15, 165);
        // Presenting, the region of interest: the three arrays with their titles and the
        // words around them (the counters under them can be panned to).
        const Rect roi{x, 50, panelW, grid.y + grid.h + (staging ? 50 : 24) - 50};
        sc.focus = sc.focus.empty() ? roi : sc.focus.united(roi);
        x += panelW + 30;
    }
    sc.caption = g < 0 ? std::string(tr2(L, "The same layer ", "同一层 ")) +
                             gemmText(s.layer.gemmShape()) +
                             tr2(L, " mapped three ways onto the array", " 以三种方式映射到阵列上")
                       : std::string(tr2(L, "Cycle ", "第 ")) + n2s(g + 1) +
                             tr2(L, ": WS, OS and IS side by side on the same layer",
                                 " 周期：同一层上 WS、OS、IS 并排对比");
    legendK(sc, pal, L);
    return sc;
}

} // namespace

std::string dataflowTitle(sys::Dataflow df, Lang L) {
    switch (df) {
    case sys::Dataflow::WS:
        return tr2(L, "Weight stationary (WS)", "权重固定（WS）");
    case sys::Dataflow::OS:
        return tr2(L, "Output stationary (OS)", "输出固定（OS）");
    case sys::Dataflow::IS:
        return tr2(L, "Input stationary (IS)", "输入固定（IS）");
    }
    return {};
}

Scene systolicCycleScene(const SystolicSetup& s, std::int64_t g, const DrawOptions& opt) {
    if (s.cases.size() > 1)
        return threeWay(s, g, opt);
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = baseScene(opt);
    DisplayList& dl = sc.list;
    const auto& c = s.cases[0];
    const auto& a = c.array.array();
    const auto gm = c.array.gemm();
    const sys::Dataflow df = c.array.dataflow();
    const FoldCycle fc = foldCycleOf(c, g);
    PanelStyle st;
    st.maxSize = 480;
    st.idBase = kPeId;
    const Vec2 ext = arrayExtent(c, st);
    const float pe = ext.x / a.cols;
    const float lead = stagingLead(c, st);
    const float sramW = 200;

    // 1. SRAM operand grids: A (ifmap) on the left, B (filter) above, C (ofmap) on the right;
    //    the words read or written at this cycle highlighted.
    std::vector<std::pair<std::int64_t, std::int64_t>> hotA, hotB, hotC;
    if (!fc.finished) {
        const auto feed = c.array.feed(fc.fold, fc.cycle);
        const bool leftIsA = df != sys::Dataflow::IS;
        for (const auto& w : feed.left)
            if (w.valid)
                (leftIsA ? hotA : hotB).push_back({w.i, w.j});
        for (const auto& w : feed.top)
            if (w.valid)
                (df == sys::Dataflow::IS ? hotA : hotB).push_back({w.i, w.j});
        for (const auto& w : feed.bottom)
            if (w.valid)
                hotC.push_back({w.i, w.j});
    }
    const float arrX = 40 + sramW + 40 + lead;
    const float topH = operandGridSize(gm.K, gm.N, std::max(ext.x, sramW), 150).y + 60;
    const float arrY = 60 + topH + lead;
    if (s.conv && s.ifmap0.rows() <= 12 && s.ifmap0.cols() <= 12) {
        // The ifmap itself: im2col reads the same pixel for several windows.
        std::vector<std::pair<std::int64_t, std::int64_t>> hotPix;
        for (auto [i, j] : hotA) {
            const std::int64_t addr = c.array.addressA(i, j);
            if (addr < 0)
                continue; // a window past the edge reads nothing
            const std::int64_t pix = addr / s.layer.channels;
            hotPix.push_back({pix / s.layer.ifmapW, pix % s.layer.ifmapW});
        }
        drawOperandGrid(dl, {40, arrY, sramW, 300},
                        tr2(L, "ifmap SRAM (H×W, channel 0)", "输入 SRAM（H×W，通道 0）"),
                        &s.ifmap0, s.layer.ifmapH, s.layer.ifmapW, hotPix, pal.accent, s.integers,
                        pal);
    } else {
        drawOperandGrid(dl, {40, arrY, sramW, 300},
                        tr2(L, "ifmap SRAM: A (M×K)", "输入 SRAM：A（M×K）"), &c.array.A(), gm.M,
                        gm.K, hotA, pal.accent, s.integers, pal);
    }
    drawOperandGrid(dl, {arrX, 80, std::max(ext.x, sramW), 150},
                    tr2(L, "filter SRAM: B (K×N)", "权重 SRAM：B（K×N）"), &c.array.B(), gm.K, gm.N,
                    hotB, pal.accent2, s.integers, pal);
    const Rect grid = drawArrayAt(sc, s, c, g, {arrX, arrY}, st, L, pal);
    const float rightX = grid.x + std::max(grid.w, sramW) + 60;
    const sys::Matrix written = writtenOutputs(c, g);
    drawOperandGrid(dl, {rightX, arrY, sramW, 300},
                    tr2(L, "ofmap SRAM: C (M×N), written now", "输出 SRAM：C（M×N），本周期写入"),
                    written.size() ? &written : nullptr, gm.M, gm.N, hotC, pal.good, s.integers,
                    pal);
    // Presenting, the region of interest: the array with the staircase of waiting words.
    sc.focus = {grid.x - lead - 10, grid.y - lead - 10, grid.w + lead + 20,
                grid.h + lead + (pe >= 30 ? pe * 0.62f + 30 : 32)};
    dl.text({grid.x, grid.y + grid.h + (pe >= 30 ? pe * 0.62f + 16 : 18)},
            std::to_string(a.rows) + "×" + std::to_string(a.cols) + tr2(L, " PEs", " 个 PE"),
            pal.muted, 12);

    // 2. Counters.
    const auto [done, active] = progress(c, g);
    const double peCount = double(a.rows) * a.cols;
    const std::vector<FactRow> rows = {
        {tr2(L, "dataflow", "数据流"), dataflowTitle(df, L)},
        {tr2(L, "layer → GEMM M×K×N", "层 → GEMM M×K×N"), gemmText(gm)},
        {tr2(L, "cycle in fold T", "折叠内周期 T"),
         fc.finished ? tr2(L, "finished", "已完成")
                     : n2s(fc.cycle + 1) + " / " + n2s(c.array.cyclesPerFold())},
        {tr2(L, "fold", "折叠"), n2s(fc.fold + 1) + " / " + n2s(c.array.foldCount())},
        {tr2(L, "global cycle", "全局周期"),
         n2s(std::min(g, c.globalCycles() - 1) + 1) + " / " + n2s(c.globalCycles()) +
             tr2(L, " (SCALE-Sim: index ", "（SCALE-Sim：序号 ") +
             n2s(std::min(g, c.globalCycles() - 1)) + tr2(L, ")", "）")},
        {tr2(L, "active PEs now", "当前活跃 PE"),
         n2s(active) + " (" + pct(100.0 * active / peCount) + ")"},
        {tr2(L, "MACs done", "已完成 MAC"), n2s(done) + " / " + n2s(c.report.macs)},
        {tr2(L, "utilization so far", "截至目前利用率"),
         pct(100.0 * done / (peCount * double(std::min(g, c.globalCycles() - 1) + 1)))},
        {tr2(L, "overall util. (SCALE-Sim)", "总体利用率（SCALE-Sim）"),
         pct(c.report.overallUtilization)},
    };
    drawFactTable(dl, {rightX, 70}, rows, pal, 14, 200);

    if (fc.finished)
        sc.caption = tr2(L, "Finished: every output is complete", "完成：所有输出均已算完");
    else {
        // The model's phase() calls OS cycles ≥ T "drain"; words still enter until every
        // skewed row is in, so the edges decide between streaming and draining here.
        const auto feed = c.array.feed(fc.fold, fc.cycle);
        bool entering = false;
        for (const auto& w : feed.left)
            entering |= w.valid;
        const auto phase = c.array.phase(fc.fold, fc.cycle) == sys::Phase::Preload
                               ? sys::Phase::Preload
                           : entering ? sys::Phase::Stream
                                      : sys::Phase::Drain;
        const char* what =
            phase == sys::Phase::Preload
                ? tr2(L, "preloading the stationary operand from the top", "从顶部预加载驻留操作数")
            : phase == sys::Phase::Stream
                ? tr2(L, "operands stream in skewed, one wavefront per cycle",
                      "操作数错位流入，每周期推进一个波前")
                : tr2(L, "draining the last partial sums", "排空最后的部分和");
        sc.caption = std::string("T = ") + n2s(fc.cycle + 1) +
                     (c.array.foldCount() > 1 ? tr2(L, " of fold ", "，折叠 ") + n2s(fc.fold + 1)
                                              : std::string()) +
                     ": " + what;
    }
    legendK(sc, pal, L, std::max(a.rows, a.cols) > kBoxLimit);
    sc.legend.push_back(
        {mix(pal.background, pal.accent, 0.7f), tr2(L, "word read now", "本周期读出的字")});
    return sc;
}

Scene systolicSetupScene(const SystolicSetup& s, const DrawOptions& opt) {
    if (s.cases.size() > 1)
        return threeWay(s, -1, opt);
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = baseScene(opt);
    DisplayList& dl = sc.list;
    const auto& c = s.cases[0];
    const auto gm = c.array.gemm();
    PanelStyle st;
    st.maxSize = 420;
    st.mappingOnly = true;
    st.idBase = kPeId;
    drawOperandGrid(dl, {40, 90, 230, 300},
                    s.conv ? tr2(L, "A = im2col(ifmap) (M×K)", "A = im2col(输入)（M×K）")
                           : tr2(L, "A (M×K)", "A（M×K）"),
                    &c.array.A(), gm.M, gm.K, {}, pal.accent, s.integers, pal);
    const bool showIfmap = s.conv && s.ifmap0.rows() <= 12 && s.ifmap0.cols() <= 12;
    const float ifmapY = 90 + operandGridSize(gm.M, gm.K, 230, 300).y + 60;
    if (showIfmap)
        drawOperandGrid(dl, {40, ifmapY, 230, 300},
                        tr2(L, "ifmap (H×W, channel 0)", "输入特征图（H×W，通道 0）"), &s.ifmap0,
                        s.layer.ifmapH, s.layer.ifmapW, {}, pal.accent, s.integers, pal);
    drawOperandGrid(dl, {310, 90, 230, 300}, tr2(L, "B (K×N)", "B（K×N）"), &c.array.B(), gm.K,
                    gm.N, {}, pal.accent2, s.integers, pal);
    const Rect grid = drawArrayAt(sc, s, c, 0, {600, 90}, st, L, pal);
    dl.text({grid.x, grid.y - 6},
            std::to_string(c.array.array().rows) + "×" + std::to_string(c.array.array().cols) +
                tr2(L, " array, fold 1 (grey: unused PEs)",
                    " 阵列，第 1 个折叠（灰色：未使用的 PE）"),
            pal.foreground, 13, HAlign::Left, VAlign::Bottom)
        .bold = true;
    std::vector<FactRow> rows = {
        {tr2(L, "dataflow", "数据流"), dataflowTitle(c.array.dataflow(), L)},
        {tr2(L, "mapping", "映射"), mappingText(c, L)},
        {tr2(L, "folds", "折叠数"),
         n2s(c.report.rowFolds) + " × " + n2s(c.report.colFolds) + " = " + n2s(c.report.folds)},
        {tr2(L, "cycles per fold", "每个折叠周期数"), perFoldFormula(c)},
        {tr2(L, "total (SCALE-Sim)", "总周期（SCALE-Sim）"),
         tr2(L, "folds × per fold − 1 = ", "折叠数 × 每折叠周期 − 1 = ") +
             n2s(c.report.computeCycles) +
             tr2(L, "  (the last cycle's index, from 0)", "（最后一个周期的序号，从 0 数起）")},
    };
    if (s.conv) {
        const auto& Ly = s.layer;
        rows.insert(rows.begin(),
                    {tr2(L, "conv → im2col", "卷积 → im2col"),
                     "M = " + n2s(Ly.ofmapH()) + "×" + n2s(Ly.ofmapW()) + " = " + n2s(gm.M) +
                         ", K = " + n2s(Ly.filterH) + "×" + n2s(Ly.filterW) + "×" +
                         n2s(Ly.channels) + " = " + n2s(gm.K) + ", N = " + n2s(gm.N)});
    }
    const float opH =
        std::max(operandGridSize(gm.M, gm.K, 230, 300).y, operandGridSize(gm.K, gm.N, 230, 300).y);
    float tableY = std::max(grid.y + grid.h, 90 + opH + 20) + 40;
    if (showIfmap)
        tableY = std::max(
            tableY, ifmapY + operandGridSize(s.layer.ifmapH, s.layer.ifmapW, 230, 300).y + 50);
    drawFactTable(dl, {40, tableY}, rows, pal, 14, 200);
    sc.caption = std::string(tr2(L, "Mapping GEMM ", "把 GEMM ")) + gemmText(gm) +
                 tr2(L, " onto the array", " 映射到阵列上");
    return sc;
}

} // namespace aisys::lessons
