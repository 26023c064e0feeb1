// algebraic-simplification: rewrite arithmetic by algebraic identities.
//
// Visit the nodes in topological order; at each live node try:
// 1. Neutral elements: x*1, 1*x, x+0, 0+x, x-0, x/1, x^1 → x, only when the constant does not
//    broadcast x to a bigger shape and the types agree (then the node is an identity).
// 2. Constant chains: (x ∘ c1) ∘ c2 → x ∘ (c1 ∘ c2) for ∘ = + and ·, and the mixed forms
//    (x + c1) − c2 → x + (c1 − c2), (x · c1) / c2 → x · (c1 / c2), (x / c1) · c2 →
//    x · (c2 / c1), (x − c1) + c2 → x + (c2 − c1); the inner node must have no other reader,
//    and the merged constant must not make the result bigger than the outer output. The
//    constants are combined with the op's own kernel (broadcasting rules kept).
// 3. Broadcast reordering: (S1 + M1) + (S2 + M2) → (M1 + M2) + (S1 + S2) when S1, S2 are
//    smaller than the output and M1, M2 have its full shape: the small sum is computed once
//    and broadcast once (constant-folding then folds it when S1, S2 are constants).
// 4. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

namespace aisys::engine::compiler::passes {

namespace {

bool sameType(const Graph& g, int a, int b) {
    const auto sa = staticShape(g, a);
    return sa && sa == staticShape(g, b) && g.values[a].dtype == g.values[b].dtype;
}

/// For a binary node, the index (0/1) of its constant operand, or -1.
int constSide(const GraphEditor& e, const Node& n) {
    if (n.inputs.size() != 2 || n.inputs[0] < 0 || n.inputs[1] < 0)
        return -1;
    if (e.constant(n.inputs[1]))
        return 1;
    if (e.constant(n.inputs[0]))
        return 0;
    return -1;
}

bool neutral(GraphEditor& e, const Node& n, int idx, PassResult& r) {
    const Graph& g = e.graph();
    const std::string& op = n.op;
    if (op != "Add" && op != "Sub" && op != "Mul" && op != "Div" && op != "Pow")
        return false;
    const int side = constSide(e, n);
    if (side < 0)
        return false;
    const int c = n.inputs[static_cast<std::size_t>(side)];
    const int x = n.inputs[static_cast<std::size_t>(1 - side)];
    const double unit = (op == "Add" || op == "Sub") ? 0.0 : 1.0;
    const bool rightOnly = op == "Sub" || op == "Div" || op == "Pow";
    if ((rightOnly && side != 1) || !constantAll(e, c, unit) || !sameType(g, x, n.outputs[0]))
        return false;
    const std::string rule = op == "Add"   ? "x+0 -> x"
                             : op == "Sub" ? "x-0 -> x"
                             : op == "Mul" ? "x*1 -> x"
                             : op == "Div" ? "x/1 -> x"
                                           : "x^1 -> x";
    if (!bypass(e, idx, n.outputs[0], x))
        return false;
    r.log.push_back(removed(rule, {n.name}));
    return true;
}

/// The op combining c1 and c2 for (x inner c1) outer c2 → x result (c1 combine c2), or "".
struct ChainRule {
    const char* inner;
    const char* outer;
    const char* result;
    const char* combine;
    bool swap; ///< combine(c2, c1) instead of combine(c1, c2)
};
constexpr ChainRule kChains[] = {
    {"Add", "Add", "Add", "Add", false}, {"Mul", "Mul", "Mul", "Mul", false},
    {"Add", "Sub", "Add", "Sub", false}, {"Sub", "Add", "Add", "Sub", true},
    {"Mul", "Div", "Mul", "Div", false}, {"Div", "Mul", "Mul", "Div", true},
};

bool constantChain(GraphEditor& e, int n, PassResult& r) {
    Graph& g = e.graph();
    const Node outer = g.nodes[n];
    if (constSide(e, outer) != 1 || !isFloat(g.values[outer.outputs[0]].dtype))
        return false;
    const int p = producerOf(e, outer.inputs[0]);
    if (p < 0 || soleConsumer(e, outer.inputs[0]) != n)
        return false;
    const Node inner = g.nodes[p];
    const int side = constSide(e, inner);
    if (side < 0)
        return false;
    // Sub/Div are not commutative: their constant must be the right operand.
    if ((inner.op == "Sub" || inner.op == "Div") && side != 1)
        return false;
    for (const auto& rule : kChains) {
        if (inner.op != rule.inner || outer.op != rule.outer)
            continue;
        const Tensor* c1 = e.constant(inner.inputs[static_cast<std::size_t>(side)]);
        const Tensor* c2 = e.constant(outer.inputs[1]);
        const int x = inner.inputs[static_cast<std::size_t>(1 - side)];
        Tensor c;
        try {
            c = rule.swap ? evaluateOp(rule.combine, {c2, c1}) : evaluateOp(rule.combine, {c1, c2});
        } catch (const std::exception&) {
            return false; // the constants do not combine (types, shapes): leave the chain
        }
        const auto xs = staticShape(g, x);
        const auto os = staticShape(g, outer.outputs[0]);
        if (!xs || !os || broadcastShapes(*xs, c.shape()) != *os)
            return false;
        const int cv = e.addInitializer(outer.name + "_c", std::move(c));
        const int t =
            e.addNode(rule.result, outer.name, {x, cv}, {g.values[outer.outputs[0]].name + "_m"});
        if (!bypass(e, n, outer.outputs[0], e.output(t))) {
            e.removeNode(t);
            return false;
        }
        r.log.push_back(
            merged(std::string("constant chain (x ") + rule.inner + " c1) " + rule.outer + " c2",
                   {inner.name, outer.name}, {g.nodes[t].name}));
        removeIfDead(e, p, r);
        return true;
    }
    return false;
}

bool broadcastReorder(GraphEditor& e, int n, PassResult& r) {
    Graph& g = e.graph();
    const Node add = g.nodes[n];
    if (add.op != "Add" || add.inputs.size() != 2 || !isFloat(g.values[add.outputs[0]].dtype))
        return false;
    const auto os = staticShape(g, add.outputs[0]);
    if (!os)
        return false;
    int small[2], big[2], prod[2];
    for (int k = 0; k < 2; ++k) {
        prod[k] = producerOf(e, add.inputs[static_cast<std::size_t>(k)]);
        if (prod[k] < 0 || g.nodes[prod[k]].op != "Add" ||
            soleConsumer(e, add.inputs[static_cast<std::size_t>(k)]) != n ||
            g.nodes[prod[k]].inputs.size() != 2)
            return false;
        const auto& in = g.nodes[prod[k]].inputs;
        const auto s0 = staticShape(g, in[0]);
        const auto s1 = staticShape(g, in[1]);
        if (!s0 || !s1)
            return false;
        const bool full0 = *s0 == *os, full1 = *s1 == *os;
        if (full0 == full1)
            return false;
        big[k] = full0 ? in[0] : in[1];
        small[k] = full0 ? in[1] : in[0];
        if (numElements(staticShape(g, small[k]).value()) >= numElements(*os))
            return false;
    }
    const std::string outName = g.values[add.outputs[0]].name;
    const int s = e.addNode("Add", add.name + "_small", {small[0], small[1]}, {outName + "_s"});
    const int m = e.addNode("Add", add.name + "_big", {big[0], big[1]}, {outName + "_b"});
    const int t = e.addNode("Add", add.name, {e.output(m), e.output(s)}, {outName + "_r"});
    if (!bypass(e, n, add.outputs[0], e.output(t))) {
        e.removeNode(t);
        e.removeNode(m);
        e.removeNode(s);
        return false;
    }
    r.log.push_back(merged("(S1+M1)+(S2+M2) -> (M1+M2)+(S1+S2)",
                           {g.nodes[prod[0]].name, g.nodes[prod[1]].name, add.name},
                           {g.nodes[m].name, g.nodes[s].name, g.nodes[t].name}));
    removeIfDead(e, prod[0], r);
    removeIfDead(e, prod[1], r);
    return true;
}

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        if (e.removed(n) || g.nodes[n].outputs.empty())
            continue;
        const Node node = g.nodes[n];
        if (neutral(e, node, n, r) || constantChain(e, n, r))
            continue;
        broadcastReorder(e, n, r);
    }
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeAlgebraicSimplification() {
    return std::make_unique<FunctionPass>(
        "algebraic-simplification",
        "Removes x*1, x+0, x-0, x/1, merges constant chains ((x+c1)+c2 -> x+(c1+c2)) and "
        "reorders broadcasts ((S1+M1)+(S2+M2) -> (M1+M2)+(S1+S2)).",
        run);
}

} // namespace aisys::engine::compiler::passes
