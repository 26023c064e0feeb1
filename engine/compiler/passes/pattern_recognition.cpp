// pattern-recognition: replace decomposed subgraphs by the single op they compute.
//
// Every match requires the pattern's inner values to be read only inside the pattern (so the
// removed nodes are really gone) and float types; constants are matched within 1e-4 relative.
// 1. LayerNorm: starting at Div(d, Sqrt(Add(ReduceMean(Pow(d, 2) | Mul(d, d)), ε))) with
//    d = Sub(x, ReduceMean(x)), both means over the same trailing axes with keepdims: emit
//    LayerNormalization(x, γ, β, axis = first reduced axis, epsilon = ε), absorbing a
//    following Mul by a constant γ and Add of a constant β of the normalized shape (γ = 1,
//    β = 0 otherwise).
// 2. GELU, erf form: Erf(x/√2 | x·(1/√2)), then a = Erf + 1, then 0.5·x·a in any of the
//    association orders ((x·0.5)·a, (x·a)·0.5, x·(a·0.5)): emit Gelu(x).
// 3. GELU, tanh form: Tanh(√(2/π)·(x + 0.044715·x³)) with x³ = Pow(x, 3) or x·x·x, then
//    0.5·x·(1 + tanh): emit Gelu(x, approximate = "tanh").
// 4. HardSigmoid / HardSwish: h = Clip(x + 3, 0, 6) / 6 (or · 1/6): emit HardSigmoid(x,
//    α = 1/6, β = 0.5); x·h, or (x·Clip(x + 3, 0, 6)) / 6, or x·HardSigmoid(x, 1/6, 0.5):
//    emit HardSwish(x).
// 5. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace aisys::engine::compiler::passes {

