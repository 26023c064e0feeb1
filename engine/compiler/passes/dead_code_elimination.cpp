// dead-code-elimination: keep only the nodes an output needs.
//
// 1. Mark every graph output live.
// 2. Visit the nodes in reverse topological order: a node is live when one of its outputs is
//    live; a live node marks all its inputs (implicit subgraph inputs included) live.
// 3. Remove every node that is not live (one log entry each).
// 4. compact(): values nobody produces or reads disappear, unused initializers included (their
//    removal is logged too); graph inputs always stay (they are the model's interface).
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

namespace aisys::engine::compiler::passes {

namespace {

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    std::vector<bool> live(g.values.size(), false);
    for (int o : g.outputs)
        live[o] = true;
    const std::vector<int> order = g.topoOrder();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const Node& n = g.nodes[*it];
        bool needed = false;
        for (int v : n.outputs)
            needed |= live[v];
        if (!needed) {
            r.log.push_back(removed("unreachable from outputs", {n.name}));
            e.removeNode(*it);
            continue;
        }
        for (int v : n.inputs)
            if (v >= 0)
                live[v] = true;
    }
    std::vector<std::string> unusedInits;
    for (const auto& [v, t] : g.initializers)
        if (!live[v])
            unusedInits.push_back(g.values[v].name);
    if (!unusedInits.empty())
        r.log.push_back(removed("unused initializer", unusedInits));
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeDeadCodeElimination() {
    return std::make_unique<FunctionPass>(
        "dead-code-elimination",
        "Removes nodes and initializers no graph output depends on (backward reachability).", run);
}

} // namespace aisys::engine::compiler::passes
