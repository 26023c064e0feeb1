// `aisyslab tensorcore` (a GEMM tiled onto Tensor Cores, each generation's peak from the device
// files) and `aisyslab link` (a transfer between two GPUs of an interconnect topology).
#include "app/cli/chips_commands.h"
#include "app/cli/chips_common.h"
#include "app/cli/options.h"
#include "engine/dist/path.h"
#include "engine/dist/units.h"
#include "engine/hw/gpu/tensor_core.h"
#include "engine/hw/interconnect/links.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace aisys::app::cli {

namespace gpu = engine::hw::gpu;
namespace hw = engine::hw;
namespace ic = engine::hw::interconnect;
namespace dist = engine::dist;

const char* tensorcoreUsage() {
    return R"(  aisyslab tensorcore [--gen G] [--gemm M,N,K] [--block BM,BN,BK] [--warp WM,WN]
                      [--devices DIR ...] [--json]
      Tensor Cores. Without --gemm: every generation (volta turing ampere hopper) with its
      FP16 FMA per Tensor Core per clock, per-clock MMA shape and the peak SM × TC/SM ×
      FMA/clock × 2 × clock recomputed from its device file. With --gemm: C = A·B tiled thread
      block (BM×BN stepping K by BK, default 128,128,32) → warp (WM×WN, default 64,64) →
      16×16×16 fragments (mma_sync) → per-clock MMAs of generation G (default ampere):
      mma_sync count, minimal count (padding to 16 only), padding waste, clocks per mma_sync,
      Tensor Core clocks and the time at the device's peak clock.
)";
}

const char* linkUsage() {
    return R"(  aisyslab link --topology T --from A --to B [--bytes N] [--json]
  aisyslab link --list | --flits BYTES
      A transfer between GPUs A and B of topology T: pcie-tree, dgx1 (P100 hybrid cube-mesh),
      dgx2, dgx-a100, dgx-h100 (assets/topologies) or a topology file (engine/dist/README.md).
      Prints the simulator's route (hops, GPUs passed through, Σα, the bottleneck bandwidth,
      α + N/B), and the max-flow bandwidth over all paths with α + N/B_max. N as 64M, 1GiB
      (default 1M). --list: NVLink and PCIe generations; --flits: NVLink packet efficiency of a
      BYTES payload (1 header flit + data flits of 16 B).
)";
}

namespace {

bool ints(const std::string& list, size_t n, std::vector<long long>& out, std::string& err,
          const char* what) {
    out.clear();
    size_t at = 0;
    while (at <= list.size()) {
        const size_t comma = std::min(list.find(',', at), list.size());
        const std::string w = list.substr(at, comma - at);
        double v = 0;
        if (!parseNumber(w, v) || v != std::floor(v) || std::fabs(v) > 1e12) {
            err = std::string(what) + " '" + list + "': '" + w + "' is not an integer";
            return false;
        }
        out.push_back(static_cast<long long>(v));
        at = comma + 1;
    }
    if (out.size() != n) {
        err = std::string(what) + " '" + list + "': expected " + std::to_string(n) +
              " comma-separated integers";
        return false;
    }
    return true;
}

struct GenPeak {
    const hw::Device* device = nullptr;
    double clock = 0;
    double peak = 0;
};

GenPeak peakOf(const gpu::TensorCoreGen& g, const lessons::DeviceCatalog& cat) {
    GenPeak p;
    if (g.device.empty())
        return p;
    p.device = cat.find(g.device);
    if (!p.device)
        return p;
    const hw::PeakRate* r = hw::findPeak(*p.device, hw::Precision::Fp16);
    p.clock = r ? hw::peakClockGHz(*p.device, *r) : p.device->clockGHz;
    p.peak = gpu::tensorCorePeakTflops(p.device->units, p.device->tensorCoresPerUnit, g.fmaPerClock,
                                       p.clock);
    return p;
}

} // namespace

