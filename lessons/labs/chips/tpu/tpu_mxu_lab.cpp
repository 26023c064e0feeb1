// Lab "tpu-mxu": TPUv2/v3's BF16 and the choice of 128×128 MXUs, with utilization of 1×256²,
// 4×128² and 16×64² computed by the systolic-array model on sample layers.
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/chips/tpu/mxu.h"
#include "lessons/labs/chips/tpu/tpu_labs.h"

#include <cmath>

namespace aisys::lessons {

using namespace viz;

namespace {

constexpr std::uint32_t kBarId = 500; // + layer · 8 + config

std::string valueStr(double v) {
    if (std::isinf(v))
        return v > 0 ? "+inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

class MxuRun : public LabRun {
public:
    MxuRun(int batch, double value) : m_batch(batch), m_value(value), m_res(evaluateMxus(batch)) {}
    std::vector<Phase> phases() const override {
        return {{"bf16", 1}, {"layers", 1}, {"summary", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        return frame == 0 ? formats(opt) : frame == 1 ? layers(opt) : summary(opt);
    }

private:
    Scene formats(const DrawOptions& opt) const;
    Scene layers(const DrawOptions& opt) const;
    Scene summary(const DrawOptions& opt) const;
    int m_batch;
    double m_value;
    std::vector<MxuLayerResult> m_res;
};

Scene MxuRun::formats(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const float bit = 26, x0 = 150;
    float y = 80;
    const Color signC = pal.category(3), expC = pal.category(0), manC = pal.category(2);
    dl.text({x0, y - 30}, tr2(L, "sign | exponent | mantissa", "符号 | 指数 | 尾数"), pal.muted,
            13);
    for (const auto& f : floatFormats()) {
        dl.text({x0 - 20, y + bit / 2}, f.name, pal.foreground, 16, HAlign::Right, VAlign::Middle)
            .bold = true;
        const int total = 1 + f.exponent + f.mantissa;
        for (int b = 0; b < total; ++b) {
            const Color c = b == 0 ? signC : b <= f.exponent ? expC : manC;
            dl.box({x0 + b * 18.0f, y, 15, bit}, mix(pal.background, c, 0.75f), kNoColor, 2);
        }
        const float rx = x0 + 32 * 18.0f + 24;
        const double r = f.roundTo(m_value);
        const double mul = (f.mantissa + 1.0) * (f.mantissa + 1.0);
        dl.text({rx, y + 2},
                std::to_string(f.exponent) + tr2(L, " exp bits, ", " 位指数，") +
                    std::to_string(f.mantissa) + tr2(L, " mantissa bits", " 位尾数"),
                pal.foreground, 13);
        dl.text({rx, y + 20},
                tr2(L, "max ", "最大 ") + fmtSci(f.maxValue(), 3) + tr2(L, " · ε ", " · ε ") +
                    fmtSci(f.epsilon(), 2) + tr2(L, " · multiplier ∝ ", " · 乘法器 ∝ ") +
                    fmtNum(mul, 0),
                pal.muted, 12);
        dl.text({rx + 430, y + 10}, valueStr(r), std::isinf(r) ? pal.bad : pal.foreground, 15,
                HAlign::Left, VAlign::Middle)
            .bold = true;
        y += 80;
    }
    dl.text({x0 + 32 * 18.0f + 454, 50},
            std::string(tr2(L, "x = ", "x = ")) + valueStr(m_value) +
                tr2(L, " stored as", " 存储为"),
            pal.muted, 13);
    const auto fm = floatFormats();
    const std::vector<FactRow> rows = {
        {tr2(L, "BF16 = the top half of FP32", "BF16 = FP32 的高 16 位"),
         tr2(L, "same 8-bit exponent: same range, no loss scaling",
             "指数同为 8 位：范围相同，无需损失缩放")},
        {tr2(L, "FP16 overflows above", "FP16 上溢阈值"), fmtNum(fm[1].maxValue(), 0)},
        {tr2(L, "multiplier area ~ (mantissa+1)²", "乘法器面积 ~（尾数+1）²"),
         "FP32 576 : FP16 121 : BF16 64"},
        {tr2(L, "TPUv2/v3 MXU", "TPUv2/v3 MXU"),
         tr2(L, "BF16 × BF16 products, FP32 accumulation", "BF16 × BF16 乘积，FP32 累加")},
        {tr2(L, "course: vs FP16", "课程：相对 FP16"),
         tr2(L, "~1.5× energy efficiency", "能效约 1.5 倍")},
    };
    drawFactTable(dl, {40, y + 10}, rows, pal, 14, 300);
    sc.caption = tr2(L,
                     "BF16 keeps FP32's range with fewer mantissa bits: cheap multipliers, no "
                     "loss scaling",
                     "BF16 保留 FP32 的数值范围、减少尾数位：乘法器便宜，无需损失缩放");
    sc.legend = {{signC, tr2(L, "sign", "符号")},
                 {expC, tr2(L, "exponent", "指数")},
                 {manC, tr2(L, "mantissa", "尾数")}};
    return sc;
}

Scene MxuRun::layers(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const auto cfgs = tpuStudyConfigs();
    const float x0 = 200, y0 = 70, rowH = 62, barH = 16, scale = 6.0f; // 100 % = 600
    for (int p = 0; p <= 100; p += 20) {
        const float x = x0 + p * scale;
        dl.line({x, y0 - 6}, {x, y0 + m_res.size() * rowH}, pal.grid, 1).layer = -1;
        dl.text({x, y0 - 10}, std::to_string(p) + " %", pal.muted, 11, HAlign::Center,
                VAlign::Bottom);
    }
    for (std::size_t i = 0; i < m_res.size(); ++i) {
        const auto& r = m_res[i];
        const float y = y0 + i * rowH + 4;
        dl.text({x0 - 12, y + 8}, r.name, pal.foreground, 13, HAlign::Right, VAlign::Middle).bold =
            true;
        dl.text({x0 - 12, y + 28},
                "M×K×N " + std::to_string(r.gemm.M) + "×" + std::to_string(r.gemm.K) + "×" +
                    std::to_string(r.gemm.N),
                pal.muted, 11, HAlign::Right, VAlign::Middle);
        for (std::size_t c = 0; c < cfgs.size(); ++c) {
            const float by = y + c * (barH + 1);
            const float w = static_cast<float>(r.utilization[c]) * scale;
            const std::uint32_t id = kBarId + static_cast<std::uint32_t>(i * 8 + c);
            dl.box({x0, by, std::max(1.0f, w), barH}, pal.category(c), kNoColor, 0, 1, id);
            dl.text({x0 + w + 6, by + barH / 2}, fmtNum(r.utilization[c], 1) + " %", pal.foreground,
                    11, HAlign::Left, VAlign::Middle, id);
            ObjectInfo info;
            info.title = r.name + " · " + cfgs[c].label();
            info.facts = {{tr2(L, "cycles", "周期"), std::to_string(r.cycles[c])},
                          {tr2(L, "utilization", "利用率"), fmtNum(r.utilization[c], 2) + " %"}};
            sc.objects[id] = std::move(info);
        }
    }
    sc.caption = std::string(tr2(L, "Utilization of 65 536 MACs arranged three ways, batch ",
                                 "65 536 个 MAC 的三种排布的利用率，批大小 ")) +
                 std::to_string(m_batch) + tr2(L, " (weight-stationary model)", "（权重固定模型）");
    for (std::size_t c = 0; c < cfgs.size(); ++c)
        sc.legend.push_back({pal.category(c), cfgs[c].label()});
    return sc;
}

Scene MxuRun::summary(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const auto cfgs = tpuStudyConfigs();
    const float x0 = 60, y0 = 80;
    const std::vector<std::string> course = {"22–30 %", "37–48 %", "38–52 %"};
    const std::vector<std::string> head = {tr2(L, "MXUs", "MXU 排布"),
                                           tr2(L, "mean here", "此处平均"),
                                           tr2(L, "min … max here", "此处最小…最大"),
                                           tr2(L, "course (TPUv2 study)", "课程（TPUv2 研究）"),
                                           tr2(L, "wiring / area", "连线 / 面积")};
    const std::vector<std::string> area = {
        tr2(L, "1 array: least", "1 个阵列：最少"),
        tr2(L, "4 arrays: 128² size chosen", "4 个阵列：选定 128² 尺寸"),
        tr2(L, "16 arrays: more area", "16 个阵列：面积更大")};
    const std::vector<float> colX = {x0, x0 + 140, x0 + 290, x0 + 470, x0 + 700};
    for (std::size_t c = 0; c < head.size(); ++c)
        dl.text({colX[c], y0}, head[c], pal.muted, 14).bold = true;
    for (std::size_t c = 0; c < cfgs.size(); ++c) {
        double sum = 0, lo = 1e9, hi = 0;
        for (const auto& r : m_res) {
            sum += r.utilization[c];
            lo = std::min(lo, r.utilization[c]);
            hi = std::max(hi, r.utilization[c]);
        }
        const float y = y0 + 36 + c * 36;
        dl.box({x0 - 10, y - 6, 12, 12}, pal.category(c));
        dl.text({colX[0] + 10, y - 8}, cfgs[c].label(), pal.foreground, 15).bold = true;
        dl.text({colX[1], y - 8}, fmtNum(sum / m_res.size(), 1) + " %", pal.foreground, 15).bold =
            true;
        dl.text({colX[2], y - 8}, fmtNum(lo, 1) + " … " + fmtNum(hi, 1) + " %", pal.foreground, 14);
        dl.text({colX[3], y - 8}, course[c], pal.muted, 14);
        dl.text({colX[4], y - 8}, area[c], pal.muted, 14);
    }
    const std::vector<std::string> notes = {
        tr2(L,
            "Why smaller arrays win: a fold costs 2R + C + T − 2 cycles, so a 256-deep array pays "
            "512 cycles of fill for every weight tile,",
            "小阵列为何更好：每个折叠耗时 2R + C + T − 2 周期，256 深的阵列每换一次权重块就要付出 "
            "512 "
            "个周期的填充，"),
        tr2(L, "and a layer with K or N not a multiple of 256 leaves whole rows or columns idle.",
            "而 K 或 N 不是 256 倍数的层会让整行整列的 PE 闲置。"),
        tr2(L,
            "Four 128² MXUs work on four folds at once; 64² arrays would be even better used, but "
            "cost more wiring and area.",
            "四个 128² 的 MXU 同时处理四个折叠；64² 阵列利用率更高，但连线和面积开销更大。"),
        tr2(L,
            "TPUv2: 2 cores × 1 MXU at 700 MHz = 46 TFLOPS; TPUv3: 2 cores × 2 MXUs at 940 MHz = "
            "123 TFLOPS (Jouppi et al., CACM 2020).",
            "TPUv2：2 个核 × 1 个 MXU，700 MHz = 46 TFLOPS；TPUv3：2 个核 × 2 个 MXU，940 MHz = "
            "123 TFLOPS（Jouppi 等，CACM 2020）。")};
    float y = y0 + 36 + 3 * 36 + 30;
    for (const auto& n : notes) {
        dl.text({x0, y}, n, pal.muted, 13);
        y += 22;
    }
    sc.caption = tr2(L, "Same MACs, different shapes: mean utilization over the sample layers",
                     "MAC 数相同、形状不同：各示例层的平均利用率");
    return sc;
}

} // namespace

LocalText TpuMxuLab::title() const {
    return {"TPUv2/v3 MXUs and BF16", "TPUv2/v3 的 MXU 与 BF16"};
}

std::vector<ParamSpec> TpuMxuLab::params() const {
    return {
        {"batch", ParamType::Int, {"batch size", "批大小"}, 1, 256, {}, std::int64_t{8}},
        {"value",
         ParamType::Float,
         {"value x to store", "要存储的数 x"},
         -1e6,
         1e6,
         {},
         3.14159265},
    };
}

std::unique_ptr<LabRun> TpuMxuLab::run(const ParamSet& p) const {
    return std::make_unique<MxuRun>(static_cast<int>(p.getInt("batch", 8)),
                                    p.getFloat("value", 3.14159265));
}

} // namespace aisys::lessons
