// The op registry's lookup (its one list of ops is engine/ops/op_registry.cpp), broadcasting,
// attribute access and shape inference with constant folding of small shape subgraphs.
#include "engine/graph/ops.h"

#include "engine/core/memory_budget.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::engine {

const char* fusionCategoryName(FusionCategory c) {
    switch (c) {
    case FusionCategory::Elementwise:
        return "elementwise";
    case FusionCategory::Broadcast:
        return "broadcast";
    case FusionCategory::Injective:
        return "injective";
    case FusionCategory::Reduction:
        return "reduction";
    case FusionCategory::OutElementwiseFusable:
        return "out-elementwise-fusable";
    case FusionCategory::Opaque:
        return "opaque";
    }
    return "?";
}

Shape broadcastShapes(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
        std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
        if (da >= 0 && db >= 0 && da != db && da != 1 && db != 1)
            throw std::invalid_argument("shapes " + shapeToString(a) + " and " + shapeToString(b) +
                                        " do not broadcast");
        if (da == 1)
            out[i] = db;
        else if (db == 1)
            out[i] = da;
        else
            out[i] = da < 0 ? db : da; // an unknown dim takes the known one (or stays -1)
    }
    return out;
}

OpCall opCall(const Graph& g, const Node& n, const KnownValueFn& known) {
    OpCall call{n, {}, {}, g.opset()};
    for (int v : n.inputs) {
        call.in.push_back(v >= 0 ? TensorType{g.values[v].dtype, g.values[v].shape} : TensorType{});
        call.constants.push_back(v >= 0 && known ? known(v) : nullptr);
    }
    return call;
}

OpCall opCall(const Node& n, const std::vector<const Tensor*>& inputs, std::int64_t opset) {
    OpCall call{n, {}, inputs, opset};
    for (const Tensor* t : inputs)
        call.in.push_back(t ? TensorType{t->dtype(), t->shape()} : TensorType{});
    return call;
}

void OpRegistry::add(OpDef def) {
    m_ops.push_back(std::move(def));
}

const OpDef* OpRegistry::find(const std::string& type) const {
    for (const auto& op : m_ops)
        if (op.type == type)
            return &op;
    return nullptr;
}

std::vector<std::string> OpRegistry::types() const {
    std::vector<std::string> out;
    for (const auto& op : m_ops)
        out.push_back(op.type);
    return out;
}

double typeBytes(const TensorType& t) {
    for (auto d : t.shape)
        if (d < 0)
            return 0;
    return static_cast<double>(numElements(t.shape)) * static_cast<double>(dtypeSize(t.dtype));
}

std::vector<Tensor> outputBuffers(const OpDef& def, const std::vector<TensorType>& types,
                                  const std::function<std::string(std::size_t)>& outputName) {
    std::vector<Tensor> out;
    out.reserve(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) {
        const TensorType& t = types[i];
        const bool known =
            std::all_of(t.shape.begin(), t.shape.end(), [](std::int64_t d) { return d >= 0; });
        if (!known && !def.sizesOwnOutputs)
            throw std::invalid_argument(
                "output " + std::to_string(i) + (outputName ? " ('" + outputName(i) + "')" : "") +
                " has shape " + shapeToString(t.shape) +
                " even with the actual inputs; expected every dimension known before running "
                "(the op could not size it from its inputs' values)");
        out.push_back(known ? (def.writesEveryOutput ? Tensor::uninitialized(t.dtype, t.shape)
                                                     : Tensor(t.dtype, t.shape))
                            : Tensor());
    }
    return out;
}

NodeCost nodeCost(const OpDef& def, const OpCall& call, const std::vector<TensorType>& out) {
    NodeCost c;
    c.flops = def.flops ? def.flops(call, out) : 0.0;
    if (def.bytes) {
        c.bytes = def.bytes(call, out);
    } else {
        for (std::size_t i = 0; i < call.in.size(); ++i)
            if (call.has(i))
                c.bytes += typeBytes(call.in[i]);
        for (const auto& t : out)
            c.bytes += typeBytes(t);
    }
    return c;
}

