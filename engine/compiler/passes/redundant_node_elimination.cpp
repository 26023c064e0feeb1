// redundant-node-elimination: remove nodes that do not change their input.
//
// Visit the nodes in topological order; at each live node try the rules below in turn. A rule
// that fires redirects the node's readers to an earlier value (or to one new node) and removes
// the node, then any producer left without readers (removeIfDead).
// 1. Meaningless ops: Identity; Dropout in inference (no training_mode input, or a constant
//    false one, and the mask unread); Concat of a single input.
// 2. Meaningless parameters: Cast to the type the input already has; a view (Reshape, Flatten,
//    Squeeze, Unsqueeze) or Expand whose output shape equals its static input shape.
// 3. Inverse pairs: Cast A→B→A where A→B is lossless (every A value is a B value: f32→f64,
//    8-bit ints and i32 → wider ints and floats, bool → anything); Transpose∘Transpose (perms
//    composed: c[i] = p1[p2[i]]; the identity removes both, otherwise one Transpose remains).
// 4. View chains (Reshape chains, Squeeze/Unsqueeze pairs): a view of a view with a static
//    output shape becomes one Reshape of the first view's input to that shape — or nothing
//    when that shape is the input's shape.
// 5. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

#include <set>

namespace aisys::engine::compiler::passes {

namespace {

bool isView(const std::string& op) {
    return op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze";
}

bool lossless(DType from, DType to) {
    if (from == to || from == DType::Bool)
        return true;
    switch (from) {
    case DType::F32:
        return to == DType::F64;
    case DType::I8:
        return to == DType::I32 || to == DType::I64 || to == DType::F32 || to == DType::F64;
    case DType::U8:
        return to == DType::I32 || to == DType::I64 || to == DType::F32 || to == DType::F64;
    case DType::I32:
        return to == DType::I64 || to == DType::F64;
    default:
        return false;
    }
}

bool inferenceDropout(const GraphEditor& e, const Node& n) {
    if (n.inputs.size() < 3 || n.inputs[2] < 0)
        return true;
    const Tensor* mode = e.constant(n.inputs[2]);
    return mode && mode->numel() == 1 && mode->at(0) == 0.0;
}

/// Rewrites node n if a rule applies; returns the rule name or "".
std::string simplify(GraphEditor& e, int n, PassResult& r) {
    Graph& g = e.graph();
    const Node node = g.nodes[n]; // a copy: edits may move g.nodes
    if (node.outputs.empty() || node.inputs.empty() || node.inputs[0] < 0)
        return "";
    const int out = node.outputs[0];
    const int in = node.inputs[0];
    const int inProducer = producerOf(e, in);
    auto drop = [&](const std::string& rule, int to) -> std::string {
        if (!bypass(e, n, out, to))
            return "";
        r.log.push_back(removed(rule, {node.name}));
        removeIfDead(e, inProducer, r);
        return rule;
    };
    if (node.op == "Identity")
        return drop("Identity", in);
    if (node.op == "Dropout" && inferenceDropout(e, node))
        return drop("Dropout in inference", in);
    if (node.op == "Concat" && node.inputs.size() == 1)
        return drop("single-input Concat", in);
    if (node.op == "Cast" && g.values[in].dtype == g.values[out].dtype)
        return drop("same-type Cast", in);
    if (node.op == "Cast" && inProducer >= 0 && g.nodes[inProducer].op == "Cast") {
        const int x = g.nodes[inProducer].inputs[0];
        if (g.values[x].dtype == g.values[out].dtype &&
            lossless(g.values[x].dtype, g.values[in].dtype))
            return drop("Cast A->B->A (lossless)", x);
    }
    const auto inShape = staticShape(g, in);
    const auto outShape = staticShape(g, out);
    if ((isView(node.op) || node.op == "Expand") && inShape && outShape && *inShape == *outShape &&
        g.values[in].dtype == g.values[out].dtype)
        return drop(node.op + " to the same shape", in);
    if (node.op == "Transpose" && inProducer >= 0 && g.nodes[inProducer].op == "Transpose" &&
        inShape) {
        const int x = g.nodes[inProducer].inputs[0];
        const auto p1 = attrInts(g.nodes[inProducer], "perm");
        const auto p2 = attrInts(node, "perm");
        if (p1.empty() || p2.empty() || p1.size() != p2.size())
            return "";
        std::vector<std::int64_t> c(p2.size());
        bool identity = true;
        for (std::size_t i = 0; i < p2.size(); ++i) {
            c[i] = p1[static_cast<std::size_t>(p2[i])];
            identity &= c[i] == static_cast<std::int64_t>(i);
        }
        if (identity)
            return drop("Transpose o Transpose = identity", x);
        const int t =
            e.addNode("Transpose", node.name, {x}, {g.values[out].name + "_t"}, {{"perm", c}});
        if (!bypass(e, n, out, e.output(t))) {
            e.removeNode(t);
            return "";
        }
        r.log.push_back(merged("Transpose o Transpose -> Transpose",
                               {g.nodes[inProducer].name, node.name}, {g.nodes[t].name}));
        removeIfDead(e, inProducer, r);
        return "transpose";
    }
    if (isView(node.op) && inProducer >= 0 && isView(g.nodes[inProducer].op) && outShape) {
        const int x = g.nodes[inProducer].inputs[0];
        const std::string innerName = g.nodes[inProducer].name;
        if (staticShape(g, x) == outShape)
            return drop("view chain = identity", x);
        bool zero = false;
        for (auto d : *outShape)
            zero |= d == 0;
        const int shape =
            e.addInitializer(node.name + "_shape",
                             Tensor::i64({static_cast<std::int64_t>(outShape->size())}, *outShape));
        std::map<std::string, AttrValue> attrs;
        if (zero)
            attrs["allowzero"] = std::int64_t{1};
        const int t = e.addNode("Reshape", node.name, {x, shape}, {g.values[out].name + "_r"},
                                std::move(attrs));
        if (!bypass(e, n, out, e.output(t))) {
            e.removeNode(t);
            return "";
        }
        r.log.push_back(
            merged("view chain -> one Reshape", {innerName, node.name}, {g.nodes[t].name}));
        removeIfDead(e, inProducer, r);
        return "view chain";
    }
    return "";
}

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder())
        if (!e.removed(n))
            simplify(e, n, r);
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeRedundantNodeElimination() {
    return std::make_unique<FunctionPass>(
        "redundant-node-elimination",
        "Removes Identity, inference Dropout, same-type Cast, single-input Concat, no-op views, "
        "inverse pairs (Transpose o Transpose, Cast A->B->A, Squeeze/Unsqueeze) and Reshape "
        "chains.",
        run);
}

} // namespace aisys::engine::compiler::passes
