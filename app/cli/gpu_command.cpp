// `aisyslab gpu`: GPU execution — occupancy, coalescing, latency hiding, SIMT, a warp scheduler.
#include "app/cli/chips_commands.h"
#include "app/cli/chips_common.h"
#include "app/cli/options.h"
#include "engine/dist/units.h"
#include "engine/hw/gpu/coalescing.h"
#include "engine/hw/gpu/latency.h"
#include "engine/hw/gpu/occupancy.h"
#include "engine/hw/gpu/simt.h"

#include <climits>
#include <cmath>
#include <cstdio>

namespace aisys::app::cli {

namespace gpu = engine::hw::gpu;

const char* gpuUsage() {
    return R"(  aisyslab gpu occupancy --arch A --threads T [--regs R] [--smem S] [--grid B --sms N]
                        [--json]
      Blocks of T threads, R registers per thread and S bytes of shared memory per block
      (48K, 100KiB, ...) resident on one SM of compute capability A (sm70 sm75 sm80 sm86 sm89
      sm90, or volta/ampere/hopper): the limit from warps, registers, shared memory and block
      slots, the one that binds, active warps and occupancy (CUDA Occupancy Calculator rules);
      --grid B --sms N: waves of a B-block grid on N SMs.
  aisyslab gpu coalesce --stride S [--offset O] [--elem BYTES] [--json]
      One warp's load, lane i reading element O + i·S: 32-byte sectors, 128-byte lines,
      bytes moved and efficiency.
  aisyslab gpu latency --device NAME [--level LEVEL] [--bytes B] [--ilp K] [--warps W]
                       [--threads-per-sm T] [--devices DIR ...] [--json]
      Little's law per memory level of a device file: bytes in flight = bandwidth × latency,
      threads and warps needed with B bytes (16) and K requests per thread in flight,
      resident threads (SMs × T; T from the device's compute capability), and with --warps
      the bandwidth W warps achieve = min(BW, W·32·B·K / latency).
  aisyslab gpu simt --kernel NAME|CODE [--data v,v,...] [--lanes L]
      A small kernel on one warp with active masks: every statement, its mask and cycles,
      divergent branches, cycles against the longest lane alone, SIMT efficiency. NAME is one
      of ifelse, oddeven, uniform, nested; CODE statements separated by ';':
      x += K | x -= K | x *= K | x = K [@CYCLES] | if lane|x [% M] CMP K | else | end.
  aisyslab gpu warps --warps W --latency L [--cycles C]
      One warp scheduler: each warp issues, waits L cycles for memory, is ready; the issue
      rate → min(1, W/(L+1)).
)";
}

namespace {

int fail(const std::string& m) {
    return chipsFail("gpu", m);
}

// 628220 → "628,220"; non-integers keep 3 significant digits.
std::string grouped(double v) {
    if (v != std::floor(v) || std::fabs(v) >= 1e15)
        return shortNumber(v);
    std::string d = std::to_string(static_cast<long long>(std::fabs(v))), out;
    for (size_t i = 0; i < d.size(); ++i) {
        if (i && (d.size() - i) % 3 == 0)
            out += ',';
        out += d[i];
    }
    return (v < 0 ? "-" : "") + out;
}

bool intArg(const ChipsArgs& a, const char* name, long long& out, long long lo, long long hi,
            std::string& err) {
    const std::string v = a.get(name);
    double d = 0;
    if (!parseNumber(v, d) || d != std::floor(d) || d < lo || d > hi) {
        err = std::string(name) + " '" + v + "': expected an integer " + std::to_string(lo) + ".." +
              std::to_string(hi);
        return false;
    }
    out = static_cast<long long>(d);
    return true;
}

int occupancyCmd(const ChipsArgs& a) {
    std::string err;
    if (!a.has("--arch") || !a.has("--threads"))
        return fail("occupancy needs --arch A and --threads T (see --help)");
    const gpu::SmArch* arch = gpu::findSmArch(a.get("--arch"));
    if (!arch)
        return fail("unknown architecture '" + a.get("--arch") +
                    "' (expected one of: " + gpu::smArchNames() +
                    ", or volta/turing/ampere/"
                    "ada/hopper)");
    long long threads = 0, regs = 0, grid = 0, sms = 0;
    if (!intArg(a, "--threads", threads, -1000000, 1000000, err))
        return fail(err);
    if (a.has("--regs") && !intArg(a, "--regs", regs, -1000000, 1000000, err))
        return fail(err);
    long long smem = 0;
    if (a.has("--smem")) {
        const auto b = engine::dist::parseBytes(a.get("--smem"), err);
        if (!b)
            return fail("--smem: " + err);
        if (*b > (1LL << 30))
            return fail("--smem " + a.get("--smem") + " is beyond any SM");
        smem = *b;
    }
    if (a.has("--grid") != a.has("--sms"))
        return fail("give --grid B and --sms N together");
    if (a.has("--grid") &&
        (!intArg(a, "--grid", grid, 1, 1LL << 31, err) || !intArg(a, "--sms", sms, 1, 10000, err)))
        return fail(err);
    const gpu::Occupancy o = gpu::occupancy(*arch, int(threads), int(regs), static_cast<int>(smem));
    if (!o.ok())
        return fail(o.error);
    std::string limits;
    for (gpu::OccLimit l : o.limiting)
        limits += (limits.empty() ? "" : ", ") + std::string(gpu::occLimitName(l));
    gpu::GridMapping g;
    if (grid > 0)
        g = gpu::mapGrid(int(grid), int(sms), o.blocksPerSm);
    auto lim = [](int v) { return v == INT_MAX ? std::string("unlimited") : std::to_string(v); };
    if (a.on("--json")) {
        auto jl = [](int v) { return v == INT_MAX ? std::string("null") : std::to_string(v); };
        std::string j = "{\"arch\": " + jsonText(arch->name) +
                        ", \"capability\": " + jsonText(arch->capability) +
                        ", \"threads\": " + std::to_string(threads) +
                        ", \"regs\": " + std::to_string(regs) +
                        ", \"smem\": " + std::to_string(smem) +
                        ", \"warps_per_block\": " + std::to_string(o.warpsPerBlock) +
                        ", \"registers_per_block\": " + std::to_string(o.registersPerBlock) +
                        ", \"smem_per_block\": " + std::to_string(o.sharedPerBlock) +
                        ", \"limit_warps\": " + jl(o.limitWarps) +
                        ", \"limit_registers\": " + jl(o.limitRegisters) +
                        ", \"limit_shared\": " + jl(o.limitShared) +
                        ", \"limit_blocks\": " + jl(o.limitBlocks) +
                        ", \"blocks_per_sm\": " + std::to_string(o.blocksPerSm) +
                        ", \"limiting\": " + jsonText(limits) +
                        ", \"active_warps\": " + std::to_string(o.activeWarps) +
                        ", \"occupancy\": " + jsonNumber(o.occupancy);
        if (grid > 0)
            j += ", \"waves\": " + std::to_string(g.waves) +
                 ", \"last_wave_fill\": " + jsonNumber(g.lastWaveFill);
        std::printf("%s}\n", (j).c_str());
        return 0;
    }
    std::printf("%s (compute capability %s, %s): %d threads, %d warps, %d blocks per SM at most\n",
                arch->name.c_str(), arch->capability.c_str(), arch->architecture.c_str(),
                arch->maxThreadsPerSm, arch->maxWarpsPerSm(), arch->maxBlocksPerSm);
    std::printf("block: %lld threads = %d warps, %lld registers/thread, %lld B shared memory\n",
                threads, o.warpsPerBlock, regs, smem);
    std::printf("limit by warps          %s  (%d warps / %d per block)\n",
                lim(o.limitWarps).c_str(), arch->maxWarpsPerSm(), o.warpsPerBlock);
    std::printf("limit by registers      %s  (%d per warp allocated in units of %d; %d per "
                "block; %d per SM in %d quarters)\n",
                lim(o.limitRegisters).c_str(), o.registersPerWarp, arch->registerAllocUnit,
                o.registersPerBlock, arch->registersPerSm, arch->subPartitions);
    std::printf("limit by shared memory  %s  (%d B per block incl. %d B reserved, units of %d B; "
                "%d B per SM)\n",
                lim(o.limitShared).c_str(), o.sharedPerBlock, arch->sharedReservedPerBlock,
                arch->sharedAllocUnit, o.sharedCarveout);
    std::printf("limit by block slots    %d\n", o.limitBlocks);
    std::printf("blocks per SM %d, limited by %s: %d active warps of %d = %.1f %% occupancy\n",
                o.blocksPerSm, limits.c_str(), o.activeWarps, arch->maxWarpsPerSm(),
                100 * o.occupancy);
    if (grid > 0)
        std::printf("grid of %lld blocks on %lld SMs: %d wave(s), last wave %.1f %% full\n", grid,
                    sms, g.waves, 100 * g.lastWaveFill);
    std::printf("source: %s\n", arch->source.c_str());
    return 0;
}

int coalesceCmd(const ChipsArgs& a) {
    std::string err;
    long long stride = 0, offset = 0, elem = 4;
    if (!a.has("--stride"))
        return fail("coalesce needs --stride S (elements between lanes)");
    if (!intArg(a, "--stride", stride, -(1LL << 24), 1LL << 24, err) ||
        (a.has("--offset") && !intArg(a, "--offset", offset, -(1LL << 24), 1LL << 24, err)) ||
        (a.has("--elem") && !intArg(a, "--elem", elem, 1, 16, err)))
        return fail(err);
    const gpu::Coalescing c = gpu::coalesce(stride, offset, int(elem));
    if (!c.ok())
        return fail(c.error);
    if (a.on("--json")) {
        std::printf("{\"stride\": %lld, \"offset\": %lld, \"elem\": %lld, \"sectors\": %zu, "
                    "\"lines\": %zu, \"bytes_requested\": %lld, \"bytes_moved\": %lld, "
                    "\"efficiency\": %s}\n",
                    stride, offset, elem, c.sectors.size(), c.lines.size(), c.bytesRequested,
                    c.bytesMoved, jsonNumber(c.efficiency).c_str());
        return 0;
    }
    std::printf("warp of 32 lanes, lane i reads %lld B at element %lld + i × %lld\n", elem, offset,
                stride);
    std::printf("addresses  %lld, %lld, %lld, ... %lld\n", c.address[0], c.address[1], c.address[2],
                c.address.back());
    std::printf("32-byte sectors  %zu\n128-byte lines   %zu\n", c.sectors.size(), c.lines.size());
    std::printf("bytes requested %lld, moved %lld: efficiency %.1f %%\n", c.bytesRequested,
                c.bytesMoved, 100 * c.efficiency);
    std::printf("source: CUDA C++ Best Practices Guide, 'Coalesced Access to Global Memory'\n");
    return 0;
}

int latencyCmd(const ChipsArgs& a) {
    std::string err;
    if (!a.has("--device"))
        return fail("latency needs --device NAME (aisyslab device list)");
    const lessons::DeviceCatalog cat = loadCatalog(a);
    const engine::hw::Device* d = cat.find(a.get("--device"));
    if (!d)
        return fail("unknown device '" + a.get("--device") + "' (expected one of: " + cat.names() +
                    ")");
    long long bytes = 16, ilp = 1, tps = 0;
    double warps = -1;
    if ((a.has("--bytes") && !intArg(a, "--bytes", bytes, 1, 1 << 20, err)) ||
        (a.has("--ilp") && !intArg(a, "--ilp", ilp, 1, 64, err)) ||
        (a.has("--threads-per-sm") && !intArg(a, "--threads-per-sm", tps, 1, 1 << 20, err)))
        return fail(err);
    if (a.has("--warps")) {
        long long w = 0;
        if (!intArg(a, "--warps", w, 0, 1 << 24, err))
            return fail(err);
        warps = double(w);
    }
    const gpu::SmArch* arch = gpu::findSmArch(d->name);
    if (tps == 0 && arch && d->kind == "gpu")
        tps = arch->maxThreadsPerSm;
    std::string json;
    int shown = 0;
    if (!a.on("--json"))
        std::printf("%s: %d %s%s, %lld B per request, %lld in flight per thread\n", d->name.c_str(),
                    d->units, d->unitName.c_str(),
                    tps ? (", " + std::to_string(tps) + " resident threads each").c_str() : "",
                    bytes, ilp);
    for (const engine::hw::MemoryLevel& m : d->memory) {
        if (a.has("--level") && m.name != a.get("--level"))
            continue;
        if (!(m.bandwidthGBs > 0) || !(m.latencyNs > 0)) {
            if (a.has("--level"))
                return fail(d->name + " level " + m.name +
                            " has no published bandwidth and latency in " + d->file);
            continue;
        }
        const gpu::LatencyHiding h = gpu::latencyHiding(m.bandwidthGBs, m.latencyNs, double(bytes),
                                                        int(ilp), d->units, int(tps));
        ++shown;
        const double ach = warps >= 0 ? gpu::achievedBandwidthGBs(m.bandwidthGBs, m.latencyNs,
                                                                  warps, double(bytes), int(ilp))
                                      : -1;
        if (a.on("--json")) {
            json += std::string(json.empty() ? "" : ", ") + "{\"level\": " + jsonText(m.name) +
                    ", \"bandwidth_gbs\": " + jsonNumber(m.bandwidthGBs) +
                    ", \"latency_ns\": " + jsonNumber(m.latencyNs) +
                    ", \"bytes_in_flight\": " + jsonNumber(h.bytesInFlight) +
                    ", \"threads_needed\": " + jsonNumber(h.threadsNeeded) +
                    ", \"warps_needed\": " + jsonNumber(h.warpsNeeded) +
                    ", \"threads_available\": " + jsonNumber(h.threadsAvailable) +
                    ", \"ratio\": " + jsonNumber(h.ratio) +
                    (ach >= 0 ? ", \"achieved_gbs\": " + jsonNumber(ach) : std::string()) + "}";
            continue;
        }
        std::printf("%-10s %6s GB/s × %5s ns = %9s B in flight → %7s threads (%s warps)",
                    m.name.c_str(), grouped(m.bandwidthGBs).c_str(), grouped(m.latencyNs).c_str(),
                    grouped(h.bytesInFlight).c_str(), grouped(h.threadsNeeded).c_str(),
                    grouped(h.warpsNeeded).c_str());
        if (h.threadsAvailable > 0)
            std::printf("; %s resident = %.2f×", grouped(h.threadsAvailable).c_str(), h.ratio);
        if (ach >= 0)
            std::printf("; %g warps achieve %s GB/s", warps, grouped(std::round(ach)).c_str());
        std::printf("\n");
    }
    if (shown == 0)
        return fail(a.has("--level")
                        ? "device " + d->name + " has no memory level '" + a.get("--level") + "'"
                        : "device " + d->name +
                              " publishes no level with both bandwidth and latency");
    if (a.on("--json"))
        std::printf("{\"device\": %s, \"levels\": [%s]}\n", jsonText(d->name).c_str(),
                    json.c_str());
    else
        std::printf("source: %s (memory levels)\n", d->file.c_str());
    return 0;
}

int simtCmd(const ChipsArgs& a) {
    std::string err;
    if (!a.has("--kernel"))
        return fail(std::string("simt needs --kernel NAME|CODE (names: ") +
                    gpu::simtExampleNames() + ")");
    std::string code = gpu::simtExample(a.get("--kernel"));
    if (code.empty())
        code = a.get("--kernel");
    const gpu::SimtKernel k = gpu::parseSimtKernel(code);
    if (!k.ok())
        return fail("--kernel: " + k.error);
    long long lanes = 32;
    if (a.has("--lanes") && !intArg(a, "--lanes", lanes, 1, 32, err))
        return fail(err);
    std::vector<long long> data;
    if (a.has("--data")) {
        const std::string list = a.get("--data");
        size_t at = 0;
        while (at <= list.size()) {
            const size_t comma = std::min(list.find(',', at), list.size());
            double v = 0;
            const std::string w = list.substr(at, comma - at);
            if (!parseNumber(w, v) || v != std::floor(v) || std::fabs(v) > 1e15)
                return fail("--data: '" + w + "' is not an integer");
            data.push_back(static_cast<long long>(v));
            at = comma + 1;
        }
        if (data.size() > 32)
            return fail("--data has " + std::to_string(data.size()) + " values; a warp has 32");
    }
    const gpu::SimtRun r = gpu::runSimt(k, data, int(lanes));
    std::printf("%-28s %-12s %s  cycles\n", "statement", "mask", "lanes");
    for (const gpu::SimtStep& s : r.steps) {
        const std::string text = std::string(2 * s.depth, ' ') + k.stmts[s.stmt].text;
        std::printf("%-28s %s  %d\n", text.c_str(), gpu::maskText(s.mask, int(lanes)).c_str(),
                    s.cycles);
    }
    std::printf("warp cycles %d (the longest lane alone: %d), %d divergent branch(es), SIMT "
                "efficiency %.1f %%\n",
                r.cycles, r.uniformCycles, r.divergentBranches, 100 * r.efficiency);
    std::string xs;
    for (long long v : r.x)
        xs += (xs.empty() ? "" : ",") + std::to_string(v);
    std::printf("x = %s\n", xs.c_str());
    return 0;
}

int warpsCmd(const ChipsArgs& a) {
    std::string err;
    long long w = 0, l = 0, c = 0;
    if (!a.has("--warps") || !a.has("--latency"))
        return fail("warps needs --warps W and --latency L");
    if (!intArg(a, "--warps", w, 1, 64, err) || !intArg(a, "--latency", l, 0, 1000, err))
        return fail(err);
    c = std::min<long long>(3 * (l + 1), 60);
    if (a.has("--cycles") && !intArg(a, "--cycles", c, 1, 10000, err))
        return fail(err);
    const gpu::SchedulerTrace t = gpu::simulateScheduler(int(w), int(l), int(c));
    std::printf("cycle  ");
    for (int i = 0; i < w; ++i)
        std::printf("w%-2d", i);
    std::printf("  (I issue, . waiting, r ready)\n");
    for (int cy = 0; cy < t.cycles; ++cy) {
        std::printf("%5d  ", cy);
        for (gpu::WarpState s : t.state[cy])
            std::printf("%-3s", s == gpu::WarpState::Issue     ? "I"
                                : s == gpu::WarpState::Waiting ? "."
                                                               : "r");
        std::printf("%s\n", t.issuedWarp[cy] < 0 ? "  stall" : "");
    }
    std::printf("issues %d of %d cycles; steady issue rate %.3f = min(1, %lld / %lld)\n", t.issues,
                t.cycles, t.steadyIssueRate, w, l + 1);
    return 0;
}

} // namespace

int runGpu(int argc, char** argv) {
    ChipsArgs a;
    std::string err;
    if (!parseChipsArgs(
            argc, argv,
            {"--arch",   "--threads", "--regs",  "--smem",           "--grid",    "--sms",
             "--stride", "--offset",  "--elem",  "--device",         "--devices", "--level",
             "--bytes",  "--ilp",     "--warps", "--threads-per-sm", "--kernel",  "--data",
             "--lanes",  "--latency", "--cycles"},
            {"--json"}, a, err))
        return fail(err);
    if (a.positional.size() != 1)
        return fail("expected one of: occupancy, coalesce, latency, simt, warps (see --help)");
    const std::string what = a.positional[0];
    if (what == "occupancy")
        return occupancyCmd(a);
    if (what == "coalesce")
        return coalesceCmd(a);
    if (what == "latency")
        return latencyCmd(a);
    if (what == "simt")
        return simtCmd(a);
    if (what == "warps")
        return warpsCmd(a);
    return fail("unknown action '" + what +
                "' (expected one of: occupancy, coalesce, latency, simt, warps)");
}

} // namespace aisys::app::cli
