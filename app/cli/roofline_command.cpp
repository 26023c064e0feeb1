// `aisyslab roofline`: a device's roofs, one operator on them, or every node of an ONNX model.
#include "app/cli/chips_commands.h"
#include "app/cli/chips_common.h"
#include "app/cli/optimize_command.h"
#include "engine/hw/roofline/layer_cost.h"
#include "engine/hw/roofline/model_roofline.h"
#include "engine/onnx/onnx_import.h"

#include <charconv>
#include <cstdio>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace aisys::app::cli {

namespace hw = engine::hw;

const char* rooflineUsage() {
    return R"(  aisyslab roofline --device NAME [--dtype P] [--memory LEVEL] [--devices DIR ...]
                    [--op KIND:ARGS[:P] | --model MODEL.onnx [--dim NAME=V ...] [--passes a,b,c |
                    -O0..-O3]] [--json] [--svg FILE [--lang zh|en]]
      The roofline of a device (aisyslab device list): attainable = min(peak, AI × BW), the
      ridge point peak/BW, memory- or compute-bound, time = max(FLOPs/peak, bytes/BW). P is a
      precision (fp32 default; fp16, bf16, tf32, fp8, int8, ...), its dense peak is used;
      LEVEL a memory level of the device (default: its off-chip memory). Without --op or
      --model it prints the ridge of every peak over every level. --op places one operator
      (every input and weight read once, every output written once, × the element size):
        gemm:M,N,K            fc:BATCH,IN,OUT              softmax:ROWS,LENGTH
        conv:N,C,H,W,K,R[,STRIDE[,PAD[,GROUPS]]]           attention:BATCH,SEQ,MODEL,HEADS
        elementwise:ELEMENTS[,OPERANDS[,FLOPS_PER_ELEMENT]]
      e.g. --device V100 --op gemm:8192,128,8192:fp16 (intensity 124.1: memory-bound).
      --model puts every node on the roof (FLOPs from each op's definition, float tensors
      at P's element size) with its time, and the total (nodes one after another); with
      --passes (or -O1..-O3) the graph compiler runs first (fusion, folding: see optimize) and
      the totals before the passes are printed too. --svg FILE also draws a gemm, elementwise
      or softmax --op on the device's roofs through the export path (the roofline Lab's
      picture: aisyslab export --lesson key-metrics-roofline --step 1 --set ...).
)";
}

namespace {

std::vector<std::int64_t> parseInts(const std::string& list, std::string& err) {
    std::vector<std::int64_t> out;
    std::size_t at = 0;
    while (at <= list.size()) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        const std::string word = list.substr(at, comma - at);
        std::int64_t v = 0;
        auto r = std::from_chars(word.data(), word.data() + word.size(), v);
        if (word.empty() || r.ec != std::errc() || r.ptr != word.data() + word.size()) {
            err = "'" + word + "' is not an integer";
            return {};
        }
        out.push_back(v);
        at = comma + 1;
    }
    return out;
}

