// ONNX import/export on models built here with the ONNX protobuf API: initializers, Constant
// nodes, attributes, symbolic dims, round trips, unsupported ops, corrupt files, external data.
#include "engine/graph/interpreter.h"
#include "engine/onnx/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace aisys::engine;
namespace fs = std::filesystem;

namespace {

void addTensorValue(onnx::ValueInfoProto* v, const std::string& name, int elem,
                    std::vector<std::string> dims) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem);
    for (const auto& d : dims) {
        auto* dim = tt->mutable_shape()->add_dim();
        if (!d.empty() && std::isdigit(static_cast<unsigned char>(d[0])))
            dim->set_dim_value(std::stoll(d));
        else if (!d.empty())
            dim->set_dim_param(d);
    }
}

/// y = Reshape(Relu(Gemm(x, W, b; transB=1, alpha=1.0)), [-1]) with x: [batch, 3].
onnx::ModelProto smallModel() {
    onnx::ModelProto m;
    m.set_ir_version(7);
    auto* op = m.add_opset_import();
    op->set_domain("");
    op->set_version(13);
    auto* g = m.mutable_graph();
    g->set_name("small");
    addTensorValue(g->add_input(), "x", onnx::TensorProto::FLOAT, {"batch", "3"});
    addTensorValue(g->add_input(), "W", onnx::TensorProto::FLOAT, {"2", "3"}); // also initializer
    auto* w = g->add_initializer();
    w->set_name("W");
    w->set_data_type(onnx::TensorProto::FLOAT);
    w->add_dims(2);
    w->add_dims(3);
    const float wv[6] = {1, 2, 3, -1, -2, -3};
    w->set_raw_data(std::string(reinterpret_cast<const char*>(wv), sizeof(wv)));
    auto* b = g->add_initializer();
    b->set_name("b");
    b->set_data_type(onnx::TensorProto::FLOAT);
    b->add_dims(2);
    b->add_float_data(0.5f);
    b->add_float_data(1.0f);
    auto* c = g->add_node();
    c->set_op_type("Constant");
    c->set_name("shape_const");
    c->add_output("flat");
    auto* ca = c->add_attribute();
    ca->set_name("value");
    ca->set_type(onnx::AttributeProto::TENSOR);
    ca->mutable_t()->set_data_type(onnx::TensorProto::INT64);
    ca->mutable_t()->add_dims(1);
    ca->mutable_t()->add_int64_data(-1);
    auto* gemm = g->add_node();
    gemm->set_op_type("Gemm");
    gemm->set_name("fc");
    gemm->add_input("x");
    gemm->add_input("W");
    gemm->add_input("b");
    gemm->add_output("h");
    auto* a1 = gemm->add_attribute();
    a1->set_name("transB");
    a1->set_type(onnx::AttributeProto::INT);
    a1->set_i(1);
    auto* a2 = gemm->add_attribute();
    a2->set_name("alpha");
    a2->set_type(onnx::AttributeProto::FLOAT);
    a2->set_f(1.0f);
    auto* relu = g->add_node();
    relu->set_op_type("Relu");
    relu->add_input("h");
    relu->add_output("r");
    auto* reshape = g->add_node();
    reshape->set_op_type("Reshape");
    reshape->set_name("flatten");
    reshape->add_input("r");
    reshape->add_input("flat");
    reshape->add_output("y");
    addTensorValue(g->add_output(), "y", onnx::TensorProto::FLOAT, {"n"});
    return m;
}

std::string bytesOf(const onnx::ModelProto& m) {
    std::string s;
    m.SerializeToString(&s);
    return s;
}

