// Element-wise unary ops: float math and activations, numeric ops, Identity/Dropout, Clip,
// Not and Cast.
#include "engine/ops/elementwise_math.h"
#include "engine/ops/gelu_kernel.h"
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

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

UKind unaryKind(const std::string& type) {
    static const std::pair<const char*, UKind> kKinds[] = {{"Sqrt", UKind::Sqrt},
                                                           {"Exp", UKind::Exp},
                                                           {"Log", UKind::Log},
                                                           {"Reciprocal", UKind::Reciprocal},
                                                           {"Sigmoid", UKind::Sigmoid},
                                                           {"HardSigmoid", UKind::HardSigmoid},
                                                           {"HardSwish", UKind::HardSwish},
                                                           {"Tanh", UKind::Tanh},
                                                           {"Erf", UKind::Erf},
                                                           {"Gelu", UKind::Gelu},
                                                           {"LeakyRelu", UKind::LeakyRelu},
                                                           {"Elu", UKind::Elu},
                                                           {"Selu", UKind::Selu},
                                                           {"Softplus", UKind::Softplus},
                                                           {"Softsign", UKind::Softsign},
                                                           {"Sin", UKind::Sin},
                                                           {"Cos", UKind::Cos},
                                                           {"Floor", UKind::Floor},
                                                           {"Ceil", UKind::Ceil},
                                                           {"Round", UKind::Round}};
    for (const auto& [name, kind] : kKinds)
        if (type == name)
            return kind;
    throw std::logic_error("floatUnaryOp: unknown op " + type);
}

/// f32 transcendental ops through Eigen's vectorised array functions (exp, tanh, logistic and
/// its rational erf, all within a few ulp), a few times faster than calling std:: per element.
/// Returns false for the kinds it does not cover.
bool fastFloatUnary(UKind k, const UnaryParams& p, const Tensor& in, Tensor& out) {
    using Arr = Eigen::Array<float, Eigen::Dynamic, 1>;
    Eigen::Map<const Arr> x(in.data<float>(), in.numel());
    Eigen::Map<Arr> y(out.data<float>(), out.numel());
    switch (k) {
    case UKind::Exp:
        y = x.exp();
        return true;
    case UKind::Tanh:
        y = x.tanh();
        return true;
    case UKind::Sigmoid:
        y = x.logistic();
        return true;
    case UKind::Erf:
        y = x.erf();
        return true;
    case UKind::Gelu:
        if (p.tanhGelu) // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
            y = 0.5f * x * (1.0f + (0.7978845608028654f * (x + 0.044715f * x.cube())).tanh());
        else
            geluErf(in.data<float>(), out.data<float>(), in.numel());
        return true;
    default:
        return false;
    }
}

std::vector<AttrSpec> floatUnaryAttrs(const std::string& type) {
    if (type == "LeakyRelu")
        return {{"alpha", "0.01"}};
    if (type == "HardSigmoid")
        return {{"alpha", "0.2"}, {"beta", "0.5"}};
    if (type == "Elu")
        return {{"alpha", "1.0"}};
    if (type == "Selu")
        return {{"alpha", "1.67326319217681884765625"}, {"gamma", "1.05070102214813232421875"}};
    if (type == "Gelu")
        return {{"approximate", "none"}};
    return {};
}

UnaryParams readParams(const std::string& type, const Node& n) {
    UnaryParams p;
    if (type == "LeakyRelu")
        p.alpha = attrFloat(n, "alpha", 0.01);
    else if (type == "HardSigmoid") {
        p.alpha = attrFloat(n, "alpha", 0.2);
        p.beta = attrFloat(n, "beta", 0.5);
    } else if (type == "Elu")
        p.alpha = attrFloat(n, "alpha", 1.0);
    else if (type == "Selu") {
        p.alpha = attrFloat(n, "alpha", 1.67326319217681884765625);
        p.beta = attrFloat(n, "gamma", 1.05070102214813232421875);
    } else if (type == "Gelu") {
        std::string approx = attrString(n, "approximate", "none");
        if (approx != "none" && approx != "tanh")
            fail("attribute 'approximate': expected \"none\" or \"tanh\", got \"" + approx + "\"");
        p.tanhGelu = approx == "tanh";
    }
    return p;
}

