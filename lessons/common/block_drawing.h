// Drawing helpers shared by the systolic-array and TPU Labs: colour ramps and fact tables.
#pragma once

#include "viz/scene.h"

#include <string>
#include <utility>
#include <vector>

namespace aisys::lessons {

/// Sequential colour ramp (dark blue → teal → yellow) for t in [0, 1]; readable on both themes.
viz::Color rampColor(double t);

/// A label / value row of a fact table.
using FactRow = std::pair<std::string, std::string>;

/// Draws rows of "label  value" text at `origin` (labels muted, values bold); returns the
/// y just below the last row.
float drawFactTable(viz::DisplayList& list, viz::Vec2 origin, const std::vector<FactRow>& rows,
                    const viz::Palette& pal, float size = 13, float labelWidth = 190);

/// A rounded box with a bold title line and smaller lines under it, centred; text on `fill`.
void drawBlock(viz::DisplayList& list, viz::Rect r, const std::string& title,
               const std::vector<std::string>& lines, viz::Color fill, viz::Color border,
               std::uint32_t id, float titleSize = 13);

/// Quadratic-curve polyline from a to b bulging by `bow` towards the left of a→b.
std::vector<viz::Vec2> bowedCurve(viz::Vec2 a, viz::Vec2 b, float bow, int segments = 12);

} // namespace aisys::lessons
