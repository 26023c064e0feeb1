// ONNX export: Graph → ModelProto bytes (deterministic, so export ∘ import ∘ export is stable).
#include "engine/onnx/onnx_import.h"

#include "engine/onnx/onnx_tensor.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <fstream>

namespace aisys::engine {

namespace {

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
    }
}

} // namespace

std::string exportOnnxBytes(const Graph& g) {
    // 1. Model header: IR version and opsets (default domain 18 when the graph has none).
    // 2. Graph inputs, initializers, nodes in their stored order, outputs with their types.
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
    auto* gp = m.mutable_graph();
    gp->set_name(g.name.empty() ? "graph" : g.name);
    for (int id : g.inputs)
        onnxio::valueTypeToProto(g.values[id], *gp->add_input());
    for (const auto& [id, t] : g.initializers)
        onnxio::tensorToProto(t, g.values[id].name, *gp->add_initializer());
    for (const Node& n : g.nodes) {
        auto* np = gp->add_node();
        np->set_name(n.name);
        const auto colon = n.op.find(':');
        if (colon == std::string::npos) {
            np->set_op_type(n.op);
        } else {
            np->set_domain(n.op.substr(0, colon));
            np->set_op_type(n.op.substr(colon + 1));
        }
        for (int v : n.inputs)
            np->add_input(v >= 0 ? g.values[v].name : "");
        for (int v : n.outputs)
            np->add_output(g.values[v].name);
        for (const auto& [name, value] : n.attrs)
            attrToProto(name, value, *np->add_attribute());
    }
    for (int id : g.outputs)
        onnxio::valueTypeToProto(g.values[id], *gp->add_output());
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
