// Layouts: the layered layout of DAGs such as compute graphs (a thin front of viz/sugiyama.h).
#pragma once

#include "viz/display_list.h"
#include "viz/sugiyama.h"

#include <vector>

namespace aisys::viz {

/// Size of one node to place.
struct LayoutNode {
    float w = 80, h = 32;
};

/// A directed edge between node indices.
struct LayoutEdge {
    int from = 0, to = 0;
};

struct LayoutOptions {
    float layerGap = 80; ///< space between layers (along the direction)
    float nodeGap = 28;  ///< space between nodes of one layer (across it)
    LayoutDirection direction = LayoutDirection::LeftToRight;
};

/// Where each node went.
struct LayoutResult {
    std::vector<Rect> boxes; ///< per node
    std::vector<int> layer;  ///< per node
};

/// Layered layout, left to right (or top to bottom), by `sugiyamaLayout` (cycles are broken,
/// edges shortened, crossings reduced, long edges kept straight). Deterministic; the picture
/// starts at (0, 0).
LayoutResult layeredLayout(const std::vector<LayoutNode>& nodes,
                           const std::vector<LayoutEdge>& edges, const LayoutOptions& opt = {});

} // namespace aisys::viz
