// Variadic Max Min Sum Mean: fold the inputs pairwise into a buffer of the broadcast shape.
#include "engine/ops/op_library.h"

#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"

#include <cmath>
#include <limits>

namespace aisys::engine::ops {

namespace {

enum class VKind { Max, Min, Sum, Mean };

VKind variadicKind(const std::string& type) {
    if (type == "Max")
        return VKind::Max;
    if (type == "Min")
        return VKind::Min;
    if (type == "Sum")
        return VKind::Sum;
    if (type == "Mean")
        return VKind::Mean;
    throw std::logic_error("variadicOp: unknown op " + type);
}

template <class T> T combine(VKind k, T a, T b) {
    if constexpr (std::is_floating_point_v<T>)
        if ((k == VKind::Max || k == VKind::Min) && (std::isnan(a) || std::isnan(b)))
            return std::numeric_limits<T>::quiet_NaN();
    switch (k) {
    case VKind::Max:
        return a > b ? a : b;
    case VKind::Min:
        return a < b ? a : b;
    case VKind::Sum:
    case VKind::Mean:
        break;
    }
    return static_cast<T>(a + b);
}

template <class T> void run(VKind k, const std::vector<const Tensor*>& in, Tensor& out) {
    // 1. acc ← input 0 broadcast to the output shape.
    // 2. For each further input: acc[o] ← combine(acc[o], input[broadcast index of o]).
    // 3. Mean divides by the number of inputs.
    const Shape& shape = out.shape();
    T* acc = out.data<T>();
    const T* first = in[0]->data<T>();
    forEachBroadcast<1>(
        shape, {in[0]->shape()},
        [&](std::int64_t o, const std::array<std::int64_t, 1>& p) { acc[o] = first[p[0]]; });
    for (std::size_t i = 1; i < in.size(); ++i) {
        const T* x = in[i]->data<T>();
        forEachBroadcast<1>(shape, {in[i]->shape()},
                            [&](std::int64_t o, const std::array<std::int64_t, 1>& p) {
                                acc[o] = combine(k, acc[o], x[p[0]]);
                            });
    }
    if (k == VKind::Mean) {
        const T n = static_cast<T>(in.size());
        for (std::int64_t o = 0; o < out.numel(); ++o)
            acc[o] /= n;
    }
}

} // namespace

OpDef variadicOp(const std::string& type) {
    const VKind kind = variadicKind(type);
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Broadcast;
    d.infer = [kind](const OpCall& c) {
        if (c.inputCount() < 1)
            fail("expected at least 1 input");
        Shape shape = c.in[0].shape;
        for (std::size_t i = 0; i < c.inputCount(); ++i) {
            expectPresent(c, i, "operand");
            expectSameType(c, i);
            if (i > 0)
                shape = broadcastShapes(shape, c.in[i].shape);
        }
        if (kind == VKind::Sum || kind == VKind::Mean)
            expectFloat(c, 0);
        else if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        return std::vector<TensorType>{{c.in[0].dtype, shape}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        return numelOrZero(out[0].shape) * static_cast<double>(c.inputCount() - 1);
    };
    d.forward = [kind](const OpCall&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        visitNumeric(out[0].dtype(), [&](auto tag) { run<decltype(tag)>(kind, in, out[0]); });
    };
    d.gradient = [type](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Sum: dY to every input; Mean: dY / n; Max/Min: dY where the input equals the result
        // (every tie gets it). Each summed back to the input's shape.
        const std::size_t n = b.node().inputs.size();
        const DType t = b.dtype(b.out(0));
        std::string dy = dOut[0];
        if (type == "Mean")
            dy = b.div(dy, b.scalar(static_cast<double>(n), t));
        std::vector<std::string> r(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (!b.needs(i))
                continue;
            std::string di = dy;
            if (type == "Max" || type == "Min")
                di = b.op("Where", {b.op("Equal", {b.in(i), b.out(0)}), dy, b.scalar(0, t)});
            r[i] = b.sumTo(di, b.shape(b.in(i)));
        }
        return r;
    };
    return d;
}

} // namespace aisys::engine::ops
