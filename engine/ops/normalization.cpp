// Normalizations (BatchNormalization for inference, InstanceNormalization,
// LayerNormalization) and Softmax / LogSoftmax.
#include "engine/core/vecmath.h"
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <Eigen/Core>

#include <cmath>
#include <type_traits>

namespace aisys::engine::ops {

namespace {

/// Product of dims [from, to).
std::int64_t span(const Shape& s, std::size_t from, std::size_t to) {
    std::int64_t n = 1;
    for (std::size_t i = from; i < to; ++i)
        n *= s[i];
    return n;
}

void expectChannelVector(const OpCall& c, std::size_t i, std::int64_t channels, const char* what) {
    const Shape& s = c.in[i].shape;
    if (s.size() != 1 || (channels >= 0 && s[0] >= 0 && s[0] != channels))
        fail(std::string(what) + ": expected shape [" + std::to_string(channels) + "], got " +
             shapeToString(s));
}

std::vector<std::int64_t> iota(std::size_t from, std::size_t to) {
    std::vector<std::int64_t> v;
    for (std::size_t i = from; i < to; ++i)
        v.push_back(static_cast<std::int64_t>(i));
    return v;
}

/// Per-channel vector [C] reshaped to [1, C, 1, ...] for broadcasting against X.
std::string perChannel(GradBuilder& b, const std::string& v, std::size_t rank) {
    Shape s(rank, 1);
    s[1] = b.shape(v)[0];
    return b.reshape(v, s);
}

/// The normalized x̂ = (x − mean) · inv over `axes`, and inv = 1/√(var + ε).
struct Normalized {
    std::string xhat, inv;
};

Normalized normalize(GradBuilder& b, const std::string& x, const std::vector<std::int64_t>& axes,
                     double eps) {
    const DType t = b.dtype(x);
    const std::map<std::string, AttrValue> reduce{{"axes", axes}, {"keepdims", std::int64_t{1}}};
    const std::string xc = b.sub(x, b.op("ReduceMean", {x}, reduce));
    const std::string var = b.op("ReduceMean", {b.mul(xc, xc)}, reduce);
    const std::string inv = b.op("Reciprocal", {b.op("Sqrt", {b.add(var, b.scalar(eps, t))})});
    return {b.mul(xc, inv), inv};
}

/// dX of x̂ = normalize(x) over `axes` given g = dL/dx̂:
/// dX = inv · (g − mean(g) − x̂ · mean(g · x̂)).
std::string normalizeGradient(GradBuilder& b, const Normalized& n, const std::string& g,
                              const std::vector<std::int64_t>& axes) {
    const std::map<std::string, AttrValue> reduce{{"axes", axes}, {"keepdims", std::int64_t{1}}};
    const std::string meanG = b.op("ReduceMean", {g}, reduce);
    const std::string meanGx = b.op("ReduceMean", {b.mul(g, n.xhat)}, reduce);
    return b.mul(n.inv, b.sub(b.sub(g, meanG), b.mul(n.xhat, meanGx)));
}

} // namespace

OpDef batchNormOp() {
    OpDef d;
    d.type = "BatchNormalization";
    d.category = FusionCategory::Injective;
    d.attrs = {{"epsilon", "1e-05"}, {"momentum", "0.9"}, {"training_mode", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 5, 5);
        expectFloat(c, 0);
        if (attrInt(c.node, "training_mode", 0) != 0)
            fail("training_mode=1 is not supported (the engine runs BatchNormalization for "
                 "inference)");
        if (c.in[0].shape.size() < 2)
            fail("X: expected rank >= 2 (N, C, ...), got " + shapeToString(c.in[0].shape));
        const char* names[] = {"", "scale", "B", "input_mean", "input_var"};
        for (std::size_t i = 1; i < 5; ++i) {
            expectSameType(c, i);
            expectChannelVector(c, i, c.in[0].shape[1], names[i]);
        }
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 2.0 * numelOrZero(out[0].shape); // folded into one multiply-add per element
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // y = (x − mean) / sqrt(var + ε) · scale + B, folded into y = a·x + b per channel.
        const double eps = attrFloat(c.node, "epsilon", 1e-5);
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const Shape& s = in[0]->shape();
            const std::int64_t n = s[0], ch = s[1], inner = span(s, 2, s.size());
            const T *x = in[0]->data<T>(), *scale = in[1]->data<T>(), *bias = in[2]->data<T>();
            const T *mean = in[3]->data<T>(), *var = in[4]->data<T>();
            T* y = out[0].data<T>();
            for (std::int64_t ci = 0; ci < ch; ++ci) {
                const double a = scale[ci] / std::sqrt(static_cast<double>(var[ci]) + eps);
                const double b = bias[ci] - a * mean[ci];
                for (std::int64_t ni = 0; ni < n; ++ni) {
                    const std::int64_t base = (ni * ch + ci) * inner;
                    for (std::int64_t i = 0; i < inner; ++i)
                        y[base + i] = static_cast<T>(a * x[base + i] + b);
                }
            }
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Inference: y = a·(x − mean) + B with a = scale·inv, inv = 1/√(var + ε), per channel.
        // dX = a·dY; dScale = Σ dY·(x − mean)·inv; dB = Σ dY; dMean = −a·Σ dY;
        // dVar = Σ dY·(x − mean) · scale · (−½)·inv³ (Σ over all dims but the channel).
        const std::string x = b.in(0), scale = b.in(1), mean = b.in(3), dy = dOut[0];
        const std::size_t rank = b.shape(x).size();
        const DType t = b.dtype(x);
        std::vector<std::int64_t> axes{0};
        for (auto a : iota(2, rank))
            axes.push_back(a);
        const std::map<std::string, AttrValue> sum{{"axes", axes}, {"keepdims", std::int64_t{0}}};
        const std::string inv = b.op(
            "Reciprocal",
            {b.op("Sqrt", {b.add(b.in(4), b.scalar(attrFloat(b.node(), "epsilon", 1e-5), t))})});
        const std::string a = b.mul(scale, inv);
        std::vector<std::string> r(5);
        if (b.needs(0))
            r[0] = b.mul(dy, perChannel(b, a, rank));
        std::string sumDy, sumDyXc;
        if (b.needs(2) || b.needs(3))
            sumDy = b.op("ReduceSum", {dy}, sum);
        if (b.needs(1) || b.needs(4))
            sumDyXc = b.op("ReduceSum", {b.mul(dy, b.sub(x, perChannel(b, mean, rank)))}, sum);
        if (b.needs(1))
            r[1] = b.mul(sumDyXc, inv);
        if (b.needs(2))
            r[2] = sumDy;
        if (b.needs(3))
            r[3] = b.neg(b.mul(sumDy, a));
        if (b.needs(4))
            r[4] =
                b.mul(sumDyXc, b.mul(scale, b.mul(b.scalar(-0.5, t), b.mul(inv, b.mul(inv, inv)))));
        return r;
    };
    return d;
}

OpDef instanceNormOp() {
    OpDef d;
    d.type = "InstanceNormalization";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"epsilon", "1e-05"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 3, 3);
        expectFloat(c, 0);
        if (c.in[0].shape.size() < 3)
            fail("X: expected rank >= 3 (N, C, spatial...), got " + shapeToString(c.in[0].shape));
        expectSameType(c, 1);
        expectSameType(c, 2);
        expectChannelVector(c, 1, c.in[0].shape[1], "scale");
        expectChannelVector(c, 2, c.in[0].shape[1], "B");
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 5.0 * numelOrZero(out[0].shape);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Per (n, c) plane: mean and biased variance over the spatial dims, then
        // y = (x − mean) / sqrt(var + ε) · scale[c] + B[c].
        const double eps = attrFloat(c.node, "epsilon", 1e-5);
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const Shape& s = in[0]->shape();
            const std::int64_t ch = s[1], planes = s[0] * s[1], inner = span(s, 2, s.size());
            const T *x = in[0]->data<T>(), *scale = in[1]->data<T>(), *bias = in[2]->data<T>();
            T* y = out[0].data<T>();
            for (std::int64_t p = 0; p < planes; ++p) {
                const T* xp = x + p * inner;
                double mean = 0, var = 0;
                for (std::int64_t i = 0; i < inner; ++i)
                    mean += xp[i];
                mean /= static_cast<double>(inner);
                for (std::int64_t i = 0; i < inner; ++i)
                    var += (xp[i] - mean) * (xp[i] - mean);
                var /= static_cast<double>(inner);
                const double a = scale[p % ch] / std::sqrt(var + eps);
                for (std::int64_t i = 0; i < inner; ++i)
                    y[p * inner + i] = static_cast<T>((xp[i] - mean) * a + bias[p % ch]);
            }
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // y = x̂·scale + B with x̂ normalized per (n, c) plane over the spatial dims.
        const std::string x = b.in(0), dy = dOut[0];
        const std::size_t rank = b.shape(x).size();
        const auto spatial = iota(2, rank);
        const Normalized n = normalize(b, x, spatial, attrFloat(b.node(), "epsilon", 1e-5));
        std::vector<std::int64_t> notChannel{0};
        for (auto a : spatial)
            notChannel.push_back(a);
        const std::map<std::string, AttrValue> sum{{"axes", notChannel},
                                                   {"keepdims", std::int64_t{0}}};
        std::vector<std::string> r(3);
        if (b.needs(0))
            r[0] = normalizeGradient(b, n, b.mul(dy, perChannel(b, b.in(1), rank)), spatial);
        if (b.needs(1))
            r[1] = b.op("ReduceSum", {b.mul(dy, n.xhat)}, sum);
        if (b.needs(2))
            r[2] = b.op("ReduceSum", {dy}, sum);
        return r;
    };
    return d;
}

