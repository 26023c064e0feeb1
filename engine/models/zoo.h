// The model zoo: every example network of the Labs, tests, benchmarks and tools, each built
// once here with the graph API and seeded weights (the same graph and weights on every call).
#pragma once

#include "engine/graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::models {

// ---- Trainable classifiers (classifiers.cpp) -------------------------------------------------

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

/// "spiral-mlp": 2 → hidden → hidden → 2 with Tanh, Gemm layers, Glorot-uniform weights from
/// `seed` (the two-spirals data).
Model spiralMlp(std::int64_t batch, std::int64_t hidden, std::uint32_t seed);

/// "digit-cnn": [1, size, size] → Conv 3×3 (8 channels, pad 1) → Relu → MaxPool 2×2 → Flatten →
/// Gemm → 10 (the seven-segment digits).
Model digitCnn(std::int64_t batch, int size, std::uint32_t seed);

/// "two-conv-digits": [1, 12, 12] → conv1 3×3 (8, pad 1) → Relu → MaxPool 2 → conv2 3×3 (8,
/// pad 1) → Relu → MaxPool 2 → Flatten → fc (72 → 10), Glorot weights from `seed` (pruning and
/// quantization).
Model twoConvDigitNet(std::int64_t batch, std::uint32_t seed);

// ---- Compiler examples: every pass of the pipeline has something to do (compiler_examples.cpp)

/// Sizes of a compiler example (the graph-optimizer Lab's "channels" and "size").
struct ExampleSize {
    int channels = 4; ///< conv channels / hidden width
    int size = 8;     ///< spatial H = W, or the sequence length
};

/// "conv-bn-relu": two Conv → BatchNormalization → Relu blocks with a residual Add, then a
/// classifier head (GlobalAveragePool, Flatten, MatMul + Add on 2-D operands).
Graph convBnRelu(const ExampleSize& s);
/// "transformer-mlp": a pre-norm transformer MLP block on [1, tokens, 4·channels] with a
/// decomposed LayerNorm (ReduceMean/Sub/Pow/Sqrt/Div), MatMul + bias Add projections (3-D, so
/// they stay MatMuls with an epilogue), an erf-form GELU and the residual Add.
Graph transformerMlp(const ExampleSize& s);
/// "redundancies": Identity, Dropout, a Transpose pair, a same-type Cast, x·1, x+0, a duplicate
/// subexpression, a constant shape chain (Shape → Gather → Concat → Reshape), constant
/// arithmetic and a dead branch.
Graph redundancies(const ExampleSize& s);
/// "branches": one producer read by three element-wise branches that meet again (horizontal
/// fusion and the post-dominator tree), then Conv → Add → Mul → Add.
Graph branches(const ExampleSize& s);
/// "mobile-block": a MobileNetV2/V3-style inverted residual as a framework exports it (Conv+BN,
/// ReLU6 as Clip, a depthwise Conv, HardSwish written out, Dropout, Identity, a flatten computed
/// from Shape, MatMul + Add); assets/models/mobile_block.onnx is its export.
Graph mobileBlock(const ExampleSize& s);

// ---- Graphs with parallel branches (parallel_graphs.cpp) -------------------------------------

/// "inception": x[16, 64] → three branches of different depth → Concat → MatMul → Softmax.
Graph inceptionBranches();
/// "residual-block": a ResNet basic block with a projection shortcut, x[1, 8, 16, 16].
Graph residualBlock();
/// "self-attention": single-head self-attention on x[32, 64]: Q, K, V in parallel, scores,
/// softmax, weighted sum, output projection and residual.
Graph selfAttention();

// ---- Inference graphs of a given batch (parallel_graphs.cpp) ---------------------------------

/// "small-cnn": x[batch, 1, 16, 16] → (Conv 3×3 → Relu → MaxPool 2) ×2 → Flatten → Gemm →
/// Softmax.
Graph smallCnn(std::int64_t batch);
/// "residual-stack": x[batch, 8, 8, 8] → two residual blocks of two 3×3 convs →
/// GlobalAveragePool.
Graph residualStack(std::int64_t batch);
/// "mlp": x[batch, 64] → Gemm 256 → Relu → Gemm 128 → Relu → Gemm 256 → Relu → Gemm 10 →
/// Softmax.
Graph mlp(std::int64_t batch);

// ---- Larger models (large_models.cpp) --------------------------------------------------------

/// "mobilenet-style": a MobileNet-v1-style CNN: a 3×3 stride-2 stem, 13 depthwise-separable
/// blocks (3×3 depthwise + 1×1 pointwise, BatchNormalization, ReLU6 as Clip), global average
/// pool, classifier. Input "image" [1, 3, resolution, resolution]; output "logits"
/// [1, classes]; opset 18.
Graph mobileNetStyle(int resolution = 224, double width = 0.5, int classes = 1000);
/// "small-transformer": a pre-LN transformer encoder: per layer LayerNorm → multi-head
/// self-attention → residual → LayerNorm → MLP (GELU written with Erf) → residual; a final
/// LayerNorm. Input "tokens" [1, seq, dModel]; output "encoded" [1, seq, dModel]; opset 18.
Graph smallTransformer(int seq = 64, int dModel = 128, int heads = 4, int layers = 2);
/// "tiny-cnn": a LeNet-style CNN for 1×28×28 digits with a symbolic batch: conv-relu-pool ×2,
/// global pool, Gemm, Softmax; opset 13. assets/models/tiny_cnn.onnx is its export.
Graph tinyCnn();

} // namespace aisys::engine::models
