// Model summary for `aisyslab info`: inputs, outputs, opsets, op histogram, parameters, FLOPs.
#pragma once

#include "engine/graph/graph.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aisys::engine {

/// A graph input or output as the summary shows it.
struct ModelInfoValue {
    std::string name;
    DType dtype = DType::F32;
    Shape shape;                        ///< -1 for a dimension unknown before running
    std::vector<std::string> dimParams; ///< symbolic names parallel to shape (may be empty)
};

/// Everything `info` prints.
struct ModelInfo {
    std::string graphName;
    std::vector<ModelInfoValue> inputs, outputs;
    std::map<std::string, std::int64_t> opsets; ///< per domain ("" is ai.onnx)
    std::map<std::string, int> opHistogram;     ///< op type → node count
    std::size_t nodeCount = 0;
    std::int64_t parameterCount = 0; ///< elements of all initializers
    std::int64_t parameterBytes = 0;
    std::map<std::string, double> flopsByOp; ///< op type → FLOPs (multiply-add = 2)
    double totalFlops = 0;
    /// False when some node's FLOPs depend on dims unknown before running (counted as 0).
    bool flopsComplete = true;
    /// Symbolic input dims the graph left unbound, and the size the FLOPs assume for each
    /// (defaultDimSize); empty when every dim was bound.
    std::map<std::string, std::int64_t> assumedDims;
};

/// Summarizes a graph (its shapes are inferred on a copy first; throws std::invalid_argument
/// when that fails). Inputs and outputs keep their symbolic dims; FLOPs are counted with every
/// unbound symbolic dim at defaultDimSize (listed in assumedDims), never silently as 0.
ModelInfo summarizeModel(const Graph& g);
/// Human-readable text, one fact per line, deterministic.
std::string modelInfoText(const ModelInfo& info);
/// The same facts as a JSON object (keys: graph, inputs, outputs, opsets, nodes, ops,
/// parameters, parameter_bytes, flops_by_op, total_flops, flops_complete).
std::string modelInfoJson(const ModelInfo& info);

} // namespace aisys::engine
