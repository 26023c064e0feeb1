// Lab "tensor-core": the tiling of one GEMM onto Tensor Cores, one fragment's per-clock MMAs,
// and the peak of every generation recomputed from the device files.
#include "lessons/labs/chips/tensor_core/tensor_core_lab.h"

#include "engine/hw/gpu/tensor_core.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/devices/device_files.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace aisys::lessons {

using namespace viz;
namespace hw = engine::hw;
namespace gpu = engine::hw::gpu;

namespace {

constexpr std::uint32_t kBlockId = 100;
constexpr std::uint32_t kGenId = 200; // + generation

struct GenRow {
    const gpu::TensorCoreGen* gen;
    const hw::Device* device = nullptr; // into Setup::catalog
    double clock = 0, peak = 0;
};

struct Setup {
    const gpu::TensorCoreGen* gen = nullptr;
    long long M = 0, N = 0, K = 0;
    gpu::TcTiling tiling;
    gpu::TcPlan plan;
    int checkM = 0, checkN = 0, checkK = 0; ///< the shape the tiled product is checked on
    double maxError = 0;
    DeviceCatalog catalog;
    std::vector<GenRow> gens;
};

std::string shape(long long a, long long b, long long c) {
    return std::to_string(a) + "×" + std::to_string(b) + "×" + std::to_string(c);
}

class TcRun : public LabRun {
public:
    explicit TcRun(Setup s) : m(std::move(s)) {}
    int slices() const { return 16 / m.gen->k; }
    std::vector<Phase> phases() const override {
        return {{"tiling", 1}, {"fragment", slices()}, {"generations", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        if (frame == 0)
            return tiling(opt);
        if (frame <= slices())
            return fragment(frame - 1, opt);
        return generations(opt);
    }

private:
    Scene tiling(const DrawOptions& opt) const;
    Scene fragment(int slice, const DrawOptions& opt) const;
    Scene generations(const DrawOptions& opt) const;
    Setup m;
};

Scene TcRun::tiling(const DrawOptions& opt) const {
    // C drawn to scale (padded to whole block tiles): the block grid, block (0,0)'s warp tiles,
    // warp (0,0)'s 16×16 fragments; the real M×N in the corner, the padding hatched light.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const gpu::TcPlan& p = m.plan;
    const gpu::TcTiling& t = m.tiling;
    const double padM = double(p.gridM) * t.blockM, padN = double(p.gridN) * t.blockN;
    const float side = 420, x0 = 60, y0 = 70;
    const float scale = float(side / std::max(padM, padN));
    const float W = float(padN) * scale, H = float(padM) * scale;
    dl.box({x0, y0, W, H}, mix(pal.background, pal.muted, 0.15f), pal.muted, 0, 1);
    dl.box({x0, y0, float(m.N) * scale, float(m.M) * scale},
           mix(pal.background, pal.category(0), 0.25f), pal.category(0), 0, 1.5f);
    const int maxLines = 64;
    for (long long b = 1; b < p.gridN && b < maxLines; ++b)
        dl.line({x0 + b * t.blockN * scale, y0}, {x0 + b * t.blockN * scale, y0 + H}, pal.muted, 1);
    for (long long b = 1; b < p.gridM && b < maxLines; ++b)
        dl.line({x0, y0 + b * t.blockM * scale}, {x0 + W, y0 + b * t.blockM * scale}, pal.muted, 1);
    // Block (0,0): warp tiles; warp (0,0): fragments.
    const float bw = t.blockN * scale, bh = t.blockM * scale;
    dl.box({x0, y0, bw, bh}, kNoColor, pal.accent, 0, 2.5f, kBlockId);
    for (int w = 1; w < t.blockN / t.warpN; ++w)
        dl.line({x0 + w * t.warpN * scale, y0}, {x0 + w * t.warpN * scale, y0 + bh}, pal.accent, 1);
    for (int w = 1; w < t.blockM / t.warpM; ++w)
        dl.line({x0, y0 + w * t.warpM * scale}, {x0 + bw, y0 + w * t.warpM * scale}, pal.accent, 1);
    const float fs = 16 * scale;
    if (fs >= 3)
        for (int i = 0; i < t.warpM / 16; ++i)
            for (int j = 0; j < t.warpN / 16; ++j)
                dl.box({x0 + j * fs + 0.5f, y0 + i * fs + 0.5f, fs - 1, fs - 1},
                       pal.category(1).withAlpha(0.6f), kNoColor, 0, 1, kBlockId);
    dl.text({x0, y0 - 8},
            "C " + std::to_string(m.M) + "×" + std::to_string(m.N) +
                tr2(L, " (padded ", "（填充到 ") + std::to_string(long(padM)) + "×" +
                std::to_string(long(padN)) + tr2(L, ")", "）"),
            pal.foreground, 13, HAlign::Left, VAlign::Bottom);
    ObjectInfo info;
    info.title = tr2(L, "thread block (0, 0)", "线程块 (0, 0)");
    info.facts = {{tr2(L, "block tile", "线程块分块"), shape(t.blockM, t.blockN, t.blockK)},
                  {tr2(L, "warp tile", "warp 分块"),
                   std::to_string(t.warpM) + "×" + std::to_string(t.warpN)}};
    sc.objects[kBlockId] = std::move(info);
    const std::vector<FactRow> facts = {
        {tr2(L, "GEMM M×N×K", "GEMM M×N×K"), shape(m.M, m.N, m.K)},
        {tr2(L, "generation", "代际"), m.gen->architecture},
        {tr2(L, "thread blocks", "线程块"),
         std::to_string(p.gridM) + " × " + std::to_string(p.gridN) +
             tr2(L, ", K steps ", "，K 步 ") + std::to_string(p.kSteps)},
        {tr2(L, "warps per block", "每块 warp"), std::to_string(p.warpsPerBlock)},
        {tr2(L, "fragments per warp", "每 warp 片段"), std::to_string(p.fragmentsPerWarp)},
        {tr2(L, "mma_sync calls", "mma_sync 次数"), std::to_string(p.mmaSync)},
        {tr2(L, "padded to 16 only", "只填充到 16"), std::to_string(p.mmaMinimal)},
        {tr2(L, "padding waste", "填充浪费"), fmtNum(100 * p.paddingWaste, 2) + " %"},
        {tr2(L, "clocks per mma_sync", "每次 mma_sync 周期"), std::to_string(p.clocksPerMma)},
        {tr2(L, "Tensor Core clocks", "Tensor Core 周期"), std::to_string(p.tensorCoreClocks)},
        {tr2(L, "tiled = reference on", "分块结果 = 参考结果，规模"),
         shape(m.checkM, m.checkN, m.checkK) + tr2(L, ", max error ", "，最大误差 ") +
             fmtSci(m.maxError, 2)},
    };
    drawFactTable(dl, {x0 + side + 60, y0}, facts, pal, 14, 230);
    sc.caption = tr2(L, "Tiling: thread block → warp → 16×16×16 fragment (mma_sync)",
                     "分块：线程块 → warp → 16×16×16 片段（mma_sync）");
    sc.legend = {
        {pal.category(0), tr2(L, "the real M×N", "实际的 M×N")},
        {pal.accent, tr2(L, "thread block (0, 0) and its warps", "线程块 (0, 0) 及其 warp")},
        {pal.category(1), tr2(L, "16×16 fragments of warp (0, 0)", "warp (0, 0) 的 16×16 片段")}};
    return sc;
}

Scene TcRun::fragment(int slice, const DrawOptions& opt) const {
    // A (16×16), B (16×16) and the accumulator (16×16): the K slice [k0, k0 + k) of A and B in
    // colour; the accumulator cut into m×n tiles, each one per-clock m×n×k MMA of this slice.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const gpu::TensorCoreGen& g = *m.gen;
    const float c = 14, y0 = 90, ax = 60, bx = ax + 16 * c + 60, dx = bx + 16 * c + 60;
    const int k0 = slice * g.k;
    auto grid = [&](float x, const char* name, auto colour) {
        dl.text({x, y0 - 10}, name, pal.foreground, 14, HAlign::Left, VAlign::Bottom).bold = true;
        for (int i = 0; i < 16; ++i)
            for (int j = 0; j < 16; ++j)
                dl.box({x + j * c, y0 + i * c, c - 1, c - 1}, colour(i, j), kNoColor);
    };
    const Color dim = mix(pal.background, pal.muted, 0.15f);
    grid(ax, "A 16×16 (FP16)",
         [&](int, int j) { return j >= k0 && j < k0 + g.k ? pal.category(0) : dim; });
    grid(bx, "B 16×16 (FP16)",
         [&](int i, int) { return i >= k0 && i < k0 + g.k ? pal.category(0) : dim; });
    grid(dx, tr2(L, "C/D 16×16 (FP32 accumulate)", "C/D 16×16（FP32 累加）"), [&](int i, int j) {
        const int tile = (i / g.m) * (16 / g.n) + j / g.n;
        return pal.category(1 + tile % 6).withAlpha(0.75f);
    });
    for (int i = 0; i <= 16; i += g.m)
        dl.line({dx, y0 + i * c}, {dx + 16 * c, y0 + i * c}, pal.foreground, 1.5f);
    for (int j = 0; j <= 16; j += g.n)
        dl.line({dx + j * c, y0}, {dx + j * c, y0 + 16 * c}, pal.foreground, 1.5f);
    dl.text({bx - 30, y0 + 8 * c}, "×", pal.foreground, 22, HAlign::Center, VAlign::Middle);
    dl.text({dx - 30, y0 + 8 * c}, "→", pal.foreground, 22, HAlign::Center, VAlign::Middle);
    const int tiles = (16 / g.m) * (16 / g.n);
    const std::vector<FactRow> facts = {
        {tr2(L, "per-clock MMA", "每周期 MMA"),
         shape(g.m, g.n, g.k) + " = " + std::to_string(g.fmaPerClock) + " FMA" +
             (g.shapePublished ? "" : tr2(L, " (shape not published)", "（形状未公布）"))},
        {tr2(L, "K slice", "K 切片"), std::to_string(k0) + " … " + std::to_string(k0 + g.k - 1) +
                                          " (" + std::to_string(slice + 1) + " / " +
                                          std::to_string(slices()) + ")"},
        {tr2(L, "MMAs in this slice", "本切片的 MMA"), std::to_string(tiles)},
        {tr2(L, "per-clock MMAs per fragment", "每片段的每周期 MMA"),
         std::to_string(m.plan.perClockOps) + " = 4096 / " + std::to_string(g.fmaPerClock)},
        {tr2(L, "clocks per mma_sync on one Tensor Core", "单个 Tensor Core 上每次 mma_sync 周期"),
         std::to_string(m.plan.clocksPerMma)},
    };
    drawFactTable(dl, {ax, y0 + 16 * c + 40}, facts, pal, 14, 330);
    sc.caption = tr2(L, "One 16×16×16 fragment as the Tensor Core's per-clock MMAs",
                     "一个 16×16×16 片段拆成 Tensor Core 的每周期 MMA");
    sc.legend = {{pal.category(0), tr2(L, "the K slice multiplied now", "当前相乘的 K 切片")}};
    return sc;
}

Scene TcRun::generations(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    double maxPeak = 1;
    for (const GenRow& r : m.gens)
        maxPeak = std::max(maxPeak, r.peak);
    const float x0 = 200, y0 = 70, w = 360, h = 30;
    for (std::size_t i = 0; i < m.gens.size(); ++i) {
        const GenRow& r = m.gens[i];
        const float y = y0 + float(i) * 70;
        const auto id = kGenId + static_cast<std::uint32_t>(i);
        const bool chosen = r.gen == m.gen;
        dl.text({x0 - 12, y + h / 2},
                tr2(L, "gen ", "第 ") + std::to_string(r.gen->generation) + tr2(L, " ", " 代 ") +
                    r.gen->architecture,
                chosen ? pal.accent : pal.foreground, 13, HAlign::Right, VAlign::Middle, id)
            .bold = chosen;
        if (r.device) {
            dl.box({x0, y, float(r.peak / maxPeak) * w, h}, pal.category(i), kNoColor, 3, 1, id);
            dl.text({x0 + float(r.peak / maxPeak) * w + 8, y + h / 2},
                    fmtNum(r.peak, 1) + " TFLOPS", pal.foreground, 13, HAlign::Left, VAlign::Middle,
                    id);
            dl.text({x0, y + h + 4},
                    std::to_string(r.device->units) + " SM × " +
                        std::to_string(r.device->tensorCoresPerUnit) + " TC × " +
                        std::to_string(r.gen->fmaPerClock) + " FMA × 2 × " + fmtNum(r.clock, 2) +
                        " GHz (" + r.device->name + ")",
                    pal.muted, 11, HAlign::Left, VAlign::Top, id);
        } else {
            dl.text({x0, y + h / 2},
                    std::to_string(r.gen->fmaPerClock) +
                        tr2(L, " FMA/clock per Tensor Core (no device file)",
                            " FMA/周期/Tensor Core（无设备文件）"),
                    pal.muted, 12, HAlign::Left, VAlign::Middle, id);
        }
        dl.text({x0 + w + 150, y + h / 2},
                tr2(L, "per clock ", "每周期 ") + shape(r.gen->m, r.gen->n, r.gen->k) +
                    (r.gen->shapePublished ? "" : tr2(L, " (same volume)", "（等体积）")),
                pal.muted, 12, HAlign::Left, VAlign::Middle, id);
        ObjectInfo info;
        info.title = r.gen->architecture;
        info.facts = {{tr2(L, "source", "来源"), r.gen->source}};
        sc.objects[id] = std::move(info);
    }
    std::vector<FactRow> perSm;
    for (const GenRow& r : m.gens)
        perSm.push_back(
            {r.gen->architecture + tr2(L, ": FMA per clock per SM", "：每 SM 每周期 FMA"),
             std::to_string(r.gen->tensorCoresPerSm) + " × " + std::to_string(r.gen->fmaPerClock) +
                 " = " + std::to_string(r.gen->tensorCoresPerSm * r.gen->fmaPerClock)});
    drawFactTable(dl, {x0, y0 + float(m.gens.size()) * 70 + 20}, perSm, pal, 14, 330);
    sc.caption = tr2(L, "Peak = SMs × Tensor Cores per SM × FMA per clock × 2 × clock (dense FP16)",
                     "峰值 = SM 数 × 每 SM Tensor Core × 每周期 FMA × 2 × 频率（稠密 FP16）");
    return sc;
}

} // namespace

LocalText TensorCoreLab::title() const {
    return {"Tensor Cores", "Tensor Core"};
}

std::vector<ParamSpec> TensorCoreLab::params() const {
    std::vector<std::string> gens;
    for (const gpu::TensorCoreGen& g : gpu::tensorCoreGens())
        gens.push_back(g.name);
    ParamSpec devices{"devices", ParamType::Text, {"device folder", "设备目录"}, 0, 0,
                      {},        std::string()};
    devices.path = true;
    return {
        devices,
        {"gen", ParamType::Choice, {"generation", "代际"}, 0, 0, gens, std::string("volta")},
        {"M", ParamType::Int, {"M", "M"}, 1, 1 << 16, {}, std::int64_t{256}},
        {"N", ParamType::Int, {"N", "N"}, 1, 1 << 16, {}, std::int64_t{256}},
        {"K", ParamType::Int, {"K", "K"}, 1, 1 << 16, {}, std::int64_t{256}},
        {"blockM",
         ParamType::Int,
         {"block tile M", "线程块分块 M"},
         16,
         256,
         {},
         std::int64_t{128}},
        {"blockN",
         ParamType::Int,
         {"block tile N", "线程块分块 N"},
         16,
         256,
         {},
         std::int64_t{128}},
        {"blockK", ParamType::Int, {"block tile K", "线程块分块 K"}, 16, 256, {}, std::int64_t{32}},
        {"warpM", ParamType::Int, {"warp tile M", "warp 分块 M"}, 16, 256, {}, std::int64_t{64}},
        {"warpN", ParamType::Int, {"warp tile N", "warp 分块 N"}, 16, 256, {}, std::int64_t{64}},
    };
}

std::unique_ptr<LabRun> TensorCoreLab::run(const ParamSet& p) const {
    Setup s;
    s.gen = gpu::findTensorCoreGen(p.getString("gen", "volta"));
    if (!s.gen)
        throw std::invalid_argument("unknown generation '" + p.getString("gen") +
                                    "' (expected one of: " + gpu::tensorCoreGenNames() + ")");
    s.M = p.getInt("M", 256), s.N = p.getInt("N", 256), s.K = p.getInt("K", 256);
    s.tiling.blockM = int(p.getInt("blockM", 128));
    s.tiling.blockN = int(p.getInt("blockN", 128));
    s.tiling.blockK = int(p.getInt("blockK", 32));
    s.tiling.warpM = int(p.getInt("warpM", 64));
    s.tiling.warpN = int(p.getInt("warpN", 64));
    // The peaks: every generation with a device file.
    const std::string dir = p.getString("devices");
    if (dir.empty())
        throw std::invalid_argument("no device folder: set 'devices' to a folder of device files "
                                    "(assets/devices)");
    s.catalog = loadDeviceCatalog({dir, userDeviceDir()});
    const hw::Device* dev = nullptr;
    double clock = 0;
    for (const gpu::TensorCoreGen& g : gpu::tensorCoreGens()) {
        GenRow r{&g};
        if (!g.device.empty())
            r.device = s.catalog.find(g.device);
        if (r.device) {
            const hw::PeakRate* pk = hw::findPeak(*r.device, hw::Precision::Fp16);
            r.clock = pk ? hw::peakClockGHz(*r.device, *pk) : r.device->clockGHz;
            r.peak = gpu::tensorCorePeakTflops(r.device->units, r.device->tensorCoresPerUnit,
                                               g.fmaPerClock, r.clock);
        }
        if (&g == s.gen)
            dev = r.device, clock = r.clock;
        s.gens.push_back(r);
    }
    s.plan = gpu::planTensorCoreGemm(s.M, s.N, s.K, s.tiling, *s.gen, dev ? dev->units : 0, clock);
    if (!s.plan.ok())
        throw std::invalid_argument(s.plan.error);
    // The tiled product against the reference on the GEMM (each side capped at 96).
    s.checkM = int(std::min<long long>(s.M, 96));
    s.checkN = int(std::min<long long>(s.N, 96));
    s.checkK = int(std::min<long long>(s.K, 96));
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(-1, 1);
    auto rnd = [&](int n) {
        std::vector<float> v(n);
        for (float& x : v)
            x = u(rng);
        return v;
    };
    const auto A = rnd(s.checkM * s.checkK), B = rnd(s.checkK * s.checkN),
               C = rnd(s.checkM * s.checkN);
    std::vector<float> D, R;
    gpu::tiledTensorCoreGemm(A, B, C, D, s.checkM, s.checkN, s.checkK, s.tiling, *s.gen);
    gpu::referenceGemm(A, B, C, R, s.checkM, s.checkN, s.checkK);
    for (std::size_t i = 0; i < D.size(); ++i)
        s.maxError = std::max(s.maxError, double(std::fabs(D[i] - R[i])));
    return std::make_unique<TcRun>(std::move(s));
}

} // namespace aisys::lessons
