// Layer cost formulas (conventions in layer_cost.h).
#include "engine/hw/roofline/layer_cost.h"

#include <cmath>

namespace aisys::engine::hw {

namespace {

LayerCostResult failure(const std::string& msg) {
    LayerCostResult r;
    r.error = msg;
    return r;
}

/// "" when every value is ≥ 1, else "kind: name = v (expected a positive integer)".
std::string positive(const char* kind,
                     std::initializer_list<std::pair<const char*, std::int64_t>> fields) {
    for (const auto& [name, v] : fields)
        if (v < 1)
            return std::string(kind) + ": " + name + " = " + std::to_string(v) +
                   " (expected a positive integer)";
    return "";
}

std::string badElementBytes(double e) {
    if (!(e > 0) || !std::isfinite(e))
        return "element size " + std::to_string(e) + " bytes (expected a positive number)";
    return "";
}

} // namespace

LayerCostResult fcCost(std::int64_t batch, std::int64_t in, std::int64_t out, bool bias, double e) {
    if (auto m = positive("fc", {{"batch", batch}, {"in", in}, {"out", out}}); !m.empty())
        return failure(m);
    if (auto m = badElementBytes(e); !m.empty())
        return failure("fc: " + m);
    LayerCostResult r;
    LayerCost& c = r.cost;
    c.kind = "fc";
    c.params = in * out + (bias ? out : 0);
    c.macs = double(batch) * in * out;
    c.outputElements = batch * out;
    c.flops = 2 * c.macs + (bias ? double(c.outputElements) : 0);
    c.bytes = (double(batch) * in + double(c.params) + double(c.outputElements)) * e;
    return r;
}

LayerCostResult convCost(const ConvShape& s, double e) {
    // 1. Every size positive (pad may be 0), the channels divisible by the groups.
    // 2. Output size (H + 2p − k)/stride + 1, positive.
    // 3. Each output element takes (inC/groups)·kH·kW MACs; weights outC·(inC/groups)·kH·kW.
    if (auto m = positive("conv", {{"batch", s.batch},
                                   {"in channels", s.inC},
                                   {"height", s.height},
                                   {"width", s.width},
                                   {"out channels", s.outC},
                                   {"kernel height", s.kernelH},
                                   {"kernel width", s.kernelW},
                                   {"stride", s.stride},
                                   {"groups", s.groups}});
        !m.empty())
        return failure(m);
    if (s.pad < 0)
        return failure("conv: pad = " + std::to_string(s.pad) + " (expected 0 or more)");
    if (auto m = badElementBytes(e); !m.empty())
        return failure("conv: " + m);
    if (s.inC % s.groups || s.outC % s.groups)
        return failure("conv: " + std::to_string(s.inC) + " input and " + std::to_string(s.outC) +
                       " output channels must both be divisible by " + std::to_string(s.groups) +
                       " groups");
    const std::int64_t oh = (s.height + 2 * s.pad - s.kernelH) / s.stride + 1;
    const std::int64_t ow = (s.width + 2 * s.pad - s.kernelW) / s.stride + 1;
    if (s.height + 2 * s.pad < s.kernelH || s.width + 2 * s.pad < s.kernelW)
        return failure("conv: a " + std::to_string(s.kernelH) + "×" + std::to_string(s.kernelW) +
                       " kernel does not fit a " + std::to_string(s.height) + "×" +
                       std::to_string(s.width) + " input with pad " + std::to_string(s.pad) +
                       " (expected kernel ≤ size + 2·pad)");
    LayerCostResult r;
    LayerCost& c = r.cost;
    c.kind = "conv";
    const std::int64_t perOut = (s.inC / s.groups) * s.kernelH * s.kernelW;
    c.params = s.outC * perOut + (s.bias ? s.outC : 0);
    c.outputElements = s.batch * s.outC * oh * ow;
    c.macs = double(c.outputElements) * double(perOut);
    c.flops = 2 * c.macs + (s.bias ? double(c.outputElements) : 0);
    const double input = double(s.batch) * s.inC * s.height * s.width;
    c.bytes = (input + double(c.params) + double(c.outputElements)) * e;
    return r;
}

LayerCostResult depthwiseSeparableCost(const ConvShape& s, double e) {
    ConvShape dw = s;
    dw.outC = s.inC;
    dw.groups = s.inC;
    LayerCostResult a = convCost(dw, e);
    if (!a.ok())
        return failure("depthwise-separable: depthwise " + a.error);
    ConvShape pw = s;
    pw.height = (s.height + 2 * s.pad - s.kernelH) / s.stride + 1;
    pw.width = (s.width + 2 * s.pad - s.kernelW) / s.stride + 1;
    pw.kernelH = pw.kernelW = 1;
    pw.stride = 1;
    pw.pad = 0;
    pw.groups = 1;
    LayerCostResult b = convCost(pw, e);
    if (!b.ok())
        return failure("depthwise-separable: pointwise " + b.error);
    LayerCostResult r;
    r.cost.kind = "conv";
    r.cost.params = a.cost.params + b.cost.params;
    r.cost.macs = a.cost.macs + b.cost.macs;
    r.cost.flops = a.cost.flops + b.cost.flops;
    r.cost.bytes = a.cost.bytes + b.cost.bytes;
    r.cost.outputElements = b.cost.outputElements;
    return r;
}

LayerCostResult gemmCost(std::int64_t m, std::int64_t n, std::int64_t k, double e) {
    if (auto msg = positive("gemm", {{"M", m}, {"N", n}, {"K", k}}); !msg.empty())
        return failure(msg);
    if (auto msg = badElementBytes(e); !msg.empty())
        return failure("gemm: " + msg);
    LayerCostResult r;
    LayerCost& c = r.cost;
    c.kind = "gemm";
    c.macs = double(m) * double(n) * double(k);
    c.flops = 2 * c.macs;
    c.outputElements = m * n;
    c.bytes = (double(m) * k + double(k) * n + double(m) * n) * e;
    return r;
}

LayerCostResult attentionCost(std::int64_t batch, std::int64_t seq, std::int64_t model,
                              std::int64_t heads, bool projections, double e) {
    // 1. Scores S = QKᵀ per head: seq × seq × d MACs; softmax over each row; S·V: the same MACs.
    // 2. Bytes: Q, K, V read and the output written (the scores stay on chip: a fused kernel
    //    in the FlashAttention manner); with projections the input x, the four weight
    //    matrices and their biases are read instead of Q, K, V.
    if (auto msg = positive(
            "attention", {{"batch", batch}, {"sequence", seq}, {"model", model}, {"heads", heads}});
        !msg.empty())
        return failure(msg);
    if (model % heads)
        return failure("attention: model width " + std::to_string(model) + " is not divisible by " +
                       std::to_string(heads) + " heads");
    if (auto msg = badElementBytes(e); !msg.empty())
        return failure("attention: " + msg);
    LayerCostResult r;
    LayerCost& c = r.cost;
    c.kind = "attention";
    const double tokens = double(batch) * seq;
    const double scores = double(batch) * heads * seq * seq;
    c.macs = 2 * scores * double(model / heads);
    c.flops = 2 * c.macs + 5 * scores;
    c.outputElements = batch * seq * model;
    double read = 3 * tokens * model;
    if (projections) {
        c.params = 4 * model * model + 4 * model;
        c.macs += 4 * tokens * double(model) * model;
        c.flops += 8 * tokens * double(model) * model + 4 * tokens * model;
        read = tokens * model + double(c.params);
    }
    c.bytes = (read + double(c.outputElements)) * e;
    return r;
}

LayerCostResult elementwiseCost(std::int64_t elements, int operands, double flopsPerElement,
                                double e) {
    if (auto msg = positive("elementwise", {{"elements", elements}, {"operands", operands}});
        !msg.empty())
        return failure(msg);
    if (!(flopsPerElement >= 0))
        return failure("elementwise: FLOPs per element must be 0 or more");
    if (auto msg = badElementBytes(e); !msg.empty())
        return failure("elementwise: " + msg);
    LayerCostResult r;
    r.cost.kind = "elementwise";
    r.cost.flops = double(elements) * flopsPerElement;
    r.cost.outputElements = elements;
    r.cost.bytes = double(elements) * (operands + 1) * e;
    return r;
}

LayerCostResult softmaxCost(std::int64_t rows, std::int64_t length, double e) {
    if (auto msg = positive("softmax", {{"rows", rows}, {"length", length}}); !msg.empty())
        return failure(msg);
    if (auto msg = badElementBytes(e); !msg.empty())
        return failure("softmax: " + msg);
    LayerCostResult r;
    r.cost.kind = "softmax";
    r.cost.outputElements = rows * length;
    r.cost.flops = 5.0 * double(r.cost.outputElements);
    r.cost.bytes = 2.0 * double(r.cost.outputElements) * e;
    return r;
}

} // namespace aisys::engine::hw
