// The one list of built-in passes, in pipeline order: one line per pass with the level from
// which it runs (O1 cleanup, O2 inference rewrites, O3 back-end passes). A pass in another
// folder registers by adding its line here.
#include "engine/compiler/pass_manager.h"
#include "engine/compiler/passes/fusion.h"
#include "engine/compiler/passes/layout.h"
#include "engine/compiler/passes/memory_plan.h"
#include "engine/compiler/passes/passes.h"

namespace aisys::engine::compiler {

const PassRegistry& PassRegistry::builtin() {
    static const PassRegistry registry = [] {
        using namespace passes;
        PassRegistry r;
        // O1: cleanup.
        r.add(makeConstantFolding(), 1);
        r.add(makeDeadCodeElimination(), 1);
        r.add(makeCommonSubexpressionElimination(), 1);
        r.add(makeRedundantNodeElimination(), 1);
        r.add(makeAlgebraicSimplification(), 1);
        // O2: inference rewrites.
        r.add(makeConvBnFolding(), 2);
        r.add(makeMatMulAddToGemm(), 2);
        r.add(makePatternRecognition(), 2);
        r.add(makeMatMulEpilogueFusion(), 2);
        r.add(makeActivationFusion(), 2);
        // O3: back-end passes (operator fusion, layout, memory planning) go here.
        r.add(std::make_unique<FusionPass>(), 3);
        r.add(std::make_unique<MemoryPlanPass>(), 3);
        r.add(std::make_unique<FusionPass>(FusionOptions{.rule = FusionRule::Tvm}), 0);
        r.add(std::make_unique<HorizontalFusionPass>(), 0);
        r.add(std::make_unique<LayoutPass>(ops::Layout::NHWC), 0);
        r.add(std::make_unique<LayoutPass>(ops::Layout::NC4HW4), 0);
        return r;
    }();
    return registry;
}

} // namespace aisys::engine::compiler
