// Lab "roofline": the roofs of a device per memory level with an operator's point on them, and
// the same operator on every device of the catalogue.
#include "lessons/labs/chips/roofline/roofline_lab.h"

#include "engine/hw/roofline/layer_cost.h"
#include "engine/hw/roofline/roofline.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/devices/device_files.h"
#include "viz/plot.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::lessons {

using namespace viz;
namespace hw = engine::hw;

namespace {

constexpr std::uint32_t kRoofId = 100;   // + memory level
constexpr std::uint32_t kPointId = 200;  // the operator
constexpr std::uint32_t kDeviceId = 300; // + device row

struct Setup {
    hw::Device device;
    std::vector<hw::Device> others; ///< every device of the catalogue (for the second frame)
    hw::Precision precision = hw::Precision::Fp16;
    std::string op, shape;
    hw::LayerCost cost;
    double utilization = 1; ///< share of the compute peak the kernel reaches
    int tasks = 7, pes = 4; ///< the PE-underfill picture: equal tasks spread over PEs
    std::string memory;     ///< the level of the fact table ("" = off-chip)
};

/// The roof with the compute peak scaled by the utilization ("what if the kernel reaches only
/// 60 % of the PEs").
hw::Roof scaled(hw::Roof r, double utilization) {
    r.peakTflops *= utilization;
    return r;
}

class RooflineRun : public LabRun {
public:
    explicit RooflineRun(Setup s) : m(std::move(s)) {}
    std::vector<Phase> phases() const override {
        return {{"roofline", 1}, {"underfill", 1}, {"devices", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        return frame == 0 ? roofline(opt) : frame == 1 ? underfill(opt) : devices(opt);
    }

private:
    Scene roofline(const DrawOptions& opt) const;
    Scene underfill(const DrawOptions& opt) const;
    Scene devices(const DrawOptions& opt) const;
    Setup m;
};

std::string tflops(double t) {
    return fmtNum(t, t < 10 ? 2 : 1) + " TFLOPS";
}

std::string timeText(double s) {
    if (s >= 1e-3)
        return fmtNum(s * 1e3, 3) + " ms";
    return fmtNum(s * 1e6, 2) + " µs";
}

Scene RooflineRun::roofline(const DrawOptions& opt) const {
    // 1. Axes: intensity 0.01 … 1e5 FLOP/B, performance around the peak (log-log). 2. One roof
    //    per memory level with a bandwidth: min(peak, AI × BW), its ridge marked. 3. The
    //    operator's point on the chosen level's roof. 4. The facts of that point.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const hw::Device& d = m.device;
    const hw::RoofResult main = hw::makeRoof(d, m.precision, m.memory);
    const hw::Roof roof = scaled(main.roof, m.utilization);
    const double peak = roof.peakTflops;
    PlotFrame pf({90, 60, 620, 420}, 0.01, 1e5, peak / 1e3, peak * 4, true, true);
    pf.drawAxes(dl, tr2(L, "arithmetic intensity (FLOP per byte)", "计算强度（每字节的 FLOP）"),
                "TFLOPS", pal.foreground, pal.grid, pal.muted);
    std::size_t k = 0;
    for (const hw::MemoryLevel& lvl : d.memory) {
        if (lvl.bandwidthGBs <= 0)
            continue;
        const hw::Roof r = scaled(hw::makeRoof(d, m.precision, lvl.name).roof, m.utilization);
        const bool on = r.memory == roof.memory;
        const Color c = pal.category(k);
        const auto id = kRoofId + static_cast<std::uint32_t>(k++);
        std::vector<std::pair<double, double>> pts;
        for (double x = 0.01; x <= 1e5 * 1.0001; x *= 1.1)
            pts.push_back({x, r.attainableTflops(x)});
        pf.plotLine(dl, pts, on ? c : c.withAlpha(0.5f), on ? 3.0f : 1.5f, id);
        const Vec2 rp = pf.map(r.ridge(), peak);
        dl.circle(rp, on ? 5.0f : 3.5f, c, kNoColor, 1, id);
        dl.text({rp.x - 4, rp.y - 8 - 16.0f * float(k - 1)}, lvl.name + " " + fmtNum(r.ridge(), 1),
                c, 12, HAlign::Right, VAlign::Bottom, id);
        ObjectInfo info;
        info.title = d.name + " · " + lvl.name;
        info.facts = {{tr2(L, "bandwidth", "带宽"), fmtNum(lvl.bandwidthGBs, 0) + " GB/s"},
                      {tr2(L, "ridge", "屋脊点"), fmtNum(r.ridge(), 1) + " FLOP/B"},
                      {tr2(L, "source", "来源"), lvl.source}};
        sc.objects[id] = std::move(info);
    }
    const hw::RooflinePoint p = hw::placeOnRoof(roof, m.cost.flops, m.cost.bytes);
    const Vec2 pp = pf.map(std::clamp(p.intensity, 0.01, 1e5), p.attainableTflops);
    dl.circle(pp, 8, pal.bad, pal.background, 2, kPointId);
    dl.text({pp.x + 10, pp.y + 12}, m.shape, pal.bad, 12, HAlign::Left, VAlign::Top, kPointId);
    const std::vector<FactRow> rows = {
        {tr2(L, "device", "设备"), d.name + " (" + d.fullName + ")"},
        {tr2(L, "peak", "峰值"),
         std::string(hw::precisionName(m.precision)) + " " + tflops(main.roof.peakTflops) +
             (m.utilization < 1 ? " × " + fmtNum(100 * m.utilization, 0) + " %" : "")},
        {roof.memory + tr2(L, " bandwidth", " 带宽"), fmtNum(roof.bandwidthGBs, 0) + " GB/s"},
        {tr2(L, "ridge = peak / bandwidth", "屋脊点 = 峰值 / 带宽"),
         fmtNum(roof.ridge(), 1) + " FLOP/B"},
        {tr2(L, "operator", "算子"), m.shape},
        {tr2(L, "FLOPs", "FLOPs"), fmtSci(m.cost.flops, 3)},
        {tr2(L, "bytes moved", "搬运字节"), fmtBytes(m.cost.bytes)},
        {tr2(L, "intensity", "计算强度"),
         fmtNum(p.intensity, p.intensity < 10 ? 2 : 1) + " FLOP/B"},
        {tr2(L, "bound by", "瓶颈"),
         p.memoryBound ? tr2(L, "memory bandwidth", "内存带宽") : tr2(L, "compute", "计算")},
        {tr2(L, "attainable", "可达性能"), tflops(p.attainableTflops)},
        {tr2(L, "time = max(FLOPs/peak, bytes/BW)", "时间 = max(FLOPs/峰值, 字节/带宽)"),
         timeText(p.seconds)},
    };
    drawFactTable(dl, {790, 70}, rows, pal, 14, 250);
    ObjectInfo info;
    info.title = m.shape;
    info.facts = {{tr2(L, "intensity", "计算强度"), fmtNum(p.intensity, 2) + " FLOP/B"},
                  {tr2(L, "attainable", "可达性能"), tflops(p.attainableTflops)}};
    sc.objects[kPointId] = std::move(info);
    sc.caption = tr2(L, "Roofline: attainable = min(peak, intensity × bandwidth)",
                     "屋顶线：可达性能 = min(峰值, 计算强度 × 带宽)");
    sc.legend = {{pal.bad, tr2(L, "the operator", "该算子")}};
    return sc;
}

Scene RooflineRun::underfill(const DrawOptions& opt) const {
    // The course's "PE shape underfill": T equal tasks on P processing elements take
    // ⌈T/P⌉ rounds; in the last round only T − (rounds − 1)·P PEs work, so the PEs are busy
    // T / (rounds·P) of the time and the compute roof is that share of the peak.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const int T = m.tasks, P = m.pes, rounds = (T + P - 1) / P;
    const double u = double(T) / (double(rounds) * P);
    const float cell = std::min(44.0f, 640.0f / float(std::max(P, rounds))), x0 = 150, y0 = 80;
    for (int p = 0; p < P; ++p)
        dl.text({x0 + p * cell + cell / 2, y0 - 8}, "PE " + std::to_string(p), pal.muted,
                cell > 30 ? 12.0f : 9.0f, HAlign::Center, VAlign::Bottom);
    for (int r = 0; r < rounds; ++r) {
        dl.text({x0 - 12, y0 + r * cell + cell / 2},
                tr2(L, "round ", "第 ") + std::to_string(r + 1) + tr2(L, "", " 轮"), pal.muted, 12,
                HAlign::Right, VAlign::Middle);
        for (int p = 0; p < P; ++p) {
            const int task = r * P + p;
            const bool busy = task < T;
            const Rect box{x0 + p * cell, y0 + r * cell, cell - 4, cell - 4};
            dl.box(box, busy ? pal.category(0) : mix(pal.background, pal.muted, 0.15f),
                   busy ? kNoColor : pal.muted, 3, 1);
            if (cell > 24)
                dl.text({box.x + box.w / 2, box.y + box.h / 2},
                        busy ? "t" + std::to_string(task) : tr2(L, "idle", "空闲"),
                        busy ? textOn(pal.category(0)) : pal.muted, 11, HAlign::Center,
                        VAlign::Middle);
        }
    }
    const hw::Roof roof = hw::makeRoof(m.device, m.precision, m.memory).roof;
    const std::vector<FactRow> rows = {
        {tr2(L, "tasks / PEs", "任务 / PE"), std::to_string(T) + " / " + std::to_string(P)},
        {tr2(L, "rounds = ⌈tasks / PEs⌉", "轮数 = ⌈任务 / PE⌉"), std::to_string(rounds)},
        {tr2(L, "PE utilization = tasks / (rounds × PEs)", "PE 利用率 = 任务 / (轮数 × PE)"),
         fmtNum(100 * u, 1) + " %"},
        {tr2(L, "compute roof", "计算屋顶"), tflops(roof.peakTflops) + " × " + fmtNum(100 * u, 1) +
                                                 " % = " + tflops(roof.peakTflops * u)},
        {tr2(L, "ridge moves to", "屋脊点移到"), fmtNum(roof.ridge() * u, 1) + " FLOP/B"},
    };
    drawFactTable(dl, {x0, y0 + rounds * cell + 30}, rows, pal, 14, 300);
    sc.caption = tr2(L, "PE underfill: tasks that do not fill the last round leave PEs idle",
                     "PE 填充不足：最后一轮填不满时 PE 空闲");
    sc.legend = {{pal.category(0), tr2(L, "busy PE", "忙碌的 PE")},
                 {pal.muted, tr2(L, "idle PE", "空闲的 PE")}};
    return sc;
}

Scene RooflineRun::devices(const DrawOptions& opt) const {
    // The same operator (same bytes per element) on every device with a peak at this
    // precision and a published off-chip bandwidth, fastest first.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    struct Row {
        const hw::Device* d;
        hw::Roof roof;
        hw::RooflinePoint p;
    };
    std::vector<Row> rows;
    for (const hw::Device& d : m.others) {
        const hw::RoofResult r = hw::makeRoof(d, m.precision);
        if (r.ok())
            rows.push_back({&d, r.roof, hw::placeOnRoof(r.roof, m.cost.flops, m.cost.bytes)});
    }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.p.seconds < b.p.seconds; });
    const float x0 = 40, y0 = 60;
    const float cols[] = {0, 130, 260, 390, 500, 620, 760};
    const char* head[][2] = {
        {"device", "设备"},  {"peak TFLOPS", "峰值 TFLOPS"}, {"memory GB/s", "内存 GB/s"},
        {"ridge", "屋脊点"}, {"intensity", "计算强度"},      {"bound", "瓶颈"},
        {"time", "时间"}};
    for (int c = 0; c < 7; ++c)
        dl.text({x0 + cols[c], y0}, tr2(L, head[c][0], head[c][1]), pal.muted, 13).bold = true;
    float y = y0 + 28;
    for (std::size_t i = 0; i < rows.size(); ++i, y += 26) {
        const Row& r = rows[i];
        const auto id = kDeviceId + static_cast<std::uint32_t>(i);
        const bool chosen = r.d->name == m.device.name;
        const Color fg = chosen ? pal.accent : pal.foreground;
        const std::string cells[] = {r.d->name,
                                     fmtNum(r.roof.peakTflops, 1),
                                     fmtNum(r.roof.bandwidthGBs, 0),
                                     fmtNum(r.roof.ridge(), 1),
                                     fmtNum(r.p.intensity, 1),
                                     r.p.memoryBound ? tr2(L, "memory", "内存")
                                                     : tr2(L, "compute", "计算"),
                                     timeText(r.p.seconds)};
        for (int c = 0; c < 7; ++c)
            dl.text({x0 + cols[c], y}, cells[c], c == 5 && r.p.memoryBound ? pal.warn : fg, 13,
                    HAlign::Left, VAlign::Top, id)
                .bold = chosen;
        ObjectInfo info;
        info.title = r.d->fullName;
        info.facts = {{tr2(L, "file", "文件"), r.d->file}};
        sc.objects[id] = std::move(info);
    }
    dl.text(
        {x0, y + 16},
        m.shape + tr2(L, " — devices without a ", " —— 没有 ") + hw::precisionName(m.precision) +
            tr2(L, " peak or a published bandwidth are left out", " 峰值或未公布带宽的设备未列出"),
        pal.muted, 12);
    sc.caption = tr2(L, "The same operator on every device of the catalogue",
                     "同一个算子在目录中每个设备上的表现");
    return sc;
}

} // namespace

