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

/// Which way the layers run.
enum class LayoutDirection { LeftToRight, TopToBottom };

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

/// Layered layout, left to right (or top to bottom): longest-path layers (sources pulled next to
/// their first consumer), barycentre ordering (down and up sweeps), layers centred vertically.
/// Deterministic. Edges must form a DAG.
LayoutResult layeredLayout(const std::vector<LayoutNode>& nodes,
                           const std::vector<LayoutEdge>& edges, const LayoutOptions& opt = {});

} // namespace aisys::viz
