// Lab "tpu-v1": TPUv1's block diagram with its derived numbers, the roofline of every TPU
// generation with an MLP layer's operating point, and the generation table.
#include "engine/hw/tpu/specs.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/chips/tpu/tpu_labs.h"
#include "viz/plot.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::lessons {

using namespace viz;
namespace tpu = engine::tpu;

namespace {

constexpr std::uint32_t kBlockId = 100; // + block
constexpr std::uint32_t kGenId = 300;   // + generation

/// An MLP layer (width×width weights) on a batch, as the TPU paper counts it: activations
/// stay in the on-chip buffer, so DRAM traffic is the weights; every weight byte feeds
/// `batch` MACs, intensity = 2·batch / bytesPerElem ops per byte.
struct MlpPoint {
    double ops = 0, bytes = 0;
    double intensity() const { return ops / bytes; }
};
MlpPoint mlpLayer(double batch, double width, int bytesPerElem) {
    return {2.0 * batch * width * width, double(bytesPerElem) * width * width};
}

class TpuV1Run : public LabRun {
public:
    TpuV1Run(std::string gen, int batch, bool numbers)
        : m_gen(std::move(gen)), m_batch(batch), m_numbers(numbers) {}
    std::vector<Phase> phases() const override {
        return {{"block", 1}, {"roofline", 1}, {"generations", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        return frame == 0 ? block(opt) : frame == 1 ? roofline(opt) : table(opt);
    }

private:
    Scene block(const DrawOptions& opt) const;
    Scene roofline(const DrawOptions& opt) const;
    Scene table(const DrawOptions& opt) const;
    std::string m_gen;
    int m_batch;
    bool m_numbers; ///< highlight the derived numbers and the blocks they size
};

Scene TpuV1Run::block(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const auto& v1 = tpu::tpuGeneration("TPUv1");
    const tpu::TpuV1Buffers b;
    const Color mem = mix(pal.background, pal.category(0), 0.30f);
    const Color buf = mix(pal.background, pal.category(2), 0.30f);
    const Color cmp = mix(pal.background, pal.category(1), 0.35f);
    const Color ctl = mix(pal.background, pal.category(6), 0.25f);
    struct Blk {
        Rect r;
        LocalText title;
        std::vector<LocalText> lines;
        Color fill;
        std::vector<Fact> facts;
    };
    const std::vector<Blk> blocks = {
        {{40, 60, 230, 74},
         {"DDR3 DRAM", "DDR3 DRAM"},
         {{"8 GiB · 34 GB/s", "8 GiB · 34 GB/s"}},
         mem,
         {{tr2(L, "holds", "存放"), tr2(L, "weights", "权重")}}},
        {{340, 60, 300, 74},
         {"Weight FIFO", "权重 FIFO"},
         {{"4 tiles × 64 KiB", "4 个 64 KiB 权重块"}},
         buf,
         {{tr2(L, "one tile", "一个权重块"), "256 × 256 × 1 B = 64 KiB"},
          {tr2(L, "double-buffered", "双缓冲"),
           tr2(L, "the next tile loads while one computes", "计算一个块时加载下一个块")}}},
        {{40, 190, 230, 74},
         {"Host interface", "主机接口"},
         {{"PCIe Gen3 ×16", "PCIe Gen3 ×16"}},
         mem,
         {{tr2(L, "instructions", "指令"), tr2(L, "sent by the host CPU", "由主机 CPU 发送")}}},
        {{40, 300, 230, 130},
         {"Unified Buffer", "统一缓冲区"},
         {{"24 MiB", "24 MiB"}, {"activations", "激活值"}},
         buf,
         {{tr2(L, "size", "容量"), "24 MiB"},
          {tr2(L, "on chip with accumulators", "加上累加器的片上存储"), "24 + 4 = 28 MiB"}}},
        {{340, 190, 300, 240},
         {"Matrix Multiply Unit", "矩阵乘单元 MXU"},
         {{"256 × 256 = 65 536 MACs", "256 × 256 = 65 536 个 MAC"},
          {"8-bit, weight-stationary", "8 位，权重固定"},
          {"activations →, partial sums ↓", "激活值 →，部分和 ↓"}},
         cmp,
         {{tr2(L, "MACs per clock", "每周期 MAC"), "65 536"},
          {tr2(L, "outputs per clock", "每周期输出"),
           tr2(L, "256 16-bit partial sums", "256 个 16 位部分和")},
          {tr2(L, "peak", "峰值"), "65 536 × 2 × 0.7 GHz = 91.75 TOPS"}}},
        {{340, 470, 300, 74},
         {"Accumulators", "累加器"},
         {{"4096 × 256 × 32 bit = 4 MiB", "4096 × 256 × 32 位 = 4 MiB"}},
         buf,
         {{tr2(L, "why 4096 rows", "为何 4096 行"),
           tr2(L, "ridge ≈ 1350 MAC/B → 2048, ×2 double-buffered",
               "屋脊点 ≈ 1350 MAC/B → 取 2048，再 ×2 双缓冲")}}},
        {{40, 470, 230, 74},
         {"Activation", "激活单元"},
         {{"ReLU, sigmoid, …", "ReLU、sigmoid 等"}},
         cmp,
         {}},
        {{40, 580, 230, 60}, {"Normalize / Pool", "归一化 / 池化"}, {}, cmp, {}},
        {{700, 60, 200, 74},
         {"Control", "控制逻辑"},
         {{"2 % of the die", "占芯片面积 2%"}},
         ctl,
         {{tr2(L, "ISA", "指令集"), tr2(L, "CISC, ~12 instructions", "CISC，约 12 条指令")},
          {tr2(L, "key instructions", "关键指令"),
           "Read_Host_Memory, Read_Weights, MatrixMultiply/Convolve, Activate, "
           "Write_Host_Memory"}}},
    };
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const auto& bk = blocks[i];
        std::vector<std::string> lines;
        for (const auto& l : bk.lines)
            lines.push_back(l.get(L));
        drawBlock(dl, bk.r, bk.title.get(L), lines, bk.fill, pal.panelBorder,
                  kBlockId + static_cast<std::uint32_t>(i), 15);
        ObjectInfo info;
        info.title = bk.title.get(L);
        info.facts = bk.facts;
        sc.objects[kBlockId + static_cast<std::uint32_t>(i)] = std::move(info);
    }
    // Data paths.
    const Color w = pal.accent2, a = pal.accent, o = pal.good;
    dl.arrow({{270, 97}, {340, 97}}, w, 2.5f);
    dl.arrow({{490, 134}, {490, 190}}, w, 2.5f);
    dl.arrow({{155, 264}, {155, 300}}, a, 2.5f);
    dl.arrow({{270, 365}, {340, 365}}, a, 2.5f);
    dl.arrow({{490, 430}, {490, 470}}, o, 2.5f);
    dl.arrow({{340, 507}, {270, 507}}, o, 2.5f);
    dl.arrow({{155, 544}, {155, 580}}, o, 2.5f);
    dl.arrow({{40, 610}, {14, 610}, {14, 365}, {40, 365}}, o, 2.5f);
    // Derived numbers.
    const std::vector<FactRow> rows = {
        {tr2(L, "peak = 256² × 2 × 700 MHz", "峰值 = 256² × 2 × 700 MHz"),
         fmtNum(tpu::peakTopsFromArray(v1), 2) + " TOPS"},
        {tr2(L, "memory bandwidth", "内存带宽"), "34 GB/s (DDR3)"},
        {tr2(L, "ridge = peak / bandwidth", "屋脊点 = 峰值 / 带宽"),
         fmtNum(tpu::ridgeOpsPerByte(v1), 0) + tr2(L, " ops/B", " ops/B")},
        {tr2(L, "  in MACs per byte", "  折合每字节 MAC"),
         fmtNum(tpu::ridgeOpsPerByte(v1) / 2, 0) + " MAC/B"},
        {tr2(L, "accumulators", "累加器"),
         "4096 × 256 × 4 B = " + fmtBytes(double(b.accumulatorBytes()))},
        {tr2(L, "weight tile", "权重块"),
         "256 × 256 × 1 B = " + fmtBytes(double(b.weightTileBytes()))},
        {tr2(L, "on chip", "片上存储"), "24 + 4 = 28 MiB"},
        {tr2(L, "clock / node / die", "频率 / 工艺 / 面积"), "700 MHz / 28 nm / 330 mm²"},
        {tr2(L, "TDP", "热设计功耗"), "75 W"},
        {tr2(L, "peak per TDP watt", "每瓦峰值"),
         fmtNum(tpu::peakTopsFromArray(v1) / v1.powerW, 2) + " TOPS/W"},
    };
    if (m_numbers) {
        // The derivation step: the table and the three blocks whose sizes it explains.
        dl.box({688, 158, 500, 270}, pal.highlight.withAlpha(0.55f), kNoColor, 8).layer = -1;
        for (const Rect& r : {blocks[1].r, blocks[4].r, blocks[5].r})
            dl.box(r.adjusted(4), kNoColor, pal.accent, 8, 3);
        dl.text({700, 440},
                tr2(L, "92 TOPS needs 2699 ops per DRAM byte: weights must be reused ~1350×",
                    "92 TOPS 需要每字节 DRAM 2699 次运算：每个权重要复用约 1350 次"),
                pal.accent, 14)
            .bold = true;
    }
    dl.text({700, 170}, tr2(L, "Numbers derived from the design", "由设计推导出的数字"),
            pal.foreground, 15)
        .bold = true;
    drawFactTable(dl, {700, 200}, rows, pal, 14, 250);
    sc.caption = tr2(L,
                     "TPUv1 (2015): an inference chip built around one 256×256 8-bit "
                     "weight-stationary matrix unit",
                     "TPUv1（2015）：围绕一个 256×256 8 位权重固定矩阵单元构建的推理芯片");
    sc.legend = {{w, tr2(L, "weights", "权重")},
                 {a, tr2(L, "activations in", "输入激活")},
                 {o, tr2(L, "results", "结果")}};
    return sc;
}

Scene TpuV1Run::roofline(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    PlotFrame pf({90, 70, 640, 440}, 1, 1e5, 0.1, 1000, true, true);
    pf.drawAxes(dl,
                tr2(L, "operational intensity (ops per byte of DRAM traffic)",
                    "运算强度（每字节 DRAM 访问的运算次数）"),
                "TOPS", pal.foreground, pal.grid, pal.muted);
    const auto& sel = tpu::tpuGeneration(m_gen);
    const auto& gens = tpu::tpuGenerations();
    std::vector<std::pair<float, std::size_t>> labels; // (y, generation)
    for (std::size_t i = 0; i < gens.size(); ++i) {
        const auto& g = gens[i];
        std::vector<std::pair<double, double>> pts;
        for (double x = 1; x <= 1e5 * 1.0001; x *= 1.12)
            pts.push_back({x, tpu::attainableTops(g, x)});
        const bool on = g.name == sel.name;
        const Color c = pal.category(i);
        const std::uint32_t id = kGenId + static_cast<std::uint32_t>(i);
        pf.plotLine(dl, pts, on ? c : c.withAlpha(0.45f), on ? 3.5f : 1.5f, id);
        const double ridge = tpu::ridgeOpsPerByte(g);
        const Vec2 rp = pf.map(ridge, tpu::peakTopsFromArray(g));
        dl.circle(rp, on ? 6.0f : 3.5f, c, kNoColor, 1, id);
        labels.push_back({pf.map(1e5, tpu::peakTopsFromArray(g)).y, i});
        ObjectInfo info;
        info.title = g.name;
        info.facts = {{tr2(L, "peak", "峰值"), fmtNum(tpu::peakTopsFromArray(g), 1) + " TOPS"},
                      {tr2(L, "bandwidth", "带宽"), fmtNum(g.memGBs, 0) + " GB/s"},
                      {tr2(L, "ridge", "屋脊点"), fmtNum(ridge, 0) + " ops/B"}};
        sc.objects[id] = std::move(info);
    }
    // Roof labels at the right end, pushed apart where two roofs are close.
    std::sort(labels.begin(), labels.end());
    for (std::size_t j = 1; j < labels.size(); ++j)
        labels[j].first = std::max(labels[j].first, labels[j - 1].first + 16);
    for (const auto& [y, i] : labels)
        dl.text({pf.area().x + pf.area().w + 8, y}, gens[i].name, pal.category(i), 13, HAlign::Left,
                VAlign::Middle, kGenId + static_cast<std::uint32_t>(i))
            .bold = gens[i].name == sel.name;
    // The MLP layer's operating point on the selected chip (int8 on v1, 2-byte BF16 after).
    const int bytes = sel.name == "TPUv1" || sel.name == "TPUv4i" ? 1 : 2;
    const MlpPoint p = mlpLayer(m_batch, 2048, bytes);
    const double att = tpu::attainableTops(sel, p.intensity());
    const Vec2 pp = pf.map(p.intensity(), att);
    dl.circle(pp, 8, pal.bad, pal.background, 2);
    const double ridge = tpu::ridgeOpsPerByte(sel);
    const bool memBound = p.intensity() < ridge;
    const std::vector<FactRow> rows = {
        {tr2(L, "chip", "芯片"), sel.name},
        {tr2(L, "peak (from the MXUs)", "峰值（由 MXU 推算）"),
         fmtNum(tpu::peakTopsFromArray(sel), 1) + " TOPS"},
        {tr2(L, "DRAM bandwidth", "DRAM 带宽"), fmtNum(sel.memGBs, 0) + " GB/s"},
        {tr2(L, "ridge point", "屋脊点"), fmtNum(ridge, 0) + " ops/B"},
        {tr2(L, "MLP layer 2048×2048, batch", "MLP 层 2048×2048，批大小"), std::to_string(m_batch)},
        {tr2(L, "  DRAM traffic (weights only)", "  DRAM 流量（仅权重）"),
         fmtBytes(p.bytes) + " (" + std::to_string(bytes) + " B/w)"},
        {tr2(L, "  intensity", "  运算强度"), fmtNum(p.intensity(), 1) + " ops/B"},
        {tr2(L, "  attainable", "  可达性能"), fmtNum(att, 2) + " TOPS"},
        {tr2(L, "  bound by", "  瓶颈"),
         memBound ? tr2(L, "memory bandwidth", "内存带宽") : tr2(L, "compute", "计算")},
        {tr2(L, "batch to reach the ridge", "达到屋脊点所需批大小"),
         "2·B / " + std::to_string(bytes) + " = " + fmtNum(ridge, 0) + " → B ≈ " +
             fmtNum(std::ceil(ridge * bytes / 2), 0)},
    };
    drawFactTable(dl, {820, 80}, rows, pal, 14, 230);
    sc.caption = tr2(L,
                     "Roofline: below the ridge the chip waits for DRAM; a bigger batch reuses "
                     "each weight more often",
                     "屋顶线：屋脊点左侧芯片在等 DRAM；更大的批次让每个权重被重复使用更多次");
    sc.legend = {{pal.bad, tr2(L, "MLP layer at this batch", "该批大小下的 MLP 层")}};
    return sc;
}

Scene TpuV1Run::table(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const std::vector<std::string> head = {tr2(L, "chip", "芯片"),
                                           tr2(L, "node", "工艺"),
                                           tr2(L, "die mm²", "面积 mm²"),
                                           tr2(L, "on-chip MB", "片上 MB"),
                                           "MHz",
                                           tr2(L, "memory", "内存"),
                                           "GB/s",
                                           tr2(L, "power W", "功耗 W"),
                                           tr2(L, "MXUs", "MXU"),
                                           tr2(L, "TOPS (pub.)", "TOPS（公布）"),
                                           tr2(L, "TOPS (MXUs)", "TOPS（推算）"),
                                           tr2(L, "ridge ops/B", "屋脊 ops/B")};
    const std::vector<float> colX = {30, 120, 190, 270, 360, 430, 560, 630, 700, 800, 920, 1040};
    const float y0 = 70, rowH = 40;
    for (std::size_t c = 0; c < head.size(); ++c)
        dl.text({colX[c], y0}, head[c], pal.muted, 13).bold = true;
    dl.line({20, y0 + 24}, {1140, y0 + 24}, pal.panelBorder, 1);
    const auto& gens = tpu::tpuGenerations();
    for (std::size_t i = 0; i < gens.size(); ++i) {
        const auto& g = gens[i];
        const float y = y0 + 36 + i * rowH;
        const std::uint32_t id = kGenId + static_cast<std::uint32_t>(i);
        if (g.name == m_gen)
            dl.box({20, y - 8, 1120, rowH - 4}, pal.highlight.withAlpha(0.6f), kNoColor, 4);
        const std::vector<std::string> cells = {
            g.name,
            std::to_string(g.nodeNm) + " nm",
            std::to_string(g.dieMm2),
            std::to_string(g.onChipMB),
            std::to_string(g.clockMHz),
            g.memory,
            fmtNum(g.memGBs, 0),
            std::to_string(g.powerW) + (g.powerIsMean ? "*" : ""),
            std::to_string(g.mxusPerChip) + "×" + std::to_string(g.mxuDim) + "²",
            g.peakTops > 0 ? fmtNum(g.peakTops, 0) : "—",
            fmtNum(tpu::peakTopsFromArray(g), 1),
            fmtNum(tpu::ridgeOpsPerByte(g), 0)};
        for (std::size_t c = 0; c < cells.size(); ++c)
            dl.text({colX[c], y}, cells[c], c == 0 ? pal.category(i) : pal.foreground, 14,
                    HAlign::Left, VAlign::Top, id)
                .bold = c == 0;
        ObjectInfo info;
        info.title = g.name;
        info.facts = {{tr2(L, "data type", "数据类型"), g.dataType},
                      {tr2(L, "used for", "用途"), g.useCase == "training"
                                                       ? tr2(L, "training", "训练")
                                                       : tr2(L, "inference", "推理")},
                      {tr2(L, "peak", "峰值"), std::to_string(g.mxusPerChip) + " × " +
                                                   std::to_string(g.mxuDim) + "² × 2 × " +
                                                   std::to_string(g.clockMHz) + " MHz"}};
        sc.objects[id] = std::move(info);
    }
    float y = y0 + 36 + gens.size() * rowH + 20;
    const std::vector<std::string> notes = {
        tr2(L, "TOPS (MXUs) = MXUs × dim² MACs × 2 ops × clock: it reproduces the published peaks.",
            "TOPS（推算）= MXU 数 × 边长² 个 MAC × 2 × 频率：与公布的峰值一致。"),
        tr2(L,
            "TPUv1: 75 W TDP and 34 GB/s of DDR3 (the course also quotes 40 W, and its table "
            "lists 300 GB/s; the TDP and the bandwidth of its text are used here).",
            "TPUv1：TDP 75 W，DDR3 带宽 34 GB/s（课程另有 40 W 的说法，其表格写 300 GB/s；"
            "此处采用 TDP 与正文中的带宽）。"),
        tr2(L,
            "From v2 on: BF16 multiply, FP32 accumulate, HBM — training chips; v4i is the "
            "inference "
            "sibling of v4.",
            "从 v2 起：BF16 乘法、FP32 累加、HBM——训练芯片；v4i 是 v4 的推理版本。"),
        tr2(L, "v2 text gives 600 GB/s, its table 700 GB/s (used here).",
            "v2 的正文写 600 GB/s，表格写 700 GB/s（此处采用后者）。"),
        tr2(L,
            "Power: TDP, except * TPUv4: measured mean 170 W (max 192 W), the figure behind "
            "275 / 170 = 1.62 TFLOPS/W.",
            "功耗：热设计功耗（TDP），* TPUv4 除外：实测平均 170 W（最高 192 W），"
            "275 / 170 = 1.62 TFLOPS/W 用的就是它。"),
        tr2(L,
            "Sources: v1–v4i Jouppi et al. ISCA 2021 Table 1 (v1 also ISCA 2017 Table 2); "
            "v4 Jouppi et al. ISCA 2023.",
            "来源：v1–v4i 见 Jouppi 等 ISCA 2021 表 1（v1 另见 ISCA 2017 表 2）；"
            "v4 见 Jouppi 等 ISCA 2023。")};
    for (const auto& n : notes) {
        dl.text({30, y}, n, pal.muted, 13);
        y += 22;
    }
    sc.caption = tr2(L, "Five TPU generations: the MXU count and clock explain every peak",
                     "五代 TPU：MXU 数量与频率解释了每一代的峰值");
    return sc;
}

} // namespace

LocalText TpuV1Lab::title() const {
    return {"TPUv1 and the TPU generations", "TPUv1 与历代 TPU"};
}

std::vector<ParamSpec> TpuV1Lab::params() const {
    return {
        {"gen",
         ParamType::Choice,
         {"TPU generation", "TPU 代次"},
         0,
         0,
         {"TPUv1", "TPUv2", "TPUv3", "TPUv4i", "TPUv4"},
         std::string("TPUv1")},
        {"batch", ParamType::Int, {"MLP batch size", "MLP 批大小"}, 1, 8192, {}, std::int64_t{16}},
        {"highlight",
         ParamType::Choice,
         {"highlight", "突出显示"},
         0,
         0,
         {"none", "numbers"},
         std::string("none")},
    };
}

std::unique_ptr<LabRun> TpuV1Lab::run(const ParamSet& p) const {
    const std::string gen = p.getString("gen", "TPUv1");
    tpu::tpuGeneration(gen); // throws for an unknown name
    return std::make_unique<TpuV1Run>(gen, static_cast<int>(p.getInt("batch", 16)),
                                      p.getString("highlight", "none") == "numbers");
}

} // namespace aisys::lessons
