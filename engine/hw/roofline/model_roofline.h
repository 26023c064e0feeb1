// Every node of a model as a point on a device's roofline: FLOPs and bytes from each op's
// OpDef at a chosen precision, intensity, bound, estimated time, and the model's total.
#pragma once

#include "engine/graph/graph.h"
#include "engine/hw/roofline/roofline.h"

#include <string>
#include <vector>

namespace aisys::engine::hw {

/// One node on the roof.
struct NodePoint {
    std::string node, op;
    RooflinePoint point;
    bool known = true; ///< false when a shape is unknown before running (counted as 0)
};

/// The whole model on one roof.
struct ModelRoofline {
    Roof roof;
    std::vector<NodePoint> nodes; ///< in graph order
    double totalFlops = 0, totalBytes = 0;
    double totalSeconds = 0; ///< Σ per-node time: nodes run one after another
    int memoryBoundNodes = 0;
    bool complete = true; ///< every node's shapes were known
    std::string error;    ///< why there is no result ("" = ok)
};

/// Places every node of `g` on `roof`. FLOPs come from each op's OpDef (a multiply-add is 2).
/// Bytes: every floating-point tensor a node reads or writes counts at the roof's precision
/// (precisionBytes: f32 graphs evaluated as f16 move half the bytes), integer tensors at
/// their own size; an op with its own byte count has it scaled by the same element ratio.
/// Shapes are inferred on a copy first (an inference failure is returned in `error`).
ModelRoofline modelRoofline(const Graph& g, const Roof& roof);

} // namespace aisys::engine::hw