LocalText RooflineLab::title() const {
    return {"Roofline", "屋顶线模型"};
}

std::vector<ParamSpec> RooflineLab::params() const {
    ParamSpec devices{"devices", ParamType::Text, {"device folder", "设备文件夹"}, 0, 0,
                      {},        std::string()};
    devices.path = true;
    return {
        devices,
        {"device", ParamType::Text, {"device", "设备"}, 0, 0, {}, std::string("V100")},
        {"dtype",
         ParamType::Choice,
         {"precision", "精度"},
         0,
         0,
         {"fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8"},
         std::string("fp16")},
        {"op",
         ParamType::Choice,
         {"operator", "算子"},
         0,
         0,
         {"gemm", "elementwise", "softmax"},
         std::string("gemm")},
        {"M", ParamType::Int, {"M (rows)", "M（行）"}, 1, 1 << 20, {}, std::int64_t{8192}},
        {"N", ParamType::Int, {"N (columns)", "N（列）"}, 1, 1 << 20, {}, std::int64_t{128}},
        {"K",
         ParamType::Int,
         {"K (GEMM depth)", "K（GEMM 深度）"},
         1,
         1 << 20,
         {},
         std::int64_t{8192}},
        {"utilization",
         ParamType::Float,
         {"share of peak reached", "达到峰值的比例"},
         0.01,
         1,
         {},
         1.0},
        {"memory", ParamType::Text, {"memory level", "存储层级"}, 0, 0, {}, std::string()},
        {"tasks",
         ParamType::Int,
         {"equal tasks (underfill)", "相同任务数（填充）"},
         1,
         4096,
         {},
         std::int64_t{7}},
        {"pes", ParamType::Int, {"processing elements", "处理单元数"}, 1, 256, {}, std::int64_t{4}},
    };
}