namespace {

/// Ops whose output is worth computing during inference when all inputs are known: cheap
/// and small (shape arithmetic), never weights-sized work.
constexpr std::int64_t kFoldLimit = 1 << 16;

bool foldable(const OpCall& call, const std::vector<TensorType>& out) {
    for (const auto& t : out)
        if (!shapeKnown(t.shape) || numelOrZero(t.shape) > kFoldLimit)
            return false;
    const std::string& op = call.node.op;
    if (op == "Shape" || op == "Size")
        return call.has(0) && shapeKnown(call.in[0].shape);
    if (op == "Constant")
        return true;
    for (std::size_t i = 0; i < call.in.size(); ++i)
        if (call.has(i) && !call.constant(i))
            return false;
    return true;
}

/// Inference of one node with the given known values; returns the output types.
std::vector<TensorType> inferWith(Graph& g, int n, const OpRegistry& ops,
                                  const std::map<int, Tensor>& known,
                                  std::map<int, Tensor>* folded) {
    Node& node = g.nodes[n];
    const OpDef* def = ops.find(node.op);
    if (!def)
        throw std::invalid_argument("node '" + node.name + "': unsupported op type '" + node.op +
                                    "'");
    const OpCall call = opCall(g, node, [&](int v) -> const Tensor* {
        auto init = g.initializers.find(v);
        auto k = known.find(v);
        return init != g.initializers.end() ? &init->second
               : k != known.end()           ? &k->second
                                            : nullptr;
    });
    std::vector<TensorType> out;
    try {
        out = def->infer(call);
        if (out.size() < node.outputs.size())
            throw std::invalid_argument("has " + std::to_string(node.outputs.size()) +
                                        " outputs, expected at most " + std::to_string(out.size()));
        out.resize(node.outputs.size());
        // A shape must be one a tensor can have: dims ≥ 0 (−1: known only by running) and an
        // element count and byte size that fit in 64 bits.
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (static_cast<std::int64_t>(out[i].shape.size()) > kMaxRank)
                throw std::invalid_argument("output " + std::to_string(i) + " would have rank " +
                                            std::to_string(out[i].shape.size()) + ", above the " +
                                            std::to_string(kMaxRank) + " supported");
            for (std::int64_t d : out[i].shape)
                if (d < -1)
                    throw std::invalid_argument("output " + std::to_string(i) +
                                                " would have shape " + shapeToString(out[i].shape) +
                                                ": a dimension is negative");
            if (shapeKnown(out[i].shape) && !checkedBytes(out[i].dtype, out[i].shape))
                throw std::invalid_argument("output " + std::to_string(i) + " would have shape " +
                                            shapeToString(out[i].shape) +
                                            ", more elements or bytes than fit in 64 bits");
        }
        if (folded && foldable(call, out)) {
            // Shape/Size read only the input's type: their data pointer may be null here.
            std::vector<const Tensor*> in;
            for (std::size_t i = 0; i < call.in.size(); ++i)
                in.push_back(call.constant(i));
            std::vector<Tensor> results;
            for (const auto& t : out)
                results.emplace_back(t.dtype, t.shape);
            def->forward(call, in, results);
            for (std::size_t i = 0; i < results.size(); ++i)
                (*folded)[node.outputs[i]] = std::move(results[i]);
        }
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("node '" + node.name + "' (" + node.op + "): " + e.what());
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        Value& v = g.values[node.outputs[i]];
        v.dtype = out[i].dtype;
        v.shape = out[i].shape;
    }
    return out;
}

} // namespace

void inferNode(Graph& g, int n, const OpRegistry& ops) {
    inferWith(g, n, ops, {}, nullptr);
}

std::vector<InferenceProblem> inferShapesTolerant(Graph& g, const OpRegistry& ops) {
    // 1. In topological order: a node reading a value of unknown type gets unknown outputs.
    // 2. Otherwise infer it (folding small constants as inferShapes does); on failure record
    //    the problem and mark its outputs unknown.
    std::vector<InferenceProblem> problems;
    std::map<int, Tensor> folded;
    std::vector<char> unknown(g.values.size(), 0);
    auto markUnknown = [&](const Node& node) {
        for (int v : node.outputs)
            if (v >= 0) {
                unknown[v] = 1;
                g.values[v].typeKnown = false;
                g.values[v].shape.clear();
                g.values[v].dimParams.clear();
            }
    };
    for (int n : g.topoOrder()) {
        const Node& node = g.nodes[n];
        bool poisoned = false;
        for (int v : node.inputs)
            poisoned |= v >= 0 && unknown[v];
        if (poisoned) {
            markUnknown(node);
            continue;
        }
        try {
            inferWith(g, n, ops, folded, &folded);
            for (int v : node.outputs)
                if (v >= 0)
                    g.values[v].typeKnown = true;
        } catch (const std::exception& e) {
            problems.push_back({n, e.what()});
            markUnknown(node);
        }
    }
    return problems;
}

