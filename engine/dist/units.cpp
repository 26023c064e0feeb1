// Parsing and printing the simulator's times, bandwidths and sizes.
#include "engine/dist/units.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

namespace aisys::engine::dist {

namespace {

/// Splits "12.5GB/s" into the number 12.5 and the unit "GB/s"; false when no number leads.
bool splitNumber(const std::string& text, double& value, std::string& unit) {
    if (text.empty())
        return false;
    const char* begin = text.c_str();
    char* end = nullptr;
    value = std::strtod(begin, &end);
    if (end == begin || !std::isfinite(value))
        return false;
    unit = std::string(end);
    return true;
}

std::optional<double> scaled(const std::string& text, const std::string& what,
                             const std::vector<std::pair<const char*, double>>& units,
                             const char* expected, std::string& error) {
    double v = 0;
    std::string unit;
    if (!splitNumber(text, v, unit)) {
        error = what + " '" + text + "': expected a number with a unit, e.g. " + expected;
        return std::nullopt;
    }
    for (const auto& [name, factor] : units)
        if (unit == name) {
            if (v < 0) {
                error = what + " '" + text + "' is negative";
                return std::nullopt;
            }
            return v * factor;
        }
    error = what + " '" + text + "': unknown unit '" + unit + "' (expected e.g. " + expected + ")";
    return std::nullopt;
}

} // namespace

std::optional<double> parseTime(const std::string& text, std::string& error) {
    return scaled(text, "time",
                  {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}},
                  "5us, 1.5ms, 300ns or 2e-6s", error);
}

std::optional<double> parseBandwidth(const std::string& text, std::string& error) {
    auto v = scaled(text, "bandwidth",
                    {{"", 1},
                     {"B/s", 1},
                     {"KB/s", 1e3},
                     {"MB/s", 1e6},
                     {"GB/s", 1e9},
                     {"TB/s", 1e12},
                     {"KiB/s", 1024.},
                     {"MiB/s", 1048576.},
                     {"GiB/s", 1073741824.},
                     {"b/s", 0.125},
                     {"Kb/s", 1e3 / 8},
                     {"Mb/s", 1e6 / 8},
                     {"Gb/s", 1e9 / 8},
                     {"Tb/s", 1e12 / 8},
                     {"TiB/s", 1099511627776.}},
                    "100GB/s, 25Gb/s or 900GiB/s", error);
    if (v && *v <= 0) {
        error = "bandwidth '" + text + "' must be positive";
        return std::nullopt;
    }
    return v;
}

std::optional<std::int64_t> parseBytes(const std::string& text, std::string& error) {
    auto v = scaled(text, "size",
                    {{"", 1},
                     {"B", 1},
                     {"K", 1024.},
                     {"M", 1048576.},
                     {"G", 1073741824.},
                     {"T", 1099511627776.},
                     {"KiB", 1024.},
                     {"MiB", 1048576.},
                     {"GiB", 1073741824.},
                     {"TiB", 1099511627776.},
                     {"KB", 1e3},
                     {"MB", 1e6},
                     {"GB", 1e9},
                     {"TB", 1e12}},
                    "8, 4K, 4MiB or 1G", error);
    if (!v)
        return std::nullopt;
    if (*v != std::floor(*v) || *v > 9.0e15) {
        error = "size '" + text + "' is not a whole number of bytes below 9e15";
        return std::nullopt;
    }
    return static_cast<std::int64_t>(*v);
}

std::string formatTime(double s) {
    char buf[48];
    const double a = std::fabs(s);
    if (a == 0)
        std::snprintf(buf, sizeof buf, "0 s");
    else if (a < 1e-6)
        std::snprintf(buf, sizeof buf, "%.3g ns", s * 1e9);
    else if (a < 1e-3)
        std::snprintf(buf, sizeof buf, "%.3g us", s * 1e6);
    else if (a < 1)
        std::snprintf(buf, sizeof buf, "%.3g ms", s * 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.3g s", s);
    return buf;
}

std::string formatBytes(double b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4 && std::fmod(b, 1024) == 0) {
        b /= 1024;
        ++u;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g %s", b, units[u]);
    return buf;
}

} // namespace aisys::engine::dist
