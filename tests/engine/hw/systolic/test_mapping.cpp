// ONNX graph → systolic layers: Conv (grouped, strided, padded), Gemm (transB), MatMul (batched).
#include "engine/hw/systolic/graph_mapping.h"
#include "engine/hw/systolic/systolic.h"
#include "engine/onnx/onnx_import.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace aisys::engine;
using namespace aisys::engine::systolic;

namespace {

Tensor zeros(Shape s) {
    return Tensor::f32(s, std::vector<float>(std::size_t(numElements(s))));
}

/// x [1,4,9,9] → Conv 3×3/2 pad 1, group 2, 6 filters → [1,6,5,5] → Flatten → Gemm (transB)
/// with W [10,150] → [1,10]; and a batched MatMul [3,5,7]·[3,7,2].
Graph model() {
    Graph g;
    g.addInput("x", DType::F32, {1, 4, 9, 9});
    g.addInitializer("w", zeros({6, 2, 3, 3}));
    g.addNode("Conv", "conv", {"x", "w"}, {"y"},
              {{"strides", std::vector<std::int64_t>{2, 2}},
               {"pads", std::vector<std::int64_t>{1, 1, 1, 1}},
               {"group", std::int64_t(2)}});
    g.addNode("Flatten", "flat", {"y"}, {"f"});
    g.addInitializer("fw", zeros({10, 150}));
    g.addNode("Gemm", "fc", {"f", "fw"}, {"z"}, {{"transB", std::int64_t(1)}});
    g.addInput("p", DType::F32, {3, 5, 7});
    g.addInput("q", DType::F32, {3, 7, 2});
    g.addNode("MatMul", "bmm", {"p", "q"}, {"r"});
    g.markOutput("z");
    g.markOutput("r");
    return g;
}

} // namespace

TEST(SystolicMapping, ConvGemmAndMatMulNodesBecomeScaleSimLayers) {
    const auto path = std::filesystem::temp_directory_path() / "aisys_systolic_mapping.onnx";
    exportOnnxFile(model(), path.string());
    const Graph g = importOnnxFile(path.string());
    std::filesystem::remove(path);
    const auto layers = mapGraphToLayers(g);
    ASSERT_EQ(layers.size(), 3u);

    const MappedLayer& conv = layers[0];
    EXPECT_EQ(conv.op, "Conv");
    EXPECT_EQ(conv.repeat, 2); // one layer per group
    const GemmShape cg = conv.layer.gemmShape();
    EXPECT_EQ(cg.M, 25);        // 5×5 outputs, as the model computes them
    EXPECT_EQ(cg.K, 3 * 3 * 2); // channels per group
    EXPECT_EQ(cg.N, 3);         // filters per group
    EXPECT_EQ(conv.layer.ifmapH, (5 - 1) * 2 + 3);

    const MappedLayer& fc = layers[1];
    EXPECT_EQ(fc.op, "Gemm");
    const GemmShape fg = fc.layer.gemmShape();
    EXPECT_EQ(fg.M, 1);
    EXPECT_EQ(fg.K, 150);
    EXPECT_EQ(fg.N, 10);

    const MappedLayer& bmm = layers[2];
    EXPECT_EQ(bmm.repeat, 3);
    const GemmShape bg = bmm.layer.gemmShape();
    EXPECT_EQ(bg.M, 5);
    EXPECT_EQ(bg.K, 7);
    EXPECT_EQ(bg.N, 2);

    // Every mapped layer runs through the model.
    for (const auto& m : layers)
        EXPECT_GT(analyzeLayer(m.layer, {4, 4}, Dataflow::OS).computeCycles, 0);
}

TEST(SystolicMapping, UnknownShapesAreNamed) {
    Graph g;
    g.addInput("a", DType::F32, {-1, 8});
    g.values[std::size_t(g.findValue("a"))].dimParams = {"rows", ""};
    g.addInitializer("b", zeros({8, 4}));
    g.addNode("MatMul", "mm", {"a", "b"}, {"c"});
    g.markOutput("c");
    try {
        mapGraphToLayers(g);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()),
                  "node 'mm' (MatMul): dimension 0 of A 'a' is not known; bind it with --dim "
                  "rows=V");
    }
}
