// Backward kernels of activations (aisys:ReluGrad, aisys:GeluGrad, ...): dX = dY · f'(X).
#include "engine/ops/grad_ops.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <cmath>
#include <limits>

namespace aisys::engine::ops {

namespace {

/// f'(x) of the forward activation `type`, with its attributes read from the grad node.
template <class T> T derivative(const std::string& type, const Node& n, T x) {
    constexpr double kSqrt2 = 1.4142135623730951, kSqrtPi = 1.7724538509055159;
    const double v = static_cast<double>(x);
    double d = 0;
    if (type == "Relu") {
        d = v > 0 ? 1 : 0;
    } else if (type == "LeakyRelu") {
        d = v >= 0 ? 1 : attrFloat(n, "alpha", 0.01);
    } else if (type == "HardSigmoid") {
        const double a = attrFloat(n, "alpha", 0.2), z = a * v + attrFloat(n, "beta", 0.5);
        d = z > 0 && z < 1 ? a : 0;
    } else if (type == "HardSwish") {
        d = v < -3 ? 0 : (v > 3 ? 1 : v / 3 + 0.5);
    } else if (type == "Erf") {
        d = 2 / kSqrtPi * std::exp(-v * v);
    } else if (type == "Gelu") {
        if (attrString(n, "approximate", "none") == "tanh") {
            const double k = 0.7978845608028654, c = 0.044715;
            const double th = std::tanh(k * (v + c * v * v * v));
            d = 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * k * (1 + 3 * c * v * v);
        } else {
            d = 0.5 * (1 + std::erf(v / kSqrt2)) + v * std::exp(-v * v / 2) / (kSqrt2 * kSqrtPi);
        }
    } else if (type == "Elu") {
        d = v >= 0 ? 1 : attrFloat(n, "alpha", 1.0) * std::exp(v);
    } else if (type == "Selu") {
        const double gamma = attrFloat(n, "gamma", 1.05070102214813232421875);
        d = v > 0 ? gamma : gamma * attrFloat(n, "alpha", 1.67326319217681884765625) * std::exp(v);
    } else if (type == "Softplus") {
        d = v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v));
    } else if (type == "Softsign") {
        d = 1 / ((1 + std::abs(v)) * (1 + std::abs(v)));
    } else {
        throw std::logic_error("activationGradOp: unknown op " + type);
    }
    return static_cast<T>(d);
}

std::vector<TensorType> inferGrad(const OpCall& c, std::size_t maxInputs) {
    expectInputs(c, 2, maxInputs);
    expectFloat(c, 0);
    expectSameType(c, 1);
    if (shapeKnown(c.in[0].shape) && shapeKnown(c.in[1].shape) && c.in[0].shape != c.in[1].shape)
        fail("dY " + shapeToString(c.in[0].shape) + " and X " + shapeToString(c.in[1].shape) +
             " must have one shape");
    return {c.in[1]};
}

} // namespace

OpDef activationGradOp(const std::string& forwardType) {
    OpDef d;
    d.type = "aisys:" + forwardType + "Grad";
    d.category = FusionCategory::Elementwise;
    d.infer = [](const OpCall& c) { return inferGrad(c, 2); };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        return 2 * flopsPerOutput(c, out);
    };
    d.forward = [forwardType](const OpCall& c, const std::vector<const Tensor*>& in,
                              std::vector<Tensor>& out) {
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T *dy = in[0]->data<T>(), *x = in[1]->data<T>();
            T* dx = out[0].data<T>();
            for (std::int64_t i = 0; i < out[0].numel(); ++i)
                dx[i] = dy[i] * derivative<T>(forwardType, c.node, x[i]);
        });
    };
    return d;
}

OpDef clipGradOp() {
    OpDef d;
    d.type = "aisys:ClipGrad";
    d.category = FusionCategory::Elementwise;
    d.attrs = {{"min", "-inf"}, {"max", "+inf"}};
    d.infer = [](const OpCall& c) { return inferGrad(c, 4); };
    d.flops = flopsPerOutput;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // dX = dY where min ≤ x ≤ max (bounds from inputs 2, 3 or the old attributes).
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
            if (hasAttr(c.node, "min"))
                lo = static_cast<T>(attrFloat(c.node, "min", 0));
            if (hasAttr(c.node, "max"))
                hi = static_cast<T>(attrFloat(c.node, "max", 0));
            if (in.size() > 2 && in[2])
                lo = in[2]->data<T>()[0];
            if (in.size() > 3 && in[3])
                hi = in[3]->data<T>()[0];
            const T *dy = in[0]->data<T>(), *x = in[1]->data<T>();
            T* dx = out[0].data<T>();
            for (std::int64_t i = 0; i < out[0].numel(); ++i)
                dx[i] = x[i] >= lo && x[i] <= hi ? dy[i] : T(0);
        });
    };
    return d;
}

} // namespace aisys::engine::ops
