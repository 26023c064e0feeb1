// aisys:FakeQuant: the forward quantize-dequantize and its straight-through gradient.
#include "engine/ops/op_library.h"

#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/quant_affine.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

/// The node's parameters for input values `x` (dynamic symmetric scale when none is fixed).
QParams paramsOf(const Node& n, const float* x, std::int64_t count) {
    const int bits = static_cast<int>(attrInt(n, "bits", 8));
    if (hasAttr(n, "scale")) {
        QParams p;
        signedRange(bits, p.qmin, p.qmax);
        p.scale = attrFloat(n, "scale", 1);
        if (!(p.scale > 0))
            fail("scale must be positive, got " + std::to_string(p.scale));
        p.zeroPoint = static_cast<std::int32_t>(attrInt(n, "zero_point", 0));
        return p;
    }
    double m = 0;
    for (std::int64_t i = 0; i < count; ++i)
        m = std::max(m, static_cast<double>(std::fabs(x[i])));
    return paramsForRange(-m, m, QScheme::Symmetric, bits);
}

} // namespace

OpDef fakeQuantOp() {
    OpDef d;
    d.type = "aisys:FakeQuant";
    d.category = FusionCategory::Elementwise;
    d.attrs = {{"bits", "8"}, {"scale", ""}, {"zero_point", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        if (c.in[0].dtype != DType::F32)
            fail(std::string("X: expected f32, got ") + dtypeName(c.in[0].dtype));
        const std::int64_t bits = attrInt(c.node, "bits", 8);
        if (bits < 2 || bits > 16)
            fail("bits: expected 2..16, got " + std::to_string(bits));
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 4.0 * numelOrZero(out[0].shape);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        const float* x = in[0]->data<float>();
        const std::int64_t n = in[0]->numel();
        const QParams p = paramsOf(c.node, x, n);
        float* y = out[0].data<float>();
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = p.fakeQuant(x[i]);
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Straight-through estimator: pass dY where X is not clipped.
        if (!hasAttr(b.node(), "scale"))
            return std::vector<std::string>{b.op("Identity", {dOut[0]})};
        const QParams p = paramsOf(b.node(), nullptr, 0);
        return std::vector<std::string>{
            b.op("aisys:ClipGrad", {dOut[0], b.in(0)}, {{"min", p.clipLo()}, {"max", p.clipHi()}})};
    };
    return d;
}

} // namespace aisys::engine::ops
