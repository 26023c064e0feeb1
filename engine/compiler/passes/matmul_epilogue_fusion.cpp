// matmul-epilogue-fusion: fold the element-wise epilogue of an N-D MatMul into one kernel,
// aisys:FusedMatMul(A, B, bias?, residual?) = act(alpha·(A·B) + bias) + residual.
//
// Starting from a MatMul (or a FusedMatMul) whose output has a single reader, absorb that
// reader when it is, in this order of the formula:
// 1. Mul or Div by a one-element float constant c, before any bias/activation/residual:
//    alpha ← alpha·c (or alpha/c);
// 2. Add of a constant that broadcasts to the product without enlarging it, before any
//    activation/residual and when there is no bias yet: it becomes the bias;
// 3. (activations are absorbed by activation-fusion)
// 4. Add of a value of exactly the product's shape and type, when there is no residual yet:
//    it becomes the residual (a transformer's skip connection).
// Each absorption replaces both nodes by one FusedMatMul; repeat while something was absorbed.
// 5. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

namespace aisys::engine::compiler::passes {

namespace {

/// Absorbs the reader of node mm's output; returns the new FusedMatMul's index or -1.
int absorb(GraphEditor& e, int mm, PassResult& r) {
    Graph& g = e.graph();
    const Node prod = g.nodes[mm];
    const int out = prod.outputs[0];
    const int next = soleConsumer(e, out);
    if (next < 0)
        return -1;
    const Node nx = g.nodes[next];
    if (nx.inputs.size() != 2 || nx.outputs.size() != 1 || !e.replaceable(nx.outputs[0]))
        return -1;
    const int other = nx.inputs[0] == out ? nx.inputs[1] : nx.inputs[0];
    const bool hasBias = prod.inputs.size() > 2 && prod.inputs[2] >= 0;
    const bool hasResidual = prod.inputs.size() > 3 && prod.inputs[3] >= 0;
    const bool hasAct = hasAttr(prod, "activation");
    const auto so = staticShape(g, out);
    const auto sOther = staticShape(g, other);
    if (!so || !sOther || g.values[other].dtype != g.values[out].dtype ||
        !isFloat(g.values[out].dtype))
        return -1;
    std::map<std::string, AttrValue> attrs = prod.attrs;
    std::vector<int> ins = prod.inputs;
    ins.resize(4, -1);
    std::string rule;
    const auto c = constantScalar(e, other);
    if ((nx.op == "Mul" || (nx.op == "Div" && nx.inputs[1] == other)) && c && !hasBias && !hasAct &&
        !hasResidual && *c != 0.0) {
        const double alpha = attrFloat(prod, "alpha", 1.0);
        attrs["alpha"] = nx.op == "Mul" ? alpha * *c : alpha / *c;
        rule = "MatMul*scale -> FusedMatMul(alpha)";
    } else if (nx.op == "Add" && e.constant(other) && !hasBias && !hasAct && !hasResidual &&
               broadcastShapes(*so, *sOther) == *so) {
        ins[2] = other;
        rule = "MatMul+bias -> FusedMatMul(bias)";
    } else if (nx.op == "Add" && !hasResidual && *sOther == *so && !e.constant(other)) {
        ins[3] = other;
        rule = "MatMul+residual -> FusedMatMul(residual)";
    } else {
        return -1;
    }
    while (!ins.empty() && ins.back() < 0)
        ins.pop_back();
    const int f = e.addNode("aisys:FusedMatMul", prod.name, ins,
                            {g.values[nx.outputs[0]].name + "_f"}, std::move(attrs));
    if (!bypass(e, next, nx.outputs[0], e.output(f))) {
        e.removeNode(f);
        return -1;
    }
    e.removeNode(mm);
    r.log.push_back(merged(rule, {prod.name, nx.name}, {g.nodes[f].name}));
    return f;
}

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        if (e.removed(n))
            continue;
        for (int cur = n;
             cur >= 0 && (g.nodes[cur].op == "MatMul" || g.nodes[cur].op == "aisys:FusedMatMul");)
            cur = absorb(e, cur, r);
    }
    r.changed = !r.log.empty();
    if (r.changed) {
        e.compact();
        declareAisysDomain(g);
    }
    return r;
}

} // namespace

std::unique_ptr<Pass> makeMatMulEpilogueFusion() {
    return std::make_unique<FunctionPass>(
        "matmul-epilogue-fusion",
        "Folds a MatMul's scale (Mul/Div by a scalar), bias Add and residual Add into one "
        "aisys:FusedMatMul kernel.",
        run);
}

} // namespace aisys::engine::compiler::passes
