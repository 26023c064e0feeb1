// Lab "gpu-execution": Little's law on a device's memory levels, a warp scheduler cycle by cycle,
// SIMT with active masks, occupancy per compute capability and coalescing of one warp's load.
#include "lessons/labs/chips/gpu/gpu_lab.h"

#include "engine/hw/gpu/coalescing.h"
#include "engine/hw/gpu/latency.h"
#include "engine/hw/gpu/occupancy.h"
#include "engine/hw/gpu/simt.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/devices/device_files.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace aisys::lessons {

using namespace viz;
namespace hw = engine::hw;
namespace gpu = engine::hw::gpu;

namespace {

constexpr std::uint32_t kLevelId = 100; // + memory level
constexpr std::uint32_t kWarpId = 200;  // + warp
constexpr std::uint32_t kLaneId = 300;  // + lane
constexpr std::uint32_t kLimitId = 400; // + limit

struct Setup {
    hw::Device device;
    int threadsPerSm = 2048;
    int bytes = 16, ilp = 1;
    int warps = 4, latency = 5, cycles = 18;
    gpu::SimtKernel kernel;
    std::vector<long long> data;
    gpu::SimtRun simt;
    gpu::SchedulerTrace trace;
    const gpu::SmArch* arch = nullptr;
    int threads = 256, regs = 64, smem = 0;
    gpu::Occupancy occ;
    gpu::Coalescing coal;
    long long stride = 1, offset = 0;
};

std::string grouped(double v) {
    if (v != std::floor(v) || std::fabs(v) >= 1e15)
        return fmtNum(v, 2);
    std::string d = std::to_string(static_cast<long long>(std::fabs(v))), out;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i && (d.size() - i) % 3 == 0)
            out += ',';
        out += d[i];
    }
    return (v < 0 ? "-" : "") + out;
}

const char* limitZh(gpu::OccLimit l) {
    switch (l) {
    case gpu::OccLimit::Warps:
        return "warp 数";
    case gpu::OccLimit::Registers:
        return "寄存器";
    case gpu::OccLimit::SharedMemory:
        return "共享内存";
    case gpu::OccLimit::Blocks:
        return "block 槽位";
    }
    return "?";
}

