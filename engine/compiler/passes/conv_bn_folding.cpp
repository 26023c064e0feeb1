// conv-bn-folding: fold BatchNormalization (and per-channel Mul / Add) into the Conv before it.
//
// For Conv y = W∗x + b followed by, per output channel m,
// 1. BatchNormalization z = γ·(y − μ)/√(σ² + ε) + β (inference: constant γ, β, μ, σ², one output):
//    with s = γ/√(σ² + ε):  W'[m] = s[m]·W[m],  b'[m] = s[m]·(b[m] − μ[m]) + β[m]
//    (b = 0 when the Conv has no bias);
// 2. Mul by a constant a broadcast per channel (shape [M,1,1], [1,M,1,1], or one value):
//    W'[m] = a[m]·W[m], b'[m] = a[m]·b[m];
// 3. Add of a constant a broadcast per channel: b'[m] = b[m] + a[m].
// Conditions: W (and b) are constant f32/f64 initializers, the Conv output has no other reader,
// and the folded node's output keeps the Conv's shape. The Conv gets new weight and bias
// initializers (the old ones go when unread), the folded node goes, its readers read the Conv.
// 4. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

#include <cmath>

namespace aisys::engine::compiler::passes {

namespace {

/// Per-channel values of constant `v` for a Conv output of shape `out` (channel axis 1), or
/// empty when v does not broadcast only along the channel axis.
std::vector<double> perChannel(const GraphEditor& e, int v, const Shape& out) {
    const Tensor* t = e.constant(v);
    if (!t || !isFloat(t->dtype()) || out.size() < 2)
        return {};
    const Shape& s = t->shape();
    const std::int64_t m = out[1];
    if (s.size() > out.size())
        return {};
    const std::size_t lead = out.size() - s.size();
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::size_t axis = lead + i;
        if (s[i] != 1 && !(axis == 1 && s[i] == m))
            return {};
    }
    std::vector<double> vals(static_cast<std::size_t>(m));
    for (std::int64_t c = 0; c < m; ++c)
        vals[static_cast<std::size_t>(c)] = t->at(t->numel() == 1 ? 0 : c);
    return vals;
}

bool fold(GraphEditor& e, int conv, int next, PassResult& r) {
    Graph& g = e.graph();
    const Node cn = g.nodes[conv];
    const Node nn = g.nodes[next];
    const Tensor* w = cn.inputs.size() > 1 ? e.constant(cn.inputs[1]) : nullptr;
    if (!w || !isFloat(w->dtype()) || w->rank() < 3)
        return false;
    const bool hasBias = cn.inputs.size() > 2 && cn.inputs[2] >= 0;
    const Tensor* b = hasBias ? e.constant(cn.inputs[2]) : nullptr;
    if (hasBias && !b)
        return false;
    // The batch and spatial dims may be symbolic; the channel dim is W's first dim.
    const Shape out = g.values[cn.outputs[0]].shape;
    if (out.size() < 3 || out[1] != w->shape()[0] || out[1] <= 0)
        return false;
    const std::int64_t m = out[1];
    std::vector<double> scale(static_cast<std::size_t>(m), 1.0),
        shift(static_cast<std::size_t>(m), 0.0);
    std::string rule;
    if (nn.op == "BatchNormalization") {
        if (nn.inputs.size() < 5 || attrInt(nn, "training_mode", 0) != 0)
            return false;
        for (std::size_t i = 1; i < nn.outputs.size(); ++i)
            if (!g.values[nn.outputs[i]].consumers.empty() || e.isOutput(nn.outputs[i]))
                return false;
        const Tensor* gamma = e.constant(nn.inputs[1]);
        const Tensor* beta = e.constant(nn.inputs[2]);
        const Tensor* mean = e.constant(nn.inputs[3]);
        const Tensor* var = e.constant(nn.inputs[4]);
        if (!gamma || !beta || !mean || !var || gamma->numel() != m || beta->numel() != m ||
            mean->numel() != m || var->numel() != m)
            return false;
        const double eps = attrFloat(nn, "epsilon", 1e-5);
        for (std::int64_t c = 0; c < m; ++c) {
            const double s = gamma->at(c) / std::sqrt(var->at(c) + eps);
            scale[static_cast<std::size_t>(c)] = s;
            shift[static_cast<std::size_t>(c)] = beta->at(c) - s * mean->at(c);
        }
        rule = "Conv+BatchNormalization -> Conv";
    } else if (nn.op == "Mul" || nn.op == "Add") {
        const int other = nn.inputs[0] == cn.outputs[0] ? nn.inputs[1] : nn.inputs[0];
        auto a = perChannel(e, other, out);
        if (a.empty() || g.values[nn.outputs[0]].shape != out)
            return false;
        if (nn.op == "Mul")
            scale = a;
        else
            shift = a;
        rule = nn.op == "Mul" ? "Conv+Mul(per-channel) -> Conv" : "Conv+Add(per-channel) -> Conv";
    } else {
        return false;
    }
    // W'[m] = s[m]·W[m];  b'[m] = s[m]·b[m] + shift[m]  (shift already holds β − s·μ for BN).
    if (!e.replaceable(nn.outputs[0]))
        return false;
    Tensor w2(w->dtype(), w->shape());
    const std::int64_t per = w->numel() / w->shape()[0];
    Tensor b2(w->dtype(), {m});
    auto write = [&](auto* dst, auto* bd) {
        using T = std::remove_pointer_t<decltype(dst)>;
        for (std::int64_t c = 0; c < m; ++c)
            for (std::int64_t i = 0; i < per; ++i)
                dst[c * per + i] =
                    static_cast<T>(scale[static_cast<std::size_t>(c)] * w->at(c * per + i));
        for (std::int64_t c = 0; c < m; ++c)
            bd[c] = static_cast<T>(scale[static_cast<std::size_t>(c)] * (b ? b->at(c) : 0.0) +
                                   shift[static_cast<std::size_t>(c)]);
    };
    if (w->dtype() == DType::F32)
        write(w2.data<float>(), b2.data<float>());
    else
        write(w2.data<double>(), b2.data<double>());
    const int wv = e.addInitializer(cn.name + "_w", std::move(w2));
    const int bv = e.addInitializer(cn.name + "_b", std::move(b2));
    e.setInput(conv, 1, wv);
    if (e.graph().nodes[conv].inputs.size() < 3)
        e.graph().nodes[conv].inputs.push_back(-1);
    e.setInput(conv, 2, bv);
    if (!bypass(e, next, nn.outputs[0], cn.outputs[0]))
        throw std::logic_error("conv-bn-folding: cannot bypass '" + nn.name + "'");
    r.log.push_back(merged(rule, {cn.name, nn.name}, {cn.name}));
    return true;
}

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        if (e.removed(n) || g.nodes[n].op != "Conv" || g.nodes[n].outputs.size() != 1)
            continue;
        // Fold as many followers as qualify (BN, then a Mul, then an Add, ...).
        for (;;) {
            const int next = soleConsumer(e, g.nodes[n].outputs[0]);
            if (next < 0 || !fold(e, n, next, r))
                break;
        }
    }
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeConvBnFolding() {
    return std::make_unique<FunctionPass>(
        "conv-bn-folding",
        "Folds BatchNormalization, per-channel Mul and per-channel Add after a Conv into its "
        "weights and bias (w' = s*w, b' = s*(b - mean) + beta, s = gamma/sqrt(var + eps)).",
        run);
}

} // namespace aisys::engine::compiler::passes
