// QuantizeLinear and DequantizeLinear, per tensor or per axis, to/from i8, u8 (and i32 input).
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

/// Which scale/zero-point element applies to flat element i: 0 for per-tensor, else the
/// index along `axis`.
struct QuantIndex {
    std::int64_t len = 1, inner = 1;
    std::int64_t operator()(std::int64_t i) const { return len == 1 ? 0 : (i / inner) % len; }
};

QuantIndex quantIndex(const OpCall& c, const Shape& x, const Shape& scale) {
    QuantIndex q;
    if (scale.empty() || numElements(scale) == 1)
        return q;
    if (scale.size() != 1)
        fail("y_scale must be a scalar or 1-D, got " + shapeToString(scale));
    const int axis = normalizeAxis(attrInt(c.node, "axis", 1), static_cast<std::int64_t>(x.size()));
    if (x[axis] >= 0 && scale[0] != x[axis])
        fail("per-axis scale has " + std::to_string(scale[0]) + " values, axis " +
             std::to_string(axis) + " has " + std::to_string(x[axis]));
    q.len = scale[0];
    for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < x.size(); ++k)
        q.inner *= x[k];
    return q;
}

/// The zero point (input 2), when given, has as many values as the scale (ONNX: the same
/// shape), so that both are indexed alike.
void expectZeroPointLikeScale(const OpCall& c, const char* name) {
    if (!c.has(2) || !shapeKnown(c.in[1].shape) || !shapeKnown(c.in[2].shape))
        return;
    if (numElements(c.in[2].shape) != numElements(c.in[1].shape))
        fail(std::string(name) + " has shape " + shapeToString(c.in[2].shape) + ", the scale " +
             shapeToString(c.in[1].shape) + ": expected the same shape");
}

/// Clamped to Q's range; NaN (x / scale with scale 0, or a NaN input) becomes 0 — the ONNX
/// spec does not say, and a float-to-int conversion of NaN is undefined in C++.
template <class Q> Q saturate(double v) {
    if (std::isnan(v))
        return Q(0);
    const double lo = static_cast<double>(std::numeric_limits<Q>::lowest());
    const double hi = static_cast<double>(std::numeric_limits<Q>::max());
    return static_cast<Q>(std::clamp(v, lo, hi));
}

} // namespace

OpDef quantizeLinearOp() {
    OpDef d;
    d.type = "QuantizeLinear";
    d.category = FusionCategory::Elementwise;
    d.attrs = {{"axis", "1"}, {"saturate", "1"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 3);
        expectFloat(c, 0);
        const DType q = c.has(2) ? c.in[2].dtype : DType::U8;
        if (q != DType::U8 && q != DType::I8)
            fail(std::string("y_zero_point: expected u8 or i8, got ") + dtypeName(q));
        (void)quantIndex(c, c.in[0].shape, c.in[1].shape);
        expectZeroPointLikeScale(c, "y_zero_point");
        return std::vector<TensorType>{{q, c.in[0].shape}};
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 3.0 * numelOrZero(out[0].shape);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // y = saturate(round_half_to_even(x / scale) + zero_point), the division done in the
        // input's own float type as ONNX specifies (f32: 0.5 / (5/255) is exactly 25.5 there
        // and rounds to 26; in f64 it is 25.499… and would round to 25).
        const QuantIndex qi = quantIndex(c, in[0]->shape(), in[1]->shape());
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const Tensor scale = in[1]->cast(in[0]->dtype());
            const T* xd = in[0]->data<T>();
            const T* sd = scale.data<T>();
            for (std::int64_t i = 0; i < in[0]->numel(); ++i) {
                const std::int64_t k = qi(i);
                const double zp = in.size() > 2 && in[2] ? in[2]->at(k) : 0.0;
                const T q = xd[i] / sd[k];
                const double v = static_cast<double>(std::nearbyint(q)) + zp;
                if (out[0].dtype() == DType::U8)
                    out[0].data<std::uint8_t>()[i] = saturate<std::uint8_t>(v);
                else
                    out[0].data<std::int8_t>()[i] = saturate<std::int8_t>(v);
            }
        });
    };
    return d;
}

OpDef dequantizeLinearOp() {
    OpDef d;
    d.type = "DequantizeLinear";
    d.category = FusionCategory::Elementwise;
    d.attrs = {{"axis", "1"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 3);
        const DType t = c.in[0].dtype;
        if (t != DType::U8 && t != DType::I8 && t != DType::I32)
            fail(std::string("x: expected u8, i8 or i32, got ") + dtypeName(t));
        if (!isFloat(c.in[1].dtype))
            fail("x_scale: expected f32");
        expectSameType(c, 2);
        (void)quantIndex(c, c.in[0].shape, c.in[1].shape);
        expectZeroPointLikeScale(c, "x_zero_point");
        return std::vector<TensorType>{{c.in[1].dtype, c.in[0].shape}};
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 2.0 * numelOrZero(out[0].shape);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // y = (x − zero_point) · scale.
        const QuantIndex qi = quantIndex(c, in[0]->shape(), in[1]->shape());
        visitFloat(out[0].dtype(), [&](auto tag) {
            using T = decltype(tag);
            T* y = out[0].data<T>();
            for (std::int64_t i = 0; i < in[0]->numel(); ++i) {
                const std::int64_t k = qi(i);
                const double zp = in.size() > 2 && in[2] ? in[2]->at(k) : 0.0;
                y[i] = static_cast<T>((in[0]->at(i) - zp) * in[1]->at(k));
            }
        });
    };
    return d;
}

} // namespace aisys::engine::ops
