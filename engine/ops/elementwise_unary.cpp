// The element-wise unary ops with kernels of their own: Identity/Dropout, Clip, Not and Cast
// (Identity and Clip also have an element-wise formula for the fused kernels).
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisys::engine::ops {

namespace {

std::vector<TensorType> inferSameAsInput(const OpCall& c) {
    expectInputs(c, 1, 1);
    return {c.in[0]};
}

template <class T, class F> void mapElements(const Tensor& in, Tensor& out, F f) {
    const T* a = in.data<T>();
    T* o = out.data<T>();
    const std::int64_t n = out.numel();
    for (std::int64_t i = 0; i < n; ++i)
        o[i] = f(a[i]);
}

template <class T>
void identityBlock(const ScalarParams&, T* y, const T* x, const T*, const T*, std::int64_t n) {
    std::copy(x, x + n, y);
}

double identityPartial(const ScalarParams&, double, double, double) {
    return 1;
}

/// Clip's formula: x clamped to [lo, hi].
template <class T> T clamp(T x, T lo, T hi) {
    return x < lo ? lo : (x > hi ? hi : x);
}

/// Clip's bounds before opset 11: the min/max attributes (alpha, beta; ±∞ when absent).
ScalarParams clipParams(const Node& n) {
    return {hasAttr(n, "min") ? attrFloat(n, "min", 0) : -INFINITY,
            hasAttr(n, "max") ? attrFloat(n, "max", 0) : INFINITY};
}

/// Clip over a block: the bounds from operands b, c where given, else from the parameters (an
/// infinite bound is the type's lowest / highest value).
template <class T>
void clipBlock(const ScalarParams& p, T* y, const T* x, const T* lo, const T* hi, std::int64_t n) {
    const T lo0 =
        std::isfinite(p.alpha) ? static_cast<T>(p.alpha) : std::numeric_limits<T>::lowest();
    const T hi0 = std::isfinite(p.beta) ? static_cast<T>(p.beta) : std::numeric_limits<T>::max();
    if (lo && hi) // one loop per case, so each vectorises
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = clamp(x[i], lo[i], hi[i]);
    else if (lo)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = clamp(x[i], lo[i], hi0);
    else if (hi)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = clamp(x[i], lo0, hi[i]);
    else
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = clamp(x[i], lo0, hi0);
}

} // namespace

OpDef identityOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Elementwise;
    d.channelWise = true;
    if (type == "Dropout")
        d.attrs = {{"ratio", "0.5"}, {"seed", ""}};
    else // Dropout has a second output (its mask), so only Identity is one formula
        d.elementwise = {
            1, nullptr, &identityBlock<float>, &identityBlock<double>, {&identityPartial}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, c.node.op == "Dropout" ? 3 : 1);
        std::vector<TensorType> out{c.in[0]};
        if (c.outputCount() > 1) // Dropout's mask
            out.push_back({DType::Bool, c.in[0].shape});
        return out;
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Inference mode: the output is the input; a requested mask keeps everything.
        const bool training = in.size() > 2 && in[2] && in[2]->numel() > 0 && in[2]->at(0) != 0;
        double ratio = attrFloat(c.node, "ratio", 0.5);
        if (in.size() > 1 && in[1] && in[1]->numel() > 0)
            ratio = in[1]->at(0);
        if (training && ratio > 0)
            fail("training_mode=true with ratio > 0 is not supported (the engine runs Dropout "
                 "for inference)");
        out[0] = *in[0];
        if (out.size() > 1) {
            bool* m = out[1].data<bool>();
            for (std::int64_t i = 0; i < out[1].numel(); ++i)
                m[i] = true;
        }
    };
    d.gradient = [](GradBuilder&, const std::vector<std::string>& dOut) {
        return std::vector<std::string>{dOut[0]}; // the identity passes dY through
    };
    return d;
}

