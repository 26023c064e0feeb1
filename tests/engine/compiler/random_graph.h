// A generator of random well-typed graphs for the compiler's property tests: elementwise and
// broadcast ops, MatMul, Conv (+BatchNorm, +bias), Reshape/Transpose/Concat, Cast pairs,
// Constant and Shape subgraphs, decomposed GELU/HardSwish/LayerNorm, neutral constants, dead
// branches, and exact duplicates of earlier nodes (work for CSE).
#pragma once

#include "engine/graph/graph.h"
#include "engine/graph/ops.h"

#include <random>
#include <string>
#include <vector>

namespace aisys::engine::compiler::testing {

class RandomGraph {
public:
    /// `steps` random constructions from `seed` (deterministic).
    static Graph make(std::uint32_t seed, int steps) { return RandomGraph(seed).build(steps); }

private:
    explicit RandomGraph(std::uint32_t seed) : m_rng(seed) {}

    struct Val {
        std::string name;
        Shape shape;
    };

    std::mt19937 m_rng;
    Graph m_g;
    std::vector<Val> m_pool;
    int m_id = 0;

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
    bool coin(double p = 0.5) { return std::uniform_real_distribution<double>(0, 1)(m_rng) < p; }
    std::string fresh(const std::string& base) { return base + std::to_string(m_id++); }

    Tensor randomTensor(const Shape& s, double lo = -1, double hi = 1) {
        std::uniform_real_distribution<float> u(static_cast<float>(lo), static_cast<float>(hi));
        std::vector<float> v(static_cast<std::size_t>(numElements(s)));
        for (float& x : v)
            x = u(m_rng);
        return Tensor::f32(s, std::move(v));
    }
    std::string constant(const Shape& s, double lo = -1, double hi = 1) {
        const std::string n = fresh("c");
        m_g.addInitializer(n, randomTensor(s, lo, hi));
        return n;
    }
    std::string filled(const Shape& s, float x) {
        const std::string n = fresh("k");
        m_g.addInitializer(n, Tensor::f32(s, std::vector<float>(numElements(s), x)));
        return n;
    }
    /// Adds a node with one output; returns the output's name and records it in the pool.
    std::string node(const std::string& op, const std::vector<std::string>& ins,
                     std::map<std::string, AttrValue> attrs = {}) {
        const std::string out = fresh("v");
        m_g.addNode(op, fresh(op), ins, {out}, std::move(attrs));
        inferShapes(m_g); // whole graph: folds Shape → Reshape chains so shapes stay static
        const Value& val = m_g.values[m_g.findValue(out)];
        if (val.dtype == DType::F32) // the pool holds f32 values only
            m_pool.push_back({out, val.shape});
        return out;
    }
    const Val& any() {
        return m_pool[static_cast<std::size_t>(pick(static_cast<int>(m_pool.size())))];
    }
    const Val* ofRank(std::size_t r) {
        std::vector<const Val*> c;
        for (const auto& v : m_pool)
            if (v.shape.size() == r)
                c.push_back(&v);
        return c.empty() ? nullptr : c[static_cast<std::size_t>(pick(static_cast<int>(c.size())))];
    }
    /// A broadcast-compatible shape no bigger than s: a suffix with some dims set to 1.
    Shape smallerShape(const Shape& s) {
        Shape out(s.begin() + pick(static_cast<int>(s.size()) + 1), s.end());
        for (auto& d : out)
            if (coin(0.3))
                d = 1;
        return out;
    }

