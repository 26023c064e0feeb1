// Pictures of the "systolic" Lab: the mapping, one cycle (one or three dataflows), a fold's
// activity heat map, and the report with the result check.
#include "lessons/labs/systolic_scenes.h"

#include "lessons/labs/draw_helpers.h"
#include "lessons/labs/systolic_draw.h"
#include "lessons/labs/systolic_panel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisys::lessons {

using namespace viz;
namespace sys = engine::systolic;

namespace {

constexpr std::uint32_t kPeId = 100000; // + case · 70000 + PE index

std::string n2s(std::int64_t v) {
    return std::to_string(v);
}

std::string pct(double v) {
    return fmtNum(v, 1) + " %";
}

std::string gemmText(const sys::GemmShape& g) {
    return n2s(g.M) + "×" + n2s(g.K) + "×" + n2s(g.N);
}

/// What stays in the array and what streams, per dataflow.
std::string mappingText(const SystolicCase& c, Lang L) {
    const auto st = c.array.spatioTemporal();
    switch (c.array.dataflow()) {
    case sys::Dataflow::WS:
        return std::string(tr2(L, "stays: B (K×N) → rows K = ", "驻留：B（K×N）→ 行 K = ")) +
               n2s(st.Sr) + tr2(L, ", cols N = ", "，列 N = ") + n2s(st.Sc) +
               tr2(L, ";  streams: M = ", "；流过：M = ") + n2s(st.T);
    case sys::Dataflow::OS:
        return std::string(tr2(L, "stays: C (M×N) → rows M = ", "驻留：C（M×N）→ 行 M = ")) +
               n2s(st.Sr) + tr2(L, ", cols N = ", "，列 N = ") + n2s(st.Sc) +
               tr2(L, ";  streams: K = ", "；流过：K = ") + n2s(st.T);
    case sys::Dataflow::IS:
        return std::string(tr2(L, "stays: Aᵀ (K×M) → rows K = ", "驻留：Aᵀ（K×M）→ 行 K = ")) +
               n2s(st.Sr) + tr2(L, ", cols M = ", "，列 M = ") + n2s(st.Sc) +
               tr2(L, ";  streams: N = ", "；流过：N = ") + n2s(st.T);
    }
    return {};
}

std::string perFoldFormula(const SystolicCase& c) {
    const auto& a = c.array.array();
    const auto T = c.array.spatioTemporal().T;
    if (c.array.dataflow() == sys::Dataflow::OS)
        return "R + C + T − 2 = " + n2s(a.rows) + " + " + n2s(a.cols) + " + " + n2s(T) +
               " − 2 = " + n2s(c.array.cyclesPerFold());
    return "2R + C + T − 2 = " + n2s(2 * a.rows) + " + " + n2s(a.cols) + " + " + n2s(T) +
           " − 2 = " + n2s(c.array.cyclesPerFold());
}

/// MACs done by global cycle g (inclusive) and PEs active at g.
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
    Scene sc;
    sc.background = Palette::forTheme(opt.theme).background;
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
         n2s(std::min(g, c.globalCycles() - 1) + 1) + " / " + n2s(c.globalCycles())},
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
             n2s(c.report.computeCycles)},
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

