// Writes the small demo models shipped in assets/models/ with the engine's own ONNX exporter.
// Usage: make_demo_models OUTPUT_DIR   (rerun after changing a model; the files are committed)
#include "engine/graph/graph.h"
#include "engine/onnx/onnx_import.h"

#include <cstdio>
#include <random>
#include <string>

using namespace aisys::engine;

namespace {

Tensor randomTensor(Shape shape, std::mt19937& rng, float scale) {
    std::normal_distribution<float> d(0.0f, scale);
    std::vector<float> v(static_cast<std::size_t>(numElements(shape)));
    for (auto& x : v)
        x = d(rng);
    return Tensor::f32(std::move(shape), std::move(v));
}

/// A LeNet-style CNN for 1×28×28 digits: conv-relu-pool ×2, global pool, Gemm, Softmax.
Graph tinyCnn() {
    std::mt19937 rng(2024);
    Graph g;
    g.name = "tiny_cnn";
    g.addInput("image", DType::F32, {-1, 1, 28, 28});
    g.values[g.findValue("image")].dimParams = {"batch", "", "", ""};
    g.addInitializer("conv1.w", randomTensor({8, 1, 3, 3}, rng, 0.4f));
    g.addInitializer("conv1.b", randomTensor({8}, rng, 0.05f));
    g.addInitializer("conv2.w", randomTensor({16, 8, 3, 3}, rng, 0.15f));
    g.addInitializer("conv2.b", randomTensor({16}, rng, 0.05f));
    g.addInitializer("fc.w", randomTensor({10, 16}, rng, 0.3f));
    g.addInitializer("fc.b", randomTensor({10}, rng, 0.05f));
    g.addNode("Conv", "conv1", {"image", "conv1.w", "conv1.b"}, {"c1"},
              {{"kernel_shape", std::vector<std::int64_t>{3, 3}},
               {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu1", {"c1"}, {"r1"});
    g.addNode("MaxPool", "pool1", {"r1"}, {"p1"},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode("Conv", "conv2", {"p1", "conv2.w", "conv2.b"}, {"c2"},
              {{"kernel_shape", std::vector<std::int64_t>{3, 3}},
               {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu2", {"c2"}, {"r2"});
    g.addNode("MaxPool", "pool2", {"r2"}, {"p2"},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode("GlobalAveragePool", "gap", {"p2"}, {"g"});
    g.addNode("Flatten", "flatten", {"g"}, {"f"});
    g.addNode("Gemm", "fc", {"f", "fc.w", "fc.b"}, {"logits"}, {{"transB", std::int64_t{1}}});
    g.addNode("Softmax", "softmax", {"logits"}, {"probs"}, {{"axis", std::int64_t{1}}});
    g.markOutput("probs");
    g.opsetImports[""] = 13;
    return g;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_demo_models OUTPUT_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    try {
        exportOnnxFile(tinyCnn(), dir + "/tiny_cnn.onnx");
        // Check: the file imports and infers with batch = 1.
        OnnxImportOptions io;
        io.dims["batch"] = 1;
        (void)importOnnxFile(dir + "/tiny_cnn.onnx", io);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_demo_models: %s\n", e.what());
        return 1;
    }
    std::printf("wrote %s/tiny_cnn.onnx\n", dir.c_str());
    return 0;
}
