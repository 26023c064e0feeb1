// ONNX import: ModelProto → Graph (initializers, Constant folding to initializers, attributes,
// subgraphs with outer-scope references, opsets, symbolic dims) with one message for every
// unsupported op.
#include "engine/onnx/onnx_import.h"

#include "engine/graph/ops.h"
#include "engine/onnx/onnx_tensor.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace aisys::engine {

namespace {

/// Deepest nesting of subgraphs imported (inference visits every branch of every level, so the
/// cost grows geometrically with depth; real models nest two or three levels).
constexpr int kMaxSubgraphDepth = 8;

/// Names defined by the graphs enclosing a subgraph (innermost first through `parent`).
struct Scope {
    const Scope* parent = nullptr;
    std::set<std::string> names;
    int depth = 0; ///< 0 for the model's graph, 1 for its subgraphs, ...
    bool has(const std::string& n) const {
        return names.count(n) > 0 || (parent && parent->has(n));
    }
};

void buildGraph(const onnx::GraphProto& gp, const std::string& baseDir, Graph& g,
                const std::string& label, const Scope* outer);

AttrValue attrFromProto(const onnx::AttributeProto& a, const std::string& nodeName,
                        const std::string& baseDir, const std::string& label, const Scope* scope) {
    using A = onnx::AttributeProto;
    switch (a.type()) {
    case A::FLOAT:
        return static_cast<double>(a.f());
    case A::INT:
        return static_cast<std::int64_t>(a.i());
    case A::STRING:
        return a.s();
    case A::TENSOR:
        return onnxio::tensorFromProto(a.t(), baseDir);
    case A::FLOATS:
        return std::vector<double>(a.floats().begin(), a.floats().end());
    case A::INTS:
        return std::vector<std::int64_t>(a.ints().begin(), a.ints().end());
    case A::STRINGS:
        return std::vector<std::string>(a.strings().begin(), a.strings().end());
    case A::GRAPH:
        if (scope) {
            Graph sub;
            buildGraph(a.g(), baseDir, sub,
                       label + ": node '" + nodeName + "' subgraph '" + a.name() + "'", scope);
            return Subgraph(std::move(sub));
        }
        break;
    default:
        break;
    }
    throw OnnxError("node '" + nodeName + "': attribute '" + a.name() + "' has kind " +
                    A::AttributeType_Name(a.type()) +
                    ", which the engine does not support (lists of graphs, sparse tensors and "
                    "type protos are not imported)");
}

/// The op type as the registry knows it, or "domain:type" for other domains.
std::string qualifiedOp(const onnx::NodeProto& n) {
    if (n.domain().empty() || n.domain() == "ai.onnx")
        return n.op_type();
    return n.domain() + ":" + n.op_type();
}

/// Counts the op types of a graph and its subgraphs that the registry lacks.
void collectMissing(const onnx::GraphProto& g, std::map<std::string, int>& missing) {
    const OpRegistry& ops = OpRegistry::builtin();
    for (const auto& n : g.node()) {
        if (!ops.find(qualifiedOp(n)))
            ++missing[qualifiedOp(n)];
        for (const auto& a : n.attribute()) {
            if (a.has_g())
                collectMissing(a.g(), missing);
            for (const auto& sub : a.graphs())
                collectMissing(sub, missing);
        }
    }
}

/// Checks every node's op up front and reports all unsupported types at once, with counts.
void checkSupported(const onnx::GraphProto& g, const std::string& label) {
    std::map<std::string, int> missing;
    collectMissing(g, missing);
    if (missing.empty())
        return;
    std::ostringstream msg;
    msg << label << ": unsupported op types (" << missing.size() << "): ";
    bool first = true;
    for (const auto& [op, count] : missing) {
        msg << (first ? "" : ", ") << op << " ×" << count;
        first = false;
    }
    throw OnnxError(msg.str());
}

/// Node output names: trailing empty (omitted) outputs dropped, inner ones named.
std::vector<std::string> outputNames(const onnx::NodeProto& n, const std::string& nodeName) {
    std::vector<std::string> outs(n.output().begin(), n.output().end());
    while (!outs.empty() && outs.back().empty())
        outs.pop_back();
    for (std::size_t i = 0; i < outs.size(); ++i)
        if (outs[i].empty())
            outs[i] = nodeName + ":unused_output_" + std::to_string(i);
    return outs;
}

bool isConstantNode(const onnx::NodeProto& n) {
    return qualifiedOp(n) == "Constant" && n.output_size() == 1 && !n.output(0).empty();
}

/// The value of a Constant node, through the Constant op's own definition.
Tensor constantNodeValue(const onnx::NodeProto& n, const std::string& nodeName,
                         const std::string& baseDir, const std::string& label) {
    Node tmp;
    tmp.name = nodeName;
    tmp.op = "Constant";
    for (const auto& a : n.attribute())
        tmp.attrs[a.name()] = attrFromProto(a, nodeName, baseDir, label, nullptr);
    const OpDef* def = OpRegistry::builtin().find("Constant");
    const OpCall call = opCall(tmp, {});
    std::vector<Tensor> value(1);
    try {
        auto types = def->infer(call);
        value[0] = Tensor(types[0].dtype, types[0].shape);
        def->forward(call, {}, value);
    } catch (const std::invalid_argument& e) {
        throw OnnxError(label + ": node '" + nodeName + "' (Constant): " + e.what());
    }
    return std::move(value[0]);
}

/// Value type from a ValueInfoProto; a subgraph may leave it out (typeKnown = false).
Value declaredType(const onnx::ValueInfoProto& info, bool subgraph) {
    Value tmp;
    if (subgraph && !info.has_type())
        tmp.typeKnown = false;
    else
        onnxio::valueTypeFromProto(info, tmp);
    return tmp;
}

/// Names a node needs before it can be added: its inputs and its subgraphs' outer references.
std::vector<std::string> neededNames(const onnx::NodeProto& n,
                                     const std::map<std::string, AttrValue>& attrs) {
    std::vector<std::string> names;
    for (const auto& in : n.input())
        if (!in.empty())
            names.push_back(in);
    for (const auto& [attrName, value] : attrs)
        if (const auto* sub = std::get_if<Subgraph>(&value))
            for (int r : sub->graph().outerRefs)
                names.push_back(sub->graph().values[r].name);
    return names;
}

void buildGraph(const onnx::GraphProto& gp, const std::string& baseDir, Graph& g,
                const std::string& label, const Scope* outer) {
    // 1. Initializers, then Constant nodes as initializers, then inputs that are not
    //    initializers (this order makes an exported and re-imported graph number its values
    //    the same).
    // 2. In a subgraph, every name it reads that it does not define is an outer reference
    //    (declared in name order); it must be defined by an enclosing graph.
    // 3. Attributes (subgraphs built recursively with this graph's names in scope); nodes are
    //    added once their inputs and their subgraphs' outer references exist (so files whose
    //    node list is not topologically sorted still import).
    // 4. Outputs; their declared types are kept until inference refines them.
    const bool isSub = outer != nullptr;
    if (outer && outer->depth + 1 > kMaxSubgraphDepth)
        throw OnnxError(label + ": subgraphs nested more than " +
                        std::to_string(kMaxSubgraphDepth) + " levels deep are not supported");
    g.name = gp.name();
    std::set<std::string> initNames;
    for (const auto& init : gp.initializer()) {
        if (init.name().empty())
            throw OnnxError(label + ": an initializer has no name");
        g.addInitializer(init.name(), onnxio::tensorFromProto(init, baseDir));
        initNames.insert(init.name());
    }
    if (gp.sparse_initializer_size() > 0)
        throw OnnxError(label + ": sparse initializers are not supported");
    for (int i = 0; i < gp.node_size(); ++i) {
        const auto& n = gp.node(i);
        if (isConstantNode(n))
            g.addInitializer(
                n.output(0),
                constantNodeValue(n, n.name().empty() ? "Constant_" + std::to_string(i) : n.name(),
                                  baseDir, label));
    }
    for (const auto& in : gp.input()) {
        if (initNames.count(in.name()))
            continue;
        Value tmp = declaredType(in, isSub);
        int id = g.addInput(in.name(), tmp.dtype, tmp.shape);
        g.values[id].dimParams = tmp.dimParams;
        g.values[id].typeKnown = tmp.typeKnown;
    }
    Scope scope{outer, {}, outer ? outer->depth + 1 : 0};
    for (const Value& v : g.values)
        scope.names.insert(v.name);
    for (const auto& n : gp.node())
        for (const auto& o : n.output())
            scope.names.insert(o);
    std::vector<std::map<std::string, AttrValue>> attrs(static_cast<std::size_t>(gp.node_size()));
    std::vector<std::string> nodeNames;
    for (int i = 0; i < gp.node_size(); ++i) {
        const auto& n = gp.node(i);
        nodeNames.push_back(n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name());
        if (isConstantNode(n))
            continue; // already an initializer
        for (const auto& a : n.attribute())
            attrs[i][a.name()] = attrFromProto(a, nodeNames.back(), baseDir, label, &scope);
    }
    if (isSub) {
        std::set<std::string> refs;
        for (int i = 0; i < gp.node_size(); ++i)
            for (const auto& name : neededNames(gp.node(i), attrs[i]))
                if (!scope.names.count(name) && outer->has(name))
                    refs.insert(name);
        for (const auto& out : gp.output())
            if (!scope.names.count(out.name()) && outer->has(out.name()))
                refs.insert(out.name());
        for (const auto& name : refs)
            g.values[g.addOuterRef(name)].typeKnown = false;
    }
    std::vector<int> pending;
    for (int i = 0; i < gp.node_size(); ++i)
        if (!isConstantNode(gp.node(i)))
            pending.push_back(i);
    while (!pending.empty()) {
        std::vector<int> next;
        for (int i : pending) {
            const auto& n = gp.node(i);
            bool ready = true;
            for (const auto& name : neededNames(n, attrs[i]))
                ready = ready && g.findValue(name) >= 0;
            if (!ready) {
                next.push_back(i);
                continue;
            }
            if (outputNames(n, nodeNames[i]).empty())
                throw OnnxError(label + ": node '" + nodeNames[i] + "' (" + n.op_type() +
                                ") has no outputs");
            try {
                g.addNode(qualifiedOp(n), nodeNames[i],
                          std::vector<std::string>(n.input().begin(), n.input().end()),
                          outputNames(n, nodeNames[i]), std::move(attrs[i]));
            } catch (const std::invalid_argument& e) {
                throw OnnxError(label + ": " + e.what());
            }
        }
        if (next.size() == pending.size()) {
            const auto& n = gp.node(next.front());
            for (const auto& in : neededNames(n, attrs[next.front()]))
                if (g.findValue(in) < 0)
                    throw OnnxError(label + ": node '" + n.name() + "' (" + n.op_type() +
                                    ") reads '" + in +
                                    "', which no node, input or initializer provides (or the "
                                    "nodes form a cycle)");
            throw OnnxError(label + ": node '" + n.name() + "' cannot be ordered");
        }
        pending = std::move(next);
    }
    for (const auto& out : gp.output()) {
        int id = g.findValue(out.name());
        if (id < 0)
            throw OnnxError(label + ": graph output '" + out.name() + "' is never produced");
        g.markOutput(out.name());
        if (g.values[id].producer >= 0 && (out.has_type() || isSub)) {
            Value tmp = declaredType(out, isSub);
            g.values[id].dtype = tmp.dtype;
            g.values[id].shape = tmp.shape;
            g.values[id].dimParams = tmp.dimParams;
            g.values[id].typeKnown = tmp.typeKnown;
        }
    }
}

} // namespace

