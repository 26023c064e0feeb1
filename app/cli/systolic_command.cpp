// `aisyslab systolic`: topology CSV / ONNX model → per-layer SCALE-Sim report.
#include "app/cli/systolic_command.h"

#include "engine/hw/systolic/graph_mapping.h"
#include "engine/hw/systolic/systolic.h"
#include "engine/onnx/onnx_import.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace aisys::app::cli {

namespace sys = engine::systolic;

const char* systolicUsage() {
    return R"(  aisyslab systolic (--topology FILE.csv | --model MODEL.onnx [--dim NAME=V ...])
                    [--rows R] [--cols C] [--dataflow ws|os|is] [--config scale.cfg]
                    [--bw WORDS_PER_CYCLE] [--sram-kb I,F,O] [--single-buffer]
                    [--ideal-memory] [--clock-mhz F] [--report-dir DIR] [--json]
      Maps each layer (SCALE-Sim topology CSV, conv or GEMM form) or each Conv/Gemm/MatMul
      of an ONNX model onto an R×C systolic array and prints SCALE-Sim v2's per-layer
      report: folds, total and stall cycles, overall utilization, mapping efficiency, compute
      utilization, SRAM reads/writes. --config reads SCALE-Sim's scale.cfg (flags override
      it). --bw sets the DRAM bandwidth in words/cycle (InterfaceBandwidth USER); without
      --bw or a USER config SCALE-Sim's CALC mode is used (reads never stall, the ofmap
      drains at C words/cycle, DRAM reads are estimated). --ideal-memory skips the
      memory model (no stalls). --report-dir writes COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv
      and DETAILED_ACCESS_REPORT.csv with SCALE-Sim's columns (only the first with
      --ideal-memory). --single-buffer turns double buffering off; --sram-kb overrides the
      ifmap, filter and ofmap SRAM sizes; --clock-mhz (default 1000) converts cycles to time.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab systolic: %s\n", msg.c_str());
    return 2;
}

/// Python-like float text (shortest round trip, "100.0" not "100").
std::string pyFloat(double v) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".en") == std::string::npos)
        s += ".0";
    return s;
}

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
            continue;
        }
        o += c;
    }
    return o;
}

std::optional<std::int64_t> positiveInt(const std::string& s) {
    std::int64_t v = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec != std::errc() || res.ptr != s.data() + s.size())
        return std::nullopt;
    return v;
}

struct Row {
    std::string node; ///< ONNX node (empty for topology files)
    std::int64_t repeat = 1;
    sys::LayerReport r;
};