std::unique_ptr<LabRun> RooflineLab::run(const ParamSet& p) const {
    // 1. The catalogue: the lesson's device folder, then the user's. 2. The device and its roof
    //    at the precision. 3. The operator's cost at the precision's element size.
    const std::string dir = p.getString("devices");
    if (dir.empty())
        throw std::invalid_argument("no device folder: set 'devices' to a folder of device files "
                                    "(assets/devices)");
    const DeviceCatalog cat = loadDeviceCatalog({dir, userDeviceDir()});
    if (cat.devices.empty())
        throw std::invalid_argument("no device files in '" + dir + "'" +
                                    (cat.errors.empty() ? "" : ": " + cat.errors[0].format()));
    Setup s;
    const std::string name = p.getString("device", "V100");
    const hw::Device* d = cat.find(name);
    if (!d)
        throw std::invalid_argument("unknown device '" + name +
                                    "' (expected one of: " + cat.names() + ")");
    s.device = *d;
    s.others = cat.devices;
    s.precision = hw::precisionByName(p.getString("dtype", "fp16")).value_or(hw::Precision::Fp16);
    s.memory = p.getString("memory");
    s.utilization = p.getFloat("utilization", 1.0);
    s.tasks = static_cast<int>(p.getInt("tasks", 7));
    s.pes = static_cast<int>(p.getInt("pes", 4));
    if (auto r = hw::makeRoof(s.device, s.precision, s.memory); !r.ok())
        throw std::invalid_argument(r.error);
    const double e = hw::precisionBytes(s.precision);
    const std::int64_t M = p.getInt("M", 8192), N = p.getInt("N", 128), K = p.getInt("K", 8192);
    s.op = p.getString("op", "gemm");
    hw::LayerCostResult c;
    const std::string dt = hw::precisionName(s.precision);
    if (s.op == "gemm") {
        c = hw::gemmCost(M, N, K, e);
        s.shape = "GEMM " + std::to_string(M) + "×" + std::to_string(N) + "×" + std::to_string(K) +
                  " " + dt;
    } else if (s.op == "elementwise") {
        c = hw::elementwiseCost(M * N, 1, 1, e);
        s.shape = "ReLU " + std::to_string(M) + "×" + std::to_string(N) + " " + dt;
    } else {
        c = hw::softmaxCost(M, N, e);
        s.shape = "softmax " + std::to_string(M) + "×" + std::to_string(N) + " " + dt;
    }
    if (!c.ok())
        throw std::invalid_argument(c.error);
    s.cost = c.cost;
    return std::make_unique<RooflineRun>(std::move(s));
}

} // namespace aisys::lessons
