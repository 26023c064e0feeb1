// A small two-conv digits CNN for the pruning lesson, and a seeded trainer that returns the
// trained model graph for the whole data set (the Lab prunes it and measures accuracy).
#pragma once

#include "engine/train/datasets.h"
#include "engine/train/models.h"

#include <cstdint>

namespace aisys::engine::compress {

/// [1, 12, 12] → conv1 3×3 (8, pad 1) → Relu → MaxPool 2 → conv2 3×3 (8, pad 1) → Relu →
/// MaxPool 2 → Flatten → fc (72 → 10), softmax cross-entropy; Glorot weights from `seed`.
train::Model twoConvDigitNet(std::int64_t batch, std::uint32_t seed);

/// A trained classifier: the model graph with batch = the data set's size, and the data.
struct TrainedNet {
    train::Model model;
    train::Dataset data;
    double accuracy = 0;
};

/// Trains twoConvDigitNet on 200 seven-segment digits (batches of 20, Adam 0.01, seeded).
TrainedNet trainDigitNet(int epochs, std::uint32_t seed);

/// Fine-tunes a (pruned) classifier graph with inputs "x", "onehot" and output "loss" whose
/// batch is the data set's size: `steps` full-batch Adam steps (lr 0.005) on every f32
/// initializer read by a Conv/Gemm. With `keepZeros` each weight is multiplied by its 0/1 mask
/// in the forward pass (the mask also zeroes its gradient), so pruned weights stay zero.
/// Returns the accuracy after fine-tuning.
double fineTune(Graph& g, const train::Dataset& data, int steps, bool keepZeros);

} // namespace aisys::engine::compress
