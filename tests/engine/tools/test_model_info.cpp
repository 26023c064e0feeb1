// Model summary: op histogram, parameters, FLOPs per op and total, text and JSON.
#include "engine/tools/model_info.h"

#include <gtest/gtest.h>

#include <map>

using namespace aisys::engine;

namespace {

/// conv(3→8, 3×3, pad 1) → relu → global average pool → flatten → gemm(8→10), x: [batch,3,8,8].
Graph smallCnn() {
    Graph g;
    int x = g.addInput("x", DType::F32, {-1, 3, 8, 8});
    g.values[x].dimParams = {"batch", "", "", ""};
    g.addInitializer("w", Tensor(DType::F32, {8, 3, 3, 3}));
    g.addInitializer("b", Tensor(DType::F32, {8}));
    g.addInitializer("fc", Tensor(DType::F32, {10, 8}));
    g.addNode("Conv", "conv", {"x", "w", "b"}, {"c"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu", {"c"}, {"r"});
    g.addNode("GlobalAveragePool", "gap", {"r"}, {"p"});
    g.addNode("Flatten", "flat", {"p"}, {"f"});
    g.addNode("Gemm", "head", {"f", "fc"}, {"y"}, {{"transB", std::int64_t{1}}});
    g.markOutput("y");
    return g;
}

} // namespace

TEST(ModelInfo, CountsParametersAndFlops) {
    Graph g = smallCnn();
    g.bindDims({{"batch", 2}});
    ModelInfo info = summarizeModel(g);
    EXPECT_EQ(info.nodeCount, 5u);
    EXPECT_EQ(info.opHistogram.at("Conv"), 1);
    EXPECT_EQ(info.parameterCount, 8 * 27 + 8 + 80);
    EXPECT_EQ(info.parameterBytes, 4 * (8 * 27 + 8 + 80));
    // Conv: 2·(2·8·8·8 outputs)·27 MACs + bias adds; Gemm: 2·2·10·8.
    const double conv = 2.0 * (2 * 8 * 64) * 27 + 2 * 8 * 64;
    EXPECT_DOUBLE_EQ(info.flopsByOp.at("Conv"), conv);
    EXPECT_DOUBLE_EQ(info.flopsByOp.at("Gemm"), 2.0 * 2 * 10 * 8);
    EXPECT_DOUBLE_EQ(info.flopsByOp.at("Relu"), 2 * 8 * 64);
    EXPECT_DOUBLE_EQ(info.totalFlops, conv + 320 + 1024 + 1024 + 0);
    EXPECT_TRUE(info.flopsComplete);
    ASSERT_EQ(info.outputs.size(), 1u);
    EXPECT_EQ(info.outputs[0].shape, (Shape{2, 10}));
}

TEST(ModelInfo, TextAndJsonAreDeterministicAndComplete) {
    ModelInfo info = summarizeModel(smallCnn());
    // batch unbound: the FLOPs are counted with batch = 1 and say so, never 0.
    EXPECT_TRUE(info.flopsComplete);
    EXPECT_EQ(info.assumedDims, (std::map<std::string, std::int64_t>{{"batch", 1}}));
    Graph one = smallCnn();
    one.bindDims({{"batch", 1}});
    EXPECT_DOUBLE_EQ(info.totalFlops, summarizeModel(one).totalFlops);
    EXPECT_GT(info.flopsByOp.at("Conv"), 0);
    const std::string text = modelInfoText(info);
    EXPECT_NE(text.find("x f32 [batch, 3, 8, 8]"), std::string::npos) << text;
    EXPECT_NE(text.find("y f32 [batch, 10]"), std::string::npos) << text; // named through
    EXPECT_NE(text.find("Conv ×1"), std::string::npos) << text;
    EXPECT_NE(text.find("parameters: 304"), std::string::npos) << text;
    EXPECT_NE(text.find("FLOPs counted with batch=1 (unbound symbolic dims"), std::string::npos)
        << text;
    const std::string json = modelInfoJson(info);
    EXPECT_EQ(json, modelInfoJson(summarizeModel(smallCnn())));
    EXPECT_NE(json.find("\"shape\": [\"batch\", 3, 8, 8]"), std::string::npos) << json;
    EXPECT_NE(json.find("\"ops\": {\"Conv\": 1, \"Flatten\": 1, \"Gemm\": 1, "
                        "\"GlobalAveragePool\": 1, \"Relu\": 1}"),
              std::string::npos)
        << json;
    EXPECT_NE(json.find("\"parameters\": 304"), std::string::npos) << json;
    EXPECT_NE(json.find("\"flops_complete\": true, \"assumed_dims\": {\"batch\": 1}"),
              std::string::npos)
        << json;
}
