// Number formatting, colour scales and value grids for Lab pictures.
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aisys::lessons {

std::string fmtNum(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s(buf);
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
        s.erase(0, 1);
    return s;
}

std::string fmtSci(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", std::max(0, digits - 1), v);
    return buf;
}

std::string fmtBytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    return (u == 0 ? fmtNum(bytes, 0) : fmtNum(bytes, bytes < 10 ? 2 : 1)) + " " + units[u];
}

viz::Color divergingColor(double v, double maxAbs, viz::Theme theme) {
    const viz::Color neg = viz::Color::rgb(0x3b82f6), pos = viz::Color::rgb(0xef4444);
    const viz::Color mid =
        theme == viz::Theme::Light ? viz::Color::rgb(0xf8fafc) : viz::Color::rgb(0x2a313c);
    double t = maxAbs > 0 ? std::clamp(v / maxAbs, -1.0, 1.0) : 0.0;
    return t < 0 ? viz::mix(mid, neg, static_cast<float>(-t) * 0.85f)
                 : viz::mix(mid, pos, static_cast<float>(t) * 0.85f);
}

viz::Color textOn(const viz::Color& fill) {
    float lum = 0.299f * fill.r + 0.587f * fill.g + 0.114f * fill.b;
    return lum > 0.55f ? viz::Color::rgb(0x111827) : viz::Color::rgb(0xf9fafb);
}

viz::Rect drawValueGrid(viz::DisplayList& list, viz::Vec2 origin, int rows, int cols,
                        const std::vector<double>& values, float cellW, float cellH,
                        const viz::Palette& pal, viz::Theme theme, std::uint32_t idBase) {
    double maxAbs = 0;
    for (double v : values)
        maxAbs = std::max(maxAbs, std::fabs(v));
    const bool numbers = cellW >= 26 && cellH >= 14;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const int i = r * cols + c;
            const double v = i < static_cast<int>(values.size()) ? values[i] : 0.0;
            viz::Rect cell{origin.x + c * cellW, origin.y + r * cellH, cellW, cellH};
            viz::Color fill = divergingColor(v, maxAbs, theme);
            std::uint32_t id = idBase ? idBase + static_cast<std::uint32_t>(i) : 0;
            list.box(cell, fill, pal.panelBorder.withAlpha(0.6f), 0, 0.75f, id);
            if (numbers)
                list.text(cell.center(), fmtNum(v, std::fabs(v) >= 100 ? 0 : 2), textOn(fill),
                          std::min(11.0f, cellH * 0.62f), viz::HAlign::Center, viz::VAlign::Middle,
                          id);
        }
    return {origin.x, origin.y, cols * cellW, rows * cellH};
}

} // namespace aisys::lessons
