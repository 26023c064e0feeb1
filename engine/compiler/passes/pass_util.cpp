// Shared helpers of the built-in passes (see pass_util.h).
#include "engine/compiler/passes/pass_util.h"

#include <algorithm>

namespace aisys::engine::compiler::passes {

RewriteEntry removed(const std::string& rule, std::vector<std::string> nodes) {
    return {RewriteEntry::Kind::Removed, rule, std::move(nodes), {}};
}

RewriteEntry merged(const std::string& rule, std::vector<std::string> before,
                    std::vector<std::string> after) {
    return {RewriteEntry::Kind::Merged, rule, std::move(before), std::move(after)};
}

RewriteEntry changed(const std::string& rule, std::vector<std::string> nodes) {
    return {RewriteEntry::Kind::Changed, rule, nodes, nodes};
}

int producerOf(const GraphEditor& e, int v) {
    if (v < 0)
        return -1;
    const int p = e.graph().values[v].producer;
    return p >= 0 && !e.removed(p) ? p : -1;
}

int soleConsumer(const GraphEditor& e, int v) {
    const Graph& g = e.graph();
    if (v < 0 || e.isOutput(v) || g.values[v].consumers.size() != 1)
        return -1;
    const int c = g.values[v].consumers[0];
    if (e.removed(c))
        return -1;
    if (std::count(g.nodes[c].inputs.begin(), g.nodes[c].inputs.end(), v) != 1)
        return -1;
    return c;
}

bool isFloat(DType t) {
    return t == DType::F32 || t == DType::F64;
}

bool constantAll(const GraphEditor& e, int v, double x) {
    const Tensor* t = v >= 0 ? e.constant(v) : nullptr;
    if (!t || t->dtype() == DType::Bool)
        return false;
    for (std::int64_t i = 0; i < t->numel(); ++i)
        if (t->at(i) != x)
            return false;
    return true;
}

std::optional<double> constantScalar(const GraphEditor& e, int v) {
    const Tensor* t = v >= 0 ? e.constant(v) : nullptr;
    if (!t || t->numel() != 1)
        return std::nullopt;
    return t->at(0);
}

} // namespace aisys::engine::compiler::passes
