// Layout transformation (see layout.h and engine/compiler/README.md, "layout-nhwc").
//
// 1. Insert: every 2-D Conv with a known 4-D float input becomes
//    LayoutCast(NCHW→L) → LayoutConv(layout=L) → LayoutCast(L→NCHW); W stays OIHW.
// 2. Sink: walking the nodes in topological order, an element-wise op whose activation input
//    comes from a LayoutCast(L→NCHW) runs in L instead and gets its own cast back to NCHW.
//    Unary ops always can; binary ops when every other input is also cast from L with the same
//    shape, a one-element constant, or a per-channel constant (dims 1 except C), which is
//    rewritten into L (NHWC: [1,1,1,C]; blocked: [1,C1,1,1,b], padding lanes 0).
// 3. Cancel: a LayoutCast(X→Y) reading a LayoutCast(Y→X) is replaced by the latter's input;
//    casts nobody reads any more are removed (repeated until none is left).
#include "engine/compiler/passes/layout.h"

#include "engine/compiler/graph_edit.h"
#include "engine/compiler/passes/fusion.h"
#include "engine/ops/fused_kernel.h"

#include <algorithm>

namespace aisys::engine::compiler {

using ops::Layout;

int countLayoutCasts(const Graph& g) {
    return static_cast<int>(std::count_if(
        g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.op == "aisys:LayoutCast"; }));
}

