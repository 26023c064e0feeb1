// Draws an engine Graph as a picture: op nodes, tensor edges with shapes, values as they appear.
#pragma once

#include "engine/graph/interpreter.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <map>

namespace aisys::lessons {

/// What to draw for a graph after `executed` nodes of the interpreter's order have run.
struct GraphPictureInput {
    const engine::Interpreter* interp = nullptr; ///< ran to completion (values all kept)
    int executed = 0;                            ///< nodes of the order considered done
    Lang lang = Lang::En;
    viz::Theme theme = viz::Theme::Light;
    bool showValues = true; ///< value grids under known tensors
    /// Optional cache of the inspector's histogram/heat map per value id (they cost a pass
    /// over the tensor; a Lab run keeps them between frames).
    std::map<int, viz::ObjectInfo>* plotCache = nullptr;
};

/// Ids: node n → kNodeIdBase + n; value v → kValueIdBase + v; value cells → cell bases.
constexpr std::uint32_t kNodeIdBase = 1000;
constexpr std::uint32_t kValueIdBase = 5000;
constexpr std::uint32_t kCellIdBase = 100000;

/// Builds the picture (list, legend, inspector facts); the caller sets the caption.
viz::Scene drawGraph(const GraphPictureInput& in);

} // namespace aisys::lessons
