// constant-folding: compute ahead of time what depends only on constants.
//
// 1. Visit the nodes in topological order (so folding is transitive: a folded output is an
//    initializer by the time its readers are visited).
// 2. A node folds when every input is an initializer (a Constant node has none, so every
//    Constant becomes an initializer), or when it is Shape/Size of a value whose shape is
//    static (shape computations on static shapes: Shape → Gather → Concat → Reshape chains).
// 3. Skip huge results (more than 2^22 elements: folding must not bloat the model), ops that
//    cannot run ahead of time (random ops, If/Loop) and nodes producing a graph output (an
//    output stays produced by a node).
// 4. Run the op's kernel on the constants; each output value becomes an initializer with the
//    same name; the node is removed.
// 5. compact(): initializers no longer read disappear.
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

namespace aisys::engine::compiler::passes {

namespace {

constexpr std::int64_t kMaxFoldElements = std::int64_t{1} << 22;

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        const Node& node = g.nodes[n];
        bool producesOutput = false;
        for (int v : node.outputs)
            producesOutput |= e.isOutput(v);
        if (producesOutput || node.outputs.empty())
            continue;
        auto folded = evaluateConstant(e, n, kMaxFoldElements);
        if (!folded)
            continue;
        const std::string rule = node.op == "Constant" ? "Constant -> initializer"
                                 : node.op == "Shape" || node.op == "Size"
                                     ? "static shape -> constant"
                                     : "all inputs constant";
        std::vector<std::string> outs;
        for (std::size_t i = 0; i < node.outputs.size(); ++i) {
            outs.push_back(g.values[node.outputs[i]].name);
            e.makeConstant(node.outputs[i], std::move((*folded)[i]));
        }
        r.log.push_back({RewriteEntry::Kind::Removed, rule, {node.name}, outs});
        e.removeNode(n);
    }
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeConstantFolding() {
    return std::make_unique<FunctionPass>(
        "constant-folding",
        "Evaluates nodes whose inputs are all constants (and Shape/Size of static shapes) ahead "
        "of time; Constant nodes become initializers.",
        run);
}

} // namespace aisys::engine::compiler::passes