namespace {

constexpr const char* kCast = "aisys:LayoutCast";

std::map<std::string, AttrValue> castAttrs(Layout from, Layout to, std::int64_t channels) {
    return {{"from", std::string(ops::layoutName(from))},
            {"to", std::string(ops::layoutName(to))},
            {"channels", channels}};
}

bool isFloat(DType t) {
    return t == DType::F32 || t == DType::F64;
}

bool known4d(const Shape& s) {
    return s.size() == 4 && std::all_of(s.begin(), s.end(), [](auto d) { return d > 0; });
}

int producer(const GraphEditor& e, int v) {
    const int p = v >= 0 ? e.graph().values[v].producer : -1;
    return p >= 0 && !e.removed(p) ? p : -1;
}

/// The node of a LayoutCast(L→NCHW) producing v, or -1.
int castBackFrom(const GraphEditor& e, int v, Layout l) {
    const int p = producer(e, v);
    if (p < 0 || e.graph().nodes[p].op != kCast)
        return -1;
    const Node& n = e.graph().nodes[p];
    return attrString(n, "from", "") == ops::layoutName(l) && attrString(n, "to", "") == "NCHW"
               ? p
               : -1;
}

/// A constant rewritten into layout l for an op on a tensor with C channels, or -1 when the
/// constant is not a scalar or per-channel vector.
int convertConstant(GraphEditor& e, int v, Layout l, std::int64_t channels) {
    const Tensor* t = e.constant(v);
    if (!t || t->shape().size() > 4 || !isFloat(t->dtype()))
        return -1;
    if (t->numel() == 1)
        return v; // broadcasts in any layout
    Shape s = t->shape();
    while (s.size() < 4)
        s.insert(s.begin(), 1);
    if (s[0] != 1 || s[2] != 1 || s[3] != 1 || s[1] != channels)
        return -1;
    const Shape logical{1, channels, 1, 1};
    Tensor out(t->dtype(), ops::physicalShape(l, logical));
    for (std::int64_t c = 0; c < channels; ++c) {
        const std::int64_t o = ops::layoutOffset(l, logical, 0, c, 0, 0);
        if (t->dtype() == DType::F32)
            out.data<float>()[o] = t->data<float>()[c];
        else
            out.data<double>()[o] = t->data<double>()[c];
    }
    return e.addInitializer(e.graph().values[v].name + "_" + ops::layoutName(l), std::move(out));
}

/// Step 1.
void insertCasts(Graph& g, Layout l, LayoutReport& rep, std::vector<RewriteEntry>* log) {
    GraphEditor e(g);
    const int count = static_cast<int>(g.nodes.size());
    for (int n = 0; n < count; ++n) {
        const Node conv = g.nodes[n];
        if (conv.op != "Conv" || conv.outputs.size() != 1 || conv.inputs.size() < 2)
            continue;
        const Value x = g.values[conv.inputs[0]];
        const Value w = g.values[conv.inputs[1]];
        if (!known4d(x.shape) || w.shape.size() != 4 || !isFloat(x.dtype) ||
            !e.replaceable(conv.outputs[0]))
            continue;
        const std::string ln = ops::layoutName(l);
        const std::int64_t m = w.shape[0];
        const int in = e.addNode(kCast, conv.name + "_to_" + ln, {conv.inputs[0]},
                                 {x.name + "_" + ln}, castAttrs(Layout::NCHW, l, x.shape[1]));
        auto attrs = conv.attrs;
        attrs["layout"] = ln;
        std::vector<int> ins = conv.inputs;
        ins[0] = e.output(in);
        const std::string yName = g.values[conv.outputs[0]].name;
        const int lc =
            e.addNode("aisys:LayoutConv", conv.name + "_" + ln, ins, {yName + "_" + ln}, attrs);
        const int back = e.addNode(kCast, conv.name + "_to_NCHW", {e.output(lc)}, {yName},
                                   castAttrs(l, Layout::NCHW, m));
        e.replaceAllUses(conv.outputs[0], e.output(back));
        e.removeNode(n);
        ++rep.convsConverted;
        rep.castsInserted += 2;
        if (log)
            log->push_back({RewriteEntry::Kind::Changed,
                            "conv in " + ln + " with layout casts",
                            {conv.name},
                            {g.nodes[in].name, g.nodes[lc].name, g.nodes[back].name}});
    }
    e.compact();
    relinkConsumers(g);
}

/// Step 2.
void sinkCasts(Graph& g, Layout l, LayoutReport& rep, std::vector<RewriteEntry>* log) {
    GraphEditor e(g);
    const std::vector<int> order = g.topoOrder();
    const std::string ln = ops::layoutName(l);
    for (int n : order) {
        const Node node = e.graph().nodes[n];
        if (!ops::scalarEvaluable(node) || node.op == "Clip" || node.inputs.empty() ||
            node.inputs.size() > 2 || !e.replaceable(node.outputs[0]) ||
            !isFloat(e.graph().values[node.outputs[0]].dtype))
            continue;
        // Every input: cast back from l (same NCHW shape), or a convertible constant.
        std::vector<int> ins;
        std::int64_t channels = -1;
        Shape logical;
        bool ok = true, anyCast = false;
        for (int v : node.inputs) {
            const int k = v >= 0 ? castBackFrom(e, v, l) : -1;
            if (k < 0)
                continue;
            const Shape& s = e.graph().values[v].shape;
            if (anyCast && s != logical)
                ok = false;
            logical = s;
            channels = attrInt(e.graph().nodes[k], "channels", -1);
            anyCast = true;
        }
        if (!anyCast || !ok || e.graph().values[node.outputs[0]].shape != logical)
            continue;
        for (int v : node.inputs) {
            const int k = castBackFrom(e, v, l);
            int nv = k >= 0   ? e.graph().nodes[k].inputs[0]
                     : v >= 0 ? convertConstant(e, v, l, channels)
                              : -1;
            ok &= nv >= 0;
            ins.push_back(nv);
        }
        if (!ok)
            continue;
        const std::string out = e.graph().values[node.outputs[0]].name;
        const int moved =
            e.addNode(node.op, node.name + "_" + ln, ins, {out + "_" + ln}, node.attrs);
        const int back = e.addNode(kCast, node.name + "_to_NCHW", {e.output(moved)}, {out},
                                   castAttrs(l, Layout::NCHW, channels));
        e.replaceAllUses(node.outputs[0], e.output(back));
        e.removeNode(n);
        ++rep.opsMoved;
        if (log)
            log->push_back({RewriteEntry::Kind::Changed,
                            "layout-agnostic " + node.op + " runs in " + ln,
                            {node.name},
                            {e.graph().nodes[moved].name, e.graph().nodes[back].name}});
    }
    e.compact();
    relinkConsumers(g);
}

/// Step 3.
void cancelCasts(Graph& g, LayoutReport& rep, std::vector<RewriteEntry>* log) {
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        const Node k = e.graph().nodes[n];
        if (k.op != kCast || e.removed(n))
            continue;
        const int j = producer(e, k.inputs[0]);
        if (j < 0 || e.graph().nodes[j].op != kCast)
            continue;
        const Node inner = e.graph().nodes[j];
        if (attrString(inner, "from", "") != attrString(k, "to", "") ||
            attrString(inner, "to", "") != attrString(k, "from", "") ||
            !e.replaceable(k.outputs[0]))
            continue;
        e.replaceAllUses(k.outputs[0], inner.inputs[0]);
        e.removeNode(n);
        ++rep.castsCancelled;
        if (log)
            log->push_back({RewriteEntry::Kind::Removed,
                            "inverse layout casts cancel",
                            {inner.name, k.name},
                            {}});
    }
    // Casts left without readers (their partner was cancelled) go too, until none is left.
    for (bool again = true; again;) {
        again = false;
        for (int n = 0; n < static_cast<int>(e.graph().nodes.size()); ++n) {
            const Node& k = e.graph().nodes[n];
            if (e.removed(n) || k.op != kCast || e.isOutput(k.outputs[0]))
                continue;
            bool read = false;
            for (int c : e.graph().values[k.outputs[0]].consumers)
                read |= !e.removed(c);
            if (read)
                continue;
            const std::string name = k.name;
            e.removeNode(n);
            ++rep.castsCancelled;
            again = true;
            if (log)
                log->push_back({RewriteEntry::Kind::Removed, "dead layout cast", {name}, {}});
        }
    }
    e.compact();
    relinkConsumers(g);
}

} // namespace

LayoutReport transformLayout(Graph& g, Layout target, std::vector<RewriteEntry>* log) {
    LayoutReport rep;
    if (target == Layout::NCHW)
        return rep;
    inferShapes(g);
    insertCasts(g, target, rep, log);
    if (rep.convsConverted == 0)
        return rep;
    sinkCasts(g, target, rep, log);
    cancelCasts(g, rep, log);
    rep.castsRemaining = countLayoutCasts(g);
    return rep;
}

std::string LayoutPass::name() const {
    return m_target == Layout::NHWC     ? "layout-nhwc"
           : m_target == Layout::NC4HW4 ? "layout-nc4hw4"
                                        : "layout-nc1hwc0";
}

std::string LayoutPass::description() const {
    return std::string("Runs 2-D Convs in ") + ops::layoutName(m_target) +
           " with layout casts, sinks casts through element-wise ops and cancels inverse pairs.";
}

PassResult LayoutPass::run(Graph& g) const {
    PassResult r;
    const LayoutReport rep = transformLayout(g, m_target, &r.log);
    r.changed = rep.convsConverted > 0;
    return r;
}

} // namespace aisys::engine::compiler
