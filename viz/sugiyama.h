// Sugiyama-style layered graph layout: pure geometry (std only), no Qt. See viz/sugiyama.md.
#pragma once

#include "viz/display_list.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::viz {

/// Which way the layers run.
enum class LayoutDirection { LeftToRight, TopToBottom };

/// One node to place: its box size and an optional name (names let a later layout keep the
/// node where a previous one put it; unnamed nodes are never matched).
struct SugiyamaNode {
    float w = 80, h = 32;
    std::string name;
    /// A side input (a weight): coordinates keep its consumer in line with the consumer's
    /// other inputs rather than with it.
    bool side = false;
};

/// A directed edge between node indices, with the size of its label (0 × 0 when unlabelled).
struct SugiyamaEdge {
    int from = 0, to = 0;
    float labelW = 0, labelH = 0;
};

/// A fused group or subgraph: its member nodes. Collapsed, it is laid out as one box of
/// `collapsedW × collapsedH`; expanded, its members stay side by side within every layer so a
/// hull around them encloses no stranger of that layer.
struct SugiyamaGroup {
    std::string name;
    std::vector<int> members;
    bool collapsed = false;
    float collapsedW = 140, collapsedH = 44;
};

/// Where a previous layout put named nodes (see `snapshotOf`).
struct PreviousLayout {
    struct Place {
        Vec2 centre;
        int layer = 0;
    };
    std::map<std::string, Place> nodes;
    /// Where long edges passed through layers: key "from\nto\nk" (k-th bend from the top).
    std::map<std::string, Vec2> bends;
    std::vector<int> wrapCuts; ///< the bands' cuts (see SugiyamaOptions::wrapAspect)
};

struct SugiyamaOptions {
    LayoutDirection direction = LayoutDirection::TopToBottom;
    float layerGap = 56; ///< space between layers (along the direction)
    float nodeGap = 28;  ///< space between boxes of one layer (across it)
    float edgeGap = 14;  ///< space next to an edge passing through a layer
    /// Edge labels become nodes of their own in an extra layer between the two real ones (as in
    /// dot), so they never overlap a box or each other. Off: labels get no room.
    bool labelLayers = true;
    int maxSweeps = 24;    ///< crossing-reduction sweeps (down + up counts as two)
    bool transpose = true; ///< adjacent-swap heuristic after each sweep
    /// Extra crossing-reduction restarts from seeded random orders: budget / (nodes + dummies)
    /// of them, so small graphs get many and large ones none.
    int restartBudget = 8000;
    /// When > 0, a layout much longer than wide is cut between layers into bands laid side by
    /// side (columns top to bottom, rows left to right) so the whole picture has about this
    /// width / height; cuts go where few edges cross, and those edges run through the gutters.
    float wrapAspect = 0;
    std::vector<SugiyamaGroup> groups;
    const PreviousLayout* previous = nullptr; ///< keep these nodes' layers, order and places
};

/// One routed edge: cubic Bézier segments p0 c1 c2 p1 c1 c2 p2 …, from the edge's source box to
/// its target box (also for edges the cycle removal reversed). Empty when both ends are inside
/// one collapsed group.
struct EdgeRoute {
    std::vector<Vec2> bezier;
    Vec2 labelAt;            ///< top-left corner of the label's room (when the edge has a label)
    std::vector<Vec2> bends; ///< where the edge crosses the layers between its ends (top down)
    bool reversed = false;
};

/// A group as drawn: the box when collapsed, the member boxes' bounding box when expanded.
struct GroupPlace {
    Rect box;
    bool collapsed = false;
};

struct SugiyamaResult {
    std::vector<Rect> boxes;        ///< per input node (a collapsed group's members share its box)
    std::vector<int> layer;         ///< per input node: its layer (without label layers)
    std::vector<int> order;         ///< per input node: position within its layer
    std::vector<EdgeRoute> routes;  ///< per input edge
    std::vector<GroupPlace> groups; ///< per option group
    Rect bounds;
    int layers = 0;    ///< real layers
    int crossings = 0; ///< edge crossings between adjacent layers of the final order
    int dummies = 0;   ///< dummy nodes inserted for long edges and labels
    int reversedEdges = 0;
    std::vector<int> wrapCuts; ///< internal layer boundaries where bands were cut
};

/// Lays out a directed graph in layers: (1) cycle removal by DFS back-edge reversal, (2) layers
/// by longest path then edge shortening, (3) dummy nodes on long edges and label nodes, (4)
/// crossing reduction by weighted-median sweeps with transposition and sifting from several
/// starts, keeping the best order, (5) coordinates by Brandes–Köpf (straight long edges, box
/// widths respected), (6) spline routes through the dummies, (7) optionally, bands side by
/// side. Deterministic. Throws std::invalid_argument on an edge or member out of range.
SugiyamaResult sugiyamaLayout(const std::vector<SugiyamaNode>& nodes,
                              const std::vector<SugiyamaEdge>& edges,
                              const SugiyamaOptions& opt = {});

/// The named nodes' places in `r`, to pass as `SugiyamaOptions::previous` next time.
PreviousLayout snapshotOf(const std::vector<SugiyamaNode>& nodes,
                          const std::vector<SugiyamaEdge>& edges, const SugiyamaResult& r);

/// Points along cubic Bézier segments (p0 c1 c2 p1 c1 c2 p2 …), `steps` per segment.
std::vector<Vec2> flattenBezier(const std::vector<Vec2>& ctrl, int steps = 8);

/// Crossings between edges of adjacent layers, given each node's layer and position in it;
/// edges must join adjacent layers (a proper layered graph). Barth–Jünger–Mutzel, O(E log V).
long long countCrossings(const std::vector<int>& layer, const std::vector<int>& pos,
                         const std::vector<std::pair<int, int>>& edges);

} // namespace aisys::viz