class GpuRun : public LabRun {
public:
    explicit GpuRun(Setup s) : m(std::move(s)) {}
    std::vector<Phase> phases() const override {
        return {{"latency", 1},
                {"warps", m.trace.cycles},
                {"simt", static_cast<int>(m.simt.steps.size())},
                {"occupancy", 1},
                {"coalescing", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        if (frame == 0)
            return latency(opt);
        frame -= 1;
        if (frame < m.trace.cycles)
            return warps(frame, opt);
        frame -= m.trace.cycles;
        if (frame < static_cast<int>(m.simt.steps.size()))
            return simt(frame, opt);
        frame -= static_cast<int>(m.simt.steps.size());
        return frame == 0 ? occupancy(opt) : coalescing(opt);
    }

private:
    Scene latency(const DrawOptions& opt) const;
    Scene warps(int cycle, const DrawOptions& opt) const;
    Scene simt(int step, const DrawOptions& opt) const;
    Scene occupancy(const DrawOptions& opt) const;
    Scene coalescing(const DrawOptions& opt) const;
    Setup m;
};

Scene GpuRun::latency(const DrawOptions& opt) const {
    // One bar per memory level with bandwidth and latency: the threads Little's law needs
    // against the threads the device holds resident (SMs × threads per SM).
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const hw::Device& d = m.device;
    const double resident = double(d.units) * m.threadsPerSm;
    std::vector<std::pair<const hw::MemoryLevel*, gpu::LatencyHiding>> rows;
    for (const hw::MemoryLevel& lvl : d.memory)
        if (lvl.bandwidthGBs > 0 && lvl.latencyNs > 0)
            rows.push_back({&lvl, gpu::latencyHiding(lvl.bandwidthGBs, lvl.latencyNs, m.bytes,
                                                     m.ilp, d.units, m.threadsPerSm)});
    double maxV = resident;
    for (const auto& r : rows)
        maxV = std::max(maxV, r.second.threadsNeeded);
    const float x0 = 150, y0 = 70, barW = 560, barH = 34;
    auto xOf = [&](double v) { return x0 + float(v / maxV) * barW; };
    dl.text({x0, y0 - 30},
            tr2(L, "threads needed = bandwidth × latency / bytes in flight per thread",
                "所需线程数 = 带宽 × 延迟 / 每线程在途字节"),
            pal.muted, 13);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [lvl, h] = rows[i];
        const float y = y0 + float(i) * (barH + 26);
        const auto id = kLevelId + static_cast<std::uint32_t>(i);
        dl.text({x0 - 10, y + barH / 2}, lvl->name, pal.foreground, 14, HAlign::Right,
                VAlign::Middle, id);
        dl.box({x0, y, xOf(h.threadsNeeded) - x0, barH}, pal.category(i), kNoColor, 3, 1, id);
        dl.text({xOf(h.threadsNeeded) + 8, y + barH / 2},
                grouped(h.threadsNeeded) + tr2(L, " threads (", " 个线程（") +
                    grouped(h.warpsNeeded) + tr2(L, " warps)", " 个 warp）"),
                pal.foreground, 13, HAlign::Left, VAlign::Middle, id);
        dl.text({x0, y + barH + 3},
                grouped(lvl->bandwidthGBs) + " GB/s × " + grouped(lvl->latencyNs) +
                    " ns = " + grouped(h.bytesInFlight) + tr2(L, " B in flight", " B 在途"),
                pal.muted, 11, HAlign::Left, VAlign::Top, id);
        ObjectInfo info;
        info.title = d.name + " · " + lvl->name;
        info.facts = {{tr2(L, "bytes in flight", "在途字节"), grouped(h.bytesInFlight) + " B"},
                      {tr2(L, "threads needed", "所需线程"), grouped(h.threadsNeeded)},
                      {tr2(L, "source", "来源"), lvl->source}};
        sc.objects[id] = std::move(info);
    }
    const float yEnd = y0 + float(rows.size()) * (barH + 26);
    dl.line({xOf(resident), y0 - 12}, {xOf(resident), yEnd}, pal.bad, 2);
    dl.text({xOf(resident), yEnd + 4},
            tr2(L, "resident: ", "常驻：") + grouped(resident) + " = " + std::to_string(d.units) +
                " SM × " + std::to_string(m.threadsPerSm),
            pal.bad, 13, HAlign::Right, VAlign::Top);
    if (!rows.empty()) {
        const gpu::LatencyHiding& h = rows[0].second;
        const double perSm = h.warpsNeeded / d.units;
        const std::vector<FactRow> facts = {
            {tr2(L, "device", "设备"), d.name + " · " + rows[0].first->name},
            {tr2(L, "bytes in flight = BW × latency", "在途字节 = 带宽 × 延迟"),
             grouped(h.bytesInFlight) + " B"},
            {tr2(L, "bytes per thread in flight", "每线程在途字节"),
             std::to_string(m.bytes) + " × " + std::to_string(m.ilp)},
            {tr2(L, "threads needed", "所需线程"), grouped(h.threadsNeeded)},
            {tr2(L, "resident threads", "常驻线程"), grouped(resident)},
            {tr2(L, "resident / needed", "常驻 / 所需"), fmtNum(h.ratio, 2) + "×"},
            {tr2(L, "warps needed per SM", "每个 SM 所需 warp"),
             fmtNum(perSm, 1) + tr2(L, " of ", " / ") + std::to_string(m.threadsPerSm / 32)},
        };
        drawFactTable(dl, {x0 + barW + 150, y0}, facts, pal, 14, 250);
    }
    sc.caption = tr2(L,
                     "Little's law: to keep memory busy, bandwidth × latency bytes must be in "
                     "flight",
                     "利特尔定律：要让内存一直忙碌，必须有 带宽 × 延迟 字节在途");
    sc.legend = {{pal.bad, tr2(L, "threads the device keeps resident", "设备可常驻的线程")}};
    return sc;
}

Scene GpuRun::warps(int cycle, const DrawOptions& opt) const {
    // Rows: warps; columns: cycles 0..cycle. Issue (the scheduler picks it), waiting (its load
    // is in flight for `latency` cycles), ready (eligible, not picked).
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const gpu::SchedulerTrace& t = m.trace;
    const float cell = std::min(30.0f, 900.0f / float(t.cycles)), x0 = 110, y0 = 70;
    const Color cIssue = pal.accent, cWait = mix(pal.background, pal.warn, 0.55f),
                cReady = pal.good;
    for (int c = 0; c <= cycle; ++c)
        if (c % std::max(1, int(std::ceil(24 / cell))) == 0)
            dl.text({x0 + c * cell + cell / 2, y0 - 6}, std::to_string(c), pal.muted, 10,
                    HAlign::Center, VAlign::Bottom);
    dl.text({x0 - 10, y0 - 6}, tr2(L, "cycle", "周期"), pal.muted, 12, HAlign::Right,
            VAlign::Bottom);
    for (int w = 0; w < t.warps; ++w) {
        const auto id = kWarpId + static_cast<std::uint32_t>(w);
        const float y = y0 + w * cell;
        dl.text({x0 - 10, y + cell / 2}, "warp " + std::to_string(w), pal.foreground, 12,
                HAlign::Right, VAlign::Middle, id);
        for (int c = 0; c < t.cycles; ++c) {
            const Rect r{x0 + c * cell, y, cell - 2, cell - 2};
            if (c > cycle) {
                dl.box(r, kNoColor, mix(pal.background, pal.muted, 0.3f), 2, 1);
                continue;
            }
            const gpu::WarpState s = t.state[c][w];
            const Color f = s == gpu::WarpState::Issue     ? cIssue
                            : s == gpu::WarpState::Waiting ? cWait
                                                           : cReady;
            dl.box(r, f, c == cycle ? pal.foreground : kNoColor, 2, c == cycle ? 2 : 1, id);
            if (cell >= 20)
                dl.text({r.x + r.w / 2, r.y + r.h / 2},
                        s == gpu::WarpState::Issue   ? "I"
                        : s == gpu::WarpState::Ready ? "R"
                                                     : "",
                        textOn(f), 11, HAlign::Center, VAlign::Middle, id);
        }
    }
    // The memory pipe: how many loads are in flight each cycle.
    const float yb = y0 + t.warps * cell + 16;
    dl.text({x0 - 10, yb + cell / 2}, tr2(L, "issued", "发射"), pal.muted, 12, HAlign::Right,
            VAlign::Middle);
    int issued = 0;
    for (int c = 0; c <= cycle; ++c) {
        const bool on = t.issuedWarp[c] >= 0;
        issued += on;
        dl.box({x0 + c * cell, yb, cell - 2, cell - 2}, on ? cIssue : kNoColor,
               on ? kNoColor : pal.bad, 2, 1);
        if (!on && cell >= 20)
            dl.text({x0 + c * cell + cell / 2 - 1, yb + cell / 2 - 1}, "×", pal.bad, 12,
                    HAlign::Center, VAlign::Middle);
    }
    int inFlight = 0;
    for (int w = 0; w < t.warps; ++w)
        inFlight += t.state[cycle][w] == gpu::WarpState::Waiting;
    const double steady = std::min(1.0, double(t.warps) / (t.latency + 1));
    const std::vector<FactRow> facts = {
        {tr2(L, "cycle", "周期"), std::to_string(cycle)},
        {tr2(L, "warps / memory latency", "warp 数 / 访存延迟"),
         std::to_string(t.warps) + " / " + std::to_string(t.latency) + tr2(L, " cycles", " 周期")},
        {tr2(L, "loads in flight now", "当前在途访存"), std::to_string(inFlight)},
        {tr2(L, "issue slots used so far", "已用发射槽"),
         std::to_string(issued) + " / " + std::to_string(cycle + 1)},
        {tr2(L, "steady issue rate = min(1, W/(L+1))", "稳态发射率 = min(1, W/(L+1))"),
         fmtNum(steady, 2)},
        {tr2(L, "warps to hide the latency", "隐藏延迟所需 warp"), std::to_string(t.latency + 1)},
    };
    drawFactTable(dl, {x0, yb + cell + 30}, facts, pal, 14, 290);
    sc.caption = tr2(L, "One warp scheduler: every warp issues, waits for memory, becomes ready",
                     "一个 warp 调度器：每个 warp 发射、等待内存、重新就绪");
    sc.legend = {{cIssue, tr2(L, "issue", "发射")},
                 {cWait, tr2(L, "waiting for memory", "等待内存")},
                 {cReady, tr2(L, "ready, not picked", "就绪但未被选中")},
                 {pal.bad, tr2(L, "stall: no warp ready", "停顿：没有就绪的 warp")}};
    return sc;
}

Scene GpuRun::simt(int step, const DrawOptions& opt) const {
    // Left: the kernel with the statement now running; right: the 32 lanes with the active mask
    // and each lane's x after the statement; below: cycles so far.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const gpu::SimtStep& st = m.simt.steps[step];
    const float x0 = 40, y0 = 60, lh = 26;
    dl.text({x0, y0 - 30}, tr2(L, "kernel", "内核"), pal.muted, 13);
    int indent = 0;
    for (std::size_t i = 0; i < m.kernel.stmts.size(); ++i) {
        const gpu::SimtStmt& s = m.kernel.stmts[i];
        if (s.kind == gpu::SimtStmt::Kind::End || s.kind == gpu::SimtStmt::Kind::Else)
            --indent;
        const bool now = static_cast<int>(i) == st.stmt;
        const float y = y0 + float(i) * lh;
        if (now)
            dl.box({x0 - 6, y - 3, 300, lh - 2}, mix(pal.background, pal.accent, 0.25f), pal.accent,
                   3, 1.5f);
        dl.text({x0 + 18.0f * float(std::max(0, indent)), y}, s.text,
                now ? pal.foreground : pal.muted, 14)
            .bold = now;
        if (s.kind == gpu::SimtStmt::Kind::If || s.kind == gpu::SimtStmt::Kind::Else)
            ++indent;
    }
    // Lanes: 4 rows of 8.
    const float lx = 400, ly = y0, lw = 76, lhh = 52;
    int active = 0;
    for (int l = 0; l < static_cast<int>(m.simt.x.size()); ++l) {
        const bool on = (st.mask >> l) & 1u;
        active += on;
        const Rect r{lx + float(l % 8) * lw, ly + float(l / 8) * lhh, lw - 6, lhh - 6};
        const auto id = kLaneId + static_cast<std::uint32_t>(l);
        dl.box(r, on ? pal.category(0) : mix(pal.background, pal.muted, 0.12f),
               on ? kNoColor : pal.muted, 4, 1, id);
        const Color fg = on ? textOn(pal.category(0)) : pal.muted;
        dl.text({r.x + 5, r.y + 4}, tr2(L, "lane ", "lane ") + std::to_string(l), fg, 10,
                HAlign::Left, VAlign::Top, id);
        dl.text({r.x + r.w / 2, r.y + r.h - 5}, "x=" + std::to_string(st.x[l]), fg, 13,
                HAlign::Center, VAlign::Bottom, id)
            .bold = on;
    }
    int cyclesSoFar = 0;
    for (int i = 0; i <= step; ++i)
        cyclesSoFar += m.simt.steps[i].cycles;
    const bool last = step + 1 == static_cast<int>(m.simt.steps.size());
    std::vector<FactRow> facts = {
        {tr2(L, "statement", "语句"), m.kernel.stmts[st.stmt].text},
        {tr2(L, "active mask", "活跃掩码"), gpu::maskText(st.mask, 32).substr(0, 10) + " (" +
                                                std::to_string(active) +
                                                tr2(L, " lanes)", " 个 lane）")},
        {tr2(L, "cycles of this statement", "本语句周期"), std::to_string(st.cycles)},
        {tr2(L, "warp cycles so far", "warp 累计周期"), std::to_string(cyclesSoFar)},
    };
    if (last) {
        facts.push_back({tr2(L, "longest lane alone", "单个 lane 最长路径"),
                         std::to_string(m.simt.uniformCycles) + tr2(L, " cycles", " 周期")});
        facts.push_back(
            {tr2(L, "divergent branches", "发散分支"), std::to_string(m.simt.divergentBranches)});
        facts.push_back(
            {tr2(L, "SIMT efficiency", "SIMT 效率"), fmtNum(100 * m.simt.efficiency, 1) + " %"});
    }
    drawFactTable(dl, {lx, ly + 4 * lhh + 24}, facts, pal, 14, 230);
    sc.caption = tr2(L, "SIMT: one instruction for the warp, lanes outside the mask sit idle",
                     "SIMT：整个 warp 执行同一条指令，掩码外的 lane 空闲");
    sc.legend = {{pal.category(0), tr2(L, "active lane", "活跃 lane")},
                 {pal.muted, tr2(L, "masked lane", "被屏蔽的 lane")}};
    return sc;
}

Scene GpuRun::occupancy(const DrawOptions& opt) const {
    // Four bars, one per SM resource, each cut into the blocks that fit by that resource alone;
    // the bar that allows the fewest blocks is the limiting one.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const gpu::SmArch& a = *m.arch;
    const gpu::Occupancy& o = m.occ;
    struct Bar {
        gpu::OccLimit limit;
        std::string name, capacity;
        int blocks;
        double perBlock, total;
    };
    const std::vector<Bar> bars = {
        {gpu::OccLimit::Warps, tr2(L, "warps", "warp"),
         std::to_string(a.maxWarpsPerSm()) + tr2(L, " warps", " 个 warp"), o.limitWarps,
         double(o.warpsPerBlock), double(a.maxWarpsPerSm())},
        {gpu::OccLimit::Registers, tr2(L, "registers", "寄存器"),
         grouped(a.registersPerSm) + tr2(L, " registers", " 个寄存器"), o.limitRegisters,
         double(o.registersPerBlock), double(a.registersPerSm)},
        {gpu::OccLimit::SharedMemory, tr2(L, "shared memory", "共享内存"), fmtBytes(a.sharedPerSm),
         o.limitShared, double(o.sharedPerBlock), double(a.sharedPerSm)},
        {gpu::OccLimit::Blocks, tr2(L, "block slots", "block 槽位"),
         std::to_string(a.maxBlocksPerSm) + tr2(L, " blocks", " 个 block"), o.limitBlocks, 1.0,
         double(a.maxBlocksPerSm)},
    };
    const float x0 = 170, y0 = 70, w = 620, h = 38;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        const float y = y0 + float(i) * (h + 40);
        const bool limiting =
            std::find(o.limiting.begin(), o.limiting.end(), b.limit) != o.limiting.end();
        const auto id = kLimitId + static_cast<std::uint32_t>(i);
        dl.text({x0 - 12, y + h / 2}, b.name, limiting ? pal.bad : pal.foreground, 14,
                HAlign::Right, VAlign::Middle, id)
            .bold = limiting;
        dl.box({x0, y, w, h}, kNoColor, limiting ? pal.bad : pal.muted, 3, limiting ? 2.5f : 1, id);
        const int fit = b.blocks == INT_MAX ? 0 : b.blocks;
        const float bw = b.perBlock > 0 ? float(b.perBlock / b.total) * w : 0;
        for (int k = 0; k < fit && bw > 0; ++k) {
            const bool resident = k < o.blocksPerSm;
            const Rect r{x0 + k * bw + 1, y + 2, std::max(1.0f, bw - 2), h - 4};
            dl.box(r, resident ? pal.category(0) : mix(pal.background, pal.category(0), 0.3f),
                   kNoColor, 2, 1, id);
        }
        const std::string fitText =
            b.blocks == INT_MAX
                ? tr2(L, "no limit", "无限制")
                : std::to_string(b.blocks) + tr2(L, " blocks fit", " 个 block 可容纳");
        dl.text({x0 + w + 10, y + h / 2}, fitText, limiting ? pal.bad : pal.foreground, 13,
                HAlign::Left, VAlign::Middle, id);
        dl.text({x0, y + h + 4}, tr2(L, "per SM ", "每个 SM ") + b.capacity, pal.muted, 11);
        ObjectInfo info;
        info.title = b.name;
        info.facts = {{tr2(L, "blocks by this limit", "按此限制的 block 数"), fitText}};
        sc.objects[id] = std::move(info);
    }
    std::string limits;
    for (gpu::OccLimit l : o.limiting)
        limits += (limits.empty() ? "" : tr2(L, ", ", "、")) +
                  std::string(L == Lang::Zh ? limitZh(l) : gpu::occLimitName(l));
    const std::vector<FactRow> facts = {
        {tr2(L, "architecture", "架构"),
         a.name + " (CC " + a.capability + ", " + a.architecture + ")"},
        {tr2(L, "block", "block"),
         std::to_string(m.threads) + tr2(L, " threads, ", " 线程，") + std::to_string(m.regs) +
             tr2(L, " regs/thread, ", " 寄存器/线程，") + fmtBytes(m.smem)},
        {tr2(L, "registers per warp (units of 256)", "每 warp 寄存器（256 为单位）"),
         std::to_string(o.registersPerWarp)},
        {tr2(L, "shared memory per block (+ reserve)", "每 block 共享内存（含保留）"),
         std::to_string(o.sharedPerBlock) + " B"},
        {tr2(L, "resident blocks = min(limits)", "常驻 block = min(各限制)"),
         std::to_string(o.blocksPerSm)},
        {tr2(L, "limited by", "受限于"), limits},
        {tr2(L, "occupancy", "占用率"),
         std::to_string(o.activeWarps) + " / " + std::to_string(a.maxWarpsPerSm()) +
             tr2(L, " warps = ", " 个 warp = ") + fmtNum(100 * o.occupancy, 1) + " %"},
    };
    drawFactTable(dl, {x0, y0 + 4 * (h + 40) + 10}, facts, pal, 14, 300);
    sc.caption = tr2(L, "Occupancy: the scarcest SM resource decides how many blocks stay resident",
                     "占用率：最紧缺的 SM 资源决定有多少 block 常驻");
    sc.legend = {{pal.category(0), tr2(L, "resident block", "常驻 block")},
                 {pal.bad, tr2(L, "the limiting resource", "起限制作用的资源")}};
    return sc;
}