OpDef clipOp() {
    OpDef d;
    d.type = "Clip";
    d.category = FusionCategory::Elementwise;
    d.fusedActivation = true;
    d.attrs = {{"min", "-inf (before opset 11)"}, {"max", "+inf (before opset 11)"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 3);
        if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        expectSameType(c, 1);
        expectSameType(c, 2);
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = flopsPerOutput;
    d.channelWise = true;
    // No partials: its gradient is the aisys:ClipGrad kernel; forward mode does not run Clip.
    d.elementwise = {3, &clipParams, &clipBlock<float>, &clipBlock<double>};
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
            if (hasAttr(c.node, "min"))
                lo = static_cast<T>(attrFloat(c.node, "min", 0));
            if (hasAttr(c.node, "max"))
                hi = static_cast<T>(attrFloat(c.node, "max", 0));
            if (in.size() > 1 && in[1])
                lo = in[1]->data<T>()[0];
            if (in.size() > 2 && in[2])
                hi = in[2]->data<T>()[0];
            mapElements<T>(*in[0], out[0], [&](T x) { return clamp(x, lo, hi); });
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // dY where min ≤ x ≤ max, else 0 (the bounds get no gradient).
        return std::vector<std::string>{
            b.op("aisys:ClipGrad", {dOut[0], b.in(0), b.in(1), b.in(2)}, b.node().attrs)};
    };
    return d;
}

OpDef notOp() {
    OpDef d;
    d.type = "Not";
    d.category = FusionCategory::Elementwise;
    d.infer = [](const OpCall& c) {
        auto out = inferSameAsInput(c);
        if (c.in[0].dtype != DType::Bool)
            fail(std::string("expected bool, got ") + dtypeName(c.in[0].dtype));
        return out;
    };
    d.flops = noFlops;
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        mapElements<bool>(*in[0], out[0], [](bool x) { return !x; });
    };
    return d;
}

OpDef isNanInfOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Elementwise;
    if (type == "IsInf")
        d.attrs = {{"detect_negative", "1"}, {"detect_positive", "1"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        expectFloat(c, 0);
        return std::vector<TensorType>{{DType::Bool, c.in[0].shape}};
    };
    d.flops = flopsPerOutput;
    d.writesEveryOutput = true;
    d.forward = [type](const OpCall& c, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        const bool neg = attrInt(c.node, "detect_negative", 1) != 0;
        const bool pos = attrInt(c.node, "detect_positive", 1) != 0;
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[0]->data<T>();
            bool* y = out[0].data<bool>();
            const std::int64_t n = in[0]->numel();
            for (std::int64_t i = 0; i < n; ++i)
                y[i] =
                    type == "IsNaN" ? std::isnan(x[i]) : std::isinf(x[i]) && (x[i] < 0 ? neg : pos);
        });
    };
    return d;
}

OpDef castOp() {
    OpDef d;
    d.type = "Cast";
    d.category = FusionCategory::Elementwise;
    d.attrs = {{"to", ""}, {"saturate", "1"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        if (!hasAttr(c.node, "to"))
            fail("attribute 'to' is required");
        const std::int64_t code = attrInt(c.node, "to", 1);
        auto to = dtypeFromOnnxCode(static_cast<int>(code));
        if (!to)
            fail("attribute 'to': ONNX data type " + std::to_string(code) +
                 " is not an engine type (f32 f64 i8 u8 i32 i64 bool)");
        return std::vector<TensorType>{{*to, c.in[0].shape}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        out[0] = in[0]->cast(out[0].dtype());
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Between float types the gradient is cast back; other casts are not differentiable.
        const DType from = b.dtype(b.in(0)), to = b.dtype(b.out(0));
        if (!isFloat(from) || !isFloat(to))
            fail(std::string("a cast from ") + dtypeName(from) + " to " + dtypeName(to) +
                 " is not differentiable");
        return std::vector<std::string>{
            b.op("Cast", {dOut[0]}, {{"to", std::int64_t{onnxCodeOf(from)}}})};
    };
    return d;
}

} // namespace aisys::engine::ops
