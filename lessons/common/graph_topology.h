// Which boxes and edges an engine Graph is drawn with: the one graph-picture builder that the
// execution view (graph_drawing) and the compiler's pass view (graph-optimizer) both draw.
#pragma once

#include "engine/graph/graph.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aisys::lessons {

/// One box: a source value (graph input or weight), an op node (or one member of a fused
/// node's body), or a graph output.
struct GraphBox {
    enum class Kind { Source, Op, Sink };
    Kind kind = Kind::Op;
    int value = -1;  ///< Source / Sink: the value id in the graph
    int node = -1;   ///< Op: the node index in the graph (for a member: the fused node's)
    int member = -1; ///< Op inside an expanded fused node: the node index in its body, else -1
    /// The drawn op and node name (the member's for a member of a fused body).
    std::string op, name;
};

/// One edge from the box producing a value to a box reading it.
struct GraphLink {
    int from = -1, to = -1;
    int value = -1;        ///< value id in the graph, −1 for a value inside a fused body
    std::string valueName; ///< the value's name (in the body for a body value)
};

/// An expanded fused node: the boxes of its body's members.
struct FusedGroup {
    int node = -1; ///< the fused node's index
    std::string name;
    std::vector<int> members; ///< box indices
};

/// What becomes a box.
struct TopologyOptions {
    /// Values without a producer (graph inputs, weights) that get a box of their own; a value
    /// without a box draws no edge. Default: every graph input and every weight.
    std::function<bool(int value)> sourceBox;
    /// An `aisys:Fused` node with a subgraph body as its members (grouped), not as one box.
    bool expandFused = false;
};

/// The boxes and edges of a graph, in a fixed order (sources by value id, nodes in graph
/// order, sinks in output order; edges: fused bodies' inner edges, then every read in node
/// order, then one edge into each sink), so that equal graphs give equal layouts.
struct GraphTopology {
    std::vector<GraphBox> boxes;
    std::vector<GraphLink> links;
    std::vector<FusedGroup> fused;
    std::map<int, int> boxOfSource; ///< value id → box
    std::map<int, int> boxOfNode;   ///< node index → box (nodes drawn as one box)
    std::map<int, int> boxOfSink;   ///< output value id → box
};

/// Builds the topology of `g` (g's shapes are not needed).
GraphTopology graphTopology(const engine::Graph& g, const TopologyOptions& opt = {});

} // namespace aisys::lessons
