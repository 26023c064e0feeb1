// Layer cost: parameters, MACs, FLOPs, bytes moved and arithmetic intensity of FC, conv (groups,
// depthwise), GEMM, attention, element-wise and softmax layers.
#pragma once

#include <cstdint>
#include <string>

namespace aisys::engine::hw {

/// What one layer costs. Conventions (one for every layer kind):
///  - parameters: weights, plus biases where the layer has them;
///  - MACs: multiply-accumulates of the layer's products; FLOPs = 2 × MACs plus the other
///    arithmetic (bias adds, element-wise and softmax operations, counted per element);
///  - bytes: every input and parameter read once from memory and every output written once,
///    × the element size (the course's memory access cost Hin·Win·Cin + Hout·Wout·Cout +
///    K·K·Cin·Cout for a conv, in bytes); no cache reuse, no re-reads;
///  - intensity = FLOPs / bytes.
struct LayerCost {
    std::string kind;        ///< "fc", "conv", "gemm", "attention", "elementwise", "softmax"
    std::int64_t params = 0; ///< weights + biases
    double macs = 0;
    double flops = 0;
    double bytes = 0;
    std::int64_t outputElements = 0;
    /// FLOPs per byte moved (0 when nothing moves).
    double intensity() const { return bytes > 0 ? flops / bytes : 0; }
};

/// A cost or the reason there is none ("conv: 16 input channels are not divisible by 3
/// groups"): errors are values.
struct LayerCostResult {
    LayerCost cost;
    std::string error;
    bool ok() const { return error.empty(); }
};

/// Fully connected: batch × in → batch × out.
LayerCostResult fcCost(std::int64_t batch, std::int64_t in, std::int64_t out, bool bias,
                       double elementBytes);

/// A 2-D convolution (NCHW). groups = inC = outC is depthwise.
struct ConvShape {
    std::int64_t batch = 1, inC = 1, height = 1, width = 1, outC = 1;
    std::int64_t kernelH = 3, kernelW = 3, stride = 1, pad = 0, groups = 1;
    bool bias = false;
};
/// Output height/width (H + 2·pad − k)/stride + 1; checks every field and the groups.
LayerCostResult convCost(const ConvShape& s, double elementBytes);
/// A depthwise k×k conv (inC groups) followed by a 1×1 conv to outC channels: the sum of both.
LayerCostResult depthwiseSeparableCost(const ConvShape& s, double elementBytes);

/// C(M×N) = A(M×K)·B(K×N): MACs MNK, bytes (MK + KN + MN) × element size, no parameters.
LayerCostResult gemmCost(std::int64_t m, std::int64_t n, std::int64_t k, double elementBytes);

/// Scaled dot-product attention softmax(QKᵀ/√d)·V over `heads` heads of d = model/heads,
/// on Q, K, V of batch × seq × model; with `projections` also the four model×model
/// projections (Q, K, V, output) and their biases.
LayerCostResult attentionCost(std::int64_t batch, std::int64_t seq, std::int64_t model,
                              std::int64_t heads, bool projections, double elementBytes);

/// An element-wise op over `elements` outputs reading `operands` inputs of the same size,
/// `flopsPerElement` operations each (ReLU 1, Add 1, GELU ~8, ...).
LayerCostResult elementwiseCost(std::int64_t elements, int operands, double flopsPerElement,
                                double elementBytes);

/// Softmax over rows of length `length`: 5 FLOPs per element (max, subtract, exp, sum,
/// divide), one read and one write.
LayerCostResult softmaxCost(std::int64_t rows, std::int64_t length, double elementBytes);

} // namespace aisys::engine::hw
