// Pen annotations: turns instructor strokes into display-list primitives above the picture.
#include "viz/annotation.h"

namespace aisys::viz {

namespace {
constexpr std::int16_t kStrokeLayer = 1000;
} // namespace

void appendStrokes(DisplayList& list, const std::vector<Stroke>& strokes) {
    for (const Stroke& s : strokes) {
        if (s.pts.empty())
            continue;
        if (s.pts.size() == 1) {
            // A single click leaves a dot the size of the pen.
            list.circle(s.pts.front(), s.width / 2, s.color).layer = kStrokeLayer;
            continue;
        }
        list.polyline(s.pts, s.color, s.width).layer = kStrokeLayer;
    }
}

} // namespace aisys::viz
