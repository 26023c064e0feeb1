// Random well-typed graphs for the compiler's property tests (memory planning, fusion, layout):
// a recipe of (op, operand, operand) steps becomes a DAG over one rank-4 input and two
// broadcastable initializers. Every op keeps the values well-typed by construction.
#pragma once

#include "engine/graph/interpreter.h"

#include <array>
#include <random>
#include <string>
#include <vector>

namespace aisys::test {

using engine::DType;
using engine::Graph;
using engine::Shape;
using engine::Tensor;

/// Deterministic values in [lo, hi).
inline Tensor randomTensor(const Shape& s, unsigned seed, float lo = -2.0f, float hi = 2.0f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(static_cast<std::size_t>(engine::numElements(s)));
    for (auto& x : v)
        x = d(rng);
    return Tensor::f32(s, v);
}

/// Number of op codes buildRandomGraph understands.
constexpr int kRandomOps = 14;

/// Builds a graph from steps {op code, operand a, operand b}; operands index the values made so
/// far (modulo their count). `outputs` picks extra graph outputs; the last value is always one.
inline Graph buildRandomGraph(const std::vector<std::array<int, 3>>& steps,
                              const std::vector<int>& outputs) {
    Graph g;
    const Shape xs{2, 3, 4, 5};
    g.addInput("x", DType::F32, xs);
    g.addInitializer("bias", randomTensor({1, 3, 1, 1}, 7));
    g.addInitializer("row", randomTensor({5}, 8));
    g.addInitializer("w1x1", randomTensor({3, 3, 1, 1}, 9, -0.5f, 0.5f));
    g.addInitializer("wmm", randomTensor({5, 5}, 10, -0.5f, 0.5f));
    std::vector<std::pair<std::string, Shape>> vals = {
        {"x", xs}, {"bias", {1, 3, 1, 1}}, {"row", {5}}};
    static const char* kUnary[] = {"Relu", "Sigmoid", "Tanh", "Neg", "Abs"};
    static const char* kBinary[] = {"Add", "Sub", "Mul"};
    int k = 0;
    for (const auto& st : steps) {
        const auto& [an, as] = vals[static_cast<std::size_t>(st[1]) % vals.size()];
        const auto& [bn, bs] = vals[static_cast<std::size_t>(st[2]) % vals.size()];
        const std::string out = "v" + std::to_string(k), name = "n" + std::to_string(k);
        ++k;
        const int op = ((st[0] % kRandomOps) + kRandomOps) % kRandomOps;
        Shape os = as;
        if (op < 5) {
            g.addNode(kUnary[op], name, {an}, {out});
        } else if (op < 8) {
            try {
                os = engine::broadcastShapes(as, bs);
                g.addNode(kBinary[op - 5], name, {an, bn}, {out});
            } catch (const std::invalid_argument&) {
                g.addNode(kBinary[op - 5], name, {an, an}, {out});
            }
        } else if (op == 8 && as.size() == 4) {
            os[3] = 1;
            g.addNode("ReduceMean", name, {an}, {out},
                      {{"axes", std::vector<std::int64_t>{3}}, {"keepdims", std::int64_t{1}}});
        } else if (op == 9 && as == xs) {
            g.addNode("Conv", name, {an, "w1x1"}, {out});
        } else if (op == 10 && as.size() == 4 && as[3] == 5) {
            g.addNode("MatMul", name, {an, "wmm"}, {out});
        } else if (op == 11) {
            g.addNode("Softmax", name, {an}, {out}, {{"axis", std::int64_t{-1}}});
        } else if (op == 12 && as.size() == 4) {
            os = {as[0], as[1], as[3], as[2]};
            g.addNode("Transpose", name, {an}, {out},
                      {{"perm", std::vector<std::int64_t>{0, 1, 3, 2}}});
        } else {
            g.addNode("Relu", name, {an}, {out});
        }
        vals.push_back({out, os});
    }
    if (steps.empty()) {
        g.addNode("Relu", "n0", {"x"}, {"v0"});
        vals.push_back({"v0", xs});
    }
    std::vector<bool> marked(vals.size(), false);
    for (int o : outputs) {
        std::size_t i = 3 + static_cast<std::size_t>(o) % (vals.size() - 3);
        if (!marked[i] && i + 1 != vals.size()) {
            g.markOutput(vals[i].first);
            marked[i] = true;
        }
    }
    g.markOutput(vals.back().first);
    return g;
}

/// Runs `g` on `x` and returns every graph output, in order.
inline std::vector<Tensor> runGraph(const Graph& g, const Tensor& x, bool freeDead = false,
                                    engine::Trace* trace = nullptr) {
    engine::Interpreter it(g);
    it.setFreeDeadValues(freeDead);
    it.setInput("x", x);
    it.run();
    std::vector<Tensor> out;
    for (int o : it.graph().outputs)
        out.push_back(*it.value(o));
    if (trace)
        *trace = it.trace();
    return out;
}

/// Largest |a-b| / max(1, |b|) over all elements of all outputs (inf on a shape mismatch).
inline double maxRelDiff(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
    if (a.size() != b.size())
        return 1e30;
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].shape() != b[i].shape() || a[i].dtype() != b[i].dtype())
            return 1e30;
        for (std::int64_t k = 0; k < a[i].numel(); ++k) {
            double x = a[i].at(k), y = b[i].at(k);
            double d = std::abs(x - y) / std::max(1.0, std::abs(y));
            if (!(d <= m)) // NaN-safe: a NaN difference makes m NaN-ish → report huge
                m = std::isnan(d) ? 1e30 : d;
        }
    }
    return m;
}

} // namespace aisys::test