namespace {

/// Binds every symbolic input dim of a copy of `g` to the probe sizes and infers it (values it
/// cannot infer stay of unknown type); false when the sizes cannot be bound.
bool probe(const Graph& g, const std::map<std::string, std::int64_t>& sizes, const OpRegistry& ops,
           Graph& out) {
    out = g;
    try {
        out.bindDims(sizes);
        inferShapesTolerant(out, ops);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

std::vector<InferenceProblem> inferSymbolicShapes(Graph& g, const OpRegistry& ops) {
    // 1. Plain inference: symbolic input dims stay −1.
    // 2. The symbolic names of the inputs; two probes bind them to distinct primes (no probe
    //    size equals another or a product of small ones, so a match is not a coincidence).
    // 3. A −1 dim equal to the probe size of the same name in both probes takes that name; one
    //    equal to the same number in both becomes that number; any other stays unnamed.
    std::vector<InferenceProblem> problems = inferShapesTolerant(g, ops);
    std::vector<std::string> names;
    for (int in : g.inputs)
        for (const std::string& d : g.values[in].dimParams)
            if (!d.empty() && std::find(names.begin(), names.end(), d) == names.end())
                names.push_back(d);
    if (names.empty())
        return problems;
    static const std::int64_t kPrimesA[] = {1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049};
    static const std::int64_t kPrimesB[] = {2003, 2011, 2017, 2027, 2029, 2039, 2053, 2063};
    std::map<std::string, std::int64_t> a, b;
    for (std::size_t i = 0; i < names.size(); ++i) {
        a[names[i]] = kPrimesA[i % 8] + 64 * static_cast<std::int64_t>(i / 8);
        b[names[i]] = kPrimesB[i % 8] + 64 * static_cast<std::int64_t>(i / 8);
    }
    Graph ga, gb;
    const bool okA = probe(g, a, ops, ga), okB = probe(g, b, ops, gb);
    for (std::size_t v = 0; v < g.values.size(); ++v) {
        Value& val = g.values[v];
        if (!val.typeKnown || shapeKnown(val.shape))
            continue;
        val.dimParams.resize(val.shape.size());
        const Shape* sa = okA && ga.values[v].typeKnown ? &ga.values[v].shape : nullptr;
        const Shape* sb = okB && gb.values[v].typeKnown ? &gb.values[v].shape : nullptr;
        for (std::size_t d = 0; d < val.shape.size(); ++d) {
            if (val.shape[d] >= 0 || !val.dimParams[d].empty())
                continue;
            if (!sa || !sb || sa->size() != val.shape.size() || sb->size() != val.shape.size())
                continue;
            for (const std::string& name : names)
                if ((*sa)[d] == a[name] && (*sb)[d] == b[name])
                    val.dimParams[d] = name;
            if (val.dimParams[d].empty() && (*sa)[d] == (*sb)[d] && (*sa)[d] >= 0)
                val.shape[d] = (*sa)[d];
        }
        bool anyName = false;
        for (const auto& p : val.dimParams)
            anyName |= !p.empty();
        if (!anyName)
            val.dimParams.clear();
    }
    return problems;
}

std::string shapeLabel(const Value& v) {
    if (!v.typeKnown)
        return "?";
    std::string out = "[";
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        if (i)
            out += ", ";
        if (v.shape[i] >= 0)
            out += std::to_string(v.shape[i]);
        else if (i < v.dimParams.size() && !v.dimParams[i].empty())
            out += v.dimParams[i];
        else
            out += "?";
    }
    return out + "]";
}

void inferShapes(Graph& g, const OpRegistry& ops) {
    (void)inferShapesAndConstants(g, ops);
}

std::map<int, Tensor> inferShapesAndConstants(Graph& g, const OpRegistry& ops) {
    std::map<int, Tensor> folded;
    for (int n : g.topoOrder())
        inferWith(g, n, ops, folded, &folded);
    return folded;
}

namespace {

const AttrValue* findAttr(const Node& n, const std::string& name) {
    auto it = n.attrs.find(name);
    return it == n.attrs.end() ? nullptr : &it->second;
}

[[noreturn]] void wrongKind(const std::string& name, const char* expected) {
    throw std::invalid_argument("attribute '" + name + "': expected " + expected);
}

} // namespace

bool hasAttr(const Node& n, const std::string& name) {
    return findAttr(n, name) != nullptr;
}

std::int64_t attrInt(const Node& n, const std::string& name, std::int64_t def) {
    const AttrValue* a = findAttr(n, name);
    if (!a)
        return def;
    if (auto* v = std::get_if<std::int64_t>(a))
        return *v;
    wrongKind(name, "an int");
}

double attrFloat(const Node& n, const std::string& name, double def) {
    const AttrValue* a = findAttr(n, name);
    if (!a)
        return def;
    if (auto* v = std::get_if<double>(a))
        return *v;
    if (auto* v = std::get_if<std::int64_t>(a))
        return static_cast<double>(*v);
    wrongKind(name, "a float");
}

std::string attrString(const Node& n, const std::string& name, const std::string& def) {
    const AttrValue* a = findAttr(n, name);
    if (!a)
        return def;
    if (auto* v = std::get_if<std::string>(a))
        return *v;
    wrongKind(name, "a string");
}

std::vector<std::int64_t> attrInts(const Node& n, const std::string& name,
                                   std::vector<std::int64_t> def) {
    const AttrValue* a = findAttr(n, name);
    if (!a)
        return def;
    if (auto* v = std::get_if<std::vector<std::int64_t>>(a))
        return *v;
    if (auto* v = std::get_if<std::vector<double>>(a); v && v->empty())
        return {};
    wrongKind(name, "a list of ints");
}

std::vector<double> attrFloats(const Node& n, const std::string& name, std::vector<double> def) {
    const AttrValue* a = findAttr(n, name);
    if (!a)
        return def;
    if (auto* v = std::get_if<std::vector<double>>(a))
        return *v;
    if (auto* v = std::get_if<std::vector<std::int64_t>>(a))
        return {v->begin(), v->end()};
    wrongKind(name, "a list of floats");
}

const Tensor* attrTensor(const Node& n, const std::string& name) {
    const AttrValue* a = findAttr(n, name);
    if (!a)
        return nullptr;
    if (auto* v = std::get_if<Tensor>(a))
        return v;
    wrongKind(name, "a tensor");
}

} // namespace aisys::engine
