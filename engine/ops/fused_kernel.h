// aisys:Fused, the node operator fusion produces: its "body" Subgraph attribute holds the member
// nodes (inputs of the body = inputs of the node, in order). How it runs is in "kernel":
//   "elementwise"  one pass over the output evaluating the whole chain for every element, in
//                  blocks of consecutive elements held in L1 (no intermediate tensor exists);
//   "epilogue"     the anchor (the body's first node: Conv, MatMul, Gemm, ...) runs its kernel,
//                  then the element-wise tail runs as one loop over the anchor's result;
//   "subgraph"     the members run one after another in a nested interpreter (groups with
//                  injective or reduction members).
#pragma once

#include "engine/graph/ops.h"

#include <string>

namespace aisys::engine::ops {

/// True when the fused element-wise kernel can evaluate node `n` element by element: its op
/// has an element-wise formula (OpDef::elementwise) and the node one output.
bool scalarEvaluable(const Node& n);

/// Kernel names accepted in the "kernel" attribute.
bool validFusedKernel(const std::string& kernel);

} // namespace aisys::engine::ops