fs::path tempDir(const std::string& name) {
    fs::path p =
        fs::temp_directory_path() / ("aisys_onnx_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

std::string importError(const std::string& bytes, const std::string& base = "") {
    try {
        importOnnxBytes(bytes, base);
    } catch (const OnnxError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(OnnxImport, BuildsGraphFromProto) {
    Graph g = importOnnxBytes(bytesOf(smallModel()), "");
    ASSERT_EQ(g.inputs.size(), 1u); // W is an initializer, not an input
    const Value& x = g.values[g.inputs[0]];
    EXPECT_EQ(x.name, "x");
    EXPECT_EQ(x.shape, (Shape{-1, 3}));
    EXPECT_EQ(x.dimParams, (std::vector<std::string>{"batch", ""}));
    EXPECT_EQ(g.opset(), 13);
    EXPECT_EQ(g.initializers.size(), 3u); // W, b and the Constant node's value
    EXPECT_EQ(g.initializers.at(g.findValue("flat")), Tensor::i64({1}, {-1}));
    EXPECT_EQ(g.initializers.at(g.findValue("b")), Tensor::f32({2}, {0.5f, 1.0f}));
    ASSERT_EQ(g.nodes.size(), 3u);
    EXPECT_EQ(g.nodes[1].name, "Relu_2"); // unnamed nodes get op_index names
    EXPECT_EQ(attrInt(g.nodes[0], "transB", 0), 1);

    OnnxImportOptions opt;
    opt.dims["batch"] = 2;
    Graph bound = importOnnxBytes(bytesOf(smallModel()), "", opt);
    EXPECT_EQ(bound.values[bound.findValue("y")].shape, (Shape{4}));
    Interpreter ip(bound);
    ip.setInput("x", Tensor::f32({2, 3}, {1, 1, 1, 0, 1, 0}));
    ip.run();
    // Row 1: [6 + 0.5, -6 + 1] → relu → [6.5, 0]; row 2: [2.5, -1] → [2.5, 0].
    EXPECT_EQ(*ip.value("y"), Tensor::f32({4}, {6.5f, 0.0f, 2.5f, 0.0f}));
}

TEST(OnnxImport, ExportImportRoundTripIsIdentical) {
    Graph g1 = importOnnxBytes(bytesOf(smallModel()), "");
    const std::string e1 = exportOnnxBytes(g1);
    Graph g2 = importOnnxBytes(e1, "");
    const std::string e2 = exportOnnxBytes(g2);
    EXPECT_EQ(e1, e2);
    ASSERT_EQ(g1.values.size(), g2.values.size());
    for (std::size_t i = 0; i < g1.values.size(); ++i) {
        EXPECT_EQ(g1.values[i].name, g2.values[i].name);
        EXPECT_EQ(g1.values[i].shape, g2.values[i].shape);
        EXPECT_EQ(g1.values[i].dimParams, g2.values[i].dimParams);
        EXPECT_EQ(g1.values[i].dtype, g2.values[i].dtype);
    }
    ASSERT_EQ(g1.nodes.size(), g2.nodes.size());
    for (std::size_t i = 0; i < g1.nodes.size(); ++i) {
        EXPECT_EQ(g1.nodes[i].op, g2.nodes[i].op);
        EXPECT_EQ(g1.nodes[i].name, g2.nodes[i].name);
        EXPECT_EQ(g1.nodes[i].inputs, g2.nodes[i].inputs);
        EXPECT_EQ(g1.nodes[i].attrs, g2.nodes[i].attrs);
    }
    EXPECT_EQ(g1.initializers, g2.initializers);
    EXPECT_EQ(g1.opsetImports, g2.opsetImports);
    // A graph built in C++ (all engine dtypes as initializers) survives too.
    Graph h;
    h.addInput("a", DType::I64, {2});
    h.addInitializer("f64", Tensor::f64({2}, {1.5, -2}));
    h.addInitializer("i8", Tensor::of<std::int8_t>({2}, {-3, 4}));
    h.addInitializer("u8", Tensor::of<std::uint8_t>({1}, {200}));
    h.addInitializer("i32", Tensor::of<std::int32_t>({1}, {-70000}));
    h.addInitializer("bool", Tensor::of<bool>({2}, {true, false}));
    h.addNode("Add", "add", {"a", "a"}, {"s"});
    h.markOutput("s");
    Graph h2 = importOnnxBytes(exportOnnxBytes(h), "");
    ASSERT_EQ(h.initializers.size(), h2.initializers.size());
    for (const auto& [id, t] : h.initializers) // ids differ: initializers come first on import
        EXPECT_EQ(h2.initializers.at(h2.findValue(h.values[id].name)), t) << h.values[id].name;
}

TEST(OnnxImport, UnsupportedOpsAreListedOnceWithCounts) {
    onnx::ModelProto m = smallModel();
    for (const char* op : {"Foo", "Bar", "Foo"}) {
        auto* n = m.mutable_graph()->add_node();
        n->set_op_type(op);
        n->add_input("y");
        n->add_output(std::string("out_") + op + std::to_string(m.graph().node_size()));
    }
    auto* n = m.mutable_graph()->add_node();
    n->set_op_type("FusedGemm");
    n->set_domain("com.microsoft");
    n->add_input("y");
    n->add_output("ms");
    const std::string err = importError(bytesOf(m));
    EXPECT_NE(err.find("unsupported op types (3)"), std::string::npos) << err;
    EXPECT_NE(err.find("Bar \u00d71"), std::string::npos) << err;
    EXPECT_NE(err.find("Foo \u00d72"), std::string::npos) << err;
    EXPECT_NE(err.find("com.microsoft:FusedGemm \u00d71"), std::string::npos) << err;
}

TEST(OnnxImport, CorruptAndTruncatedFilesFailCleanly) {
    EXPECT_NE(importError("this is not a protobuf at all \xff\xff\xff"), "");
    EXPECT_NE(importError(""), "");
    const std::string good = bytesOf(smallModel());
    // Every truncation either fails with OnnxError or (cut at a field boundary) still imports.
    for (std::size_t cut = 1; cut < good.size(); cut += 7) {
        try {
            importOnnxBytes(good.substr(0, cut), "");
        } catch (const OnnxError&) {
        }
    }
    EXPECT_NE(importError(good.substr(0, good.size() / 2)), "");
    try {
        importOnnxFile("/nonexistent/model.onnx");
        FAIL();
    } catch (const OnnxError& e) {
        EXPECT_NE(std::string(e.what()).find("no such model file"), std::string::npos);
    }
}

namespace {

/// smallModel() with W stored as external data at `location`.
onnx::ModelProto externalModel(const std::string& location) {
    onnx::ModelProto m = smallModel();
    auto* w = m.mutable_graph()->mutable_initializer(0);
    w->clear_raw_data();
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto* kv = w->add_external_data();
    kv->set_key("location");
    kv->set_value(location);
    auto* off = w->add_external_data();
    off->set_key("offset");
    off->set_value("4");
    return m;
}

void writeFile(const fs::path& p, const std::string& data) {
    std::ofstream f(p, std::ios::binary);
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

} // namespace

TEST(OnnxImport, ExternalDataOnlyInsideTheModelFolder) {
    const fs::path dir = tempDir("ext");
    const float wv[7] = {0, 1, 2, 3, -1, -2, -3}; // 4 bytes of padding, then W
    const std::string weights(reinterpret_cast<const char*>(wv), sizeof(wv));
    fs::create_directories(dir / "model" / "data");
    writeFile(dir / "model" / "data" / "w.bin", weights);
    writeFile(dir / "outside.bin", weights);
    writeFile(dir / "model" / "ok.onnx", bytesOf(externalModel("data/w.bin")));
    Graph g = importOnnxFile((dir / "model" / "ok.onnx").string());
    EXPECT_EQ(g.initializers.at(g.findValue("W")), Tensor::f32({2, 3}, {1, 2, 3, -1, -2, -3}));

    auto refused = [&](const std::string& location, const char* why) {
        writeFile(dir / "model" / "bad.onnx", bytesOf(externalModel(location)));
        try {
            importOnnxFile((dir / "model" / "bad.onnx").string());
            ADD_FAILURE() << location << " was accepted";
        } catch (const OnnxError& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("'W'"), std::string::npos) << e.what();
        }
    };
    refused("../outside.bin", "leaves the model's folder");
    refused("data/../../outside.bin", "leaves the model's folder");
    refused((dir / "outside.bin").string(), "must be relative");
    refused("missing.bin", "cannot open");
    fs::create_symlink(dir / "outside.bin", dir / "model" / "link.bin");
    refused("link.bin", "resolves outside");
    // From bytes without a folder, external data is refused.
    EXPECT_NE(importError(bytesOf(externalModel("data/w.bin"))).find("model's folder"),
              std::string::npos);
    fs::remove_all(dir);
}

TEST(OnnxImport, DimBindingParsing) {
    std::map<std::string, std::int64_t> dims;
    parseDimBinding("batch=8", dims);
    EXPECT_EQ(dims.at("batch"), 8);
    EXPECT_THROW(parseDimBinding("batch", dims), std::invalid_argument);
    EXPECT_THROW(parseDimBinding("batch=-1", dims), std::invalid_argument);
    EXPECT_THROW(parseDimBinding("=3", dims), std::invalid_argument);
    EXPECT_THROW(parseDimBinding("b=3x", dims), std::invalid_argument);
}