/// The layer cost of an --op text, or an error naming what was expected.
hw::LayerCostResult opCost(const std::string& kind, const std::vector<std::int64_t>& a, double e) {
    auto need = [&](std::size_t lo, std::size_t hi, const char* form) {
        return a.size() >= lo && a.size() <= hi ? std::string()
                                                : std::string("--op ") + kind + " takes " + form;
    };
    hw::LayerCostResult bad;
    if (kind == "gemm") {
        if ((bad.error = need(3, 3, "M,N,K")).empty())
            return hw::gemmCost(a[0], a[1], a[2], e);
    } else if (kind == "fc") {
        if ((bad.error = need(3, 3, "BATCH,IN,OUT")).empty())
            return hw::fcCost(a[0], a[1], a[2], true, e);
    } else if (kind == "conv") {
        if ((bad.error = need(6, 9, "N,C,H,W,K,R[,STRIDE[,PAD[,GROUPS]]]")).empty()) {
            hw::ConvShape s;
            s.batch = a[0];
            s.inC = a[1];
            s.height = a[2];
            s.width = a[3];
            s.outC = a[4];
            s.kernelH = s.kernelW = a[5];
            s.stride = a.size() > 6 ? a[6] : 1;
            s.pad = a.size() > 7 ? a[7] : a[5] / 2;
            s.groups = a.size() > 8 ? a[8] : 1;
            s.bias = true;
            return hw::convCost(s, e);
        }
    } else if (kind == "attention") {
        if ((bad.error = need(4, 4, "BATCH,SEQ,MODEL,HEADS")).empty())
            return hw::attentionCost(a[0], a[1], a[2], a[3], false, e);
    } else if (kind == "softmax") {
        if ((bad.error = need(2, 2, "ROWS,LENGTH")).empty())
            return hw::softmaxCost(a[0], a[1], e);
    } else if (kind == "elementwise") {
        if ((bad.error = need(1, 3, "ELEMENTS[,OPERANDS[,FLOPS_PER_ELEMENT]]")).empty())
            return hw::elementwiseCost(a[0], a.size() > 1 ? int(a[1]) : 1,
                                       a.size() > 2 ? double(a[2]) : 1.0, e);
    } else {
        bad.error = "unknown --op kind '" + kind +
                    "' (expected gemm, fc, conv, attention, softmax or elementwise)";
    }
    return bad;
}

std::string pointJson(const hw::RooflinePoint& p) {
    return "\"flops\": " + jsonNumber(p.flops) + ", \"bytes\": " + jsonNumber(p.bytes) +
           ", \"intensity\": " + jsonNumber(p.intensity) +
           ", \"attainable_tflops\": " + jsonNumber(p.attainableTflops) +
           ", \"seconds\": " + jsonNumber(p.seconds) +
           ", \"bound\": " + (p.memoryBound ? "\"memory\"" : "\"compute\"");
}

std::string roofJson(const hw::Roof& r) {
    return "{\"memory\": " + jsonText(r.memory) + ", \"peak_tflops\": " + jsonNumber(r.peakTflops) +
           ", \"bandwidth_gbs\": " + jsonNumber(r.bandwidthGBs) +
           ", \"ridge\": " + jsonNumber(r.ridge()) + "}";
}

std::string timeText(double s) {
    if (s >= 1)
        return shortNumber(s) + " s";
    if (s >= 1e-3)
        return shortNumber(s * 1e3) + " ms";
    return shortNumber(s * 1e6) + " µs";
}

std::string pointText(const hw::RooflinePoint& p, const hw::Roof& r) {
    return std::string(p.memoryBound ? "memory-bound" : "compute-bound") + ": attainable " +
           shortNumber(p.attainableTflops) + " TFLOPS (" + shortNumber(100 * p.fractionOfPeak) +
           " % of peak), time " + timeText(p.seconds) + " (compute " + timeText(p.computeSeconds) +
           ", memory " + timeText(p.memorySeconds) + "; ridge " + shortNumber(r.ridge()) +
           " FLOP/B)";
}

/// The levels to show: the one asked for, else every level with a bandwidth.
std::vector<hw::Roof> roofsOf(const hw::Device& d, hw::Precision p, const std::string& memory,
                              std::string& err) {
    std::vector<hw::Roof> out;
    if (!memory.empty()) {
        auto r = hw::makeRoof(d, p, memory);
        if (!r.ok())
            err = r.error;
        else
            out.push_back(r.roof);
        return out;
    }
    for (const hw::MemoryLevel& m : d.memory)
        if (m.bandwidthGBs > 0)
            if (auto r = hw::makeRoof(d, p, m.name); r.ok())
                out.push_back(r.roof);
    if (out.empty())
        err = hw::makeRoof(d, p).error;
    return out;
}