namespace {

bool near(std::optional<double> v, double x) {
    return v && std::abs(*v - x) <= 1e-4 * std::max(1.0, std::abs(x));
}

/// A matcher over the editor: producer of a value with a given op.
struct Match {
    GraphEditor& e;
    const Graph& g() const { return e.graph(); }
    /// Node producing v if its op is `op`, else -1.
    int prod(int v, const std::string& op) const {
        const int p = producerOf(e, v);
        return p >= 0 && g().nodes[p].op == op ? p : -1;
    }
    const Node& node(int n) const { return g().nodes[n]; }
    /// For binary node n, the operand other than v (or -1 when v is not an operand).
    int other(int n, int v) const {
        const auto& in = node(n).inputs;
        if (in.size() != 2)
            return -1;
        return in[0] == v ? in[1] : in[1] == v ? in[0] : -1;
    }
    /// The only reader of v if it has that op, else -1.
    int next(int v, const std::string& op) const {
        const int c = soleConsumer(e, v);
        return c >= 0 && node(c).op == op ? c : -1;
    }
};

/// True when every value produced inside `nodes` except `out` is read only by `nodes`.
bool closed(const GraphEditor& e, const std::vector<int>& nodes, int out) {
    const Graph& g = e.graph();
    std::set<int> inside(nodes.begin(), nodes.end());
    for (int n : nodes)
        for (int v : g.nodes[n].outputs) {
            if (v == out)
                continue;
            if (e.isOutput(v))
                return false;
            for (int c : g.values[v].consumers)
                if (!inside.count(c))
                    return false;
        }
    return true;
}

/// Replaces the pattern `nodes` (output `out`) by a new node; logs it.
bool emit(GraphEditor& e, PassResult& r, const std::string& rule, std::vector<int> nodes, int out,
          const std::string& op, const std::vector<int>& inputs,
          std::map<std::string, AttrValue> attrs = {}) {
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    if (!closed(e, nodes, out) || !e.replaceable(out) || !isFloat(e.graph().values[out].dtype))
        return false;
    const Graph& g = e.graph();
    std::vector<std::string> names;
    for (int n : nodes)
        names.push_back(g.nodes[n].name);
    const int outProducer = g.values[out].producer;
    const int f = e.addNode(op, g.nodes[outProducer].name, inputs,
                            {e.graph().values[out].name + "_p"}, std::move(attrs));
    if (!bypass(e, outProducer, out, e.output(f))) {
        e.removeNode(f);
        return false;
    }
    for (int n : nodes)
        e.removeNode(n);
    r.log.push_back(merged(rule, names, {e.graph().nodes[f].name}));
    return true;
}

std::optional<std::vector<std::int64_t>> reduceAxes(const GraphEditor& e, const Node& n) {
    if (hasAttr(n, "axes"))
        return attrInts(n, "axes");
    if (n.inputs.size() > 1 && n.inputs[1] >= 0) {
        const Tensor* t = e.constant(n.inputs[1]);
        if (!t)
            return std::nullopt;
        std::vector<std::int64_t> a;
        for (std::int64_t i = 0; i < t->numel(); ++i)
            a.push_back(t->atInt(i));
        return a;
    }
    return std::nullopt;
}

/// The trailing axes a ReduceMean with keepdims reduces (normalized), or nullopt.
std::optional<std::int64_t> trailingAxis(const GraphEditor& e, const Node& n, std::size_t rank) {
    if (attrInt(n, "keepdims", 1) != 1)
        return std::nullopt;
    auto axes = reduceAxes(e, n);
    if (!axes || axes->empty())
        return std::nullopt;
    for (auto& a : *axes)
        a = a < 0 ? a + static_cast<std::int64_t>(rank) : a;
    std::sort(axes->begin(), axes->end());
    for (std::size_t i = 0; i < axes->size(); ++i)
        if ((*axes)[i] != static_cast<std::int64_t>(rank - axes->size() + i))
            return std::nullopt;
    return axes->front();
}

bool layerNorm(Match& m, int div, PassResult& r) {
    GraphEditor& e = m.e;
    const Graph& g = e.graph();
    const Node& dv = m.node(div);
    if (dv.op != "Div" || dv.inputs.size() != 2)
        return false;
    const int d = dv.inputs[0];
    const int sq = m.prod(dv.inputs[1], "Sqrt");
    const int sub = m.prod(d, "Sub");
    if (sq < 0 || sub < 0)
        return false;
    const int addEps = m.prod(m.node(sq).inputs[0], "Add");
    if (addEps < 0)
        return false;
    const int varOut = m.node(addEps).inputs[0];
    const auto eps = constantScalar(e, m.node(addEps).inputs[1]);
    const int rm2 = m.prod(varOut, "ReduceMean");
    if (rm2 < 0 || !eps)
        return false;
    const int sqIn = m.node(rm2).inputs[0];
    int pw = m.prod(sqIn, "Pow");
    if (pw >= 0 && !(m.node(pw).inputs[0] == d && near(constantScalar(e, m.node(pw).inputs[1]), 2)))
        return false;
    if (pw < 0) {
        pw = m.prod(sqIn, "Mul");
        if (pw < 0 || m.node(pw).inputs[0] != d || m.node(pw).inputs[1] != d)
            return false;
    }
    const int x = m.node(sub).inputs[0];
    const int rm1 = m.prod(m.node(sub).inputs[1], "ReduceMean");
    const auto xs = staticShape(g, x);
    if (rm1 < 0 || m.node(rm1).inputs[0] != x || !xs)
        return false;
    const auto a1 = trailingAxis(e, m.node(rm1), xs->size());
    const auto a2 = trailingAxis(e, m.node(rm2), xs->size());
    if (!a1 || a1 != a2)
        return false;
    const Shape normShape(xs->begin() + *a1, xs->end());
    std::vector<int> nodes = {rm1, sub, pw, rm2, addEps, sq, div};
    int out = dv.outputs[0];
    int gamma = -1, beta = -1;
    auto fitsNorm = [&](int v) {
        const Tensor* t = e.constant(v);
        if (!t || t->dtype() != g.values[x].dtype)
            return false;
        Shape s = t->shape();
        while (!s.empty() && s.front() == 1 && s.size() > normShape.size())
            s.erase(s.begin());
        return s == normShape;
    };
    if (const int mul = m.next(out, "Mul"); mul >= 0 && fitsNorm(m.other(mul, out))) {
        gamma = m.other(mul, out);
        nodes.push_back(mul);
        out = m.node(mul).outputs[0];
        if (const int add = m.next(out, "Add"); add >= 0 && fitsNorm(m.other(add, out))) {
            beta = m.other(add, out);
            nodes.push_back(add);
            out = m.node(add).outputs[0];
        }
    }
    if (!closed(e, nodes, out) || !e.replaceable(out))
        return false;
    const std::int64_t normNumel = numElements(normShape);
    auto vecOf = [&](int v, float fill) {
        Tensor t(g.values[x].dtype, normShape);
        for (std::int64_t i = 0; i < normNumel; ++i) {
            const double val = v >= 0 ? e.constant(v)->at(i) : fill;
            if (t.dtype() == DType::F32)
                t.data<float>()[i] = static_cast<float>(val);
            else
                t.data<double>()[i] = val;
        }
        return t;
    };
    const int gv = e.addInitializer("ln_scale", vecOf(gamma, 1.0f));
    const int bv = e.addInitializer("ln_bias", vecOf(beta, 0.0f));
    return emit(e, r, "decomposed LayerNorm -> LayerNormalization", nodes, out,
                "LayerNormalization", {x, gv, bv}, {{"axis", *a1}, {"epsilon", *eps}});
}

/// After a = 1 + f(x): matches 0.5·x·a in its association orders; returns the output value and
/// appends the Mul nodes used, or -1.
int halfXTimes(Match& m, int a, int x, std::vector<int>& nodes) {
    const GraphEditor& e = m.e;
    const int m1 = m.next(a, "Mul");
    if (m1 < 0)
        return -1;
    const int o1 = m.other(m1, a);
    const int m1out = m.node(m1).outputs[0];
    if (o1 == x) { // (x·a)·0.5
        const int m2 = m.next(m1out, "Mul");
        if (m2 < 0 || !near(constantScalar(e, m.other(m2, m1out)), 0.5))
            return -1;
        nodes.insert(nodes.end(), {m1, m2});
        return m.node(m2).outputs[0];
    }
    if (near(constantScalar(e, o1), 0.5)) { // x·(a·0.5)
        const int m2 = m.next(m1out, "Mul");
        if (m2 < 0 || m.other(m2, m1out) != x)
            return -1;
        nodes.insert(nodes.end(), {m1, m2});
        return m.node(m2).outputs[0];
    }
    const int h = m.prod(o1, "Mul"); // (x·0.5)·a
    if (h >= 0 && m.other(h, x) >= 0 && near(constantScalar(e, m.other(h, x)), 0.5)) {
        nodes.insert(nodes.end(), {h, m1});
        return m1out;
    }
    return -1;
}

bool gelu(Match& m, int n, PassResult& r) {
    const GraphEditor& e = m.e;
    const Node& node = m.node(n);
    std::vector<int> nodes = {n};
    int x = -1;
    std::map<std::string, AttrValue> attrs;
    if (node.op == "Erf") {
        const int in = node.inputs[0];
        if (const int dv = m.prod(in, "Div");
            dv >= 0 && near(constantScalar(e, m.node(dv).inputs[1]), std::sqrt(2.0))) {
            x = m.node(dv).inputs[0];
            nodes.push_back(dv);
        } else if (const int ml = m.prod(in, "Mul"); ml >= 0) {
            for (int k = 0; k < 2 && x < 0; ++k)
                if (near(constantScalar(e, m.node(ml).inputs[1 - k]), std::sqrt(0.5)))
                    x = m.node(ml).inputs[k];
            nodes.push_back(ml);
        }
    } else if (node.op == "Tanh") {
        const int ml = m.prod(node.inputs[0], "Mul");
        if (ml < 0)
            return false;
        int s = -1;
        for (int k = 0; k < 2; ++k)
            if (near(constantScalar(e, m.node(ml).inputs[1 - k]),
                     std::sqrt(2.0 / 3.14159265358979323846)))
                s = m.node(ml).inputs[k];
        const int add = m.prod(s, "Add");
        if (add < 0)
            return false;
        nodes.insert(nodes.end(), {ml, add});
        for (int k = 0; k < 2 && x < 0; ++k) {
            const int cand = m.node(add).inputs[k];
            const int cm = m.prod(m.node(add).inputs[1 - k], "Mul");
            if (cm < 0)
                continue;
            for (int j = 0; j < 2; ++j) {
                if (!near(constantScalar(e, m.node(cm).inputs[1 - j]), 0.044715))
                    continue;
                const int cube = m.node(cm).inputs[j];
                if (const int pw = m.prod(cube, "Pow");
                    pw >= 0 && m.node(pw).inputs[0] == cand &&
                    near(constantScalar(e, m.node(pw).inputs[1]), 3)) {
                    nodes.insert(nodes.end(), {cm, pw});
                    x = cand;
                } else if (const int c3 = m.prod(cube, "Mul"); c3 >= 0) {
                    const int sqv = m.other(c3, cand);
                    const int sqn = sqv >= 0 ? m.prod(sqv, "Mul") : -1;
                    if (sqn >= 0 && m.node(sqn).inputs[0] == cand &&
                        m.node(sqn).inputs[1] == cand) {
                        nodes.insert(nodes.end(), {cm, c3, sqn});
                        x = cand;
                    }
                }
            }
        }
        attrs["approximate"] = std::string("tanh");
    } else {
        return false;
    }
    if (x < 0)
        return false;
    const int add1 = m.next(node.outputs[0], "Add");
    if (add1 < 0 || !near(constantScalar(e, m.other(add1, node.outputs[0])), 1.0))
        return false;
    nodes.push_back(add1);
    const int out = halfXTimes(m, m.node(add1).outputs[0], x, nodes);
    if (out < 0)
        return false;
    return emit(m.e, r, node.op == "Erf" ? "0.5x(1+erf(x/sqrt2)) -> Gelu" : "tanh GELU -> Gelu",
                nodes, out, "Gelu", {x}, std::move(attrs));
}

bool clipBounds(const GraphEditor& e, const Node& c, double lo, double hi) {
    std::optional<double> mn =
        hasAttr(c, "min") ? std::optional(attrFloat(c, "min", 0)) : std::nullopt;
    std::optional<double> mx =
        hasAttr(c, "max") ? std::optional(attrFloat(c, "max", 0)) : std::nullopt;
    if (c.inputs.size() > 1 && c.inputs[1] >= 0)
        mn = constantScalar(e, c.inputs[1]);
    if (c.inputs.size() > 2 && c.inputs[2] >= 0)
        mx = constantScalar(e, c.inputs[2]);
    return near(mn, lo) && near(mx, hi);
}

/// v / 6 or v · (1/6): the node, or -1.
int divSix(Match& m, int v) {
    if (const int d = m.next(v, "Div");
        d >= 0 && m.node(d).inputs[0] == v && near(constantScalar(m.e, m.node(d).inputs[1]), 6))
        return d;
    if (const int d = m.next(v, "Mul"); d >= 0 && near(constantScalar(m.e, m.other(d, v)), 1.0 / 6))
        return d;
    return -1;
}

bool hardSwish(Match& m, int n, PassResult& r) {
    const Node& node = m.node(n);
    const std::map<std::string, AttrValue> hsAttrs = {{"alpha", 1.0 / 6}, {"beta", 0.5}};
    if (node.op == "HardSigmoid") {
        if (!near(attrFloat(node, "alpha", 0.2), 1.0 / 6) ||
            !near(attrFloat(node, "beta", 0.5), 0.5))
            return false;
        const int x = node.inputs[0];
        const int mul = m.next(node.outputs[0], "Mul");
        if (mul < 0 || m.other(mul, node.outputs[0]) != x)
            return false;
        return emit(m.e, r, "x*HardSigmoid(x) -> HardSwish", {n, mul}, m.node(mul).outputs[0],
                    "HardSwish", {x});
    }
    if (node.op != "Clip" || !clipBounds(m.e, node, 0, 6))
        return false;
    const int add = m.prod(node.inputs[0], "Add");
    if (add < 0)
        return false;
    int x = -1;
    for (int k = 0; k < 2; ++k)
        if (near(constantScalar(m.e, m.node(add).inputs[1 - k]), 3))
            x = m.node(add).inputs[k];
    if (x < 0)
        return false;
    const int clipOut = node.outputs[0];
    if (const int d = divSix(m, clipOut); d >= 0) {
        const int h = m.node(d).outputs[0];
        if (const int mul = m.next(h, "Mul"); mul >= 0 && m.other(mul, h) == x)
            return emit(m.e, r, "x*Clip(x+3,0,6)/6 -> HardSwish", {add, n, d, mul},
                        m.node(mul).outputs[0], "HardSwish", {x});
        return emit(m.e, r, "Clip(x+3,0,6)/6 -> HardSigmoid", {add, n, d}, h, "HardSigmoid", {x},
                    hsAttrs);
    }
    if (const int mul = m.next(clipOut, "Mul"); mul >= 0 && m.other(mul, clipOut) == x) {
        const int d = divSix(m, m.node(mul).outputs[0]);
        if (d >= 0)
            return emit(m.e, r, "(x*Clip(x+3,0,6))/6 -> HardSwish", {add, n, mul, d},
                        m.node(d).outputs[0], "HardSwish", {x});
    }
    return false;
}

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    Match m{e};
    for (int n : g.topoOrder()) {
        if (e.removed(n) || g.nodes[n].outputs.size() != 1 || g.nodes[n].inputs.empty())
            continue;
        if (layerNorm(m, n, r) || gelu(m, n, r))
            continue;
        hardSwish(m, n, r);
    }
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makePatternRecognition() {
    return std::make_unique<FunctionPass>(
        "pattern-recognition",
        "Recognizes decomposed LayerNorm, GELU (erf and tanh forms), HardSigmoid and HardSwish "
        "subgraphs and replaces each by its single op.",
        run);
}

} // namespace aisys::engine::compiler::passes