OpDef layerNormOp() {
    OpDef d;
    d.type = "LayerNormalization";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"axis", "-1"}, {"epsilon", "1e-05"}, {"stash_type", "1"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 3);
        expectFloat(c, 0);
        expectSameType(c, 1);
        expectSameType(c, 2);
        const Shape& x = c.in[0].shape;
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", -1), static_cast<std::int64_t>(x.size()));
        for (std::size_t i = 1; i < c.inputCount(); ++i) {
            if (!c.has(i))
                continue;
            const Shape& s = c.in[i].shape;
            Shape normShape(x.begin() + axis, x.end());
            if (shapeKnown(s) && shapeKnown(normShape) &&
                broadcastShapes(normShape, s) != normShape)
                fail(std::string(i == 1 ? "Scale " : "B ") + shapeToString(s) +
                     " must broadcast to the normalized dims " + shapeToString(normShape));
        }
        std::vector<TensorType> out{c.in[0]};
        Shape stat = x;
        for (std::size_t i = static_cast<std::size_t>(axis); i < stat.size(); ++i)
            stat[i] = 1;
        for (std::size_t i = 1; i < c.outputCount(); ++i) // Mean, InvStdDev
            out.push_back({c.in[0].dtype, stat});
        return out;
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 8.0 * numelOrZero(out[0].shape);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Per row of the dims from `axis` on: mean, biased variance, normalize, then scale and
        // shift (Scale and B broadcast over the normalized dims).
        const double eps = attrFloat(c.node, "epsilon", 1e-5);
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const Shape& s = in[0]->shape();
            const int axis =
                normalizeAxis(attrInt(c.node, "axis", -1), static_cast<std::int64_t>(s.size()));
            const Shape normShape(s.begin() + axis, s.end());
            const std::int64_t inner = numElements(normShape);
            const std::int64_t rows = in[0]->numel() / std::max<std::int64_t>(inner, 1);
            // Scale and B expanded to the normalized shape once.
            auto expand = [&](const Tensor* t, T fill) {
                std::vector<T> v(static_cast<std::size_t>(inner), fill);
                if (t) {
                    const T* src = t->data<T>();
                    forEachBroadcast<1>(normShape, {t->shape()},
                                        [&](std::int64_t i, const std::array<std::int64_t, 1>& p) {
                                            v[i] = src[p[0]];
                                        });
                }
                return v;
            };
            const std::vector<T> scale = expand(in[1], T(1));
            const std::vector<T> bias = expand(in.size() > 2 ? in[2] : nullptr, T(0));
            const T* x = in[0]->data<T>();
            T* y = out[0].data<T>();
            if constexpr (std::is_same_v<T, float>) { // the vectorised build (vecmath.h)
                layerNormRowsF32(x, y, rows, inner, scale.data(), bias.data(),
                                 static_cast<float>(eps),
                                 out.size() > 1 ? out[1].data<float>() : nullptr,
                                 out.size() > 2 ? out[2].data<float>() : nullptr);
                return;
            }
            for (std::int64_t r = 0; r < rows; ++r) {
                const T* xr = x + r * inner;
                double mean = 0, var = 0;
                for (std::int64_t i = 0; i < inner; ++i)
                    mean += xr[i];
                mean /= static_cast<double>(inner);
                for (std::int64_t i = 0; i < inner; ++i)
                    var += (xr[i] - mean) * (xr[i] - mean);
                var /= static_cast<double>(inner);
                const double inv = 1.0 / std::sqrt(var + eps);
                for (std::int64_t i = 0; i < inner; ++i)
                    y[r * inner + i] = static_cast<T>((xr[i] - mean) * inv * scale[i] + bias[i]);
                if (out.size() > 1)
                    out[1].data<T>()[r] = static_cast<T>(mean);
                if (out.size() > 2)
                    out[2].data<T>()[r] = static_cast<T>(inv);
            }
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // y = x̂·Scale + B with x̂ normalized over the dims from `axis` on.
        for (std::size_t i = 1; i < dOut.size(); ++i)
            if (!dOut[i].empty())
                fail("the Mean and InvStdDev outputs are not differentiable");
        const std::string x = b.in(0), dy = dOut[0];
        const std::size_t rank = b.shape(x).size();
        const int axis =
            normalizeAxis(attrInt(b.node(), "axis", -1), static_cast<std::int64_t>(rank));
        const auto axes = iota(static_cast<std::size_t>(axis), rank);
        const Normalized n = normalize(b, x, axes, attrFloat(b.node(), "epsilon", 1e-5));
        std::vector<std::string> r(3);
        if (b.needs(0))
            r[0] = normalizeGradient(b, n, b.mul(dy, b.in(1)), axes);
        if (b.needs(1))
            r[1] = b.sumTo(b.mul(dy, n.xhat), b.shape(b.in(1)));
        if (b.needs(2))
            r[2] = b.sumTo(dy, b.shape(b.in(2)));
        return r;
    };
    return d;
}

