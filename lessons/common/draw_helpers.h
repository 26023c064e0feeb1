// Small drawing helpers shared by the Labs: number formatting, colour scales, value grids.
#pragma once

#include "viz/scene.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// Fixed-point formatting without trailing noise ("-0.00" becomes "0.00").
std::string fmtNum(double v, int decimals = 2);
/// Scientific notation with `digits` significant digits ("3.2e-08").
std::string fmtSci(double v, int digits = 2);
/// "1.2 KB", "512 B" (binary units).
std::string fmtBytes(double bytes);

/// Diverging colour: blue for negative, white/grey at zero, red for positive.
viz::Color divergingColor(double v, double maxAbs, viz::Theme theme);

/// Draws a rows×cols grid of values at `origin` (cell w×h) with numbers when they fit;
/// ids are base + index (0 = not pickable). Returns the grid rectangle.
viz::Rect drawValueGrid(viz::DisplayList& list, viz::Vec2 origin, int rows, int cols,
                        const std::vector<double>& values, float cellW, float cellH,
                        const viz::Palette& pal, viz::Theme theme, std::uint32_t idBase = 0);

/// The start of every Lab's picture: an empty scene on the palette's background.
inline viz::Scene sceneOn(const viz::Palette& pal) {
    viz::Scene s;
    s.background = pal.background;
    return s;
}

/// Contrasting text colour for a given fill.
viz::Color textOn(const viz::Color& fill);

} // namespace aisys::lessons
