// Model summary: walks the inferred graph once, then prints it as text or JSON.
#include "engine/tools/model_info.h"

#include "engine/onnx/onnx_import.h"

#include "engine/graph/ops.h"

#include <cstdio>
#include <sstream>

namespace aisys::engine {

namespace {

ModelInfoValue describe(const Value& v) {
    return {v.name, v.dtype, v.shape, v.dimParams};
}

/// "[batch, 3, 224, 224]": symbolic names where known, "?" for other unknown dims.
std::string dimsText(const ModelInfoValue& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        if (i)
            s += ", ";
        if (v.shape[i] >= 0)
            s += std::to_string(v.shape[i]);
        else if (i < v.dimParams.size() && !v.dimParams[i].empty())
            s += v.dimParams[i];
        else
            s += "?";
    }
    return s + "]";
}

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

/// 1234567 → "1.23 M".
std::string human(double v) {
    const char* units[] = {"", " K", " M", " G", " T"};
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f%s" : "%.0f%s", v, units[u]);
    return buf;
}

std::string valuesJson(const std::vector<ModelInfoValue>& vs) {
    std::string s = "[";
    for (std::size_t i = 0; i < vs.size(); ++i) {
        const auto& v = vs[i];
        s += (i ? ", " : "") + std::string("{\"name\": ") + jsonString(v.name) +
             ", \"dtype\": " + jsonString(dtypeName(v.dtype)) + ", \"shape\": [";
        for (std::size_t k = 0; k < v.shape.size(); ++k) {
            s += k ? ", " : "";
            if (v.shape[k] >= 0)
                s += std::to_string(v.shape[k]);
            else
                s += jsonString(k < v.dimParams.size() ? v.dimParams[k] : "");
        }
        s += "]}";
    }
    return s + "]";
}

} // namespace

ModelInfo summarizeModel(const Graph& graph) {
    // 1. Infer shapes on a copy, keeping the constants folded on the way.
    // 2. Per node: histogram and FLOPs through the op's own cost function.
    // 3. Parameters: every initializer's elements and bytes.
    ModelInfo info;
    {
        Graph symbolic = graph; // inputs and outputs as the model declares them
        inferSymbolicShapes(symbolic);
        for (int id : symbolic.inputs)
            info.inputs.push_back(describe(symbolic.values[id]));
        for (int id : symbolic.outputs)
            info.outputs.push_back(describe(symbolic.values[id]));
    }
    Graph g = graph;
    for (int id : g.inputs)
        for (const std::string& d : g.values[id].dimParams)
            if (!d.empty())
                info.assumedDims[d] = defaultDimSize(d);
    if (!info.assumedDims.empty())
        g.bindDims(info.assumedDims);
    const std::map<int, Tensor> folded = inferShapesAndConstants(g);
    info.graphName = g.name;
    info.opsets = g.opsetImports;
    if (info.opsets.empty())
        info.opsets[""] = g.opset();
    info.nodeCount = g.nodes.size();
    const OpRegistry& ops = OpRegistry::builtin();
    for (const Node& n : g.nodes) {
        ++info.opHistogram[n.op];
        const OpDef* def = ops.find(n.op);
        if (!def)
            continue;
        const OpCall call = opCall(g, n, [&](int v) -> const Tensor* {
            auto init = g.initializers.find(v);
            auto k = folded.find(v);
            return init != g.initializers.end() ? &init->second
                   : k != folded.end()          ? &k->second
                                                : nullptr;
        });
        bool knownShapes = true;
        for (const TensorType& t : call.in)
            knownShapes = knownShapes && shapeKnown(t.shape);
        std::vector<TensorType> out;
        for (int v : n.outputs) {
            out.push_back({g.values[v].dtype, g.values[v].shape});
            for (auto d : g.values[v].shape)
                knownShapes = knownShapes && d >= 0;
        }
        info.flopsComplete = info.flopsComplete && knownShapes;
        const double f = nodeCost(*def, call, out).flops;
        info.flopsByOp[n.op] += f;
        info.totalFlops += f;
    }
    for (const auto& [id, t] : g.initializers) {
        info.parameterCount += t.numel();
        info.parameterBytes += static_cast<std::int64_t>(t.bytes());
    }
    return info;
}

std::string modelInfoText(const ModelInfo& info) {
    std::ostringstream s;
    if (!info.graphName.empty())
        s << "graph: " << info.graphName << "\n";
    s << "opsets:";
    for (const auto& [domain, version] : info.opsets)
        s << " " << (domain.empty() ? "ai.onnx" : domain) << "=" << version;
    s << "\ninputs:\n";
    for (const auto& v : info.inputs)
        s << "  " << v.name << " " << dtypeName(v.dtype) << " " << dimsText(v) << "\n";
    s << "outputs:\n";
    for (const auto& v : info.outputs)
        s << "  " << v.name << " " << dtypeName(v.dtype) << " " << dimsText(v) << "\n";
    s << "nodes: " << info.nodeCount << "\nops:\n";
    for (const auto& [op, count] : info.opHistogram) {
        auto f = info.flopsByOp.find(op);
        s << "  " << op << " ×" << count << "  FLOPs "
          << human(f == info.flopsByOp.end() ? 0 : f->second) << "\n";
    }
    s << "parameters: " << info.parameterCount << " ("
      << human(static_cast<double>(info.parameterCount)) << "), " << info.parameterBytes
      << " bytes\n";
    s << "FLOPs: " << number(info.totalFlops) << " (" << human(info.totalFlops) << ")"
      << (info.flopsComplete ? "" : " — lower bound: some dims are unknown until run (bind --dim)")
      << "\n";
    if (!info.assumedDims.empty()) {
        s << "FLOPs counted with";
        for (const auto& [d, v] : info.assumedDims)
            s << " " << d << "=" << v;
        s << " (unbound symbolic dims; --dim NAME=V sets them)\n";
    }
    return s.str();
}

std::string modelInfoJson(const ModelInfo& info) {
    std::ostringstream s;
    s << "{\"graph\": " << jsonString(info.graphName) << ", \"inputs\": " << valuesJson(info.inputs)
      << ", \"outputs\": " << valuesJson(info.outputs) << ", \"opsets\": {";
    bool first = true;
    for (const auto& [domain, version] : info.opsets) {
        s << (first ? "" : ", ") << jsonString(domain.empty() ? "ai.onnx" : domain) << ": "
          << version;
        first = false;
    }
    s << "}, \"nodes\": " << info.nodeCount << ", \"ops\": {";
    first = true;
    for (const auto& [op, count] : info.opHistogram) {
        s << (first ? "" : ", ") << jsonString(op) << ": " << count;
        first = false;
    }
    s << "}, \"parameters\": " << info.parameterCount
      << ", \"parameter_bytes\": " << info.parameterBytes << ", \"flops_by_op\": {";
    first = true;
    for (const auto& [op, f] : info.flopsByOp) {
        s << (first ? "" : ", ") << jsonString(op) << ": " << number(f);
        first = false;
    }
    s << "}, \"total_flops\": " << number(info.totalFlops)
      << ", \"flops_complete\": " << (info.flopsComplete ? "true" : "false")
      << ", \"assumed_dims\": {";
    first = true;
    for (const auto& [d, v] : info.assumedDims) {
        s << (first ? "" : ", ") << jsonString(d) << ": " << v;
        first = false;
    }
    s << "}}";
    return s.str();
}

} // namespace aisys::engine