Graph importOnnxBytes(const std::string& bytes, const std::string& baseDir,
                      const OnnxImportOptions& options, const std::string& label) {
    onnx::ModelProto m;
    if (bytes.empty())
        throw OnnxError(label + ": the file is empty");
    if (!m.ParseFromString(bytes))
        throw OnnxError(label + ": not a valid ONNX model (the protobuf data is corrupt or "
                                "truncated)");
    if (!m.has_graph())
        throw OnnxError(label + ": the model has no graph");
    Graph g;
    try {
        for (const auto& op : m.opset_import())
            g.opsetImports[op.domain()] = op.version();
        if (!options.keepUnsupported)
            checkSupported(m.graph(), label);
        buildGraph(m.graph(), baseDir, g, label, nullptr);
    } catch (const std::invalid_argument& e) {
        throw OnnxError(label + ": " + e.what());
    }
    if (auto err = g.verify(); !err.empty())
        throw OnnxError(label + ": " + err);
    try {
        if (!options.dims.empty())
            g.bindDims(options.dims);
        if (options.inferShapes && options.keepUnsupported) {
            auto problems = inferSymbolicShapes(g);
            if (options.problems)
                *options.problems = std::move(problems);
        } else if (options.inferShapes) {
            inferShapes(g);
        }
    } catch (const std::invalid_argument& e) {
        throw OnnxError(label + ": " + e.what());
    }
    return g;
}

