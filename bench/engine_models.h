// Models the engine benchmarks run, built with the graph API: a MobileNet-style CNN and a small
// transformer encoder (deterministic weights, opset 18, exportable to ONNX).
#pragma once

#include "engine/graph/graph.h"

#include <cstdint>
#include <string>

namespace aisys::bench {

/// MobileNet-v1-style CNN: a 3×3 stride-2 stem, 13 depthwise-separable blocks (3×3 depthwise
/// + 1×1 pointwise, BatchNormalization, ReLU6 as Clip), global average pool, classifier.
/// Input "image" [1, 3, resolution, resolution]; output "logits" [1, classes].
engine::Graph mobileNetStyle(int resolution = 224, double width = 0.5, int classes = 1000);
/// Pre-LN transformer encoder: per layer LayerNorm → multi-head self-attention → residual →
/// LayerNorm → MLP (GELU written with Erf) → residual; a final LayerNorm.
/// Input "tokens" [1, seq, dModel]; output "encoded" [1, seq, dModel].
engine::Graph smallTransformer(int seq = 64, int dModel = 128, int heads = 4, int layers = 2);

/// Uniform [-1, 1) f32 values for a known shape, from `seed`.
engine::Tensor seededTensor(const engine::Shape& shape, std::uint32_t seed);
/// Total bytes of the graph's initializers.
double weightBytes(const engine::Graph& g);

} // namespace aisys::bench