Scene systolicActivityScene(const SystolicSetup& s, std::int64_t fold, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = baseScene(opt);
    DisplayList& dl = sc.list;
    float x = 40;
    for (const auto& c : s.cases) {
        const auto fi = c.array.fold(std::min(fold, c.array.foldCount() - 1));
        const float size = s.cases.size() > 1 ? 320 : 400;
        dl.text({x, 60}, dataflowTitle(c.array.dataflow(), L), pal.foreground, 15).bold = true;
        const Rect grid = drawActivity(dl, c, fi.index, {x, 92}, size, pal);
        const auto T = c.array.spatioTemporal().T;
        const double util = 100.0 * double(fi.rowsUsed * fi.colsUsed * T) /
                            (double(c.array.array().rows) * c.array.array().cols * fi.cycles);
        const std::vector<FactRow> rows = {
            {tr2(L, "fold", "折叠"), n2s(fi.index + 1) + " / " + n2s(c.array.foldCount())},
            {tr2(L, "PEs used", "使用的 PE"), n2s(fi.rowsUsed) + " × " + n2s(fi.colsUsed) + " / " +
                                                  n2s(c.array.array().rows) + " × " +
                                                  n2s(c.array.array().cols)},
            {tr2(L, "MACs per used PE", "每个 PE 的 MAC"), "T = " + n2s(T)},
            {tr2(L, "fold cycles", "折叠周期"), n2s(fi.cycles)},
            {tr2(L, "PE utilization in fold", "折叠内 PE 利用率"), pct(util)},
        };
        drawFactTable(dl, {x, std::max(grid.y + grid.h, 200.0f) + 24}, rows, pal, 14, 180);
        x += std::max(grid.w, 330.0f) + 50;
        if (s.cases.size() == 1) {
            // Beside it: MACs per PE summed over every fold so far — PEs left idle by partial
            // folds fall behind (the mapping efficiency, accumulating).
            Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(c.array.array().rows, c.array.array().cols);
            for (std::int64_t f = 0; f <= fi.index; ++f)
                sum += c.array.activity(f).cast<double>();
            dl.text({x, 60}, tr2(L, "All folds so far", "截至本折叠的全部折叠"), pal.foreground, 15)
                .bold = true;
            const Rect g2 =
                drawPeHeat(dl, sum, double(T) * double(fi.index + 1), {x, 92}, size, pal);
            const double done = sum.sum();
            drawFactTable(
                dl, {x, std::max(g2.y + g2.h, 200.0f) + 24},
                {{tr2(L, "folds done", "已完成折叠"), n2s(fi.index + 1)},
                 {tr2(L, "MACs done", "已完成 MAC"), fmtNum(done, 0) + " / " + n2s(c.report.macs)},
                 {tr2(L, "mapping efficiency (all)", "映射效率（全部）"),
                  pct(c.report.mappingEfficiency)}},
                pal, 14, 200);
        }
    }
    sc.caption = tr2(L, "Activity: MACs each PE performed in this fold and in all folds so far",
                     "活动：每个 PE 在本折叠及截至目前所有折叠中完成的 MAC 次数");
    for (int i = 0; i <= 2; ++i)
        sc.legend.push_back(
            {rampColor(i / 2.0), i == 0   ? tr2(L, "0 MACs", "0 次 MAC")
                                 : i == 1 ? tr2(L, "T/2", "T/2")
                                          : tr2(L, "T MACs (busy all fold)", "T 次 MAC")});
    return sc;
}

