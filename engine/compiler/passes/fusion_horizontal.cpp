// Horizontal fusion (see fusion.h and engine/compiler/README.md, "horizontal-fusion").
//
// 1. For every value, in id order, its readers that are element-wise evaluable single-output
//    nodes (or aisys:Fused nodes with the "elementwise" kernel) with a float output are the
//    candidates; they are bucketed by output shape and dtype.
// 2. Within a bucket, siblings are taken greedily in topological order, skipping one that a
//    taken sibling reaches (or that reaches one): the merged node must not sit on a path
//    between its own members.
// 3. Each set of two or more becomes one aisys:Fused node (kernel "elementwise", several
//    outputs): its body holds the members (a fused member contributes its body's nodes), so the
//    shared input is read once per element and every output is written in the same loop.
#include "engine/compiler/graph_edit.h"
#include "engine/compiler/pass_manager.h"
#include "engine/compiler/passes/fusion.h"
#include "engine/ops/fused_kernel.h"

#include <algorithm>
#include <map>
#include <set>

namespace aisys::engine::compiler {

namespace {

bool chainNode(const Graph& g, const Node& n) {
    if (n.outputs.size() != 1)
        return false;
    const DType t = g.values[n.outputs[0]].dtype;
    if (t != DType::F32 && t != DType::F64)
        return false;
    if (n.op == "aisys:Fused")
        return attrString(n, "kernel", "") == "elementwise";
    return ops::scalarEvaluable(n);
}

/// True when `to` is reachable from `from` along data edges (positions bound the search).
bool reaches(const Graph& g, int from, int to, const std::vector<int>& pos) {
    std::vector<int> stack{from};
    std::set<int> seen;
    while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        if (n == to)
            return true;
        if (!seen.insert(n).second || pos[n] >= pos[to])
            continue;
        for (int v : g.nodes[n].outputs)
            for (int c : g.values[v].consumers)
                stack.push_back(c);
    }
    return false;
}

/// Activation traffic of a node (GraphStats' accounting).
double traffic(const Graph& g, const Node& n) {
    double b = 0;
    if (!launchesKernel(n))
        return 0;
    for (int v : n.inputs)
        if (v >= 0 && !g.values[v].initializer)
            b += typeBytes({g.values[v].dtype, g.values[v].shape});
    for (int v : n.outputs)
        b += typeBytes({g.values[v].dtype, g.values[v].shape});
    return b;
}

/// Adds node n (or, for a fused node, its body's nodes) to `body`, renaming where a name is
/// taken, copying value types; returns the body name of n's result.
std::string addMember(Graph& body, const Graph& g, const Node& n, std::vector<std::string>& names) {
    auto fresh = [&](const std::string& base, bool node) {
        auto used = [&](const std::string& x) {
            if (!node)
                return body.findValue(x) >= 0;
            return std::any_of(body.nodes.begin(), body.nodes.end(),
                               [&](const Node& m) { return m.name == x; });
        };
        std::string x = base;
        for (int k = 1; used(x); ++k)
            x = base + "_h" + std::to_string(k);
        return x;
    };
    // nameOf: value id of `from` → its name in the body.
    auto add = [&](const Graph& from, const Node& m, std::map<int, std::string>& nameOf) {
        std::vector<std::string> ins, outs;
        for (int v : m.inputs)
            ins.push_back(v < 0 ? "" : nameOf.count(v) ? nameOf[v] : from.values[v].name);
        for (int v : m.outputs)
            outs.push_back(nameOf[v] = fresh(from.values[v].name, false));
        const std::string nodeName = fresh(m.name, true);
        body.addNode(m.op, nodeName, ins, outs, m.attrs);
        for (int v : m.outputs) {
            Value& bv = body.values[body.findValue(nameOf[v])];
            bv.dtype = from.values[v].dtype;
            bv.shape = from.values[v].shape;
        }
        names.push_back(nodeName);
    };
    std::map<int, std::string> nameOf;
    if (n.op != "aisys:Fused") {
        add(g, n, nameOf);
        return nameOf.at(n.outputs[0]);
    }
    const Graph& inner = std::get<Subgraph>(n.attrs.at("body")).graph();
    for (std::size_t i = 0; i < inner.inputs.size(); ++i) // inner inputs = the node's inputs
        nameOf[inner.inputs[i]] = g.values[n.inputs.at(i)].name;
    for (int m : inner.topoOrder())
        add(inner, inner.nodes[m], nameOf);
    return nameOf.at(inner.outputs.at(0));
}

} // namespace

