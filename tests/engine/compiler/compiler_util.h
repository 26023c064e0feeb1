// Shared helpers of the graph-compiler tests: run a graph, compare outputs, check structure.
#pragma once

#include "engine/compiler/pass_manager.h"
#include "engine/graph/interpreter.h"
#include "engine/models/random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>

namespace aisys::engine::compiler::testing {

/// Seeded uniform [-1, 1) inputs for every graph input (f32/f64; others zero): the engine's.
inline std::map<std::string, Tensor> randomInputs(const Graph& g, std::uint32_t seed) {
    return models::seededInputs(g, seed);
}

/// Output tensors by output name.
inline std::map<std::string, Tensor> runGraph(const Graph& g,
                                              const std::map<std::string, Tensor>& inputs) {
    Interpreter it(g);
    for (const auto& [name, t] : inputs)
        it.setInput(name, t);
    it.run();
    std::map<std::string, Tensor> out;
    for (int o : it.graph().outputs)
        out[it.graph().values[o].name] = *it.value(o);
    return out;
}

/// Max over outputs and elements of |a − b| / max(1, |a|); +inf on a name/shape mismatch.
inline double maxRelError(const std::map<std::string, Tensor>& a,
                          const std::map<std::string, Tensor>& b) {
    if (a.size() != b.size())
        return INFINITY;
    double worst = 0;
    for (const auto& [name, ta] : a) {
        auto it = b.find(name);
        if (it == b.end() || it->second.shape() != ta.shape())
            return INFINITY;
        for (std::int64_t i = 0; i < ta.numel(); ++i) {
            const double x = ta.at(i), y = it->second.at(i);
            if (std::isnan(x) != std::isnan(y))
                return INFINITY;
            if (!std::isnan(x))
                worst = std::max(worst, std::abs(x - y) / std::max(1.0, std::abs(x)));
        }
    }
    return worst;
}

/// Graph::verify() plus what it does not check: every input edge is in the value's consumer
/// list, names are unique. Returns "" or the problem.
inline std::string fullVerify(const Graph& g) {
    if (auto err = g.verify(); !err.empty())
        return err;
    std::set<std::string> names;
    for (const Value& v : g.values)
        if (!names.insert(v.name).second)
            return "duplicate value name '" + v.name + "'";
    std::set<std::string> nodeNames;
    for (const Node& n : g.nodes)
        if (!nodeNames.insert(n.name).second)
            return "duplicate node name '" + n.name + "'";
    // Consumer lists hold one entry per input slot, exactly (Graph::addNode's convention).
    std::vector<std::vector<int>> expected(g.values.size());
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
        for (int v : g.nodes[n].inputs)
            if (v >= 0)
                expected[v].push_back(static_cast<int>(n));
    for (std::size_t v = 0; v < g.values.size(); ++v) {
        auto cs = g.values[v].consumers;
        std::sort(cs.begin(), cs.end());
        if (cs != expected[v])
            return "value '" + g.values[v].name + "' has a wrong consumer list";
    }
    return "";
}

/// Number of nodes with this op.
inline int countOp(const Graph& g, const std::string& op) {
    return static_cast<int>(
        std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return n.op == op; }));
}

/// Runs one registered pass by name.
inline PassResult runPass(Graph& g, const std::string& name) {
    inferShapes(g);
    return PassRegistry::builtin().find(name)->run(g);
}

} // namespace aisys::engine::compiler::testing