int runModel(const ChipsArgs& args, const hw::Roof& roof, bool json) {
    engine::OnnxImportOptions io;
    io.inferShapes = false; // modelRoofline infers on its own copy
    try {
        auto it = args.values.find("--dim");
        if (it != args.values.end())
            for (const std::string& d : it->second)
                engine::parseDimBinding(d, io.dims);
        engine::Graph g = engine::importOnnxFile(args.get("--model"), io);
        const hw::ModelRoofline before = hw::modelRoofline(g, roof);
        if (!before.error.empty())
            return chipsFail("roofline", args.get("--model") + ": " + before.error);
        const std::string passes = args.get("--passes");
        if (!passes.empty())
            if (auto e = optimizeGraph(g, passes); !e.empty())
                return chipsFail("roofline", "--passes " + passes + ": " + e);
        const hw::ModelRoofline m = passes.empty() ? before : hw::modelRoofline(g, roof);
        if (!m.error.empty())
            return chipsFail("roofline", args.get("--model") + " after " + passes + ": " + m.error);
        auto totalsJson = [](const hw::ModelRoofline& r) {
            return "\"total_flops\": " + jsonNumber(r.totalFlops) +
                   ", \"total_bytes\": " + jsonNumber(r.totalBytes) +
                   ", \"total_seconds\": " + jsonNumber(r.totalSeconds) +
                   ", \"memory_bound_nodes\": " + std::to_string(r.memoryBoundNodes) +
                   ", \"node_count\": " + std::to_string(r.nodes.size());
        };
        if (json) {
            std::string s = "{\"device\": " + jsonText(roof.device) +
                            ", \"precision\": " + jsonText(hw::precisionName(roof.precision)) +
                            ", \"roof\": " + roofJson(roof) + ", \"nodes\": [";
            for (std::size_t i = 0; i < m.nodes.size(); ++i)
                s += std::string(i ? ", " : "") + "{\"node\": " + jsonText(m.nodes[i].node) +
                     ", \"op\": " + jsonText(m.nodes[i].op) + ", " + pointJson(m.nodes[i].point) +
                     ", \"known\": " + (m.nodes[i].known ? "true" : "false") + "}";
            s += "], " + totalsJson(m) + ", \"complete\": " + (m.complete ? "true" : "false");
            if (!passes.empty())
                s += ", \"passes\": " + jsonText(passes) + ", \"before\": {" + totalsJson(before) +
                     "}";
            std::printf("%s}\n", s.c_str());
            return 0;
        }
        std::printf("%s, %s over %s: peak %s TFLOPS, %s GB/s, ridge %s FLOP/B\n",
                    roof.device.c_str(), hw::precisionName(roof.precision), roof.memory.c_str(),
                    shortNumber(roof.peakTflops).c_str(), shortNumber(roof.bandwidthGBs).c_str(),
                    shortNumber(roof.ridge()).c_str());
        std::printf("%-28s %-18s %11s %11s %9s %-8s %10s\n", "node", "op", "MFLOP", "kB", "FLOP/B",
                    "bound", "time");
        for (const hw::NodePoint& n : m.nodes)
            std::printf(
                "%-28s %-18s %11s %11s %9s %-8s %10s%s\n", n.node.c_str(), n.op.c_str(),
                shortNumber(n.point.flops / 1e6).c_str(), shortNumber(n.point.bytes / 1e3).c_str(),
                shortNumber(n.point.intensity).c_str(), n.point.memoryBound ? "memory" : "compute",
                timeText(n.point.seconds).c_str(), n.known ? "" : "  (shape unknown)");
        std::printf("total: %s FLOPs, %s bytes, %d of %zu nodes memory-bound, %s%s\n",
                    shortNumber(m.totalFlops).c_str(), shortNumber(m.totalBytes).c_str(),
                    m.memoryBoundNodes, m.nodes.size(), timeText(m.totalSeconds).c_str(),
                    m.complete ? "" : " (lower bound: bind unknown dims with --dim NAME=V)");
        if (!passes.empty())
            std::printf("before %s: %zu nodes, %s FLOPs, %s bytes, %d memory-bound, %s\n",
                        passes.c_str(), before.nodes.size(), shortNumber(before.totalFlops).c_str(),
                        shortNumber(before.totalBytes).c_str(), before.memoryBoundNodes,
                        timeText(before.totalSeconds).c_str());
    } catch (const std::exception& e) {
        return chipsFail("roofline", e.what());
    }
    return 0;
}

