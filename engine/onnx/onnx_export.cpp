// ONNX export: Graph → ModelProto bytes (deterministic, so export ∘ import ∘ export is stable).
#include "engine/onnx/onnx_import.h"

#include "engine/onnx/onnx_tensor.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <fstream>

namespace aisys::engine {

namespace {

void graphToProto(const Graph& g, onnx::GraphProto& gp);

/// A value's name and, when known, its type.
void valueToProto(const Value& v, onnx::ValueInfoProto& info) {
    if (v.typeKnown)
        onnxio::valueTypeToProto(v, info);
    else
        info.set_name(v.name);
}

void attrToProto(const std::string& name, const AttrValue& v, onnx::AttributeProto& a) {
    using A = onnx::AttributeProto;
    a.set_name(name);
    if (auto* i = std::get_if<std::int64_t>(&v)) {
        a.set_type(A::INT);
        a.set_i(*i);
    } else if (auto* f = std::get_if<double>(&v)) {
        a.set_type(A::FLOAT);
        a.set_f(static_cast<float>(*f));
    } else if (auto* s = std::get_if<std::string>(&v)) {
        a.set_type(A::STRING);
        a.set_s(*s);
    } else if (auto* is = std::get_if<std::vector<std::int64_t>>(&v)) {
        a.set_type(A::INTS);
        for (auto x : *is)
            a.add_ints(x);
    } else if (auto* fs = std::get_if<std::vector<double>>(&v)) {
        a.set_type(A::FLOATS);
        for (auto x : *fs)
            a.add_floats(static_cast<float>(x));
    } else if (auto* t = std::get_if<Tensor>(&v)) {
        a.set_type(A::TENSOR);
        onnxio::tensorToProto(*t, "", *a.mutable_t());
    } else if (auto* ss = std::get_if<std::vector<std::string>>(&v)) {
        a.set_type(A::STRINGS);
        for (const auto& x : *ss)
            a.add_strings(x);
    } else if (auto* sub = std::get_if<Subgraph>(&v)) {
        a.set_type(A::GRAPH);
        graphToProto(sub->graph(), *a.mutable_g());
    }
}

void graphToProto(const Graph& g, onnx::GraphProto& gp) {
    // Inputs, initializers, nodes in their stored order (ONNX inputs only: implicit inputs and
    // outer references are read by name), outputs with their types.
    gp.set_name(g.name.empty() ? "graph" : g.name);
    for (int id : g.inputs)
        valueToProto(g.values[id], *gp.add_input());
    for (const auto& [id, t] : g.initializers)
        onnxio::tensorToProto(t, g.values[id].name, *gp.add_initializer());
    for (const Node& n : g.nodes) {
        auto* np = gp.add_node();
        np->set_name(n.name);
        const auto colon = n.op.find(':');
        if (colon == std::string::npos) {
            np->set_op_type(n.op);
        } else {
            np->set_domain(n.op.substr(0, colon));
            np->set_op_type(n.op.substr(colon + 1));
        }
        const std::size_t explicitCount =
            n.inputs.size() - static_cast<std::size_t>(std::max(0, n.implicitInputs));
        for (std::size_t i = 0; i < explicitCount; ++i)
            np->add_input(n.inputs[i] >= 0 ? g.values[n.inputs[i]].name : "");
        for (int v : n.outputs)
            np->add_output(g.values[v].name);
        for (const auto& [name, value] : n.attrs)
            attrToProto(name, value, *np->add_attribute());
    }
    for (int id : g.outputs)
        valueToProto(g.values[id], *gp.add_output());
}

} // namespace

std::string exportOnnxBytes(const Graph& g) {
    // 1. Model header: IR version and opsets (default domain 18 when the graph has none).
    // 2. The graph (subgraph attributes recursively).
    // 3. Serialize deterministically (map fields in a stable order).
    onnx::ModelProto m;
    m.set_ir_version(8);
    m.set_producer_name("aisyslab");
    if (g.opsetImports.empty()) {
        auto* op = m.add_opset_import();
        op->set_domain("");
        op->set_version(18);
    }
    for (const auto& [domain, version] : g.opsetImports) {
        auto* op = m.add_opset_import();
        op->set_domain(domain);
        op->set_version(version);
    }
    graphToProto(g, *m.mutable_graph());
    std::string out;
    {
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        m.SerializeToCodedStream(&coded);
    }
    return out;
}

void exportOnnxFile(const Graph& g, const std::string& path) {
    const std::string bytes = exportOnnxBytes(g);
    std::ofstream f(path, std::ios::binary);
    if (!f)
        throw OnnxError(path + ": cannot write the file");
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f)
        throw OnnxError(path + ": writing failed");
}

} // namespace aisys::engine
