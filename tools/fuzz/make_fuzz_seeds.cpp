// Seed corpora for the fuzz harnesses: small valid ONNX models (built with the engine's graph API
// and exporter) and NPY files of every engine dtype. Usage: make_fuzz_seeds OUT_DIR.
#include "engine/io/npy.h"
#include "engine/onnx/onnx_import.h"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace aisys::engine;
namespace fs = std::filesystem;

namespace {

Tensor ramp(Shape shape, float scale = 0.1f) {
    std::vector<float> v(static_cast<std::size_t>(numElements(shape)));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = scale * static_cast<float>(static_cast<int>(i % 7) - 3);
    return Tensor::f32(std::move(shape), std::move(v));
}

/// MatMul → Add → Relu → Softmax on a symbolic batch.
Graph mlp() {
    Graph g;
    int x = g.addInput("x", DType::F32, {-1, 4});
    g.values[x].dimParams = {"batch", ""};
    g.addInitializer("W", ramp({4, 3}));
    g.addInitializer("b", ramp({3}));
    g.addNode("MatMul", "mm", {"x", "W"}, {"h"});
    g.addNode("Add", "add", {"h", "b"}, {"z"});
    g.addNode("Relu", "relu", {"z"}, {"r"});
    g.addNode("Softmax", "sm", {"r"}, {"y"}, {{"axis", std::int64_t{-1}}});
    g.markOutput("y");
    return g;
}

/// Conv → BatchNormalization → MaxPool → GlobalAveragePool → Flatten → Gemm.
Graph convNet() {
    Graph g;
    g.addInput("img", DType::F32, {1, 2, 6, 6});
    g.addInitializer("w", ramp({3, 2, 3, 3}));
    g.addInitializer("scale", ramp({3}, 1.0f));
    g.addInitializer("bias", ramp({3}));
    g.addInitializer("mean", ramp({3}));
    g.addInitializer("var", Tensor::f32({3}, {1, 2, 3}));
    g.addInitializer("fc", ramp({3, 2}));
    g.addNode("Conv", "conv", {"img", "w"}, {"c"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}},
               {"kernel_shape", std::vector<std::int64_t>{3, 3}}});
    g.addNode("BatchNormalization", "bn", {"c", "scale", "bias", "mean", "var"}, {"n"});
    g.addNode("MaxPool", "pool", {"n"}, {"p"},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode("GlobalAveragePool", "gap", {"p"}, {"gp"});
    g.addNode("Flatten", "flat", {"gp"}, {"f"});
    g.addNode("Gemm", "gemm", {"f", "fc"}, {"logits"});
    g.markOutput("logits");
    return g;
}

/// Shape → Gather → Concat → Reshape (folded during inference), Transpose, Slice, Split, Pad.
Graph shapeOps() {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 4});
    g.addInitializer("i0", Tensor::i64({1}, {0}));
    g.addInitializer("minus1", Tensor::i64({1}, {-1}));
    g.addInitializer("starts", Tensor::i64({1}, {1}));
    g.addInitializer("ends", Tensor::i64({1}, {3}));
    g.addInitializer("pads", Tensor::i64({6}, {0, 0, 1, 0, 0, 1}));
    g.addNode("Shape", "shape", {"x"}, {"s"});
    g.addNode("Gather", "gather", {"s", "i0"}, {"d0"}, {{"axis", std::int64_t{0}}});
    g.addNode("Concat", "cat", {"d0", "minus1"}, {"target"}, {{"axis", std::int64_t{0}}});
    g.addNode("Reshape", "reshape", {"x", "target"}, {"r"});
    g.addNode("Transpose", "tr", {"r"}, {"t"}, {{"perm", std::vector<std::int64_t>{1, 0}}});
    g.addNode("Slice", "slice", {"x", "starts", "ends"}, {"sl"});
    g.addNode("Split", "split", {"x"}, {"a", "b"}, {{"axis", std::int64_t{0}}});
    g.addNode("Pad", "pad", {"a", "pads"}, {"pd"});
    g.addNode("Max", "max", {"a", "b"}, {"mx"});
    g.addNode("Sum", "sum", {"a", "b", "mx"}, {"sm"});
    g.addNode("ReduceMean", "rm", {"sm"}, {"mean"}, {{"keepdims", std::int64_t{0}}});
    g.markOutput("t");
    g.markOutput("sl");
    g.markOutput("pd");
    g.markOutput("mean");
    return g;
}

/// If (branches read outer values) inside a Loop with a scan output.
Graph controlFlow() {
    Graph g;
    g.addInput("M", DType::I64, {});
    g.addInput("x0", DType::F32, {2});
    g.addInitializer("one", Tensor::f32({2}, {1, 1}));
    g.addInitializer("two", Tensor::i64({}, {2}));
    Graph thenG;
    thenG.addOuterRef("x");
    thenG.addOuterRef("one");
    thenG.addNode("Add", "add", {"x", "one"}, {"t"});
    thenG.markOutput("t");
    Graph elseG;
    elseG.addOuterRef("x");
    elseG.addNode("Neg", "neg", {"x"}, {"e"});
    elseG.markOutput("e");
    Graph body;
    body.addInput("i", DType::I64, {});
    body.addInput("c", DType::Bool, {});
    body.addInput("x", DType::F32, {2});
    body.addOuterRef("one");
    body.addOuterRef("two");
    body.addNode("Less", "less", {"i", "two"}, {"small"});
    body.addNode(
        "If", "if", {"small"}, {"x_next"},
        {{"then_branch", Subgraph(std::move(thenG))}, {"else_branch", Subgraph(std::move(elseG))}});
    body.addNode("Identity", "keep", {"c"}, {"c_out"});
    body.addNode("Identity", "scan", {"x_next"}, {"s"});
    body.markOutput("c_out");
    body.markOutput("x_next");
    body.markOutput("s");
    g.addNode("Loop", "loop", {"M", "", "x0"}, {"x_final", "scan"},
              {{"body", Subgraph(std::move(body))}});
    g.markOutput("x_final");
    g.markOutput("scan");
    return g;
}

void write(const fs::path& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_fuzz_seeds OUT_DIR\n";
        return 2;
    }
    const fs::path out = argv[1];
    fs::create_directories(out / "onnx_import");
    fs::create_directories(out / "npy");
    const std::pair<const char*, Graph> models[] = {
        {"mlp", mlp()}, {"conv", convNet()}, {"shape_ops", shapeOps()}, {"control", controlFlow()}};
    for (const auto& [name, g] : models)
        write(out / "onnx_import" / (std::string(name) + ".onnx"), exportOnnxBytes(g));
    const std::pair<const char*, Tensor> arrays[] = {
        {"f32", ramp({2, 3})},
        {"f64", Tensor::f64({3}, {1.5, -2, 0})},
        {"i64", Tensor::i64({2, 1}, {7, -9})},
        {"i32", Tensor::of<std::int32_t>({4}, {1, 2, 3, -4})},
        {"i8", Tensor::of<std::int8_t>({2}, {-1, 1})},
        {"u8", Tensor::of<std::uint8_t>({1, 1, 2}, {0, 255})},
        {"bool", Tensor::of<bool>({3}, {true, false, true})},
        {"scalar", Tensor::f32({}, {3.5f})},
        {"empty", Tensor(DType::F32, {0, 4})},
    };
    for (const auto& [name, t] : arrays)
        write(out / "npy" / (std::string(name) + ".npy"), encodeNpy(t));
    std::cout << "seeds written to " << out.string() << "\n";
    return 0;
}
