// Plots in a display list: axes with ticks (linear or log) and polylines mapped into them.
#pragma once

#include "viz/display_list.h"

#include <string>
#include <vector>

namespace aisys::viz {

/// A data → scene mapping for one plot area.
class PlotFrame {
public:
    /// `area` in scene units; data ranges [x0, x1] × [y0, y1]; log axes need positive ranges.
    PlotFrame(Rect area, double x0, double x1, double y0, double y1, bool logX, bool logY);
    Vec2 map(double x, double y) const;
    const Rect& area() const { return m_area; }
    /// Axes, ticks (powers of ten on log axes, round steps on linear ones), grid and labels.
    void drawAxes(DisplayList& list, const std::string& xLabel, const std::string& yLabel,
                  Color axis, Color grid, Color text) const;
    /// A polyline through the points inside the ranges (points outside are clipped out).
    Prim& plotLine(DisplayList& list, const std::vector<std::pair<double, double>>& pts,
                   Color color, float width, std::uint32_t id = 0) const;

private:
    double tx(double x) const;
    double ty(double y) const;
    Rect m_area;
    double m_x0, m_x1, m_y0, m_y1;
    bool m_logX, m_logY;
};

} // namespace aisys::viz
