// Device facts: precision names, peak lookup, derived peaks and the consistency check.
#include "engine/hw/roofline/device.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace aisys::engine::hw {

namespace {

struct PrecisionRow {
    Precision p;
    const char* name;
    const char* alias; ///< the engine's dtype spelling, "" where none
    double bytes;
};

constexpr PrecisionRow kPrecisions[] = {
    {Precision::Fp64, "fp64", "f64", 8},  {Precision::Fp64Tensor, "fp64_tensor", "", 8},
    {Precision::Fp32, "fp32", "f32", 4},  {Precision::Tf32, "tf32", "", 4},
    {Precision::Fp16, "fp16", "f16", 2},  {Precision::Bf16, "bf16", "", 2},
    {Precision::Fp8, "fp8", "f8", 1},     {Precision::Fp6, "fp6", "", 0.75},
    {Precision::Fp4, "fp4", "", 0.5},     {Precision::Int8, "int8", "i8", 1},
    {Precision::Int4, "int4", "i4", 0.5},
};

const PrecisionRow& row(Precision p) {
    for (const PrecisionRow& r : kPrecisions)
        if (r.p == p)
            return r;
    return kPrecisions[0]; // unreachable: every enumerator has a row
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string fmt(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", v);
    return b;
}

} // namespace

const char* precisionName(Precision p) {
    return row(p).name;
}

std::optional<Precision> precisionByName(const std::string& name) {
    const std::string n = lower(name);
    for (const PrecisionRow& r : kPrecisions)
        if (n == r.name || (r.alias[0] && n == r.alias))
            return r.p;
    return std::nullopt;
}

std::string precisionNames() {
    std::string s;
    for (const PrecisionRow& r : kPrecisions)
        s += (s.empty() ? "" : ", ") + std::string(r.name);
    return s;
}

double precisionBytes(Precision p) {
    return row(p).bytes;
}

bool isInteger(Precision p) {
    return p == Precision::Int8 || p == Precision::Int4;
}

const PeakRate* findPeak(const Device& d, Precision p) {
    for (const PeakRate& r : d.peaks)
        if (r.precision == p)
            return &r;
    return nullptr;
}

const MemoryLevel* findMemory(const Device& d, const std::string& name) {
    for (const MemoryLevel& m : d.memory)
        if (lower(m.name) == lower(name))
            return &m;
    return nullptr;
}

const MemoryLevel* mainMemory(const Device& d) {
    return d.memory.empty() ? nullptr : &d.memory[0];
}

double peakClockGHz(const Device& d, const PeakRate& p) {
    return p.clockGHz > 0 ? p.clockGHz : d.clockGHz;
}

std::optional<double> derivedPeakTflops(const Device& d, const PeakRate& p) {
    const double f = peakClockGHz(d, p) * 1e9;
    if (d.units <= 0 || f <= 0)
        return std::nullopt;
    if (p.fmaPerTensorCoreClock > 0 && d.tensorCoresPerUnit > 0)
        return d.units * double(d.tensorCoresPerUnit) * p.fmaPerTensorCoreClock * 2 * f / 1e12;
    if (p.fmaPerUnitClock > 0)
        return d.units * p.fmaPerUnitClock * 2 * f / 1e12;
    return std::nullopt;
}

std::vector<DeviceProblem> checkDevice(const Device& d, double relTol) {
    std::vector<DeviceProblem> out;
    auto known = [&](const std::string& source) {
        const std::string id = source.substr(0, source.find(':'));
        return std::any_of(d.sources.begin(), d.sources.end(),
                           [&](const SourceRef& s) { return s.id == id; });
    };
    for (const PeakRate& p : d.peaks) {
        const std::string at = std::string("peak ") + precisionName(p.precision);
        auto add = [&](const std::string& m) { out.push_back({p.line, at + ": " + m}); };
        if (p.fmaPerTensorCoreClock > 0 && d.tensorCoresPerUnit <= 0)
            add("fma_per_tensor_core_clock needs tensor_cores_per_unit in [chip]");
        if (auto derived = derivedPeakTflops(d, p)) {
            if (std::fabs(*derived - p.denseTflops) > relTol * p.denseTflops)
                add("dense_tflops = " + fmt(p.denseTflops) + " but its parts give " +
                    fmt(*derived) + " (expected agreement within " + fmt(relTol * 100) + " %)");
        }
        if (p.sparseTflops > 0 &&
            std::fabs(p.sparseTflops - 2 * p.denseTflops) > relTol * 2 * p.denseTflops)
            add("sparse_tflops = " + fmt(p.sparseTflops) + " (expected 2 × dense = " +
                fmt(2 * p.denseTflops) + " for 2:4 structured sparsity)");
        if (!known(p.source))
            add("source '" + p.source + "' names no [[sources]] id");
    }
    for (const MemoryLevel& m : d.memory)
        if (!known(m.source))
            out.push_back({m.line, "memory " + m.name + ": source '" + m.source +
                                       "' names no [[sources]] id"});
    if (!d.chipSource.empty() && !known(d.chipSource))
        out.push_back({0, "[chip]: source '" + d.chipSource + "' names no [[sources]] id"});
    return out;
}

} // namespace aisys::engine::hw
