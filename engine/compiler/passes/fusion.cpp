// Operator fusion after TVM's FuseOps (see fusion.h and engine/compiler/README.md).
//
// 1. Take the nodes in topological order (TVM's post-DFS order of the IndexedForwardGraph).
//    A node producing a graph output gets an external edge of pattern opaque.
// 2. Post-dominator tree, nodes visited in reverse order: a node's parent is the least common
//    ancestor (in the tree built so far) of its consumers; its `pattern` is the max of the
//    edge patterns met on the way (consumer edges and the tree nodes the LCA climbs through).
// 3. Every node starts in its own group (union-find) with its pattern; an out-elementwise-
//    fusable node is its group's anchor.
// 4. Phase 0, then phase 1, over the nodes in order: a non-opaque node with a post-dominator P
//    not yet in its group, and with the merged group size <= max fuse depth, is fused into P's
//    group when every node on every path from it to P passes the rule of its pattern. Which
//    pattern picks the rule is the FusionRule: the lab's rule takes the node's own op category;
//    TVM's rule (GraphPartitioner::RunFuse reads groups_[nid]->pattern) takes the pattern of
//    the node's group record, which MergeFromTo raised to out-elementwise-fusable when an
//    anchored group was merged into it — so a ReLU holding a Conv follows rule a, not b:
//    a. out-elementwise-fusable (phase 0): if the tree edge to P is element-wise, every node on
//       the paths, P included, must be element-wise or broadcast (Conv → BN-as-affine → ReLU);
//    b. element-wise/broadcast (both phases): if the tree edge is at most injective or a
//       reduction, the nodes before P must be at most injective and P anything but opaque
//       (P may be a Conv group, a reduction or injective);
//    c. injective (phase 1 only, so Conv groups finish first): every node on the paths, P
//       included, at most injective;
//    d. reduction and opaque nodes never start a fusion (they can be a sink).
//    Fusing merges every node on the paths into P's group (CommitFuse).
// 5. Groups of two or more nodes become one aisys:Fused node; its kernel is "elementwise" when
//    every member is element-wise evaluable, "epilogue" when the first member is the anchor and
//    the rest are element-wise, else "subgraph".
#include "engine/compiler/passes/fusion.h"

#include "engine/compiler/graph_edit.h"
#include "engine/compiler/pass_manager.h"
#include "engine/ops/fused_kernel.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace aisys::engine::compiler {

const char* fusionRuleName(FusionRule r) {
    return r == FusionRule::Tvm ? "tvm" : "lab";
}

const PostDomNode* PostDomTree::of(int n) const {
    for (const auto& t : nodes)
        if (t.node == n)
            return &t;
    return nullptr;
}

FusionCategory nodePattern(const Graph& g, int n, const OpRegistry& ops) {
    const Node& node = g.nodes[n];
    const OpDef* def = ops.find(node.op);
    if (!def || node.outputs.size() != 1)
        return FusionCategory::Opaque;
    return def->category;
}

FusionCategory edgePattern(const Graph& g, int consumer, int value, const OpRegistry& ops) {
    FusionCategory p = nodePattern(g, consumer, ops);
    const Node& c = g.nodes[consumer];
    if (p == FusionCategory::Broadcast && !c.outputs.empty()) {
        const Shape& out = g.values[c.outputs[0]].shape;
        const Shape& in = g.values[value].shape;
        if (in == out && std::all_of(in.begin(), in.end(), [](auto d) { return d >= 0; }))
            return FusionCategory::Elementwise;
    }
    return p;
}

