// Factories of the built-in front-end passes (one file each in this folder; pass_registry.cpp
// registers them, one line each).
#pragma once

#include "engine/compiler/pass.h"

#include <memory>

namespace aisys::engine::compiler::passes {

std::unique_ptr<Pass> makeConstantFolding();
std::unique_ptr<Pass> makeDeadCodeElimination();
std::unique_ptr<Pass> makeCommonSubexpressionElimination();
std::unique_ptr<Pass> makeRedundantNodeElimination();
std::unique_ptr<Pass> makeAlgebraicSimplification();
std::unique_ptr<Pass> makeConvBnFolding();
std::unique_ptr<Pass> makeMatMulAddToGemm();
std::unique_ptr<Pass> makePatternRecognition();
std::unique_ptr<Pass> makeActivationFusion();
std::unique_ptr<Pass> makeMatMulEpilogueFusion();

} // namespace aisys::engine::compiler::passes