Scene GpuRun::coalescing(const DrawOptions& opt) const {
    // Top: the 32 lanes, coloured by the 128-byte line they read; below: every line touched,
    // as four 32-byte sectors, filled where some lane reads.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const gpu::Coalescing& c = m.coal;
    const float x0 = 60, y0 = 60, lw = 32;
    auto lineIndex = [&](long long line) {
        return static_cast<std::size_t>(std::lower_bound(c.lines.begin(), c.lines.end(), line) -
                                        c.lines.begin());
    };
    for (int l = 0; l < c.lanes; ++l) {
        const long long a = c.address[l];
        const long long line = (a >= 0 ? a : a - 127) / 128;
        const std::size_t li = lineIndex(line);
        const auto id = kLaneId + static_cast<std::uint32_t>(l);
        dl.box({x0 + l * lw, y0, lw - 4, 28}, pal.category(li), kNoColor, 3, 1, id);
        dl.text({x0 + l * lw + (lw - 4) / 2, y0 + 14}, std::to_string(l), textOn(pal.category(li)),
                10, HAlign::Center, VAlign::Middle, id);
        ObjectInfo info;
        info.title = "lane " + std::to_string(l);
        info.facts = {{tr2(L, "byte address", "字节地址"), std::to_string(a)}};
        sc.objects[id] = std::move(info);
    }
    dl.text({x0, y0 - 22},
            tr2(L, "lanes (colour: the 128-byte line read)", "lane（颜色：所读的 128 字节行）"),
            pal.muted, 12);
    // Lines: up to 8 per row, each 4 sectors.
    const float sx = 30, lineW = 4 * sx + 16, ly = y0 + 80;
    std::vector<bool> touched;
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
        const float x = x0 + float(i % 8) * lineW, y = ly + float(i / 8) * 60;
        dl.text({x, y - 4}, tr2(L, "line ", "行 ") + std::to_string(c.lines[i]), pal.muted, 10,
                HAlign::Left, VAlign::Bottom);
        for (int s = 0; s < 4; ++s) {
            const long long sector = c.lines[i] * 4 + s;
            const bool on = std::binary_search(c.sectors.begin(), c.sectors.end(), sector);
            dl.box({x + s * sx, y, sx - 3, 26}, on ? pal.category(i) : kNoColor,
                   on ? kNoColor : pal.muted, 2, 1);
        }
    }
    const float yf = ly + float((c.lines.size() + 7) / 8) * 60 + 20;
    const std::vector<FactRow> facts = {
        {tr2(L, "lane i reads element", "lane i 读取元素"),
         std::to_string(m.offset) + " + i × " + std::to_string(m.stride) + " (" +
             std::to_string(c.elementBytes) + " B)"},
        {tr2(L, "32-byte sectors", "32 字节扇区"), std::to_string(c.sectors.size())},
        {tr2(L, "128-byte lines", "128 字节行"), std::to_string(c.lines.size())},
        {tr2(L, "bytes needed / moved", "所需 / 搬运字节"),
         std::to_string(c.bytesRequested) + " / " + std::to_string(c.bytesMoved)},
        {tr2(L, "efficiency", "效率"), fmtNum(100 * c.efficiency, 1) + " %"},
    };
    drawFactTable(dl, {x0, yf}, facts, pal, 14, 230);
    sc.caption =
        tr2(L, "Coalescing: a warp's load costs one transaction per 32-byte sector touched",
            "合并访存：一个 warp 的访存按触及的 32 字节扇区计事务");
    sc.legend = {{pal.category(0), tr2(L, "sector read", "被读取的扇区")},
                 {pal.muted, tr2(L, "sector not needed", "不需要的扇区")}};
    return sc;
}

} // namespace