namespace {

FusionCategory combine(FusionCategory a, FusionCategory b) {
    return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

/// The forward graph: per node, its consumer edges (node, pattern) and whether it feeds an
/// output (TVM's extern_ref).
struct ForwardGraph {
    std::vector<std::vector<std::pair<int, FusionCategory>>> out;
    std::vector<bool> externRef;
};

ForwardGraph forwardGraph(const Graph& g, const OpRegistry& ops) {
    ForwardGraph f;
    f.out.resize(g.nodes.size());
    f.externRef.assign(g.nodes.size(), false);
    std::set<int> outputs(g.outputs.begin(), g.outputs.end());
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
        for (int v : g.nodes[n].outputs) {
            if (v < 0)
                continue;
            if (outputs.count(v))
                f.externRef[n] = true;
            for (int c : g.values[v].consumers)
                f.out[n].push_back({c, edgePattern(g, c, v, ops)});
        }
    return f;
}

} // namespace

PostDomTree postDominatorTree(const Graph& g, const OpRegistry& ops) {
    // Step 2.
    PostDomTree tree;
    tree.order = g.topoOrder();
    const ForwardGraph f = forwardGraph(g, ops);
    std::vector<PostDomNode> byNode(g.nodes.size());
    auto lca = [&](int a, int b, FusionCategory& pat) {
        while (a != b) {
            if (a < 0 || b < 0)
                return -1;
            const PostDomNode &na = byNode[a], &nb = byNode[b];
            if (na.depth < nb.depth) {
                pat = combine(pat, nb.pattern);
                b = nb.parent;
            } else if (nb.depth < na.depth) {
                pat = combine(pat, na.pattern);
                a = na.parent;
            } else {
                pat = combine(combine(pat, na.pattern), nb.pattern);
                a = na.parent;
                b = nb.parent;
            }
        }
        return a;
    };
    for (auto it = tree.order.rbegin(); it != tree.order.rend(); ++it) {
        const int n = *it;
        PostDomNode t;
        t.node = n;
        if (f.externRef[n]) {
            t.parent = -1;
            t.depth = 1;
            t.pattern = FusionCategory::Opaque;
        } else {
            FusionCategory pat = FusionCategory::Elementwise;
            int parent = -1;
            bool first = true;
            for (const auto& [c, ep] : f.out[n]) {
                parent = first ? c : lca(parent, c, pat);
                pat = combine(pat, ep);
                first = false;
                if (parent < 0)
                    break;
            }
            t.parent = parent;
            t.depth = parent >= 0 ? byNode[parent].depth + 1 : 1;
            t.pattern = pat;
        }
        byNode[n] = t;
    }
    for (int n : tree.order)
        tree.nodes.push_back(byNode[n]);
    return tree;
}

namespace {

/// Union-find groups (TVM's GraphPartitioner::Group), one entry per node.
struct Groups {
    std::vector<int> parent;
    std::vector<FusionCategory> pattern;
    std::vector<int> numNodes;
    std::vector<int> anchor;

