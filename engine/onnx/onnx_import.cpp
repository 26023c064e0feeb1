// ONNX import: ModelProto → Graph (initializers, Constant folding to initializers, attributes,
// opsets, symbolic dims) with one message for every unsupported op.
#include "engine/onnx/onnx_import.h"

#include "engine/graph/ops.h"
#include "engine/onnx/onnx_tensor.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace aisys::engine {

namespace {

AttrValue attrFromProto(const onnx::AttributeProto& a, const std::string& nodeName,
                        const std::string& baseDir) {
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
    default:
        break;
    }
    throw OnnxError("node '" + nodeName + "': attribute '" + a.name() + "' has kind " +
                    A::AttributeType_Name(a.type()) +
                    ", which the engine does not support (subgraphs, sparse tensors and type "
                    "protos are not imported)");
}

/// The op type as the registry knows it, or "domain:type" for other domains.
std::string qualifiedOp(const onnx::NodeProto& n) {
    if (n.domain().empty() || n.domain() == "ai.onnx")
        return n.op_type();
    return n.domain() + ":" + n.op_type();
}

/// Checks every node's op up front and reports all unsupported types at once, with counts.
void checkSupported(const onnx::GraphProto& g, const std::string& label) {
    std::map<std::string, int> missing;
    const OpRegistry& ops = OpRegistry::builtin();
    for (const auto& n : g.node())
        if (!ops.find(qualifiedOp(n)))
            ++missing[qualifiedOp(n)];
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
        tmp.attrs[a.name()] = attrFromProto(a, nodeName, baseDir);
    const OpDef* def = OpRegistry::builtin().find("Constant");
    OpCall call{tmp, {}};
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

void buildGraph(const onnx::ModelProto& m, const std::string& baseDir, Graph& g,
                const std::string& label) {
    // 1. Opsets, then initializers, then inputs that are not initializers.
    // 2. Constant nodes become initializers (before the inputs, so that an exported and
    //    re-imported graph numbers its values the same); other nodes are added once their inputs
    //    exist (so files whose node list is not topologically sorted still import).
    // 3. Outputs; their declared types are kept until inference refines them.
    const onnx::GraphProto& gp = m.graph();
    for (const auto& op : m.opset_import())
        g.opsetImports[op.domain()] = op.version();
    g.name = gp.name();
    checkSupported(gp, label);
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
        Value tmp;
        onnxio::valueTypeFromProto(in, tmp);
        int id = g.addInput(in.name(), tmp.dtype, tmp.shape);
        g.values[id].dimParams = tmp.dimParams;
    }
    std::vector<int> pending;
    for (int i = 0; i < gp.node_size(); ++i)
        pending.push_back(i);
    while (!pending.empty()) {
        std::vector<int> next;
        for (int i : pending) {
            const auto& n = gp.node(i);
            bool ready = true;
            for (const auto& in : n.input())
                ready = ready && (in.empty() || g.findValue(in) >= 0);
            if (!ready) {
                next.push_back(i);
                continue;
            }
            const std::string nodeName =
                n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name();
            std::map<std::string, AttrValue> attrs;
            for (const auto& a : n.attribute())
                attrs[a.name()] = attrFromProto(a, nodeName, baseDir);
            auto outs = outputNames(n, nodeName);
            if (isConstantNode(n))
                continue; // already an initializer
            try {
                g.addNode(qualifiedOp(n), nodeName,
                          std::vector<std::string>(n.input().begin(), n.input().end()), outs,
                          std::move(attrs));
            } catch (const std::invalid_argument& e) {
                throw OnnxError(label + ": " + e.what());
            }
        }
        if (next.size() == pending.size()) {
            const auto& n = gp.node(next.front());
            for (const auto& in : n.input())
                if (!in.empty() && g.findValue(in) < 0)
                    throw OnnxError(label + ": node '" + n.name() + "' (" + n.op_type() +
                                    ") reads '" + in +
                                    "', which no node, input or initializer provides (or the "
                                    "nodes form a cycle)");
        }
        pending = std::move(next);
    }
    for (const auto& out : gp.output()) {
        int id = g.findValue(out.name());
        if (id < 0)
            throw OnnxError(label + ": graph output '" + out.name() + "' is never produced");
        g.markOutput(out.name());
        if (out.has_type() && g.values[id].producer >= 0) {
            Value tmp;
            onnxio::valueTypeFromProto(out, tmp);
            g.values[id].dtype = tmp.dtype;
            g.values[id].shape = tmp.shape;
            g.values[id].dimParams = tmp.dimParams;
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
        buildGraph(m, baseDir, g, label);
    } catch (const std::invalid_argument& e) {
        throw OnnxError(label + ": " + e.what());
    }
    if (auto err = g.verify(); !err.empty())
        throw OnnxError(label + ": " + err);
    try {
        if (!options.dims.empty())
            g.bindDims(options.dims);
        if (options.inferShapes)
            inferShapes(g);
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
