// A model's Conv / Gemm / MatMul nodes as SCALE-Sim layers (the full-stack link: graph node ↔
// layer on the array). Needs inferred shapes (importOnnxFile with inferShapes = true).
#pragma once

#include "engine/graph/graph.h"
#include "engine/hw/systolic/layer.h"

#include <string>
#include <vector>

namespace aisys::engine::systolic {

/// One layer a node maps to; `repeat` identical copies run one after another (batched
/// MatMul with a batched right operand, grouped convolution).
struct MappedLayer {
    int node = -1;        ///< index in Graph::nodes
    std::string nodeName; ///< node name (or "op#index" when unnamed)
    std::string op;       ///< Conv, Gemm or MatMul
    Layer layer;
    std::int64_t repeat = 1;
};

/// Maps every Conv, Gemm and MatMul of the top-level graph, in node order.
///  Conv (batch 1): SCALE-Sim's conv form with the ifmap trimmed/padded to the region the
///    windows read, (OH−1)·stride + kernel, so M = OH·OW and K = kh·kw·C/group exactly;
///    group g > 1 → g copies with C/g channels and F/g filters (depthwise: one channel each).
///    Batch n > 1 → the GEMM form with M = n·OH·OW.
///  Gemm: M×K · K×N (transA/transB honoured).  MatMul: [..., M, K] · [..., K, N]; batch
///    dims fold into M when the right operand is 2-D, else `repeat` = batch.
/// Throws std::invalid_argument naming the node when a needed shape is unknown (-1) — bind
/// symbolic dimensions first — or malformed.
std::vector<MappedLayer> mapGraphToLayers(const Graph& g);

} // namespace aisys::engine::systolic