LocalText GpuExecutionLab::title() const {
    return {"GPU execution", "GPU 执行模型"};
}

std::vector<ParamSpec> GpuExecutionLab::params() const {
    std::vector<std::string> archs;
    for (const gpu::SmArch& a : gpu::smArchs())
        archs.push_back(a.name);
    ParamSpec devices{"devices", ParamType::Text, {"device folder", "设备目录"}, 0, 0,
                      {},        std::string()};
    devices.path = true;
    return {
        devices,
        {"device", ParamType::Text, {"device", "设备"}, 0, 0, {}, std::string("A100")},
        {"bytes",
         ParamType::Int,
         {"bytes per request", "每次请求字节"},
         1,
         4096,
         {},
         std::int64_t{16}},
        {"ilp",
         ParamType::Int,
         {"requests in flight per thread", "每线程在途请求"},
         1,
         64,
         {},
         std::int64_t{1}},
        {"warps",
         ParamType::Int,
         {"warps on the scheduler", "调度器上的 warp"},
         1,
         32,
         {},
         std::int64_t{4}},
        {"latency",
         ParamType::Int,
         {"memory latency (cycles)", "访存延迟（周期）"},
         0,
         60,
         {},
         std::int64_t{5}},
        {"cycles",
         ParamType::Int,
         {"cycles shown (0 = 3 × (latency + 1))", "显示周期（0 = 3 ×（延迟 + 1））"},
         0,
         120,
         {},
         std::int64_t{0}},
        {"kernel",
         ParamType::Text,
         {"SIMT kernel (name or code)", "SIMT 内核（名称或代码）"},
         0,
         0,
         {},
         std::string("ifelse")},
        {"data",
         ParamType::Text,
         {"x per lane (comma list; empty = lane id)", "每个 lane 的 x（逗号分隔；空 = lane 编号）"},
         0,
         0,
         {},
         std::string()},
        {"arch",
         ParamType::Choice,
         {"compute capability", "计算能力"},
         0,
         0,
         archs,
         std::string("sm80")},
        {"threads",
         ParamType::Int,
         {"threads per block", "每 block 线程数"},
         1,
         1024,
         {},
         std::int64_t{256}},
        {"regs",
         ParamType::Int,
         {"registers per thread", "每线程寄存器"},
         0,
         255,
         {},
         std::int64_t{64}},
        {"smem",
         ParamType::Int,
         {"shared memory per block (bytes)", "每 block 共享内存（字节）"},
         0,
         232448,
         {},
         std::int64_t{49152}},
        {"stride",
         ParamType::Int,
         {"stride (elements)", "步长（元素）"},
         -64,
         64,
         {},
         std::int64_t{1}},
        {"offset",
         ParamType::Int,
         {"offset (elements)", "偏移（元素）"},
         -64,
         64,
         {},
         std::int64_t{0}},
        {"elem",
         ParamType::Choice,
         {"element size (bytes)", "元素大小（字节）"},
         0,
         0,
         {"1", "2", "4", "8", "16"},
         std::string("4")},
    };
}