void writeReports(const std::string& dir, const std::vector<Row>& rows, bool withMemory) {
    std::filesystem::create_directories(dir);
    auto open = [&](const char* name) {
        std::ofstream f(std::filesystem::path(dir) / name);
        if (!f)
            throw std::runtime_error(dir + "/" + name + ": cannot write");
        return f;
    };
    auto compute = open("COMPUTE_REPORT.csv");
    compute << "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
               "Compute Util %,\n";
    if (!withMemory) { // no memory model: only the compute report has meaning
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const sys::LayerReport& r = rows[i].r;
            compute << i << ", " << r.totalCycles << ", " << r.stallCycles << ", "
                    << pyFloat(r.overallUtilization) << ", " << pyFloat(r.mappingEfficiency) << ", "
                    << pyFloat(r.computeUtilization) << ",\n";
        }
        return;
    }
    auto bw = open("BANDWIDTH_REPORT.csv");
    bw << "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, "
          "Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n";
    auto det = open("DETAILED_ACCESS_REPORT.csv");
    det << "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, SRAM Filter "
           "Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, SRAM OFMAP Start Cycle, SRAM "
           "OFMAP Stop Cycle, SRAM OFMAP Writes, DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, "
           "DRAM IFMAP Reads, DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, "
           "DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,\n";
    auto cyc = [](std::int64_t c) { return std::to_string(c) + ".0"; };
    auto avg = [](std::int64_t n, std::int64_t a, std::int64_t b) {
        return pyFloat(double(n) / double(b - a + 1));
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const sys::LayerReport& r = rows[i].r;
        const double t = double(r.totalCycles);
        compute << i << ", " << r.totalCycles << ", " << r.stallCycles << ", "
                << pyFloat(r.overallUtilization) << ", " << pyFloat(r.mappingEfficiency) << ", "
                << pyFloat(r.computeUtilization) << ",\n";
        bw << i << ", " << pyFloat(double(r.ifmapSramReads) / t) << ", "
           << pyFloat(double(r.filterSramReads) / t) << ", "
           << pyFloat(double(r.ofmapSramWrites) / t) << ", "
           << avg(r.ifmapDramReads, r.ifmapDramStart, r.ifmapDramStop) << ", "
           << avg(r.filterDramReads, r.filterDramStart, r.filterDramStop) << ", "
           << avg(r.ofmapDramWrites, r.ofmapDramStart, r.ofmapDramStop) << ",\n";
        det << i << ", " << cyc(r.ifmapSramStart) << ", " << cyc(r.ifmapSramStop) << ", "
            << r.ifmapSramReads << ", " << cyc(r.filterSramStart) << ", " << cyc(r.filterSramStop)
            << ", " << r.filterSramReads << ", " << cyc(r.ofmapSramStart) << ", "
            << cyc(r.ofmapSramStop) << ", " << r.ofmapSramWrites << ", " << cyc(r.ifmapDramStart)
            << ", " << cyc(r.ifmapDramStop) << ", " << r.ifmapDramReads << ", "
            << cyc(r.filterDramStart) << ", " << cyc(r.filterDramStop) << ", " << r.filterDramReads
            << ", " << cyc(r.ofmapDramStart) << ", " << cyc(r.ofmapDramStop) << ", "
            << r.ofmapDramWrites << ",\n";
    }
}

} // namespace

