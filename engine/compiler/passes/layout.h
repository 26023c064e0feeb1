// Layout transformation: 2-D Convs run in NHWC or NC4HW4 (aisys:LayoutConv) with layout casts
// (aisys:LayoutCast) inserted around them, casts sunk through layout-agnostic element-wise
// neighbours, and back-to-back inverse casts cancelled. Address functions: engine/ops/layout_ops.h.
#pragma once

#include "engine/compiler/pass.h"
#include "engine/ops/layout_ops.h"

#include <string>

namespace aisys::engine::compiler {

/// What the transformation did, step by step (the layout lesson shows these counts).
struct LayoutReport {
    int convsConverted = 0;
    int castsInserted = 0;  ///< step 1: two per converted Conv
    int opsMoved = 0;       ///< step 2: element-wise ops now running in the target layout
    int castsCancelled = 0; ///< step 3: casts removed as inverse pairs or dead
    int castsRemaining = 0;
};

/// Number of aisys:LayoutCast nodes in g.
int countLayoutCasts(const Graph& g);

/// Runs the three steps on g (shapes are inferred first); `log` receives the rewrites.
LayoutReport transformLayout(Graph& g, ops::Layout target, std::vector<RewriteEntry>* log);

/// "layout-nhwc" / "layout-nc4hw4": only run when asked for by name.
class LayoutPass : public Pass {
public:
    explicit LayoutPass(ops::Layout target) : m_target(target) {}
    std::string name() const override;
    std::string description() const override;
    PassResult run(Graph& g) const override;

private:
    ops::Layout m_target;
};

} // namespace aisys::engine::compiler
