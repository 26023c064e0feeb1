// Shared helpers of the built-in passes (see pass_util.h).
#include "engine/compiler/passes/pass_util.h"

#include "engine/graph/ops.h"

#include <algorithm>
#include <cstring>
#include <set>

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

bool bypass(GraphEditor& e, int n, int out, int in) {
    const Graph& g = e.graph();
    if (!e.replaceable(out))
        return false;
    if (e.isOutput(out) && (e.isSource(in) || e.isOutput(in)))
        return false;
    for (int v : g.nodes[n].outputs)
        if (v != out && (!g.values[v].consumers.empty() || e.isOutput(v)))
            return false;
    e.replaceAllUses(out, in);
    e.removeNode(n);
    return true;
}

void removeIfDead(GraphEditor& e, int n, PassResult& r) {
    if (n < 0 || e.removed(n))
        return;
    const Graph& g = e.graph();
    for (int v : g.nodes[n].outputs)
        if (!g.values[v].consumers.empty() || e.isOutput(v))
            return;
    const std::vector<int> ins = g.nodes[n].inputs;
    r.log.push_back(removed("no reader left", {g.nodes[n].name}));
    e.removeNode(n);
    for (int v : ins)
        if (v >= 0)
            removeIfDead(e, producerOf(e, v), r);
}

void declareAisysDomain(Graph& g) {
    if (g.opsetImports.count("aisys"))
        return;
    if (!g.opsetImports.count("") && !g.opsetImports.count("ai.onnx"))
        g.opsetImports[""] = g.opset();
    g.opsetImports["aisys"] = 1;
}

std::optional<Shape> staticShape(const Graph& g, int v) {
    if (v < 0 || !g.values[v].typeKnown)
        return std::nullopt;
    for (auto d : g.values[v].shape)
        if (d < 0)
            return std::nullopt;
    return g.values[v].shape;
}

std::optional<std::vector<Tensor>> evaluateConstant(const GraphEditor& e, int n,
                                                    std::int64_t maxElements) {
    static const std::set<std::string> never = {"If",
                                                "Loop",
                                                "RandomNormal",
                                                "RandomUniform",
                                                "RandomNormalLike",
                                                "RandomUniformLike",
                                                "Multinomial",
                                                "Bernoulli"};
    const Graph& g = e.graph();
    const Node& node = g.nodes[n];
    const OpDef* def = OpRegistry::builtin().find(node.op);
    if (!def || never.count(node.op) || node.implicitInputs > 0)
        return std::nullopt;
    for (const auto& [name, a] : node.attrs)
        if (std::holds_alternative<Subgraph>(a))
            return std::nullopt;
    const bool metadata = node.op == "Shape" || node.op == "Size";
    const OpCall call = opCall(g, node, [&](int v) { return e.constant(v); });
    for (std::size_t i = 0; i < node.inputs.size(); ++i)
        if (node.inputs[i] >= 0 && !call.constant(i) &&
            !(metadata && i == 0 && staticShape(g, node.inputs[i])))
            return std::nullopt;
    try {
        std::vector<TensorType> out = def->infer(call);
        out.resize(node.outputs.size());
        std::vector<Tensor> results;
        for (const auto& t : out) {
            for (auto d : t.shape)
                if (d < 0)
                    return std::nullopt;
            if (numElements(t.shape) > maxElements)
                return std::nullopt;
            results.emplace_back(t.dtype, t.shape);
        }
        def->forward(call, call.constants, results);
        return results;
    } catch (const std::exception&) {
        return std::nullopt; // not foldable (the interpreter reports the problem at run time)
    }
}

Tensor evaluateOp(const std::string& op, const std::vector<const Tensor*>& inputs,
                  std::map<std::string, AttrValue> attrs) {
    const OpDef* def = OpRegistry::builtin().find(op);
    if (!def)
        throw std::invalid_argument("unknown op '" + op + "'");
    Node node;
    node.name = "eval";
    node.op = op;
    node.attrs = std::move(attrs);
    for (std::size_t i = 0; i < inputs.size(); ++i)
        node.inputs.push_back(static_cast<int>(i));
    node.outputs = {0};
    const OpCall call = opCall(node, inputs);
    std::vector<TensorType> out = def->infer(call);
    std::vector<Tensor> results;
    results.emplace_back(out.at(0).dtype, out.at(0).shape);
    def->forward(call, inputs, results);
    return std::move(results[0]);
}

namespace {

void appendTensorKey(std::string& key, const Tensor& t) {
    key += dtypeName(t.dtype());
    key += shapeToString(t.shape());
    key += ':';
    key.append(static_cast<const char*>(t.rawData()), t.bytes());
}

} // namespace

std::optional<std::string> attrsKey(const std::map<std::string, AttrValue>& attrs) {
    std::string key;
    for (const auto& [name, a] : attrs) {
        key += name;
        key += '=';
        key += std::to_string(a.index());
        key += ':';
        if (auto* i = std::get_if<std::int64_t>(&a)) {
            key += std::to_string(*i);
        } else if (auto* d = std::get_if<double>(&a)) {
            char buf[sizeof(double)];
            std::memcpy(buf, d, sizeof buf);
            key.append(buf, sizeof buf);
        } else if (auto* s = std::get_if<std::string>(&a)) {
            key += std::to_string(s->size()) + ":" + *s;
        } else if (auto* is = std::get_if<std::vector<std::int64_t>>(&a)) {
            for (auto x : *is)
                key += std::to_string(x) + ",";
        } else if (auto* ds = std::get_if<std::vector<double>>(&a)) {
            for (double x : *ds) {
                char buf[sizeof(double)];
                std::memcpy(buf, &x, sizeof buf);
                key.append(buf, sizeof buf);
            }
        } else if (auto* t = std::get_if<Tensor>(&a)) {
            appendTensorKey(key, *t);
        } else if (auto* ss = std::get_if<std::vector<std::string>>(&a)) {
            for (const auto& x : *ss)
                key += std::to_string(x.size()) + ":" + x;
        } else {
            return std::nullopt;
        }
        key += ';';
    }
    return key;
}

} // namespace aisys::engine::compiler::passes