std::unique_ptr<LabRun> GpuExecutionLab::run(const ParamSet& p) const {
    Setup s;
    // 1. The device and its resident threads (per SM from its compute capability).
    const std::string dir = p.getString("devices");
    if (dir.empty())
        throw std::invalid_argument("no device folder: set 'devices' to a folder of device files "
                                    "(assets/devices)");
    const DeviceCatalog cat = loadDeviceCatalog({dir, userDeviceDir()});
    const std::string name = p.getString("device", "A100");
    const hw::Device* d = cat.find(name);
    if (!d)
        throw std::invalid_argument("unknown device '" + name +
                                    "' (expected one of: " + cat.names() + ")");
    s.device = *d;
    if (const gpu::SmArch* a = gpu::findSmArch(d->name))
        s.threadsPerSm = a->maxThreadsPerSm;
    s.bytes = static_cast<int>(p.getInt("bytes", 16));
    s.ilp = static_cast<int>(p.getInt("ilp", 1));
    // 2. The scheduler.
    s.warps = static_cast<int>(p.getInt("warps", 4));
    s.latency = static_cast<int>(p.getInt("latency", 5));
    s.cycles = static_cast<int>(p.getInt("cycles", 0));
    if (s.cycles == 0)
        s.cycles = std::min(3 * (s.latency + 1), 60);
    s.trace = gpu::simulateScheduler(s.warps, s.latency, s.cycles);
    // 3. SIMT.
    std::string code = gpu::simtExample(p.getString("kernel", "ifelse"));
    if (code.empty())
        code = p.getString("kernel");
    s.kernel = gpu::parseSimtKernel(code);
    if (!s.kernel.ok())
        throw std::invalid_argument("kernel: " + s.kernel.error +
                                    " (or a name: " + gpu::simtExampleNames() + ")");
    std::stringstream ds(p.getString("data"));
    for (std::string w; std::getline(ds, w, ',');) {
        try {
            s.data.push_back(std::stoll(w));
        } catch (...) {
            throw std::invalid_argument("data: '" + w + "' is not an integer");
        }
    }
    s.simt = gpu::runSimt(s.kernel, s.data);
    // 4. Occupancy.
    s.arch = gpu::findSmArch(p.getString("arch", "sm80"));
    if (!s.arch)
        throw std::invalid_argument("unknown arch '" + p.getString("arch") +
                                    "' (expected one of: " + gpu::smArchNames() + ")");
    s.threads = static_cast<int>(p.getInt("threads", 256));
    s.regs = static_cast<int>(p.getInt("regs", 64));
    s.smem = static_cast<int>(p.getInt("smem", 49152));
    s.occ = gpu::occupancy(*s.arch, s.threads, s.regs, s.smem);
    if (!s.occ.ok())
        throw std::invalid_argument(s.occ.error);
    // 5. Coalescing.
    s.stride = p.getInt("stride", 1);
    s.offset = p.getInt("offset", 0);
    s.coal = gpu::coalesce(s.stride, s.offset, std::stoi(p.getString("elem", "4")));
    if (!s.coal.ok())
        throw std::invalid_argument(s.coal.error);
    return std::make_unique<GpuRun>(std::move(s));
}

} // namespace aisys::lessons