int runSystolic(int argc, char** argv) {
    std::string topology, model, config, reportDir;
    std::optional<std::int64_t> rows, cols, bw;
    std::optional<sys::Dataflow> df;
    std::optional<std::vector<std::int64_t>> sramKb;
    bool json = false, singleBuffer = false, ideal = false;
    double clockMhz = 1000;
    engine::OnnxImportOptions io;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc)
                return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (a == "--help" || a == "-h") {
            std::printf("Usage:\n%s", systolicUsage());
            return 0;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--single-buffer") {
            singleBuffer = true;
        } else if (a == "--ideal-memory") {
            ideal = true;
        } else if (a == "--topology" || a == "--model" || a == "--config" || a == "--report-dir" ||
                   a == "--rows" || a == "--cols" || a == "--dataflow" || a == "--bw" ||
                   a == "--dim" || a == "--sram-kb" || a == "--clock-mhz") {
            if (!value(v))
                return fail(a + " needs a value");
            if (a == "--topology")
                topology = v;
            else if (a == "--model")
                model = v;
            else if (a == "--config")
                config = v;
            else if (a == "--report-dir")
                reportDir = v;
            else if (a == "--dataflow") {
                df = sys::parseDataflow(v);
                if (!df)
                    return fail("unknown dataflow '" + v + "' (expected ws, os or is)");
            } else if (a == "--dim") {
                try {
                    engine::parseDimBinding(v, io.dims);
                } catch (const std::exception& e) {
                    return fail(e.what());
                }
            } else if (a == "--sram-kb") {
                std::vector<std::int64_t> kb;
                std::size_t start = 0;
                while (start <= v.size()) {
                    const std::size_t comma = v.find(',', start);
                    const auto n = positiveInt(v.substr(start, comma - start));
                    if (!n || *n <= 0)
                        return fail("--sram-kb expects three positive sizes I,F,O in KB, got '" +
                                    v + "'");
                    kb.push_back(*n);
                    if (comma == std::string::npos)
                        break;
                    start = comma + 1;
                }
                if (kb.size() != 3)
                    return fail("--sram-kb expects three sizes I,F,O in KB, got '" + v + "'");
                sramKb = kb;
            } else if (a == "--clock-mhz") {
                char* end = nullptr;
                clockMhz = std::strtod(v.c_str(), &end);
                if (end == v.c_str() || *end != '\0' || !(clockMhz > 0))
                    return fail("--clock-mhz expects a positive number, got '" + v + "'");
            } else {
                const auto n = positiveInt(v);
                if (!n || *n <= 0)
                    return fail(a + " expects a positive integer, got '" + v + "'");
                (a == "--rows" ? rows : a == "--cols" ? cols : bw) = *n;
            }
        } else {
            return fail("unknown argument '" + a + "' (see aisyslab systolic --help)");
        }
    }
    if (topology.empty() == model.empty())
        return fail("give exactly one of --topology FILE.csv or --model MODEL.onnx");

    sys::ScaleConfig cfg;
    try {
        if (!config.empty())
            cfg = sys::loadScaleConfig(config);
        else
            cfg.memory.userBandwidth = false; // SCALE-Sim's CALC mode unless told otherwise
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    sys::ArrayConfig array;
    if (!rows && !cfg.arrayHeight)
        return fail("missing --rows (or ArrayHeight in --config)");
    if (!cols && !cfg.arrayWidth)
        return fail("missing --cols (or ArrayWidth in --config)");
    if (!df && !cfg.dataflow)
        return fail("missing --dataflow ws|os|is (or Dataflow in --config)");
    if ((rows && *rows > 65536) || (cols && *cols > 65536))
        return fail("array rows and cols must be ≤ 65536");
    array.rows = int(rows ? *rows : *cfg.arrayHeight);
    array.cols = int(cols ? *cols : *cfg.arrayWidth);
    const sys::Dataflow dataflow = df ? *df : *cfg.dataflow;
    sys::MemoryConfig mem = cfg.memory;
    if (bw) {
        mem.bandwidth = double(*bw);
        mem.userBandwidth = true;
    }
    if (sramKb) {
        mem.ifmapSramKB = (*sramKb)[0];
        mem.filterSramKB = (*sramKb)[1];
        mem.ofmapSramKB = (*sramKb)[2];
    }
    if (singleBuffer)
        mem.doubleBuffered = false;

    std::vector<Row> out;
    try {
        std::vector<std::pair<std::string, std::pair<sys::Layer, std::int64_t>>> layers;
        if (!topology.empty()) {
            for (auto& l : sys::loadTopology(topology))
                layers.push_back({"", {l, 1}});
        } else {
            engine::Graph g = engine::importOnnxFile(model, io);
            for (auto& m : sys::mapGraphToLayers(g))
                layers.push_back({m.op + " " + m.nodeName, {m.layer, m.repeat}});
            if (layers.empty())
                return fail(model + ": no Conv, Gemm or MatMul node to map");
        }
        for (auto& [node, lr] : layers) {
            const sys::LayerReport r = ideal ? sys::analyzeLayer(lr.first, array, dataflow)
                                             : sys::simulateLayer(lr.first, array, dataflow, mem);
            out.push_back({node, lr.second, r});
        }
    } catch (const std::exception& e) {
        return fail(e.what());
    }

    std::int64_t totalCycles = 0, totalStall = 0, totalMacs = 0;
    for (const Row& row : out) {
        totalCycles += row.r.totalCycles * row.repeat;
        totalStall += row.r.stallCycles * row.repeat;
        totalMacs += row.r.macs * row.repeat;
    }
    const double util =
        double(totalMacs) * 100.0 / (double(totalCycles) * array.rows * double(array.cols));
    const double ms = double(totalCycles) / (clockMhz * 1e3);
    if (json) {
        std::printf("{\"array\":{\"rows\":%d,\"cols\":%d},\"dataflow\":\"%s\",\"layers\":[",
                    array.rows, array.cols, sys::dataflowName(dataflow));
        for (std::size_t i = 0; i < out.size(); ++i) {
            const sys::LayerReport& r = out[i].r;
            std::printf("%s{\"name\":\"%s\",\"node\":\"%s\",\"repeat\":%lld,\"M\":%lld,\"K\":%lld,"
                        "\"N\":%lld,\"folds\":%lld,\"cycles_per_fold\":%lld,\"total_cycles\":%lld,"
                        "\"stall_cycles\":%lld,\"overall_util\":%s,\"mapping_efficiency\":%s,"
                        "\"compute_util\":%s,\"ifmap_sram_reads\":%lld,\"filter_sram_reads\":%lld,"
                        "\"ofmap_sram_writes\":%lld,\"ifmap_dram_reads\":%lld,"
                        "\"filter_dram_reads\":%lld,\"ofmap_dram_writes\":%lld}",
                        i ? "," : "", jsonEscape(r.name).c_str(), jsonEscape(out[i].node).c_str(),
                        (long long)out[i].repeat, (long long)r.gemm.M, (long long)r.gemm.K,
                        (long long)r.gemm.N, (long long)r.folds, (long long)r.cyclesPerFold,
                        (long long)r.totalCycles, (long long)r.stallCycles,
                        pyFloat(r.overallUtilization).c_str(), pyFloat(r.mappingEfficiency).c_str(),
                        pyFloat(r.computeUtilization).c_str(), (long long)r.ifmapSramReads,
                        (long long)r.filterSramReads, (long long)r.ofmapSramWrites,
                        (long long)r.ifmapDramReads, (long long)r.filterDramReads,
                        (long long)r.ofmapDramWrites);
        }
        std::printf("],\"total\":{\"cycles\":%lld,\"stall_cycles\":%lld,\"macs\":%lld,"
                    "\"overall_util\":%s,\"clock_mhz\":%s,\"latency_ms\":%s}}\n",
                    (long long)totalCycles, (long long)totalStall, (long long)totalMacs,
                    pyFloat(util).c_str(), pyFloat(clockMhz).c_str(), pyFloat(ms).c_str());
    } else {
        std::printf("%dx%d array, %s, %s\n", array.rows, array.cols, sys::dataflowName(dataflow),
                    ideal ? "ideal memory"
                          : (std::string(mem.userBandwidth ? "USER" : "CALC") + " bandwidth, " +
                             (mem.doubleBuffered ? "double" : "single") + "-buffered SRAM " +
                             std::to_string(mem.ifmapSramKB) + "/" +
                             std::to_string(mem.filterSramKB) + "/" +
                             std::to_string(mem.ofmapSramKB) + " KB")
                                .c_str());
        std::printf("%-28s %7s %7s %6s %6s %10s %9s %7s %7s %7s %10s %10s %10s\n", "layer", "M",
                    "K", "N", "folds", "cycles", "stalls", "util%", "map%", "cu%", "ifmap_rd",
                    "filter_rd", "ofmap_wr");
        for (const Row& row : out) {
            const sys::LayerReport& r = row.r;
            std::string name = row.node.empty() ? r.name : row.node;
            if (row.repeat > 1)
                name += " x" + std::to_string(row.repeat);
            std::printf("%-28s %7lld %7lld %6lld %6lld %10lld %9lld %7.2f %7.2f %7.2f %10lld "
                        "%10lld %10lld\n",
                        name.c_str(), (long long)r.gemm.M, (long long)r.gemm.K, (long long)r.gemm.N,
                        (long long)r.folds, (long long)r.totalCycles, (long long)r.stallCycles,
                        r.overallUtilization, r.mappingEfficiency, r.computeUtilization,
                        (long long)r.ifmapSramReads, (long long)r.filterSramReads,
                        (long long)r.ofmapSramWrites);
        }
        std::printf("total: %lld cycles (%lld stalls), %lld MACs, overall util %.2f%%, "
                    "%.4f ms at %g MHz\n",
                    (long long)totalCycles, (long long)totalStall, (long long)totalMacs, util, ms,
                    clockMhz);
    }
    if (!reportDir.empty()) {
        try {
            writeReports(reportDir, out, !ideal);
        } catch (const std::exception& e) {
            return fail(e.what());
        }
    }
    return 0;
}

} // namespace aisys::app::cli