Scene systolicDoneScene(const SystolicSetup& s, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = baseScene(opt);
    DisplayList& dl = sc.list;
    // 1. A table: one column per dataflow.
    const std::vector<std::string> labels = {
        tr2(L, "dataflow", "数据流"),
        tr2(L, "folds", "折叠数"),
        tr2(L, "cycles per fold", "每折叠周期"),
        tr2(L, "total cycles (SCALE-Sim)", "总周期（SCALE-Sim）"),
        tr2(L, "overall utilization", "总体利用率"),
        tr2(L, "mapping efficiency", "映射效率"),
        tr2(L, "compute utilization", "计算利用率"),
        tr2(L, "ifmap SRAM reads", "输入 SRAM 读"),
        tr2(L, "filter SRAM reads", "权重 SRAM 读"),
        tr2(L, "ofmap SRAM writes", "输出 SRAM 写"),
        tr2(L, "C = A·B checked", "C = A·B 校验")};
    const float y0 = 70, rowH = 26, x0 = 40, colW = 230;
    for (std::size_t r = 0; r < labels.size(); ++r)
        dl.text({x0, y0 + r * rowH}, labels[r], pal.muted, 14);
    for (std::size_t i = 0; i < s.cases.size(); ++i) {
        const auto& c = s.cases[i];
        const auto& rp = c.report;
        const std::string check =
            c.maxError < 0 ? tr2(L, "too big to step here", "规模太大，此处不逐周期运行")
            : c.maxError <= 1e-9 * (1 + c.report.gemm.K)
                ? std::string(tr2(L, "✓ equal to Eigen", "✓ 与 Eigen 相同"))
                : std::string(tr2(L, "✗ max error ", "✗ 最大误差 ")) + fmtSci(c.maxError, 2);
        const std::vector<std::string> vals = {dataflowTitle(c.array.dataflow(), L),
                                               n2s(rp.folds),
                                               n2s(rp.cyclesPerFold),
                                               n2s(rp.computeCycles),
                                               pct(rp.overallUtilization),
                                               pct(rp.mappingEfficiency),
                                               pct(rp.computeUtilization),
                                               n2s(rp.ifmapSramReads),
                                               n2s(rp.filterSramReads),
                                               n2s(rp.ofmapSramWrites),
                                               check};
        const float x = x0 + 220 + i * colW;
        for (std::size_t r = 0; r < vals.size(); ++r)
            dl.text({x, y0 + r * rowH}, vals[r],
                    r + 1 == vals.size()
                        ? (c.maxError >= 0 && vals[r].rfind("✗", 0) == 0 ? pal.bad : pal.good)
                        : pal.foreground,
                    14)
                .bold = r == 0 || r == 3;
    }
    // 2. Bars: cycles and SRAM reads relative to the largest, one group per dataflow.
    float y = y0 + labels.size() * rowH + 30;
    if (s.cases.size() > 1) {
        struct Metric {
            std::string name;
            double (*get)(const sys::LayerReport&);
        };
        const std::vector<Metric> metrics = {
            {tr2(L, "total cycles", "总周期"),
             [](const sys::LayerReport& r) { return double(r.computeCycles); }},
            {tr2(L, "SRAM reads (A + B)", "SRAM 读（A + B）"),
             [](const sys::LayerReport& r) {
                 return double(r.ifmapSramReads + r.filterSramReads);
             }},
            {tr2(L, "overall utilization", "总体利用率"),
             [](const sys::LayerReport& r) { return r.overallUtilization; }}};
        for (const auto& m : metrics) {
            double mx = 0;
            for (const auto& c : s.cases)
                mx = std::max(mx, m.get(c.report));
            dl.text({x0, y}, m.name, pal.foreground, 14).bold = true;
            y += 22;
            for (std::size_t i = 0; i < s.cases.size(); ++i) {
                const double v = m.get(s.cases[i].report);
                const float w = mx > 0 ? float(500 * v / mx) : 0;
                dl.text({x0, y + 8}, sys::dataflowName(s.cases[i].array.dataflow()), pal.muted, 13,
                        HAlign::Left, VAlign::Middle);
                dl.box({x0 + 40, y, std::max(w, 1.0f), 16}, pal.category(i));
                const bool percent = &m == &metrics.back();
                dl.text({x0 + 48 + w, y + 8}, percent ? pct(v) : fmtNum(v, 0), pal.foreground, 12,
                        HAlign::Left, VAlign::Middle);
                y += 22;
            }
            y += 12;
        }
    } else {
        const auto& c = s.cases[0];
        dl.text({x0, y}, tr2(L, "Why these numbers", "这些数字从何而来"), pal.foreground, 14).bold =
            true;
        y += 24;
        const std::vector<std::string> lines = {
            mappingText(c, L),
            tr2(L, "folds = ⌈Sr/R⌉ · ⌈Sc/C⌉ = ", "折叠数 = ⌈Sr/R⌉ · ⌈Sc/C⌉ = ") +
                n2s(c.report.rowFolds) + " · " + n2s(c.report.colFolds) + " = " +
                n2s(c.report.folds),
            tr2(L, "cycles per fold: ", "每折叠周期：") + perFoldFormula(c),
            tr2(L, "overall utilization = M·K·N / (total cycles · R·C) = ",
                "总体利用率 = M·K·N / (总周期 · R·C) = ") +
                n2s(c.report.macs) + " / (" + n2s(c.report.computeCycles) + " · " +
                n2s(std::int64_t(c.array.array().rows) * c.array.array().cols) + ")"};
        for (const auto& l : lines) {
            dl.text({x0, y}, l, pal.muted, 13);
            y += 20;
        }
        const auto gm = c.array.gemm();
        if (gm.M <= 12 && gm.N <= 12 && c.maxError >= 0) {
            const sys::Matrix result = c.array.run();
            drawOperandGrid(dl, {x0 + 520, y0 + 20, 300, 300},
                            tr2(L, "C computed by the array", "阵列算出的 C"), &result, gm.M, gm.N,
                            {}, pal.good, s.integers, pal);
        }
    }
    sc.caption = tr2(L, "Report: the closed forms SCALE-Sim uses, and the result checked",
                     "报告：SCALE-Sim 使用的闭式公式，以及结果校验");
    return sc;
}

} // namespace aisys::lessons
