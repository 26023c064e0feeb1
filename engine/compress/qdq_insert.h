// Post-training static quantization of a graph: calibrate activations on sample inputs and
// insert QuantizeLinear/DequantizeLinear (QDQ) around the inputs of Conv, Gemm and MatMul.
#pragma once

#include "engine/compress/quant_params.h"
#include "engine/graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine::compress {

/// Inputs for one run, by graph input name.
using Feed = std::map<std::string, Tensor>;

struct QdqOptions {
    int bits = 8;
    QScheme weightScheme = QScheme::Symmetric;
    bool weightPerChannel = true; ///< per output channel (Conv axis 0, Gemm/MatMul its N axis)
    QScheme activationScheme = QScheme::Affine;
    Calibration activationCalibration = Calibration::MinMax;
    double percentile = 99.99;
};

/// What was quantized and how close it stayed.
struct QdqTensorReport {
    std::string value; ///< the float value's name
    std::string node;  ///< the consumer node
    bool weight = false;
    std::vector<QParams> params;
    ErrorStats error; ///< weights: W vs dq(q(W)); activations: over the calibration feeds
};

struct QdqReport {
    std::vector<QdqTensorReport> tensors;
    int quantizeNodes = 0, dequantizeNodes = 0;
};

/// Rewrites `g` in place:
/// 1. runs the float graph on each calibration feed and collects the activation inputs of
///    every Conv / Gemm / MatMul (input 0, and MatMul's input 1 when not a weight);
/// 2. per weight initializer (Conv W, Gemm B, MatMul B): quantizes it (int8 initializer, its
///    scale and zero-point initializers) and inserts DequantizeLinear before the consumer;
/// 3. per activation: calibrates a range over all feeds and inserts QuantizeLinear →
///    DequantizeLinear before the consumer (one pair per value, shared by its consumers).
/// Bits above 8 are refused (the graph stores int8). The result verifies and runs.
QdqReport insertQdq(Graph& g, const std::vector<Feed>& calibration, const QdqOptions& opt = {});

/// How far a quantized graph's outputs are from the float graph's on the same feeds.
struct Agreement {
    double maxDiff = 0; ///< over all outputs and feeds
    double top1 = 1;    ///< fraction of rows (last axis) whose argmax agrees
    std::int64_t rows = 0;
    ErrorStats error; ///< of the first output, concatenated over feeds
};
/// Runs both graphs on each feed and compares the output named `output` (first output if "").
Agreement compareOutputs(const Graph& reference, const Graph& candidate,
                         const std::vector<Feed>& feeds, const std::string& output = "");

/// Runs `g` on a feed and returns every value it computed, by value id (for calibration).
std::map<int, Tensor> runAll(const Graph& g, const Feed& feed);

} // namespace aisys::engine::compress
