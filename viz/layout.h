// Layouts: a small layered (left-to-right) layout for DAGs such as compute graphs.
#pragma once

#include "viz/display_list.h"

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
    float layerGap = 80; ///< horizontal space between layers
    float nodeGap = 28;  ///< vertical space between nodes of one layer
};

/// Where each node went.
struct LayoutResult {
    std::vector<Rect> boxes; ///< per node
    std::vector<int> layer;  ///< per node
};

/// Layered layout, left to right: longest-path layers (sources pulled next to their first
/// consumer), barycentre ordering (down and up
/// sweeps), layers centred vertically. Deterministic. Edges must form a DAG.
LayoutResult layeredLayout(const std::vector<LayoutNode>& nodes,
                           const std::vector<LayoutEdge>& edges, const LayoutOptions& opt = {});

} // namespace aisys::viz