Graph importOnnxFile(const std::string& path, const OnnxImportOptions& options) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw OnnxError(path + ": no such model file");
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw OnnxError(path + ": cannot open the file");
    std::ostringstream data;
    data << f.rdbuf();
    const std::string base = fs::absolute(fs::path(path)).parent_path().string();
    return importOnnxBytes(data.str(), base, options, path);
}

std::int64_t defaultDimSize(const std::string& name, std::int64_t fallback) {
    std::string n = name;
    for (auto& c : n)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto has = [&](const char* w) { return n.find(w) != std::string::npos; };
    if (has("batch") || n == "n" || n == "b" || n == "bs")
        return fallback;
    if (n == "h" || n == "w" || has("height") || has("width"))
        return 224;
    if (has("seq") || has("len") || has("token"))
        return 128;
    return fallback;
}

void parseDimBinding(const std::string& text, std::map<std::string, std::int64_t>& dims) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw std::invalid_argument("--dim expects NAME=V, got '" + text + "'");
    std::size_t used = 0;
    std::int64_t v = -1;
    try {
        v = std::stoll(text.substr(eq + 1), &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() - eq - 1 || v < 0)
        throw std::invalid_argument("--dim " + text + ": the value must be a non-negative integer");
    dims[text.substr(0, eq)] = v;
}

} // namespace aisys::engine
