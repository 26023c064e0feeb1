// Draws an engine Graph as a picture: op nodes, tensor edges with shapes, values as they appear.
#pragma once

#include "engine/graph/interpreter.h"
#include "lessons/text.h"
#include "viz/scene.h"
#include "viz/sugiyama.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::lessons {

/// What to draw for a graph after `executed` nodes of the interpreter's order have run.
struct GraphPictureInput {
    const engine::Interpreter* interp = nullptr; ///< ran to completion (values all kept)
    /// Without an interpreter: the graph alone, drawn before (or without) running it — no
    /// values, nothing executed; shapes as inference left them (symbolic dims by name).
    const engine::Graph* graph = nullptr;
    int executed = 0; ///< nodes of the order considered done
    /// Nodes that cannot run (an op the engine lacks, a failed inference): node → message;
    /// drawn marked, the message in the inspector.
    const std::map<int, std::string>* problems = nullptr;
    Lang lang = Lang::En;
    viz::Theme theme = viz::Theme::Light;
    bool showValues = true; ///< value grids under known tensors
    /// Optional cache of the inspector's histogram/heat map per value id (they cost a pass
    /// over the tensor; a Lab run keeps them between frames).
    std::map<int, viz::ObjectInfo>* plotCache = nullptr;
    /// Fused groups / subgraphs (engine node indices): drawn as a hull around the members, or
    /// as one box when collapsed.
    struct Group {
        std::string name;
        std::vector<int> nodes;
        bool collapsed = false;
    };
    std::vector<Group> groups;
    /// A previous picture's places (from `snapshot`): kept nodes stay where they were.
    const viz::PreviousLayout* previous = nullptr;
    /// When set, receives this picture's places, to pass as `previous` for the next snapshot.
    viz::PreviousLayout* snapshot = nullptr;
    /// Initializers (weights) inside their op's box instead of boxes of their own; by default
    /// (−1) for graphs of more than 30 ops.
    int foldWeights = -1;
};

/// Ids: node n → kNodeIdBase + n; value v → kValueIdBase + v; value cells → cell bases.
constexpr std::uint32_t kNodeIdBase = 1000;
constexpr std::uint32_t kValueIdBase = 5000;
constexpr std::uint32_t kCellIdBase = 100000;
/// Group g → kGroupIdBase + g (hull or collapsed box).
constexpr std::uint32_t kGroupIdBase = 95000;

/// Builds the picture (list, legend, inspector facts); the caller sets the caption. Layout:
/// viz/sugiyama.h (left to right for shallow graphs, top to bottom for deep ones), edges as
/// splines labelled with their tensor's shape, boxes sized by their text.
viz::Scene drawGraph(const GraphPictureInput& in);

} // namespace aisys::lessons