    int root(int i) {
        while (parent[i] >= 0) {
            if (parent[parent[i]] >= 0)
                parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
    void merge(int child, int into) {
        child = root(child);
        into = root(into);
        if (child == into)
            return;
        numNodes[into] += numNodes[child];
        parent[child] = into;
        if (anchor[child] >= 0) {
            anchor[into] = anchor[child];
            pattern[into] = combine(pattern[child], pattern[into]);
        }
    }
};

class Partitioner {
public:
    Partitioner(const Graph& g, const PostDomTree& tree, const FusionOptions& opt,
                const OpRegistry& ops)
        : m_g(g), m_tree(tree), m_opt(opt), m_f(forwardGraph(g, ops)) {
        const std::size_t n = g.nodes.size();
        m_groups.parent.assign(n, -1);
        m_groups.numNodes.assign(n, 1);
        m_groups.anchor.assign(n, -1);
        for (std::size_t i = 0; i < n; ++i) {
            m_groups.pattern.push_back(nodePattern(g, static_cast<int>(i), ops));
            if (m_groups.pattern[i] == FusionCategory::OutElementwiseFusable)
                m_groups.anchor[i] = static_cast<int>(i);
        }
        m_nodePattern = m_groups.pattern;
    }

    Groups run() {
        for (int phase = 0; phase < 2; ++phase)
            runPhase(phase);
        return m_groups;
    }

private:
    using Cond = std::function<bool(FusionCategory, bool)>;

    bool checkPath(int src, int sink, const Cond& cond) {
        m_visited.clear();
        for (const auto& [c, ep] : m_f.out[src])
            if (!checkPathFrom(c, sink, cond))
                return false;
        return true;
    }
    bool checkPathFrom(int src, int sink, const Cond& cond) {
        if (!m_visited.insert(src).second)
            return true;
        if (!cond(m_groups.pattern[m_groups.root(src)], src == sink))
            return false;
        if (src == sink)
            return true;
        for (const auto& [c, ep] : m_f.out[src])
            if (!checkPathFrom(c, sink, cond))
                return false;
        return true;
    }
    void commitFuse(int src, int sink) {
        m_visited.clear();
        commitFrom(src, sink, sink);
    }
    void commitFrom(int src, int sink, int target) {
        if (src == sink || !m_visited.insert(src).second)
            return;
        m_groups.merge(src, target);
        for (const auto& [c, ep] : m_f.out[src])
            commitFrom(c, sink, target);
    }
    int countUpToSink(int src, int sink) {
        if (src == sink || !m_visited.insert(src).second)
            return 0;
        int sum = m_groups.numNodes[src];
        for (const auto& [c, ep] : m_f.out[src])
            sum += countUpToSink(c, sink);
        return sum;
    }
    int countWithNewChild(int child, int domParent) {
        m_visited.clear();
        return m_groups.numNodes[m_groups.root(domParent)] + countUpToSink(child, domParent);
    }

    void runPhase(int phase) {
        using FC = FusionCategory;
        auto le = [](FC a, FC b) { return static_cast<int>(a) <= static_cast<int>(b); };
        for (const PostDomNode& dn : m_tree.nodes) {
            const int n = dn.node;
            // Step 4: the lab's rule reads the node's own category; TVM's reads the pattern of
            // the node's group record (the root's, when the node is the root).
            const FC pat = m_opt.rule == FusionRule::Tvm ? m_groups.pattern[n] : m_nodePattern[n];
            if (pat == FC::Opaque || dn.parent < 0)
                continue;
            const int p = dn.parent;
            if (countWithNewChild(n, p) > m_opt.maxFuseDepth)
                continue;
            if (m_groups.root(n) == m_groups.root(p))
                continue;
            if (pat == FC::OutElementwiseFusable) { // step 4a
                if (phase != 0 || dn.pattern != FC::Elementwise)
                    continue;
                auto cond = [&](FC k, bool) { return le(k, FC::Broadcast); };
                if (checkPath(n, p, cond))
                    commitFuse(n, p);
            } else if (le(pat, FC::Broadcast)) { // step 4b
                if (!(le(dn.pattern, FC::Injective) || dn.pattern == FC::Reduction))
                    continue;
                auto cond = [&](FC k, bool sink) {
                    return sink ? k != FC::Opaque : le(k, FC::Injective);
                };
                if (checkPath(n, p, cond))
                    commitFuse(n, p);
            } else if (pat == FC::Injective) { // step 4c
                if (phase != 1)
                    continue;
                auto cond = [&](FC k, bool) { return le(k, FC::Injective); };
                if (checkPath(n, p, cond))
                    commitFuse(n, p);
            } // step 4d: reductions start nothing
        }
    }

    const Graph& m_g;
    const PostDomTree& m_tree;
    FusionOptions m_opt;
    ForwardGraph m_f;
    Groups m_groups;
    std::vector<FusionCategory> m_nodePattern;
    std::set<int> m_visited;
};

double bytesOf(const Value& v) {
    return typeBytes({v.dtype, v.shape});
}

bool isFloatType(DType t) {
    return t == DType::F32 || t == DType::F64;
}

/// Step 5: the kernel a group runs as.
std::string kernelOf(const Graph& g, const FusionGroup& grp, const std::set<int>& members) {
    int outputs = 0;
    std::set<DType> types;
    for (int m : grp.members)
        for (int v : g.nodes[m].outputs) {
            types.insert(g.values[v].dtype);
            bool outside = std::find(g.outputs.begin(), g.outputs.end(), v) != g.outputs.end();
            for (int c : g.values[v].consumers)
                outside |= !members.count(c);
            outputs += outside;
        }
    if (outputs != 1 || types.size() != 1 || !isFloatType(*types.begin()))
        return "subgraph";
    int notScalar = 0;
    for (int m : grp.members)
        notScalar += !ops::scalarEvaluable(g.nodes[m]);
    if (notScalar == 0)
        return "elementwise";
    if (notScalar == 1 && grp.anchor == grp.members.front() &&
        !ops::scalarEvaluable(g.nodes[grp.anchor]))
        return "epilogue";
    return "subgraph";
}

/// Activation bytes a set of nodes reads and writes (GraphStats' accounting).
double activationTraffic(const Graph& g, const std::vector<int>& nodes) {
    double b = 0;
    for (int n : nodes) {
        if (!launchesKernel(g.nodes[n]))
            continue;
        for (int v : g.nodes[n].inputs)
            if (v >= 0 && !g.values[v].initializer)
                b += bytesOf(g.values[v]);
        for (int v : g.nodes[n].outputs)
            b += bytesOf(g.values[v]);
    }
    return b;
}

/// External inputs (first use order) and outputs of a member set.
void boundary(const Graph& g, const std::vector<int>& members, std::vector<int>& in,
              std::vector<int>& out) {
    std::set<int> mem(members.begin(), members.end()), produced;
    for (int m : members)
        for (int v : g.nodes[m].outputs)
            produced.insert(v);
    for (int m : members) {
        for (int v : g.nodes[m].inputs)
            if (v >= 0 && !produced.count(v) && std::find(in.begin(), in.end(), v) == in.end())
                in.push_back(v);
        for (int v : g.nodes[m].outputs) {
            bool outside = std::find(g.outputs.begin(), g.outputs.end(), v) != g.outputs.end();
            for (int c : g.values[v].consumers)
                outside |= !mem.count(c);
            if (outside)
                out.push_back(v);
        }
    }
}

} // namespace

void relinkConsumers(Graph& g) {
    for (Value& v : g.values)
        v.consumers.clear();
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
        for (int v : g.nodes[n].inputs)
            if (v >= 0)
                g.values[v].consumers.push_back(static_cast<int>(n));
}

FusionPlan planFusion(const Graph& g, const FusionOptions& opt, const OpRegistry& ops) {
    FusionPlan plan;
    plan.tree = postDominatorTree(g, ops);
    Partitioner part(g, plan.tree, opt, ops);
    Groups groups = part.run();
    std::map<int, std::vector<int>> byRoot;
    for (int n : plan.tree.order)
        byRoot[groups.root(n)].push_back(n);
    plan.groupOf.assign(g.nodes.size(), -1);
    for (int n : plan.tree.order) { // groups numbered by their first member's position
        const int r = groups.root(n);
        auto& members = byRoot[r];
        if (members.size() < 2 || members.front() != n)
            continue;
        FusionGroup grp;
        grp.members = members;
        grp.root = r;
        grp.anchor = groups.anchor[r];
        grp.pattern = FusionCategory::Elementwise;
        for (int m : members)
            grp.pattern = combine(grp.pattern, nodePattern(g, m, ops));
        std::set<int> mem(members.begin(), members.end());
        grp.kernel = kernelOf(g, grp, mem);
        std::vector<int> in, out;
        boundary(g, members, in, out);
        if (out.empty())
            continue; // dead code (nothing leaves the group): left to dead-code elimination
        double fused = 0;
        for (int v : in)
            fused += g.values[v].initializer ? 0 : bytesOf(g.values[v]);
        for (int v : out)
            fused += bytesOf(g.values[v]);
        grp.bytesSaved = activationTraffic(g, members) - fused;
        for (int m : members)
            plan.groupOf[m] = static_cast<int>(plan.groups.size());
        plan.groups.push_back(std::move(grp));
    }
    return plan;
}

std::string FusionPass::description() const {
    if (m_opt.rule == FusionRule::Tvm)
        return "Fuses nodes by fusion category along the post-dominator tree with TVM's FuseOps "
               "rule (a group holding a Conv grows only along element-wise edges) into "
               "aisys:Fused nodes; element-wise chains run as one loop.";
    return "Fuses nodes by fusion category along the post-dominator tree (after TVM's FuseOps, "
           "but each node's own pattern decides, not its group's) into aisys:Fused nodes; "
           "element-wise chains run as one loop.";
}

PassResult FusionPass::run(Graph& g) const {
    inferShapes(g);
    const FusionPlan plan = planFusion(g, m_opt);
    PassResult r;
    if (plan.groups.empty())
        return r;
    GraphEditor e(g);
    for (const FusionGroup& grp : plan.groups) {
        std::vector<int> in, out;
        boundary(e.graph(), grp.members, in, out);
        bool ok = true;
        for (int v : out)
            ok &= e.replaceable(v);
        if (!ok)
            continue;
        // The body: inputs = the fused node's inputs, the members with their names, the outputs.
        const Graph& cur = e.graph();
        Graph body;
        body.name = "fused_" + cur.nodes[grp.root].name;
        body.opsetImports = cur.opsetImports;
        for (int v : in)
            body.addInput(cur.values[v].name, cur.values[v].dtype, cur.values[v].shape);
        std::vector<std::string> names;
        for (int m : grp.members) {
            const Node& n = cur.nodes[m];
            std::vector<std::string> ins, outs;
            for (int v : n.inputs)
                ins.push_back(v >= 0 ? cur.values[v].name : "");
            for (int v : n.outputs)
                outs.push_back(cur.values[v].name);
            body.addNode(n.op, n.name, ins, outs, n.attrs);
            for (int v : n.outputs) {
                Value& bv = body.values[body.findValue(cur.values[v].name)];
                bv.dtype = cur.values[v].dtype;
                bv.shape = cur.values[v].shape;
            }
            names.push_back(n.name);
        }
        std::vector<std::string> hints;
        for (int v : out) {
            body.markOutput(cur.values[v].name);
            hints.push_back(cur.values[v].name);
        }
        std::map<std::string, AttrValue> attrs;
        attrs["body"] = Subgraph(std::move(body));
        attrs["kernel"] = grp.kernel;
        attrs["pattern"] = std::string(fusionCategoryName(grp.pattern));
        attrs["members"] = names;
        attrs["bytes_saved"] = static_cast<std::int64_t>(grp.bytesSaved);
        // addNode makes the name unique; log the name the node really has.
        const int nf = e.addNode("aisys:Fused", "fused_" + cur.nodes[grp.root].name, in, hints,
                                 std::move(attrs));
        const std::string fusedName = e.graph().nodes[nf].name;
        const std::vector<int> newOut = e.graph().nodes[nf].outputs;
        for (std::size_t i = 0; i < out.size(); ++i)
            e.replaceAllUses(out[i], newOut[i]);
        for (int m : grp.members)
            e.removeNode(m);
        r.log.push_back({RewriteEntry::Kind::Merged,
                         std::string("fuse ") + fusionCategoryName(grp.pattern) + " group (" +
                             grp.kernel + " kernel, " +
                             std::to_string(static_cast<long long>(grp.bytesSaved)) + " B saved)",
                         names,
                         {fusedName}});
        r.changed = true;
    }
    if (r.changed) {
        e.compact();
        relinkConsumers(g);
    }
    return r;
}

} // namespace aisys::engine::compiler