int runTensorcore(int argc, char** argv) {
    ChipsArgs a;
    std::string err;
    auto fail = [](const std::string& m) { return chipsFail("tensorcore", m); };
    if (!parseChipsArgs(argc, argv, {"--gen", "--gemm", "--block", "--warp", "--devices"},
                        {"--json"}, a, err))
        return fail(err);
    if (!a.positional.empty())
        return fail("unexpected '" + a.positional[0] + "'");
    const lessons::DeviceCatalog cat = loadCatalog(a);
    if (!a.has("--gemm")) {
        if (a.on("--json")) {
            std::string j;
            for (const gpu::TensorCoreGen& g : gpu::tensorCoreGens()) {
                const GenPeak p = peakOf(g, cat);
                j += std::string(j.empty() ? "" : ", ") + "{\"gen\": " + jsonText(g.name) +
                     ", \"fma_per_clock\": " + std::to_string(g.fmaPerClock) + ", \"shape\": " +
                     jsonText(std::to_string(g.m) + "x" + std::to_string(g.n) + "x" +
                              std::to_string(g.k)) +
                     ", \"peak_tflops\": " + (p.device ? jsonNumber(p.peak) : "null") + "}";
            }
            std::printf("{\"generations\": [%s]}\n", j.c_str());
            return 0;
        }
        for (const gpu::TensorCoreGen& g : gpu::tensorCoreGens()) {
            const GenPeak p = peakOf(g, cat);
            std::printf("gen %d %-14s %4d FP16 FMA/TC/clock, %d TC/SM, per clock %d×%d×%d%s",
                        g.generation, g.architecture.c_str(), g.fmaPerClock, g.tensorCoresPerSm,
                        g.m, g.n, g.k, g.shapePublished ? "" : " (shape not published)");
            if (p.device)
                std::printf("; %s: %d SM × %d × %d × 2 × %.2f GHz = %.1f TFLOPS", g.device.c_str(),
                            p.device->units, p.device->tensorCoresPerUnit, g.fmaPerClock, p.clock,
                            p.peak);
            std::printf("\n    %s\n", g.source.c_str());
        }
        return 0;
    }
    const std::string genName = a.has("--gen") ? a.get("--gen") : "ampere";
    const gpu::TensorCoreGen* g = gpu::findTensorCoreGen(genName);
    if (!g)
        return fail("unknown generation '" + genName +
                    "' (expected one of: " + gpu::tensorCoreGenNames() + ")");
    std::vector<long long> mnk, blk, wrp;
    if (!ints(a.get("--gemm"), 3, mnk, err, "--gemm"))
        return fail(err);
    gpu::TcTiling t;
    if (a.has("--block")) {
        if (!ints(a.get("--block"), 3, blk, err, "--block"))
            return fail(err);
        t.blockM = int(blk[0]), t.blockN = int(blk[1]), t.blockK = int(blk[2]);
    }
    if (a.has("--warp")) {
        if (!ints(a.get("--warp"), 2, wrp, err, "--warp"))
            return fail(err);
        t.warpM = int(wrp[0]), t.warpN = int(wrp[1]);
    }
    const GenPeak p = peakOf(*g, cat);
    const gpu::TcPlan plan = gpu::planTensorCoreGemm(mnk[0], mnk[1], mnk[2], t, *g,
                                                     p.device ? p.device->units : 0, p.clock);
    if (!plan.ok())
        return fail(plan.error);
    if (a.on("--json")) {
        std::printf("{\"gen\": %s, \"M\": %lld, \"N\": %lld, \"K\": %lld, \"blocks\": %lld, "
                    "\"warps_per_block\": %d, \"mma_sync\": %lld, \"mma_minimal\": %lld, "
                    "\"padding_waste\": %s, \"clocks_per_mma\": %lld, \"per_clock_ops\": %lld, "
                    "\"tensor_core_clocks\": %lld, \"gpu_clocks\": %s, \"time_us\": %s}\n",
                    jsonText(g->name).c_str(), plan.M, plan.N, plan.K, plan.gridM * plan.gridN,
                    plan.warpsPerBlock, plan.mmaSync, plan.mmaMinimal,
                    jsonNumber(plan.paddingWaste).c_str(), plan.clocksPerMma, plan.perClockOps,
                    plan.tensorCoreClocks, jsonNumber(plan.gpuClocks).c_str(),
                    jsonNumber(plan.timeUs).c_str());
        return 0;
    }
    std::printf("GEMM %lld×%lld×%lld on %s Tensor Cores (%d FMA/clock, per clock %d×%d×%d)\n",
                plan.M, plan.N, plan.K, g->architecture.c_str(), g->fmaPerClock, g->m, g->n, g->k);
    std::printf("thread blocks  %lld × %lld of %d×%d, %lld K steps of %d\n", plan.gridM, plan.gridN,
                t.blockM, t.blockN, plan.kSteps, t.blockK);
    std::printf("warps          %d per block, each %d×%d = %d fragments of 16×16\n",
                plan.warpsPerBlock, t.warpM, t.warpN, plan.fragmentsPerWarp);
    std::printf("mma_sync       %lld (%lld per warp per K step); %lld if padded to 16 only\n",
                plan.mmaSync, plan.mmaPerWarpPerKStep, plan.mmaMinimal);
    std::printf("padding waste  %.2f %% of %lld issued FMA (useful %lld)\n",
                100 * plan.paddingWaste, plan.issuedFma, plan.usefulFma);
    std::printf("per mma_sync   %lld clocks on one Tensor Core = %lld per-clock %d×%d×%d MMAs\n",
                plan.clocksPerMma, plan.perClockOps, g->m, g->n, g->k);
    std::printf("Tensor Core clocks %lld", plan.tensorCoreClocks);
    if (p.device)
        std::printf("; over %d SM × %d TC: %.0f clocks = %.2f us at %.2f GHz (peak %.1f TFLOPS)",
                    p.device->units, p.device->tensorCoresPerUnit, plan.gpuClocks, plan.timeUs,
                    p.clock, p.peak);
    std::printf("\n");
    return 0;
}

