// Post-training static int8 quantization in the QDQ format: weights of Conv/Gemm/MatMul become
// int8 initializers read through DequantizeLinear; their activation inputs go through
// QuantizeLinear → DequantizeLinear with ranges calibrated on sample inputs. The interpreter
// runs the result (QuantizeLinear/DequantizeLinear are registry ops); the report compares it
// with the float model.
#pragma once

#include "engine/compiler/quant/calibration.h"
#include "engine/compiler/quant/quant_params.h"
#include "engine/graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine::quant {

struct PtqConfig {
    QScheme weightScheme = QScheme::Symmetric;
    bool perChannelWeights = true; ///< one scale per output channel
    QScheme activationScheme = QScheme::Affine;
    /// Activations: u8 for affine, i8 for symmetric (weights are always i8).
    Calibrator calibrator = Calibrator::MinMax;
    double percentile = 99.99;
};

/// One quantized tensor: its parameters and the error of dq(q(x)) against x (for activations,
/// over every calibration sample).
struct TensorQuantStats {
    std::string name;
    bool weight = false;
    QuantParams params;
    QuantError error;
};

struct PtqReport {
    std::vector<TensorQuantStats> tensors;
    int quantizedOps = 0;
    /// First graph output, quantized model vs float model, over the calibration inputs.
    QuantError output;
    /// Fraction of rows (last axis) whose argmax agrees.
    double top1Agreement = 1;
};

/// One set of graph inputs by name.
using Feed = std::map<std::string, Tensor>;

/// Runs `g` on each feed and returns the first output of each run.
std::vector<Tensor> runFirstOutput(const Graph& g, const std::vector<Feed>& feeds);

/// Quantizes a float graph; throws std::invalid_argument when there is no calibration feed or a
/// feed does not fit the graph.
Graph quantizeModel(const Graph& g, const std::vector<Feed>& calibration, const PtqConfig& cfg,
                    PtqReport* report = nullptr);

} // namespace aisys::engine::quant
