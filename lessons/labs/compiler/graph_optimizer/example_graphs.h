// The graph-optimizer Lab's built-in example graphs: small models built with the graph API so
// that every pass of the pipeline has something to do.
#pragma once

#include "engine/graph/graph.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// Sizes of an example graph (the Lab's "channels" and "size" parameters).
struct ExampleSize {
    int channels = 4; ///< conv channels / hidden width
    int size = 8;     ///< spatial H = W, or the sequence length
};

/// The names of the built-in examples, in the order the parameter panel lists them.
std::vector<std::string> exampleGraphNames();

/// Builds the named example (one of exampleGraphNames()); weights are deterministic (seeded).
/// Throws std::invalid_argument for an unknown name or a size out of [1, 256].
/// - "conv-bn-relu": two Conv → BatchNormalization → Relu blocks with a residual Add, then a
///   classifier head (GlobalAveragePool, Flatten, MatMul + Add on 2-D operands).
/// - "transformer": a pre-norm transformer MLP block on [1, tokens, 4·channels] with a
///   decomposed LayerNorm (ReduceMean/Sub/Pow/Sqrt/Div), MatMul + bias Add projections (3-D,
///   so they stay MatMuls with an epilogue), an erf-form GELU and the residual Add.
/// - "redundancies": Identity, Dropout, a Transpose pair, a same-type Cast, x·1, x+0, a duplicate
///   subexpression, a constant shape chain (Shape → Gather → Concat → Reshape), constant
///   arithmetic and a dead branch.
/// - "branches": one producer read by three element-wise branches that meet again (horizontal
///   fusion and the post-dominator tree).
/// - "mobile-block": a MobileNetV2/V3-style inverted residual as a framework exports it
///   (Conv+BN, ReLU6 as Clip, a depthwise Conv, HardSwish written out, Dropout, Identity, a
///   flatten computed from Shape, MatMul + Add); assets/models/mobile_block.onnx is its export.
engine::Graph buildExampleGraph(const std::string& name, const ExampleSize& size);

} // namespace aisys::lessons