int runLink(int argc, char** argv) {
    ChipsArgs a;
    std::string err;
    auto fail = [](const std::string& m) { return chipsFail("link", m); };
    if (!parseChipsArgs(argc, argv, {"--topology", "--from", "--to", "--bytes", "--flits"},
                        {"--json", "--list"}, a, err))
        return fail(err);
    if (!a.positional.empty())
        return fail("unexpected '" + a.positional[0] + "'");
    if (a.on("--list")) {
        std::printf("NVLink  gen GPU   links × GB/s per direction = per GPU (bidirectional)\n");
        for (const ic::NvlinkGen& g : ic::nvlinkGens())
            std::printf("        %d   %-5s %2d × %g = %g GB/s (%g GB/s)   %s\n", g.generation,
                        g.gpu.c_str(), g.linksPerGpu, g.linkGBsPerDirection, g.gpuGBsPerDirection(),
                        g.gpuGBsBidirectional(), g.source.c_str());
        std::printf("PCIe    gen GT/s  x16 per direction (bidirectional)\n");
        for (const ic::PcieGen& g : ic::pcieGens())
            std::printf("        %d   %-4g  %.2f GB/s (%.1f GB/s)   %s\n", g.generation,
                        g.gtPerSecond, g.GBsPerDirection(), 2 * g.GBsPerDirection(),
                        g.source.c_str());
        return 0;
    }
    if (a.has("--flits")) {
        double v = 0;
        if (!parseNumber(a.get("--flits"), v) || v != std::floor(v))
            return fail("--flits '" + a.get("--flits") + "': expected a payload in bytes");
        const ic::FlitEfficiency f = ic::nvlinkPacketEfficiency(int(v));
        if (!f.error.empty())
            return fail(f.error);
        std::printf("%d B payload: %d data flit(s) + %d header flit of 16 B = %d flits; "
                    "efficiency %d / %d = %.2f %%\n",
                    f.payloadBytes, f.dataFlits, f.headerFlits, f.totalFlits, f.payloadBytes,
                    f.totalFlits * ic::kFlitBytes, 100 * f.efficiency);
        return 0;
    }
    if (!a.has("--topology") || !a.has("--from") || !a.has("--to"))
        return fail("--topology, --from and --to are required (or --list, --flits; see --help)");
    static const std::pair<const char*, const char*> named[] = {{"pcie-tree", "pcie_tree.topo"},
                                                                {"dgx1", "dgx1_cube_mesh.topo"},
                                                                {"dgx2", "dgx2.topo"},
                                                                {"dgx-a100", "dgx_a100.topo"},
                                                                {"dgx-h100", "dgx_h100.topo"}};
    std::string path = a.get("--topology");
    bool isNamed = false;
    for (const auto& [n, f] : named)
        if (path == n)
            path = builtInAssetDir("topologies") + "/" + f, isNamed = true;
    if (!isNamed && !std::filesystem::exists(path))
        return fail("unknown topology '" + path +
                    "' (expected pcie-tree, dgx1, dgx2, dgx-a100, dgx-h100 or a topology file)");
    const auto topo = dist::loadTopology(path, err);
    if (!topo)
        return fail(err);
    double from = 0, to = 0;
    const int p = topo->rankCount();
    for (auto [flag, out] : {std::pair{"--from", &from}, std::pair{"--to", &to}})
        if (!parseNumber(a.get(flag), *out) || *out != std::floor(*out) || *out < 0 || *out >= p)
            return fail(std::string(flag) + " '" + a.get(flag) + "': expected a GPU 0.." +
                        std::to_string(p - 1) + " of " + a.get("--topology"));
    double bytes = 1 << 20;
    if (a.has("--bytes")) {
        const auto b = dist::parseBytes(a.get("--bytes"), err);
        if (!b)
            return fail("--bytes: " + err);
        bytes = double(*b);
    }
    const dist::PathReport r = dist::pathBetween(*topo, int(from), int(to), bytes);
    std::string route;
    for (int n : r.nodes)
        route += (route.empty() ? "" : " → ") + topo->nodeName(n);
    if (a.on("--json")) {
        std::printf("{\"topology\": %s, \"from\": %d, \"to\": %d, \"bytes\": %s, \"route\": %s, "
                    "\"hops\": %d, \"gpu_hops\": %d, \"alpha_s\": %s, \"bottleneck_Bps\": %s, "
                    "\"time_s\": %s, \"max_flow_Bps\": %s, \"striped_time_s\": %s}\n",
                    jsonText(a.get("--topology")).c_str(), r.from, r.to, jsonNumber(bytes).c_str(),
                    jsonText(route).c_str(), r.hops, r.gpuHops, jsonNumber(r.alpha).c_str(),
                    jsonNumber(r.bottleneck).c_str(), jsonNumber(r.time).c_str(),
                    jsonNumber(r.maxFlow).c_str(), jsonNumber(r.stripedTime).c_str());
        return 0;
    }
    std::printf("%s: gpu%d → gpu%d, %s\n", a.get("--topology").c_str(), r.from, r.to,
                dist::formatBytes(bytes).c_str());
    if (r.hops == 0) {
        std::printf("same GPU: no transfer\n");
        return 0;
    }
    std::printf("route       %s\n", route.c_str());
    std::printf("hops        %d (%d through another GPU)\n", r.hops, r.gpuHops);
    std::printf("α           %s\n", dist::formatTime(r.alpha).c_str());
    std::printf("bottleneck  %s GB/s  → time α + n/B = %s\n",
                shortNumber(r.bottleneck / 1e9).c_str(), dist::formatTime(r.time).c_str());
    std::printf("all paths   %s GB/s (max flow) → %s striped over every path\n",
                shortNumber(r.maxFlow / 1e9).c_str(), dist::formatTime(r.stripedTime).c_str());
    return 0;
}

} // namespace aisys::app::cli