/// Draws the operator through `aisyslab export` (a child process of this binary: this
/// subcommand links no Qt): the key-metrics-roofline lesson's first step with the device,
/// precision, memory level and shape set. Returns the child's exit code.
int exportSvg(const ChipsArgs& args, const std::string& kind, const std::vector<std::int64_t>& a,
              const std::string& precision) {
    std::vector<std::string> words = {"export", "--lesson", "key-metrics-roofline",
                                      "--step", "1",        "--format",
                                      "svg",    "-o",       args.get("--svg")};
    auto set = [&](const std::string& name, const std::string& v) {
        words.push_back("--set");
        words.push_back(name + "=" + v);
    };
    set("device", args.get("--device"));
    set("dtype", precision);
    set("op", kind);
    set("M", std::to_string(a[0]));
    set("N", std::to_string(a.size() > 1 ? a[1] : 1));
    if (kind == "gemm")
        set("K", std::to_string(a[2]));
    set("memory", args.get("--memory")); // also over the lesson's own L2 step
    set("utilization", "1");
    if (!args.get("--devices").empty())
        set("devices", args.get("--devices"));
    if (!args.get("--lang").empty()) {
        words.push_back("--lang");
        words.push_back(args.get("--lang"));
    }
    std::vector<char*> argv;
    std::string self = "/proc/self/exe";
    argv.push_back(self.data());
    for (std::string& w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    pid_t pid = 0;
    if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0)
        return chipsFail("roofline", "--svg: cannot start the export");
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return chipsFail("roofline", "--svg: the export did not finish");
    return WEXITSTATUS(status);
}

} // namespace

