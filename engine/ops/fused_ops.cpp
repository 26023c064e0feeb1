// aisys:FusedConv / FusedGemm / FusedMatMul: the base kernel, then bias, scale, activation and
// residual applied to the output in place (see fused_ops.h).
#include "engine/ops/fused_ops.h"

#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aisys::engine::ops {

namespace {

/// Applies the activation's element-wise formula to y in place. Its parameters are the
/// activation op's own attributes, which the fused node holds with an "activation_" prefix
/// (activation_alpha → alpha, activation_min → min, activation_approximate → approximate).
template <class T> void activate(const Node& n, T* y, std::int64_t count) {
    const std::string act = attrString(n, "activation", "");
    if (act.empty())
        return;
    Node a;
    a.op = act;
    const std::string prefix = "activation_";
    for (const auto& [name, value] : n.attrs)
        if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
            a.attrs[name.substr(prefix.size())] = value;
    const ElementwiseFormula& f = OpRegistry::builtin().find(act)->elementwise;
    const ScalarParams p = f.paramsOf(a);
    if constexpr (std::is_same_v<T, float>)
        f.f32(p, y, y, nullptr, nullptr, count);
    else
        f.f64(p, y, y, nullptr, nullptr, count);
}

void checkActivation(const Node& n) {
    const std::string act = attrString(n, "activation", "");
    if (act.empty() || fusableActivation(act))
        return;
    std::string names;
    for (const std::string& t : OpRegistry::builtin().types())
        if (fusableActivation(t))
            names += (names.empty() ? "" : ", ") + t;
    throw std::invalid_argument("activation '" + act + "' is not one of " + names);
}

/// The call the base op sees: the first `count` inputs.
OpCall baseCall(const OpCall& c, std::size_t count) {
    OpCall b{c.node, c.in, c.constants, c.opset};
    if (b.in.size() > count)
        b.in.resize(count);
    if (b.constants.size() > count)
        b.constants.resize(count);
    return b;
}

/// Adds `t` (broadcast) to `out` in place.
template <class T> void addBroadcast(Tensor& out, const Tensor& t) {
    const Shape shape = out.shape();
    T* y = out.data<T>();
    const T* b = t.data<T>();
    const std::int64_t n = out.numel(), m = t.numel();
    if (m == n) { // same shape (it cannot enlarge the output)
        for (std::int64_t i = 0; i < n; ++i)
            y[i] += b[i];
        return;
    }
    forEachBroadcastRun<1>(shape, {t.shape()},
                           [&](std::int64_t o, std::int64_t len,
                               const std::array<std::int64_t, 1>& p,
                               const std::array<std::int64_t, 1>& step) {
                               if (step[0])
                                   for (std::int64_t i = 0; i < len; ++i)
                                       y[o + i] += b[p[0] + i];
                               else
                                   for (std::int64_t i = 0; i < len; ++i)
                                       y[o + i] += b[p[0]];
                           });
}

} // namespace

bool fusableActivation(const std::string& op) {
    const OpDef* d = OpRegistry::builtin().find(op);
    return d && d->fusedActivation;
}

OpDef fusedOp(const std::string& base) {
    const OpDef* baseDef = nullptr;
    std::size_t baseInputs = base == "MatMul" ? 2 : 3;
    OpDef d;
    d.type = "aisys:Fused" + base;
    d.category = FusionCategory::OutElementwiseFusable;
    d.attrs = {{"activation", ""},     {"activation_alpha", ""}, {"activation_beta", ""},
               {"activation_min", ""}, {"activation_max", ""},   {"activation_approximate", ""}};
    if (base == "MatMul")
        d.attrs.push_back({"alpha", "1.0"});
    auto def = [base, baseDef]() mutable {
        if (!baseDef)
            baseDef = OpRegistry::builtin().find(base);
        return baseDef;
    };
    d.infer = [def, base, baseInputs](const OpCall& c) mutable {
        checkActivation(c.node);
        if (base == "MatMul")
            expectInputs(c, 2, 4);
        auto out = def()->infer(baseCall(c, baseInputs));
        for (std::size_t i = baseInputs; i < c.inputCount(); ++i)
            if (c.has(i) && broadcastShapes(out[0].shape, c.in[i].shape) != out[0].shape)
                throw std::invalid_argument(
                    "input " + std::to_string(i) + " of shape " + shapeToString(c.in[i].shape) +
                    " does not broadcast to the product " + shapeToString(out[0].shape));
        return out;
    };
    d.flops = [def, baseInputs](const OpCall& c, const std::vector<TensorType>& out) mutable {
        return def()->flops(baseCall(c, baseInputs), out) + numelOrZero(out[0].shape);
    };
    d.forward = [def, baseInputs, base](const OpCall& c, const std::vector<const Tensor*>& in,
                                        std::vector<Tensor>& out) mutable {
        std::vector<const Tensor*> bin(
            in.begin(), in.begin() + static_cast<std::ptrdiff_t>(std::min(in.size(), baseInputs)));
        if (base == "Conv") { // bias and a clamp activation run inside Conv's kernel
            const std::string act = attrString(c.node, "activation", "");
            if (act.empty() || act == "Relu" || act == "Clip") {
                ConvEpilogue ep;
                ep.clamp = !act.empty();
                ep.lo = act == "Relu" ? 0.0 : attrFloat(c.node, "activation_min", -INFINITY);
                ep.hi = act == "Relu" ? INFINITY : attrFloat(c.node, "activation_max", INFINITY);
                convForward(baseCall(c, baseInputs), bin, out[0], ep);
                return;
            }
        }
        def()->forward(baseCall(c, baseInputs), bin, out);
        visitFloat(out[0].dtype(), [&](auto tag) {
            using T = decltype(tag);
            if (base == "MatMul") {
                const T alpha = static_cast<T>(attrFloat(c.node, "alpha", 1.0));
                if (alpha != T(1)) {
                    T* y = out[0].data<T>();
                    for (std::int64_t i = 0; i < out[0].numel(); ++i)
                        y[i] *= alpha;
                }
                if (in.size() > 2 && in[2])
                    addBroadcast<T>(out[0], *in[2]);
            }
            activate<T>(c.node, out[0].data<T>(), out[0].numel());
            if (base == "MatMul" && in.size() > 3 && in[3])
                addBroadcast<T>(out[0], *in[3]);
        });
    };
    // Conv's kernel writes every output element and the rest is applied in place.
    d.writesEveryOutput = base == "Conv";
    return d;
}

} // namespace aisys::engine::ops
