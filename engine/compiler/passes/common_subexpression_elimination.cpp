// common-subexpression-elimination: compute each distinct expression once.
//
// 1. Merge equal initializers (same dtype, shape and bytes; at most 2^16 elements so hashing
//    stays cheap): every reader of a duplicate reads the first one instead. Now "the same
//    constant" is "the same value id".
// 2. Visit the nodes in topological order and build each node's key: op type, attributes
//    (exact bytes of floats and tensors) and input value ids — sorted for the commutative ops
//    Add, Mul, Max, Min, Sum, Mean, Equal. Nodes with subgraphs or of random ops get no key.
// 3. The first node with a key is kept in a map; a later node with the same key is a
//    duplicate: its outputs' readers read the kept node's outputs and the duplicate goes. Since
//    the order is topological, the inputs of a node are already merged when it is keyed, so
//    whole duplicated subtrees collapse in one pass.
// 4. compact(), and sweep again while something merged. A merged graph output keeps its name
//    through an Identity copy of the kept value's last output copy (GraphEditor::replaceAllUses),
//    so equal outputs become one chain in this sweep and the copies never equal each other;
//    only a copy equal to an Identity that is not an output is merged by the next sweep.
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_map>

namespace aisys::engine::compiler::passes {

namespace {

constexpr std::int64_t kMaxMergeElements = std::int64_t{1} << 16;

bool commutative(const std::string& op) {
    static const std::set<std::string> ops = {"Add", "Mul", "Max", "Min", "Sum", "Mean", "Equal"};
    return ops.count(op) > 0;
}

bool random(const std::string& op) {
    return op.rfind("Random", 0) == 0 || op == "Multinomial" || op == "Bernoulli";
}

std::string tensorKey(const Tensor& t) {
    std::string key = std::string(dtypeName(t.dtype())) + shapeToString(t.shape()) + ":";
    key.append(static_cast<const char*>(t.rawData()), t.bytes());
    return key;
}

/// One sweep of steps 1–3; returns whether it merged anything.
bool sweep(Graph& g, PassResult& r) {
    const std::size_t logged = r.log.size();
    GraphEditor e(g);
    // 1. Equal initializers.
    std::unordered_map<std::string, int> constants;
    std::vector<std::pair<int, int>> constantMerges;
    for (const auto& [v, t] : g.initializers) {
        if (t.numel() > kMaxMergeElements || e.isOutput(v) || !e.replaceable(v))
            continue;
        auto [it, inserted] = constants.emplace(tensorKey(t), v);
        if (!inserted && !g.values[v].consumers.empty())
            constantMerges.emplace_back(v, it->second);
    }
    for (auto [dup, keep] : constantMerges) {
        r.log.push_back(merged("equal initializers", {g.values[dup].name}, {g.values[keep].name}));
        e.replaceAllUses(dup, keep);
    }
    // 2–3. Equal nodes.
    std::unordered_map<std::string, int> seen;
    for (int n : g.topoOrder()) {
        const Node& node = g.nodes[n];
        if (random(node.op) || node.implicitInputs > 0 || node.outputs.empty())
            continue;
        auto attrs = attrsKey(node.attrs);
        if (!attrs)
            continue;
        std::vector<int> ins = node.inputs;
        if (commutative(node.op))
            std::sort(ins.begin(), ins.end());
        std::string key = node.op + "|" + std::to_string(node.outputs.size()) + "|" + *attrs + "|";
        for (int v : ins)
            key += std::to_string(v) + ",";
        auto [it, inserted] = seen.emplace(key, n);
        if (inserted)
            continue;
        // Copies: replaceAllUses may append a node (an output copy) and move g.nodes.
        const std::vector<int> dupOuts = node.outputs;
        const std::vector<int> keepOuts = g.nodes[it->second].outputs;
        bool ok = true;
        for (int v : dupOuts)
            ok &= e.replaceable(v);
        if (!ok)
            continue;
        r.log.push_back(
            merged("same (op, inputs, attributes)", {node.name}, {g.nodes[it->second].name}));
        for (std::size_t i = 0; i < dupOuts.size(); ++i)
            e.replaceAllUses(dupOuts[i], keepOuts[i]);
        e.removeNode(n);
    }
    if (r.log.size() == logged)
        return false;
    e.compact();
    return true;
}

PassResult run(Graph& g) {
    PassResult r;
    // A merge that needs an output copy adds an Identity, which may equal an Identity that is
    // not an output: sweep again until nothing merges (in practice at most one more sweep; the
    // bound is a guard).
    for (int i = 0; i < 16 && sweep(g, r); ++i) {
    }
    r.changed = !r.log.empty();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeCommonSubexpressionElimination() {
    return std::make_unique<FunctionPass>(
        "common-subexpression-elimination",
        "Merges equal constants and nodes with the same op, inputs and attributes "
        "(hash in topological order).",
        run);
}

} // namespace aisys::engine::compiler::passes