    void step();
    Graph build(int steps);
};

inline Graph RandomGraph::build(int steps) {
    m_g.name = "random";
    const Shape img = {1, 2 + pick(3), 3 + pick(3), 3 + pick(3)};
    m_g.addInput("x", DType::F32, img);
    m_pool.push_back({"x", img});
    if (coin()) {
        const Shape mat = {2 + pick(3), 2 + pick(4)};
        m_g.addInput("y", DType::F32, mat);
        m_pool.push_back({"y", mat});
    }
    for (int i = 0; i < steps; ++i)
        step();
    // Outputs: the last value and maybe one or two others (the rest may be dead).
    std::vector<std::string> outs = {m_pool.back().name};
    for (int k = 0; k < pick(3); ++k)
        outs.push_back(any().name);
    std::sort(outs.begin(), outs.end());
    outs.erase(std::unique(outs.begin(), outs.end()), outs.end());
    for (const auto& o : outs)
        m_g.markOutput(o);
    return std::move(m_g);
}

inline void RandomGraph::step() {
    static const char* unary[] = {"Relu",     "Sigmoid", "Tanh",      "Neg",  "Abs",
                                  "Identity", "Dropout", "HardSwish", "Gelu", "LeakyRelu"};
    static const char* binary[] = {"Add", "Sub", "Mul"};
    const Val v = any();
    if (v.shape.empty())
        return; // scalars: most ops here need a rank
    switch (pick(21)) {
    case 0:
    case 1:
        node(unary[pick(10)], {v.name});
        break;
    case 2:
    case 3: { // binary: same-shape value or broadcast constant, sometimes a neutral one
        const char* op = binary[pick(3)];
        std::string other;
        std::vector<const Val*> same;
        for (const auto& w : m_pool)
            if (w.shape == v.shape)
                same.push_back(&w);
        if (coin(0.4))
            other = same[static_cast<std::size_t>(pick(static_cast<int>(same.size())))]->name;
        else if (coin(0.3))
            other = filled(smallerShape(v.shape), std::string(op) == "Mul" ? 1.0f : 0.0f);
        else
            other = constant(smallerShape(v.shape));
        node(op, coin() ? std::vector<std::string>{v.name, other}
                        : std::vector<std::string>{other, v.name});
        break;
    }
    case 4: // constant chain: (v op c1) op c2, or v / c with c away from 0
        if (coin())
            node("Div", {v.name, constant(smallerShape(v.shape), 0.5, 2.0)});
        else
            node("Add", {node("Add", {v.name, constant(smallerShape(v.shape))}),
                         constant(smallerShape(v.shape))});
        break;
    case 5: // MatMul by a constant weight
        if (v.shape.size() >= 2) {
            const std::int64_t k = v.shape.back(), n = 2 + pick(4);
            std::string mm = node("MatMul", {v.name, constant({k, n}, -0.5, 0.5)});
            if (coin())
                node("Add", {mm, constant({n})});
        }
        break;
    case 6: { // Conv (+bias) (+BatchNorm) (+activation) on rank-4 values
        const Val* x = ofRank(4);
        if (!x)
            break;
        const std::int64_t c = x->shape[1], m = 1 + pick(4), k = coin() ? 1 : 3;
        std::vector<std::string> ins = {x->name, constant({m, c, k, k}, -0.5, 0.5)};
        if (coin())
            ins.push_back(constant({m}));
        const std::int64_t p = (k - 1) / 2;
        std::string y = node("Conv", ins, {{"pads", std::vector<std::int64_t>{p, p, p, p}}});
        if (coin(0.6))
            y = node("BatchNormalization", {y, constant({m}, 0.5, 1.5), constant({m}),
                                            constant({m}), constant({m}, 0.5, 2)});
        if (coin())
            node(coin() ? "Relu" : "Sigmoid", {y});
        break;
    }
    case 7: { // Reshape / view chains
        if (v.shape.size() < 2)
            break;
        std::int64_t lead = 1;
        for (std::size_t i = 0; i + 1 < v.shape.size(); ++i)
            lead *= v.shape[i];
        const std::string s1 = fresh("shape");
        m_g.addInitializer(s1, Tensor::i64({2}, {lead, -1}));
        const std::string r = node("Reshape", {v.name, s1});
        if (coin()) {
            const std::string s2 = fresh("shape");
            m_g.addInitializer(s2,
                               Tensor::i64({static_cast<std::int64_t>(v.shape.size())}, v.shape));
            node("Reshape", {r, s2});
        }
        break;
    }
    case 8: { // Transpose, sometimes followed by its inverse or another Transpose
        std::vector<std::int64_t> perm(v.shape.size());
        for (std::size_t i = 0; i < perm.size(); ++i)
            perm[i] = static_cast<std::int64_t>(i);
        std::shuffle(perm.begin(), perm.end(), m_rng);
        std::string t = node("Transpose", {v.name}, {{"perm", perm}});
        if (coin()) {
            std::vector<std::int64_t> inv(perm.size());
            for (std::size_t i = 0; i < perm.size(); ++i)
                inv[static_cast<std::size_t>(perm[i])] = static_cast<std::int64_t>(i);
            if (coin())
                std::shuffle(inv.begin(), inv.end(), m_rng);
            node("Transpose", {t}, {{"perm", inv}});
        }
        break;
    }
    case 9: // Concat of one or two values
        if (coin())
            node("Concat", {v.name}, {{"axis", std::int64_t{0}}});
        else
            node("Concat", {v.name, v.name}, {{"axis", std::int64_t{0}}});
        break;
    case 10: { // duplicate an earlier node exactly (CSE work)
        if (m_g.nodes.empty())
            break;
        const Node n =
            m_g.nodes[static_cast<std::size_t>(pick(static_cast<int>(m_g.nodes.size())))];
        if (n.outputs.size() != 1)
            break;
        std::vector<std::string> ins;
        for (int i : n.inputs)
            ins.push_back(i < 0 ? "" : m_g.values[i].name);
        node(n.op, ins, n.attrs);
        break;
    }
    case 11: { // Constant node and Shape → Reshape on static shapes
        const std::string c = fresh("const");
        inferNode(m_g, m_g.addNode("Constant", fresh("Constant"), {}, {c},
                                   {{"value", randomTensor(smallerShape(v.shape))}}));
        std::string a = node("Add", {v.name, c});
        const std::string s = fresh("shape");
        inferNode(m_g, m_g.addNode("Shape", fresh("Shape"), {v.name}, {s}));
        node("Reshape", {a, s});
        break;
    }
    case 12: // lossless Cast pair
        node("Cast", {node("Cast", {v.name}, {{"to", std::int64_t{11}}})},
             {{"to", std::int64_t{1}}});
        break;
    case 13: { // decomposed GELU (erf)
        const std::string e = node("Erf", {node("Mul", {v.name, filled({}, 0.70710678f)})});
        node("Mul", {node("Mul", {v.name, filled({}, 0.5f)}), node("Add", {e, filled({}, 1.0f)})});
        break;
    }
    case 14: { // decomposed HardSwish
        const std::string c = node(
            "Clip", {node("Add", {v.name, filled({}, 3.0f)}), filled({}, 0.0f), filled({}, 6.0f)});
        node("Div", {node("Mul", {v.name, c}), filled({}, 6.0f)});
        break;
    }
    case 15: { // decomposed LayerNorm over the last axis
        // Its f32 reference is ill-conditioned when the variance is tiny (rounding grows as
        // 1/σ), so normalize v + c with c spread over [-1, 1] along at least 3 elements.
        if (v.shape.back() < 3)
            break;
        const std::string axes = fresh("axes");
        m_g.addInitializer(axes, Tensor::i64({1}, {-1}));
        std::vector<float> spread(static_cast<std::size_t>(v.shape.back()));
        for (std::size_t i = 0; i < spread.size(); ++i)
            spread[i] =
                -1.0f + 2.0f * static_cast<float>(i) / static_cast<float>(spread.size() - 1);
        const std::string sc = fresh("spread");
        m_g.addInitializer(sc, Tensor::f32({v.shape.back()}, spread));
        const std::string xin = node("Add", {v.name, sc});
        const std::string d = node("Sub", {xin, node("ReduceMean", {xin, axes})});
        const std::string var = node("ReduceMean", {node("Pow", {d, filled({}, 2.0f)}), axes});
        const std::string n =
            node("Div", {d, node("Sqrt", {node("Add", {var, filled({}, 1e-5f)})})});
        node("Add",
             {node("Mul", {n, constant({v.shape.back()}, 0.5, 1.5)}), constant({v.shape.back()})});
        break;
    }
    case 16: { // Unsqueeze then Squeeze on the same axis
        const std::string axes = fresh("axes");
        m_g.addInitializer(axes, Tensor::i64({1}, {pick(static_cast<int>(v.shape.size()) + 1)}));
        node("Squeeze", {node("Unsqueeze", {v.name, axes}), axes});
        break;
    }
    case 17: { // Gemm on a 2-D value (transB, optional C), maybe an activation
        const Val* a = ofRank(2);
        if (!a)
            break;
        const std::int64_t k = a->shape[1], n = 2 + pick(3);
        std::vector<std::string> ins = {a->name, constant({n, k}, -0.5, 0.5)};
        if (coin())
            ins.push_back(constant({n}));
        const std::string y = node("Gemm", ins, {{"transB", std::int64_t{1}}});
        if (coin())
            node(coin() ? "Tanh" : "HardSigmoid", {y});
        break;
    }
    case 18: { // Conv → Clip(0, 6) (ReLU6) or LeakyRelu
        const Val* x = ofRank(4);
        if (!x)
            break;
        const std::string y = node("Conv", {x->name, constant({2, x->shape[1], 1, 1}, -0.5, 0.5)});
        if (coin())
            node("Clip", {y, filled({}, 0.0f), filled({}, 6.0f)});
        else
            node("LeakyRelu", {y}, {{"alpha", 0.2}});
        break;
    }
    case 19: { // Expand to the same shape; Flatten
        const std::string s = fresh("shape");
        m_g.addInitializer(s, Tensor::i64({static_cast<std::int64_t>(v.shape.size())}, v.shape));
        node("Flatten", {node("Expand", {v.name, s})}, {{"axis", std::int64_t{1}}});
        break;
    }
    case 20: { // Split in two along the last axis (a node with two outputs), then re-joined
        const std::int64_t last = v.shape.back();
        if (last < 2)
            break;
        const std::string sizes = fresh("split");
        m_g.addInitializer(sizes, Tensor::i64({2}, {last / 2, last - last / 2}));
        const std::string a = fresh("v"), b = fresh("v");
        const std::int64_t axis = static_cast<std::int64_t>(v.shape.size()) - 1;
        m_g.addNode("Split", fresh("Split"), {v.name, sizes}, {a, b}, {{"axis", axis}});
        inferShapes(m_g);
        node("Concat", {b, a}, {{"axis", axis}});
        break;
    }
    }
}

} // namespace aisys::engine::compiler::testing
