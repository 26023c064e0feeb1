// Pen annotations an instructor draws over a picture (kept per lesson step).
#pragma once

#include "viz/display_list.h"

#include <vector>

namespace aisys::viz {

/// One pen stroke in scene coordinates, so it stays on the picture when panning/zooming.
struct Stroke {
    std::vector<Vec2> pts;
    Color color{0.9f, 0.1f, 0.1f, 1.0f};
    float width = 3.0f;
};

/// Appends the strokes as polylines (layer 1000, above everything) to `list`.
void appendStrokes(DisplayList& list, const std::vector<Stroke>& strokes);

} // namespace aisys::viz
