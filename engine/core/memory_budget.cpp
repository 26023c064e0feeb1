// Checked sizes, the default memory budget and byte-size text (see memory_budget.h).
#include "engine/core/memory_budget.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unistd.h>

namespace aisys::engine {

std::optional<std::int64_t> checkedElementCount(const Shape& s) {
    std::int64_t n = 1;
    for (std::int64_t d : s) {
        if (d < 0)
            return std::nullopt;
        if (__builtin_mul_overflow(n, d, &n))
            return std::nullopt;
    }
    return n;
}

std::optional<std::size_t> checkedBytes(DType t, const Shape& s) {
    const auto n = checkedElementCount(s);
    if (!n)
        return std::nullopt;
    std::int64_t bytes = 0;
    if (__builtin_mul_overflow(*n, static_cast<std::int64_t>(dtypeSize(t)), &bytes))
        return std::nullopt;
    return static_cast<std::size_t>(bytes);
}

std::size_t physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || size <= 0)
        return 0;
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(size);
}

std::size_t defaultMemoryBudget() {
    const std::size_t phys = physicalMemoryBytes();
    return phys ? phys / 2 : std::size_t{8} << 30;
}

std::optional<std::size_t> parseByteSize(const std::string& text, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<std::size_t> {
        if (error)
            *error = "'" + text + "': " + why +
                     " (expected a size such as 512M, 4G or 1.5GiB; K, M, G, T are powers of 1024)";
        return std::nullopt;
    };
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    if (i == 0)
        return fail("no number");
    double value = 0;
    try {
        value = std::stod(text.substr(0, i));
    } catch (const std::exception&) {
        return fail("not a number");
    }
    std::string unit = text.substr(i);
    while (!unit.empty() && unit.front() == ' ')
        unit.erase(unit.begin());
    for (auto& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    double scale = 1;
    if (!unit.empty() && unit != "B") {
        const std::string prefixes = "KMGT";
        const auto p = prefixes.find(unit[0]);
        const std::string rest = unit.substr(1);
        if (p == std::string::npos || !(rest.empty() || rest == "B" || rest == "IB"))
            return fail("unknown unit '" + text.substr(i) + "'");
        scale = std::pow(1024.0, static_cast<double>(p + 1));
    }
    const double bytes = value * scale;
    if (!(bytes >= 1))
        return fail("the size must be at least 1 byte");
    if (bytes >= static_cast<double>(std::numeric_limits<std::int64_t>::max()))
        return fail("too large");
    return static_cast<std::size_t>(bytes);
}

std::string byteSizeText(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < 6) {
        bytes /= 1024;
        ++u;
    }
    char buf[48];
    if (u == 0)
        std::snprintf(buf, sizeof buf, "%.0f B", bytes);
    else
        std::snprintf(buf, sizeof buf,
                      bytes < 10    ? "%.2f %s"
                      : bytes < 100 ? "%.1f %s"
                                    : "%.0f %s",
                      bytes, units[u]);
    return buf;
}

} // namespace aisys::engine
