// `aisyslab device list|show NAME|check FILE`: the device catalogue as text or JSON.
#include "app/cli/chips_commands.h"
#include "app/cli/chips_common.h"

#include <cstdio>

namespace aisys::app::cli {

namespace hw = engine::hw;

const char* deviceUsage() {
    return R"(  aisyslab device list [--devices DIR ...] [--json]
  aisyslab device show NAME [--devices DIR ...] [--json]
  aisyslab device check FILE.toml
      The device catalogue: assets/devices/*.toml, then the user's folder
      ($XDG_DATA_HOME/aisyslab/devices, else ~/.local/share/aisyslab/devices), then each
      --devices DIR; a later file with the same name replaces an earlier one. `show` prints
      every peak (dense and sparse, recomputed from SMs × FMA/clock × 2 × clock where the
      parts are given), the memory levels and the source of each number. `check` reads one
      file and prints its errors as FILE:LINE:COL: message (exit 2 when there are any).
)";
}

namespace {

std::string peakUnit(hw::Precision p) {
    return hw::isInteger(p) ? "TOPS" : "TFLOPS";
}

std::string deviceJson(const hw::Device& d) {
    std::string s =
        "{\"name\": " + jsonText(d.name) + ", \"full_name\": " + jsonText(d.fullName) +
        ", \"vendor\": " + jsonText(d.vendor) + ", \"kind\": " + jsonText(d.kind) +
        ", \"architecture\": " + jsonText(d.architecture) +
        ", \"clock_ghz\": " + jsonNumber(d.clockGHz) + ", \"units\": " + std::to_string(d.units) +
        ", \"unit_name\": " + jsonText(d.unitName) +
        ", \"tensor_cores_per_unit\": " + std::to_string(d.tensorCoresPerUnit) +
        ", \"tdp_w\": " + jsonNumber(d.tdpW) + ", \"file\": " + jsonText(d.file) + ", \"peaks\": [";
    for (std::size_t i = 0; i < d.peaks.size(); ++i) {
        const hw::PeakRate& p = d.peaks[i];
        const auto derived = hw::derivedPeakTflops(d, p);
        s += std::string(i ? ", " : "") +
             "{\"precision\": " + jsonText(hw::precisionName(p.precision)) +
             ", \"dense\": " + jsonNumber(p.denseTflops) +
             ", \"sparse\": " + (p.sparseTflops > 0 ? jsonNumber(p.sparseTflops) : "null") +
             ", \"unit\": " + jsonText(peakUnit(p.precision)) +
             ", \"derived\": " + (derived ? jsonNumber(*derived) : "null") +
             ", \"source\": " + jsonText(p.source) + "}";
    }
    s += "], \"memory\": [";
    for (std::size_t i = 0; i < d.memory.size(); ++i) {
        const hw::MemoryLevel& m = d.memory[i];
        s += std::string(i ? ", " : "") + "{\"name\": " + jsonText(m.name) +
             ", \"capacity_bytes\": " + jsonNumber(m.capacityBytes) +
             ", \"bandwidth_gbs\": " + (m.bandwidthGBs > 0 ? jsonNumber(m.bandwidthGBs) : "null") +
             ", \"latency_ns\": " + (m.latencyNs > 0 ? jsonNumber(m.latencyNs) : "null") +
             ", \"source\": " + jsonText(m.source) + "}";
    }
    s += "], \"sources\": [";
    for (std::size_t i = 0; i < d.sources.size(); ++i)
        s += std::string(i ? ", " : "") + "{\"id\": " + jsonText(d.sources[i].id) +
             ", \"title\": " + jsonText(d.sources[i].title) + "}";
    return s + "], \"notes\": " + jsonText(d.notes) + "}";
}

/// The dense peak of one precision, "-" when the device has none.
std::string peakCell(const hw::Device& d, hw::Precision p) {
    const hw::PeakRate* r = hw::findPeak(d, p);
    if (!r)
        return "-";
    return shortNumber(r->denseTflops);
}

void printList(const lessons::DeviceCatalog& cat) {
    std::printf("%-11s %-4s %9s %9s %9s %9s %10s %6s  %s\n", "name", "kind", "FP64", "FP32", "FP16",
                "INT8", "mem GB/s", "TDP W", "full name");
    for (const hw::Device& d : cat.devices) {
        const hw::MemoryLevel* m = hw::mainMemory(d);
        std::printf(
            "%-11s %-4s %9s %9s %9s %9s %10s %6s  %s\n", d.name.c_str(), d.kind.c_str(),
            peakCell(d, hw::Precision::Fp64).c_str(), peakCell(d, hw::Precision::Fp32).c_str(),
            peakCell(d, hw::Precision::Fp16).c_str(), peakCell(d, hw::Precision::Int8).c_str(),
            m && m->bandwidthGBs > 0 ? shortNumber(m->bandwidthGBs).c_str() : "-",
            d.tdpW > 0 ? shortNumber(d.tdpW).c_str() : "-", d.fullName.c_str());
    }
    std::printf(
        "(dense peaks in TFLOPS, INT8 in TOPS; `aisyslab device show NAME` for the rest)\n");
}

void printDevice(const hw::Device& d) {
    std::printf("%s — %s (%s, %s)\n", d.name.c_str(), d.fullName.c_str(), d.vendor.c_str(),
                d.kind.c_str());
    if (!d.architecture.empty())
        std::printf("architecture: %s\n", d.architecture.c_str());
    if (d.units > 0)
        std::printf("%d %s%s", d.units, d.unitName.c_str(), d.units > 1 ? "s" : "");
    if (d.tensorCoresPerUnit > 0)
        std::printf(", %d Tensor Cores per %s (%d in all)", d.tensorCoresPerUnit,
                    d.unitName.c_str(), d.tensorCoresPerUnit * d.units);
    if (d.clockGHz > 0)
        std::printf("%s%s GHz", d.units > 0 ? ", " : "", shortNumber(d.clockGHz).c_str());
    if (d.tdpW > 0)
        std::printf(", TDP %s W", shortNumber(d.tdpW).c_str());
    std::printf("\n  source: %s\n\npeaks:\n", d.chipSource.c_str());
    for (const hw::PeakRate& p : d.peaks) {
        std::string line = "  " + std::string(hw::precisionName(p.precision)) + ": " +
                           shortNumber(p.denseTflops) + " " + peakUnit(p.precision);
        if (p.sparseTflops > 0)
            line += " (" + shortNumber(p.sparseTflops) + " with 2:4 sparsity)";
        if (auto v = hw::derivedPeakTflops(d, p)) {
            const bool tc = p.fmaPerTensorCoreClock > 0 && d.tensorCoresPerUnit > 0;
            line += " = " + std::to_string(d.units) + " " + d.unitName +
                    (tc ? " × " + std::to_string(d.tensorCoresPerUnit) + " TC × " +
                              shortNumber(p.fmaPerTensorCoreClock)
                        : " × " + shortNumber(p.fmaPerUnitClock)) +
                    " FMA × 2 × " + shortNumber(hw::peakClockGHz(d, p)) +
                    " GHz = " + shortNumber(*v);
        }
        std::printf("%s\n    source: %s\n", line.c_str(), p.source.c_str());
    }
    std::printf("\nmemory:\n");
    for (const hw::MemoryLevel& m : d.memory) {
        std::string line = "  " + m.name + ": " +
                           (m.capacityBytes > 0 ? bytesText(m.capacityBytes) : "capacity —");
        if (m.perUnit && d.units > 0)
            line += " (" + bytesText(m.capacityBytes / d.units) + " per " + d.unitName + ")";
        if (m.bandwidthGBs > 0)
            line += ", " + shortNumber(m.bandwidthGBs) + " GB/s";
        if (m.latencyNs > 0)
            line += ", " + shortNumber(m.latencyNs) + " ns";
        std::printf("%s\n    source: %s\n", line.c_str(), m.source.c_str());
    }
    std::printf("\nsources:\n");
    for (const hw::SourceRef& s : d.sources)
        std::printf("  %s: %s\n", s.id.c_str(), s.title.c_str());
    if (!d.notes.empty())
        std::printf("\nnotes: %s\n", d.notes.c_str());
    std::printf("file: %s\n", d.file.c_str());
}

void warnAbout(const lessons::DeviceCatalog& cat) {
    for (const auto& e : cat.errors)
        std::fprintf(stderr, "aisyslab: warning: %s (file skipped)\n", e.format().c_str());
}

} // namespace

int runDevice(int argc, char** argv) {
    ChipsArgs args;
    std::string err;
    if (!parseChipsArgs(argc, argv, {"--devices"}, {"--json"}, args, err))
        return chipsFail("device", err);
    if (args.positional.empty())
        return chipsFail("device", "expected list, show NAME or check FILE.toml");
    const std::string what = args.positional[0];
    if (what == "check") {
        if (args.positional.size() != 2)
            return chipsFail("device", "check takes one FILE.toml");
        std::vector<lessons::LessonError> errors;
        const auto d = lessons::readDeviceFile(args.positional[1], errors);
        for (const auto& e : errors)
            std::fprintf(stderr, "%s\n", e.format().c_str());
        if (!d)
            return 2;
        std::printf("%s: device '%s' reads without errors (%zu peaks, %zu memory levels)\n",
                    args.positional[1].c_str(), d->name.c_str(), d->peaks.size(), d->memory.size());
        return 0;
    }
    const lessons::DeviceCatalog cat = loadCatalog(args);
    warnAbout(cat);
    if (what == "list") {
        if (args.positional.size() > 1)
            return chipsFail("device",
                             "list takes no name (unexpected '" + args.positional[1] + "')");
        if (args.on("--json")) {
            std::string s = "[";
            for (std::size_t i = 0; i < cat.devices.size(); ++i)
                s += (i ? ", " : "") + deviceJson(cat.devices[i]);
            std::printf("%s]\n", s.c_str());
        } else {
            printList(cat);
        }
        return 0;
    }
    if (what == "show") {
        if (args.positional.size() != 2)
            return chipsFail("device",
                             "show takes one device NAME (expected one of: " + cat.names() + ")");
        const hw::Device* d = cat.find(args.positional[1]);
        if (!d)
            return chipsFail("device", "unknown device '" + args.positional[1] +
                                           "' (expected one of: " + cat.names() + ")");
        if (args.on("--json"))
            std::printf("%s\n", deviceJson(*d).c_str());
        else
            printDevice(*d);
        return 0;
    }
    return chipsFail("device", "unknown action '" + what + "' (expected list, show or check)");
}

} // namespace aisys::app::cli
