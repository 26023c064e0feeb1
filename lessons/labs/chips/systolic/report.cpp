// Pictures of the "systolic" Lab after the run: a fold's activity heat maps and the report
// (SCALE-Sim's numbers, the result checked against Eigen, bars for the three dataflows).
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/chips/systolic/panel.h"
#include "lessons/labs/chips/systolic/scenes.h"
#include "lessons/labs/chips/systolic/text.h"

#include <algorithm>

namespace aisys::lessons {

using namespace viz;
namespace sys = engine::systolic;
using namespace systolic;

namespace {

Scene baseScene(const DrawOptions& opt) {
    Scene sc = sceneOn(Palette::forTheme(opt.theme));
    return sc;
}

} // namespace

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
    std::vector<std::string> labels = {tr2(L, "dataflow", "数据流"),
                                       tr2(L, "folds", "折叠数"),
                                       tr2(L, "cycles per fold", "每折叠周期"),
                                       tr2(L, "total cycles (SCALE-Sim)", "总周期（SCALE-Sim）"),
                                       tr2(L, "overall utilization", "总体利用率"),
                                       tr2(L, "mapping efficiency", "映射效率"),
                                       tr2(L, "compute utilization", "计算利用率"),
                                       tr2(L, "ifmap SRAM reads", "输入 SRAM 读"),
                                       tr2(L, "filter SRAM reads", "权重 SRAM 读"),
                                       tr2(L, "ofmap SRAM writes", "输出 SRAM 写")};
    const bool memory = s.bandwidth > 0;
    if (memory) {
        labels.push_back(std::string(tr2(L, "stalls (", "停顿（")) + fmtNum(s.bandwidth, 0) +
                         tr2(L, " words/cycle, ", " 字/周期，") + n2s(s.sramKB) + " KiB)");
        labels.push_back(tr2(L, "total with stalls", "含停顿总周期"));
        labels.push_back(tr2(L, "DRAM reads A / B", "DRAM 读 A / B"));
    }
    labels.push_back(tr2(L, "C = A·B checked", "C = A·B 校验"));
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
        std::vector<std::string> vals = {dataflowTitle(c.array.dataflow(), L),
                                         n2s(rp.folds),
                                         n2s(rp.cyclesPerFold),
                                         n2s(rp.computeCycles),
                                         pct(rp.overallUtilization),
                                         pct(rp.mappingEfficiency),
                                         pct(rp.computeUtilization),
                                         n2s(rp.ifmapSramReads),
                                         n2s(rp.filterSramReads),
                                         n2s(rp.ofmapSramWrites)};
        if (memory && c.memory) {
            vals.push_back(n2s(c.memory->stallCycles));
            vals.push_back(n2s(c.memory->totalCycles));
            vals.push_back(n2s(c.memory->ifmapDramReads) + " / " + n2s(c.memory->filterDramReads));
        }
        vals.push_back(check);
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
