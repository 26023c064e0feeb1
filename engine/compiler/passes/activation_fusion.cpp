// activation-fusion: apply an activation inside the Conv/Gemm/MatMul kernel that produces its
// input, so the pre-activation tensor is never written and read back.
//
// 1. Find an activation node — an op whose OpDef says fusedActivation (Relu, LeakyRelu,
//    Sigmoid, Tanh, HardSigmoid, HardSwish, Gelu; Clip with constant bounds) — whose input is
//    produced by Conv, Gemm or MatMul
//    (or their aisys:Fused forms without an activation yet) and read by nothing else.
// 2. Replace the producer by aisys:FusedConv / FusedGemm / FusedMatMul with the producer's
//    inputs and attributes plus `activation` (and activation_alpha/beta/min/max); a
//    FusedMatMul with a residual already cannot take one (the residual is added after).
// 3. The activation's readers read the fused node; both old nodes go.
// 4. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"
#include "engine/ops/fused_ops.h"

#include <limits>

namespace aisys::engine::compiler::passes {

namespace {

std::string fusedType(const Node& p) {
    if (p.op == "Conv" || p.op == "aisys:FusedConv")
        return "aisys:FusedConv";
    if (p.op == "Gemm" || p.op == "aisys:FusedGemm")
        return "aisys:FusedGemm";
    if (p.op == "MatMul" || p.op == "aisys:FusedMatMul")
        return "aisys:FusedMatMul";
    return "";
}

/// The activation attributes of node `act` (its own attributes with an "activation_" prefix;
/// Clip's bounds from its constant inputs), or false when it cannot be fused.
bool activationAttrs(const GraphEditor& e, const Node& act, std::map<std::string, AttrValue>& a) {
    if (!ops::fusableActivation(act.op))
        return false;
    a["activation"] = act.op;
    for (const auto& [name, value] : act.attrs)
        a["activation_" + name] = value;
    if (act.op == "Clip") {
        double lo = attrFloat(act, "min", -std::numeric_limits<double>::infinity());
        double hi = attrFloat(act, "max", std::numeric_limits<double>::infinity());
        for (std::size_t i = 1; i < act.inputs.size() && i < 3; ++i) {
            if (act.inputs[i] < 0)
                continue;
            auto v = constantScalar(e, act.inputs[i]);
            if (!v)
                return false;
            (i == 1 ? lo : hi) = *v;
        }
        a["activation_min"] = lo;
        a["activation_max"] = hi;
    }
    return true;
}

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        if (e.removed(n) || g.nodes[n].inputs.empty() || g.nodes[n].outputs.size() != 1)
            continue;
        const Node act = g.nodes[n];
        const int in = act.inputs[0];
        const int p = producerOf(e, in);
        if (p < 0 || soleConsumer(e, in) != n)
            continue;
        const Node prod = g.nodes[p];
        const std::string type = fusedType(prod);
        if (type.empty() || hasAttr(prod, "activation") || prod.outputs.size() != 1 ||
            (prod.op == "aisys:FusedMatMul" && prod.inputs.size() > 3 && prod.inputs[3] >= 0) ||
            !isFloat(g.values[in].dtype) || !e.replaceable(act.outputs[0]))
            continue;
        std::map<std::string, AttrValue> attrs = prod.attrs;
        if (!activationAttrs(e, act, attrs))
            continue;
        const int f = e.addNode(type, prod.name, prod.inputs,
                                {g.values[act.outputs[0]].name + "_f"}, std::move(attrs));
        if (!bypass(e, n, act.outputs[0], e.output(f))) {
            e.removeNode(f);
            continue;
        }
        e.removeNode(p);
        r.log.push_back(merged(prod.op + "+" + act.op + " -> " + type, {prod.name, act.name},
                               {g.nodes[f].name}));
    }
    r.changed = !r.log.empty();
    if (r.changed) {
        e.compact();
        declareAisysDomain(g);
    }
    return r;
}

} // namespace

std::unique_ptr<Pass> makeActivationFusion() {
    return std::make_unique<FunctionPass>(
        "activation-fusion",
        "Fuses Relu/LeakyRelu/Clip/Sigmoid/Tanh/HardSigmoid/HardSwish/Gelu into the Conv, Gemm "
        "or MatMul before it (aisys:FusedConv/FusedGemm/FusedMatMul).",
        run);
}

} // namespace aisys::engine::compiler::passes