int runRoofline(int argc, char** argv) {
    ChipsArgs args;
    std::string err;
    if (!parseChipsArgs(argc, argv,
                        {"--device", "--dtype", "--memory", "--devices", "--op", "--model", "--dim",
                         "--passes", "--svg", "--lang"},
                        {"--json", "-O0", "-O1", "-O2", "-O3"}, args, err))
        return chipsFail("roofline", err);
    if (!args.positional.empty())
        return chipsFail("roofline", "unexpected '" + args.positional[0] + "'");
    for (const char* level : {"-O0", "-O1", "-O2", "-O3"})
        if (args.on(level))
            args.values["--passes"].push_back(level);
    if (args.has("--passes") && !args.has("--model"))
        return chipsFail("roofline", "--passes applies to --model only");
    if (args.has("--svg") && !args.has("--op"))
        return chipsFail("roofline", "--svg draws an --op (gemm, elementwise or softmax)");
    const lessons::DeviceCatalog cat = loadCatalog(args);
    for (const auto& e : cat.errors)
        std::fprintf(stderr, "aisyslab: warning: %s (file skipped)\n", e.format().c_str());
    if (args.get("--device").empty())
        return chipsFail("roofline",
                         "--device NAME is required (expected one of: " + cat.names() + ")");
    const hw::Device* d = cat.find(args.get("--device"));
    if (!d)
        return chipsFail("roofline", "unknown device '" + args.get("--device") +
                                         "' (expected one of: " + cat.names() + ")");
    if (args.has("--op") && args.has("--model"))
        return chipsFail("roofline", "give --op or --model, not both");
    // The precision: the --op's own suffix, else --dtype, else fp32.
    std::string op = args.get("--op");
    std::string pname = args.get("--dtype").empty() ? "fp32" : args.get("--dtype");
    std::string kind, list;
    if (!op.empty()) {
        const std::size_t c1 = op.find(':');
        if (c1 == std::string::npos)
            return chipsFail("roofline", "--op '" + op + "' (expected KIND:ARGS, e.g. gemm:M,N,K)");
        kind = op.substr(0, c1);
        list = op.substr(c1 + 1);
        if (const std::size_t c2 = list.find(':'); c2 != std::string::npos) {
            pname = list.substr(c2 + 1);
            list = list.substr(0, c2);
        }
    }
    const auto prec = hw::precisionByName(pname);
    if (!prec)
        return chipsFail("roofline", "unknown precision '" + pname +
                                         "' (expected one of: " + hw::precisionNames() + ")");
    const bool json = args.on("--json");
    if (args.has("--model")) {
        const auto r = hw::makeRoof(*d, *prec, args.get("--memory"));
        if (!r.ok())
            return chipsFail("roofline", r.error);
        return runModel(args, r.roof, json);
    }
    if (op.empty()) {
        // Every peak over every level with a bandwidth.
        std::string s = "{\"device\": " + jsonText(d->name) + ", \"roofs\": [";
        bool first = true;
        if (!json)
            std::printf("%s: ridge points (FLOP/B) = peak / bandwidth\n", d->name.c_str());
        for (const hw::PeakRate& p : d->peaks) {
            std::string e2;
            for (const hw::Roof& r : roofsOf(*d, p.precision, args.get("--memory"), e2)) {
                if (json)
                    s += std::string(first ? "" : ", ") +
                         "{\"precision\": " + jsonText(hw::precisionName(p.precision)) + ", " +
                         roofJson(r).substr(1);
                else
                    std::printf("  %-11s %9s TFLOPS over %-10s %9s GB/s: ridge %s\n",
                                hw::precisionName(p.precision), shortNumber(r.peakTflops).c_str(),
                                r.memory.c_str(), shortNumber(r.bandwidthGBs).c_str(),
                                shortNumber(r.ridge()).c_str());
                first = false;
            }
            if (!e2.empty())
                return chipsFail("roofline", e2);
        }
        if (json)
            std::printf("%s]}\n", s.c_str());
        return 0;
    }
    std::vector<std::int64_t> a = parseInts(list, err);
    if (!err.empty())
        return chipsFail("roofline",
                         "--op " + op + ": " + err + " (expected integers separated by commas)");
    const hw::LayerCostResult cost = opCost(kind, a, hw::precisionBytes(*prec));
    if (!cost.ok())
        return chipsFail("roofline", "--op " + op + ": " + cost.error);
    const std::vector<hw::Roof> roofs = roofsOf(*d, *prec, args.get("--memory"), err);
    if (!err.empty())
        return chipsFail("roofline", err);
    const hw::LayerCost& c = cost.cost;
    if (args.has("--svg")) {
        if (kind != "gemm" && kind != "elementwise" && kind != "softmax")
            return chipsFail("roofline", "--svg draws gemm, elementwise or softmax, not " + kind);
        if (kind == "elementwise" && a.size() > 1)
            return chipsFail("roofline", "--svg draws elementwise:ELEMENTS (one operand, 1 FLOP "
                                         "each)");
        if (const int rc = exportSvg(args, kind, a, hw::precisionName(*prec)); rc != 0)
            return rc;
    }
    if (json) {
        std::string s = "{\"device\": " + jsonText(d->name) + ", \"op\": " + jsonText(op) +
                        ", \"precision\": " + jsonText(hw::precisionName(*prec)) +
                        ", \"params\": " + std::to_string(c.params) +
                        ", \"macs\": " + jsonNumber(c.macs) + ", \"levels\": [";
        for (std::size_t i = 0; i < roofs.size(); ++i)
            s += std::string(i ? ", " : "") + "{\"roof\": " + roofJson(roofs[i]) + ", " +
                 pointJson(hw::placeOnRoof(roofs[i], c.flops, c.bytes)) + "}";
        std::printf("%s]}\n", s.c_str());
        return 0;
    }
    std::printf("%s on %s (%s): %s FLOPs (%s MACs), %s bytes, %s parameters, intensity %s FLOP/B\n",
                op.c_str(), d->name.c_str(), hw::precisionName(*prec), shortNumber(c.flops).c_str(),
                shortNumber(c.macs).c_str(), shortNumber(c.bytes).c_str(),
                std::to_string(c.params).c_str(), shortNumber(c.intensity()).c_str());
    for (const hw::Roof& r : roofs)
        std::printf("  %-10s %s\n", r.memory.c_str(),
                    pointText(hw::placeOnRoof(r, c.flops, c.bytes), r).c_str());
    return 0;
}

} // namespace aisys::app::cli