std::string HorizontalFusionPass::description() const {
    return "Fuses sibling element-wise nodes (or chains) that read one value into one "
           "multi-output aisys:Fused loop that reads it once.";
}

namespace {

/// Steps 1-2: the first set of two or more independent siblings, or {}.
std::vector<int> findSiblings(const Graph& g) {
    const std::vector<int> order = g.topoOrder();
    std::vector<int> pos(g.nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        pos[order[i]] = static_cast<int>(i);
    for (std::size_t v = 0; v < g.values.size(); ++v) {
        std::map<std::pair<Shape, DType>, std::vector<int>> buckets;
        std::set<int> seen;
        for (int c : g.values[v].consumers) {
            if (!seen.insert(c).second || !chainNode(g, g.nodes[c]))
                continue;
            const Value& out = g.values[g.nodes[c].outputs[0]];
            buckets[{out.shape, out.dtype}].push_back(c);
        }
        for (auto& [key, cands] : buckets) {
            std::sort(cands.begin(), cands.end(), [&](int a, int b) { return pos[a] < pos[b]; });
            std::vector<int> set;
            for (int c : cands) {
                bool independent = true;
                for (int s : set)
                    independent &= !reaches(g, s, c, pos) && !reaches(g, c, s, pos);
                if (independent)
                    set.push_back(c);
            }
            if (set.size() >= 2)
                return set;
        }
    }
    return {};
}

/// Step 3 for one set; false when an output cannot be redirected.
bool mergeSiblings(Graph& g, const std::vector<int>& set, PassResult& r) {
    GraphEditor e(g);
    const Graph& cur = e.graph();
    std::vector<int> in, out;
    std::vector<std::string> names, hints, memberNames;
    double before = 0;
    Graph body;
    body.opsetImports = cur.opsetImports;
    for (int m : set)
        for (int v : cur.nodes[m].inputs)
            if (v >= 0 && std::find(in.begin(), in.end(), v) == in.end()) {
                in.push_back(v);
                body.addInput(cur.values[v].name, cur.values[v].dtype, cur.values[v].shape);
            }
    for (int m : set) {
        if (!e.replaceable(cur.nodes[m].outputs[0]))
            return false;
        body.markOutput(addMember(body, cur, cur.nodes[m], names));
        out.push_back(cur.nodes[m].outputs[0]);
        hints.push_back(cur.values[out.back()].name);
        before += traffic(cur, cur.nodes[m]);
        memberNames.push_back(cur.nodes[m].name);
    }
    body.name = "hfused_" + cur.nodes[set[0]].name;
    std::map<std::string, AttrValue> attrs;
    attrs["body"] = Subgraph(std::move(body));
    attrs["kernel"] = std::string("elementwise");
    attrs["pattern"] = std::string("elementwise");
    attrs["members"] = names;
    attrs["horizontal"] = std::int64_t{1};
    const std::string name = e.uniqueNodeName("hfused_" + cur.nodes[set[0]].name);
    const int nf = e.addNode("aisys:Fused", name, in, hints, std::move(attrs));
    const double saved = before - traffic(e.graph(), e.graph().nodes[nf]);
    e.graph().nodes[nf].attrs["bytes_saved"] = static_cast<std::int64_t>(saved);
    const std::vector<int> newOut = e.graph().nodes[nf].outputs;
    for (std::size_t i = 0; i < out.size(); ++i)
        e.replaceAllUses(out[i], newOut[i]);
    for (int m : set)
        e.removeNode(m);
    e.compact();
    r.log.push_back({RewriteEntry::Kind::Merged,
                     "horizontal fusion of " + std::to_string(set.size()) + " siblings (" +
                         std::to_string(static_cast<long long>(saved)) + " B saved)",
                     memberNames,
                     {name}});
    return true;
}

} // namespace

PassResult HorizontalFusionPass::run(Graph& g) const {
    // One set at a time on the current graph: members are pairwise unreachable, so contracting
    // them cannot close a cycle.
    inferShapes(g);
    PassResult r;
    for (std::vector<int> set = findSiblings(g); !set.empty(); set = findSiblings(g)) {
        if (!mergeSiblings(g, set, r))
            break;
        r.changed = true;
    }
    return r;
}

} // namespace aisys::engine::compiler
