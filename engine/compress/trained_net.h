// The zoo's two-conv digits CNN trained (seeded) for the pruning and quantization lessons, and
// the fine-tuning of a pruned classifier.
#pragma once

#include "engine/models/zoo.h"
#include "engine/train/datasets.h"

#include <cstdint>

namespace aisys::engine::compress {

/// A trained classifier: the model graph with batch = the data set's size, and the data.
struct TrainedNet {
    models::Model model;
    train::Dataset data;    ///< the 200 training digits
    train::Dataset heldOut; ///< 200 other digits (seed + 7919) the training never sees
    double accuracy = 0;    ///< on heldOut
    double trainAccuracy = 0;
};

/// Trains models::twoConvDigitNet on 200 seven-segment digits (batches of 20, Adam 0.01, seeded)
/// and measures it on 200 held-out ones.
TrainedNet trainDigitNet(int epochs, std::uint32_t seed);

/// Fine-tunes a (pruned) classifier graph with inputs "x", "onehot" and output "loss" whose
/// batch is the data set's size: `steps` full-batch Adam steps (lr 0.005) on every f32
/// initializer read by a Conv/Gemm. With `keepZeros` each weight is multiplied by its 0/1 mask
/// in the forward pass (the mask also zeroes its gradient), so pruned weights stay zero.
/// Returns the accuracy after fine-tuning.
double fineTune(Graph& g, const train::Dataset& data, int steps, bool keepZeros);

} // namespace aisys::engine::compress