OpDef softmaxOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Opaque;
    d.attrs = {{"axis", "-1 (opset 13+), 1 before"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        expectFloat(c, 0);
        const std::int64_t def = c.opset >= 13 ? -1 : 1;
        (void)normalizeAxis(attrInt(c.node, "axis", def),
                            static_cast<std::int64_t>(c.in[0].shape.size()));
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = [](const OpCall&, const std::vector<TensorType>& out) {
        return 5.0 * numelOrZero(out[0].shape);
    };
    d.forward = [type](const OpCall& c, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        // 1. Split the shape into outer × axis × inner (before opset 13 the input is coerced
        //    to 2-D at `axis`, so the "axis" block is every dim from axis on and inner = 1).
        // 2. Per (outer, inner) line: subtract the max, exponentiate, normalize (LogSoftmax:
        //    x − max − log Σ exp).
        const Shape& s = in[0]->shape();
        const std::int64_t rank = static_cast<std::int64_t>(s.size());
        const bool coerce = c.opset < 13;
        const int axis = normalizeAxis(attrInt(c.node, "axis", coerce ? 1 : -1), rank);
        const std::int64_t outer = span(s, 0, static_cast<std::size_t>(axis));
        const std::int64_t len =
            coerce ? span(s, static_cast<std::size_t>(axis), s.size()) : (rank == 0 ? 1 : s[axis]);
        const std::int64_t inner =
            coerce ? 1 : span(s, static_cast<std::size_t>(axis) + 1, s.size());
        const bool log = type == "LogSoftmax";
        if (len == 0 || in[0]->numel() == 0)
            return; // an empty tensor: nothing to normalize
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[0]->data<T>();
            T* y = out[0].data<T>();
            if constexpr (std::is_same_v<T, float>)
                if (inner == 1) { // contiguous float rows: the vectorised build (vecmath.h)
                    softmaxRowsF32(x, y, outer, len, log);
                    return;
                }
            if (inner == 1 && len > 0) { // contiguous lines: Eigen's vectorised exp per line
                using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
                for (std::int64_t o = 0; o < outer; ++o) {
                    Eigen::Map<const Arr> xr(x + o * len, len);
                    Eigen::Map<Arr> yr(y + o * len, len);
                    const T mx = xr.maxCoeff();
                    if (log) {
                        const double sum = (xr - mx).exp().template cast<double>().sum();
                        yr = (xr - mx) - static_cast<T>(std::log(sum));
                    } else {
                        yr = (xr - mx).exp();
                        yr *= static_cast<T>(1.0 / yr.template cast<double>().sum());
                    }
                }
                return;
            }
            for (std::int64_t o = 0; o < outer; ++o)
                for (std::int64_t i = 0; i < inner; ++i) {
                    const std::int64_t base = o * len * inner + i;
                    T mx = x[base];
                    for (std::int64_t k = 1; k < len; ++k)
                        mx = std::max(mx, x[base + k * inner]);
                    double sum = 0;
                    for (std::int64_t k = 0; k < len; ++k)
                        sum += std::exp(static_cast<double>(x[base + k * inner] - mx));
                    for (std::int64_t k = 0; k < len; ++k) {
                        const double z = static_cast<double>(x[base + k * inner] - mx);
                        y[base + k * inner] =
                            static_cast<T>(log ? z - std::log(sum) : std::exp(z) / sum);
                    }
                }
        });
    };
    d.gradient = [type](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Softmax: dX = y·(dY − Σ dY·y); LogSoftmax: dX = dY − exp(y)·Σ dY (Σ along the axis,
        // kept). Before opset 13 the op works on the input coerced to 2-D at `axis`.
        const Shape s = b.shape(b.in(0));
        const std::int64_t rank = static_cast<std::int64_t>(s.size());
        const bool coerce = b.opset() < 13;
        std::int64_t axis = normalizeAxis(attrInt(b.node(), "axis", coerce ? 1 : -1), rank);
        std::string y = b.out(0), dy = dOut[0];
        if (coerce) {
            const std::int64_t outer = span(s, 0, static_cast<std::size_t>(axis));
            y = b.reshape(y, {outer, numElements(s) / std::max<std::int64_t>(outer, 1)});
            dy = b.reshape(dy, b.shape(y));
            axis = 1;
        }
        const std::map<std::string, AttrValue> sum{{"axes", std::vector<std::int64_t>{axis}},
                                                   {"keepdims", std::int64_t{1}}};
        std::string dx;
        if (type == "Softmax")
            dx = b.mul(y, b.sub(dy, b.op("ReduceSum", {b.mul(dy, y)}, sum)));
        else
            dx = b.sub(dy, b.mul(b.op("Exp", {y}), b.op("ReduceSum", {dy}, sum)));
        return std::vector<std::string>{b.reshape(dx, s)};
    };
    return d;
}

} // namespace aisys::engine::ops