double flopsOfUnary(const std::string& type, const OpCall& c, const std::vector<TensorType>& out) {
    double perElement = 1;
    if (type == "Sigmoid" || type == "Tanh" || type == "Erf" || type == "Elu" ||
        type == "Softplus" || type == "Selu")
        perElement = 4;
    else if (type == "Gelu")
        perElement = 8;
    else if (type == "HardSigmoid" || type == "HardSwish")
        perElement = 3;
    return perElement * flopsPerOutput(c, out);
}

/// Gradient of a float unary op: dX = dY · f'(X), written with ordinary ops where f' is
/// short (Exp, Log, Sin, ...) and with the op's aisys:<Op>Grad kernel for activations.
std::vector<std::string> floatUnaryGradient(UKind k, GradBuilder& b, const std::string& dy) {
    const std::string x = b.in(0), y = b.out(0);
    const DType t = b.dtype(x);
    switch (k) {
    case UKind::Sqrt: // 1 / (2·√x)
        return {b.div(dy, b.mul(y, b.scalar(2, t)))};
    case UKind::Exp:
        return {b.mul(dy, y)};
    case UKind::Log:
        return {b.div(dy, x)};
    case UKind::Reciprocal: // −1/x² = −y²
        return {b.neg(b.mul(dy, b.mul(y, y)))};
    case UKind::Sigmoid: // y·(1 − y)
        return {b.mul(dy, b.mul(y, b.sub(b.scalar(1, t), y)))};
    case UKind::Tanh: // 1 − y²
        return {b.mul(dy, b.sub(b.scalar(1, t), b.mul(y, y)))};
    case UKind::Sin:
        return {b.mul(dy, b.op("Cos", {x}))};
    case UKind::Cos:
        return {b.neg(b.mul(dy, b.op("Sin", {x})))};
    case UKind::Floor:
    case UKind::Ceil:
    case UKind::Round:
        fail("piecewise constant: no gradient rule");
    default:
        return {b.op("aisys:" + b.node().op + "Grad", {dy, x}, b.node().attrs)};
    }
}

} // namespace

OpDef floatUnaryOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Elementwise;
    d.attrs = floatUnaryAttrs(type);
    d.infer = [type](const OpCall& c) {
        expectInputs(c, 1, 1);
        expectFloat(c, 0);
        (void)readParams(type, c.node);
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = [type](const OpCall& c, const std::vector<TensorType>& out) {
        return flopsOfUnary(type, c, out);
    };
    const UKind kind = unaryKind(type);
    d.forward = [type, kind](const OpCall& c, const std::vector<const Tensor*>& in,
                             std::vector<Tensor>& out) {
        const UnaryParams p = readParams(type, c.node);
        if (in[0]->dtype() == DType::F32 && fastFloatUnary(kind, p, *in[0], out[0]))
            return;
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            mapElements<T>(*in[0], out[0], [&](T x) { return floatUnary<T>(kind, x, p); });
        });
    };
    if (kind != UKind::Floor && kind != UKind::Ceil && kind != UKind::Round)
        d.gradient = [kind](GradBuilder& b, const std::vector<std::string>& dOut) {
            return floatUnaryGradient(kind, b, dOut[0]);
        };
    return d;
}

OpDef numericUnaryOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Elementwise;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = flopsPerOutput;
    d.forward = [type](const OpCall&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            if (type == "Neg")
                mapElements<T>(*in[0], out[0], [](T x) { return static_cast<T>(-x); });
            else if (type == "Abs")
                mapElements<T>(*in[0], out[0], [](T x) { return x < T(0) ? T(-x) : x; });
            else if (type == "Relu")
                mapElements<T>(*in[0], out[0], [](T x) { return x > T(0) ? x : T(0); });
            else if (type == "Sign")
                mapElements<T>(*in[0], out[0],
                               [](T x) { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0)); });
        });
    };
    if (type != "Sign") // Sign is piecewise constant
        d.gradient = [type](GradBuilder& b, const std::vector<std::string>& dOut) {
            const std::string dy = dOut[0], x = b.in(0);
            if (type == "Neg")
                return std::vector<std::string>{b.neg(dy)};
            if (type == "Abs")
                return std::vector<std::string>{b.mul(dy, b.op("Sign", {x}))};
            return std::vector<std::string>{b.op("aisys:ReluGrad", {dy, x})};
        };
    return d;
}

OpDef identityOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Elementwise;
    if (type == "Dropout")
        d.attrs = {{"ratio", "0.5"}, {"seed", ""}};
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
            mapElements<T>(*in[0], out[0], [&](T x) { return x < lo ? lo : (x > hi ? hi : x); });
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
