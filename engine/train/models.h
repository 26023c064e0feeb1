// Small classifiers built with the graph API for the training lessons: an MLP for the spirals
// and a CNN for the digits, each ending in mean softmax cross-entropy.
#pragma once

#include "engine/graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::train {

/// A trainable graph: inputs "x" [batch, ...] and "onehot" [batch, classes]; outputs "logits"
/// and "loss" (a scalar); `params` names its f32 weight initializers.
struct Model {
    Graph graph;
    std::vector<std::string> params;
};

/// Appends loss = mean over the batch of −Σ onehot · LogSoftmax(logits) (axis 1), built from
/// ordinary ops (LogSoftmax, Mul, ReduceSum, Neg, ReduceMean).
void addSoftmaxCrossEntropy(Graph& g, const std::string& logits, const std::string& onehot,
                            const std::string& loss);

/// 2 → hidden → hidden → 2 with Tanh, Gemm layers, Glorot-uniform weights from `seed`.
Model spiralMlp(std::int64_t batch, std::int64_t hidden, std::uint32_t seed);

/// [1, size, size] → Conv 3×3 (8 channels, pad 1) → Relu → MaxPool 2×2 → Flatten → Gemm → 10.
Model digitCnn(std::int64_t batch, int size, std::uint32_t seed);

} // namespace aisys::engine::train
