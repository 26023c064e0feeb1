// Quantization-aware training on the engine's training examples: fake-quant nodes on the
// weights, fine-tuning through them (straight-through gradient), and the PTQ-vs-QAT comparison.
#pragma once

#include "engine/models/zoo.h"
#include "engine/train/datasets.h"

#include <cstdint>
#include <string>

namespace aisys::engine::compress {

/// Inserts aisys:FakeQuant (dynamic symmetric per-tensor scale, `bits`) between every weight
/// parameter read as input 1 of a Conv/Gemm/MatMul and its reader. Returns how many.
int insertWeightFakeQuant(models::Model& m, int bits);

/// Replaces every such weight initializer of `g` by dq(q(W)) (symmetric per tensor, min-max),
/// as a deployed weight-only quantized model computes. Returns how many.
int quantizeWeightsInPlace(Graph& g, int bits);

/// Accuracy of a classifier graph ("x" → "logits") on a dataset whose size is the graph's batch.
double accuracy(const Graph& g, const train::Dataset& data);

/// The PTQ-vs-QAT experiment on "spirals" (MLP) or "digits" (CNN), seeded:
/// 1. train in float for `floatEpochs`;
/// 2. PTQ: quantize the weights to `bits` → accuracy;
/// 3. QAT: from the float weights, insert fake-quant, fine-tune `qatEpochs`, quantize → accuracy.
struct QatResult {
    double floatAccuracy = 0, ptqAccuracy = 0, qatAccuracy = 0;
    double floatLoss = 0, qatLoss = 0; ///< last epoch's training loss
};
QatResult ptqVersusQat(const std::string& example, int bits, int floatEpochs, int qatEpochs,
                       std::uint32_t seed);

} // namespace aisys::engine::compress
