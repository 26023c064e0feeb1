// Plot frames: linear/log mapping, axes with ticks and labels, clipped polylines.
#include "viz/plot.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace aisys::viz {

PlotFrame::PlotFrame(Rect area, double x0, double x1, double y0, double y1, bool logX, bool logY)
    : m_area(area), m_x0(x0), m_x1(x1), m_y0(y0), m_y1(y1), m_logX(logX), m_logY(logY) {
    if (!(x1 > x0) || !(y1 > y0))
        throw std::invalid_argument("plot ranges must be increasing");
    if ((logX && x0 <= 0) || (logY && y0 <= 0))
        throw std::invalid_argument("a log axis needs a positive range");
}

double PlotFrame::tx(double x) const {
    return m_logX ? (std::log10(x) - std::log10(m_x0)) / (std::log10(m_x1) - std::log10(m_x0))
                  : (x - m_x0) / (m_x1 - m_x0);
}

double PlotFrame::ty(double y) const {
    return m_logY ? (std::log10(y) - std::log10(m_y0)) / (std::log10(m_y1) - std::log10(m_y0))
                  : (y - m_y0) / (m_y1 - m_y0);
}

Vec2 PlotFrame::map(double x, double y) const {
    return {m_area.x + float(tx(x)) * m_area.w, m_area.y + m_area.h - float(ty(y)) * m_area.h};
}

namespace {
std::string tickText(double v, bool log) {
    char buf[32];
    if (log)
        std::snprintf(buf, sizeof buf, "1e%d", int(std::lround(std::log10(v))));
    else
        std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

/// Tick positions: powers of ten on a log axis, a 1/2/5 step giving about six ticks otherwise.
std::vector<double> ticks(double a, double b, bool log) {
    std::vector<double> out;
    if (log) {
        int e0 = int(std::ceil(std::log10(a) - 1e-9)), e1 = int(std::floor(std::log10(b) + 1e-9));
        int stride = std::max(1, (e1 - e0) / 8 + 1);
        for (int e = e0; e <= e1; e += stride)
            out.push_back(std::pow(10.0, e));
        return out;
    }
    const double raw = (b - a) / 6, mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 2 ? mag : raw / mag < 5 ? 2 * mag : 5 * mag;
    for (double v = std::ceil(a / step) * step; v <= b + step * 1e-9; v += step)
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}
} // namespace

void PlotFrame::drawAxes(DisplayList& dl, const std::string& xLabel, const std::string& yLabel,
                         Color axis, Color grid, Color text) const {
    const Rect& r = m_area;
    for (double x : ticks(m_x0, m_x1, m_logX)) {
        Vec2 p = map(x, m_y0);
        dl.line({p.x, r.y}, {p.x, r.y + r.h}, grid, 0.75f).layer = -2;
        dl.line({p.x, r.y + r.h}, {p.x, r.y + r.h + 4}, axis, 1);
        dl.text({p.x, r.y + r.h + 6}, tickText(x, m_logX), text, 10, HAlign::Center, VAlign::Top);
    }
    for (double y : ticks(m_y0, m_y1, m_logY)) {
        Vec2 p = map(m_x0, y);
        dl.line({r.x, p.y}, {r.x + r.w, p.y}, grid, 0.75f).layer = -2;
        dl.line({r.x - 4, p.y}, {r.x, p.y}, axis, 1);
        dl.text({r.x - 6, p.y}, tickText(y, m_logY), text, 10, HAlign::Right, VAlign::Middle);
    }
    dl.polyline({{r.x, r.y}, {r.x, r.y + r.h}, {r.x + r.w, r.y + r.h}}, axis, 1.2f);
    dl.text({r.x + r.w / 2, r.y + r.h + 24}, xLabel, text, 11, HAlign::Center, VAlign::Top);
    dl.text({r.x, r.y - 8}, yLabel, text, 11, HAlign::Left, VAlign::Bottom);
}

Prim& PlotFrame::plotLine(DisplayList& dl, const std::vector<std::pair<double, double>>& pts,
                          Color color, float width, std::uint32_t id) const {
    std::vector<Vec2> out;
    for (auto [x, y] : pts) {
        if (x < m_x0 || x > m_x1 || !(y >= m_y0) || y > m_y1)
            continue;
        out.push_back(map(x, y));
    }
    return dl.polyline(std::move(out), color, width, id);
}

} // namespace aisys::viz
