// SCALE-Sim topology CSV and scale.cfg readers: both forms, depthwise split, precise errors.
#include "engine/hw/systolic/systolic.h"

#include <gtest/gtest.h>

using namespace aisys::engine::systolic;

namespace {
std::string errorOf(const std::string& text, bool config = false) {
    try {
        if (config)
            parseScaleConfig(text, "x.cfg");
        else
            parseTopology(text, "t.csv");
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(no error)";
}
} // namespace

TEST(SystolicTopology, ReadsConvFormWithAndWithoutTrailingComma) {
    const auto layers = parseTopology(
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
        "Filter, Strides,\n"
        "Conv1,224,224,7,7,3,64,2,\n"
        "\n"
        "Conv2, 56, 56, 3, 3, 64, 64, 1\r\n"
        "Rect,30,20,3,5,8,16,2,1,\n",
        "t.csv");
    ASSERT_EQ(layers.size(), 3u);
    EXPECT_EQ(layers[0].name, "Conv1");
    EXPECT_EQ(layers[0].strideW, 2);
    EXPECT_EQ(layers[1].ifmapH, 56);
    EXPECT_EQ(layers[1].channels, 64);
    EXPECT_EQ(layers[2].strideH, 2);
    EXPECT_EQ(layers[2].strideW, 1);
    EXPECT_EQ(layers[2].ofmapH(), 15); // ceil((30 − 3 + 2)/2)
    EXPECT_EQ(layers[2].ofmapW(), 16);
}

TEST(SystolicTopology, ReadsGemmFormAsScaleSimDoes) {
    const auto layers = parseTopology("Layer Name, M, N, K,\nTest 1, 256, 128, 256,", "g.csv");
    ASSERT_EQ(layers.size(), 1u);
    const GemmShape g = layers[0].gemmShape();
    EXPECT_EQ(g.M, 256);
    EXPECT_EQ(g.N, 128);
    EXPECT_EQ(g.K, 256);
}

TEST(SystolicTopology, DepthwiseLayersSplitPerChannel) {
    const auto layers = parseTopology(
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
        "Filter, Strides,\nConvDP1,14,14,3,3,4,1,1,\nPW,14,14,1,1,4,8,1,\n",
        "t.csv");
    ASSERT_EQ(layers.size(), 5u);
    EXPECT_EQ(layers[0].name, "ConvDP1Channel_0");
    EXPECT_EQ(layers[3].name, "ConvDP1Channel_3");
    EXPECT_EQ(layers[3].channels, 1);
    EXPECT_EQ(layers[4].name, "PW");
}

TEST(SystolicTopology, ShippedTopologiesLoad) {
    const std::string dir = std::string(AISYS_SOURCE_DIR) + "/assets/topologies/";
    const auto resnet = loadTopology(dir + "resnet18.csv");
    EXPECT_EQ(resnet.size(), 21u); // 20 convolutions + FC
    EXPECT_EQ(loadTopology(dir + "gemm_small.csv").size(), 4u);
    const ScaleConfig cfg = loadScaleConfig(dir + "scale.cfg");
    EXPECT_EQ(cfg.arrayHeight.value_or(0), 32);
    EXPECT_EQ(cfg.dataflow.value_or(Dataflow::OS), Dataflow::WS);
    EXPECT_TRUE(cfg.memory.userBandwidth);
    EXPECT_EQ(cfg.memory.bandwidth, 10);
}

TEST(SystolicTopology, MalformedLinesNameFileLineAndExpectation) {
    const std::string head = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                             "Width, Channels, Num Filter, Strides,\n";
    EXPECT_EQ(errorOf(head + "C1,224,224,7,7,3,64,\n"),
              "t.csv:2: expected 8 or 9 fields 'Layer name, IFMAP Height, IFMAP Width, Filter "
              "Height, Filter Width, Channels, Num Filter, Strides[, Stride Width]', got 7");
    EXPECT_EQ(errorOf(head + "C1,224,abc,7,7,3,64,1,\n"),
              "t.csv:2: IFMAP Width is 'abc', expected an integer");
    EXPECT_EQ(errorOf(head + "C1,5,5,7,3,1,1,1,\n"),
              "t.csv:2: layer 'C1': filter height 7 is larger than IFMAP height 5");
    EXPECT_EQ(errorOf(head + "C1,5,5,3,3,0,1,1,\n"),
              "t.csv:2: layer 'C1': channels must be > 0, got 0");
    EXPECT_EQ(errorOf(head + "C1,5,5,3,3,1,1,-2,\n"),
              "t.csv:2: layer 'C1': stride height must be > 0, got -2");
    EXPECT_EQ(errorOf("Layer, M, N, K,\nG, 4, 0, 4,\n"), "t.csv:2: N must be > 0, got 0");
    EXPECT_EQ(errorOf("Layer, M, N, K,\nG, 4, 4,\n"),
              "t.csv:2: expected 4 fields 'Layer, M, N, K', got 3");
    EXPECT_NE(errorOf("hello\nC1,1,1,1,1,1,1,1,\n").find("t.csv:1: expected a header"),
              std::string::npos);
    EXPECT_EQ(errorOf(head), "t.csv: no layers after the header");
}

TEST(SystolicTopology, ConfigFileErrorsAndOverrides) {
    const ScaleConfig c = parseScaleConfig("[general]\nrun_name = r\n[architecture_presets]\n"
                                           "ArrayHeight: 8\nArrayWidth = 4\nIfmapSramSzkB: 2\n"
                                           "Bandwidth : 20,20,20\nDataflow : is\n"
                                           "[run_presets]\nInterfaceBandwidth: CALC\n",
                                           "x.cfg");
    EXPECT_EQ(c.runName, "r");
    EXPECT_EQ(*c.arrayHeight, 8);
    EXPECT_EQ(*c.arrayWidth, 4);
    EXPECT_EQ(c.memory.ifmapSramKB, 2);
    EXPECT_EQ(c.memory.bandwidth, 20);
    EXPECT_EQ(*c.dataflow, Dataflow::IS);
    EXPECT_FALSE(c.memory.userBandwidth);
    EXPECT_EQ(errorOf("[architecture_presets]\nArrayHeight 8\n", true),
              "x.cfg:2: expected 'Key : value' or 'key = value'");
    EXPECT_EQ(errorOf("[architecture_presets]\nArrayHeight: 0\n", true),
              "x.cfg:2: ArrayHeight must be ≥ 1, got 0");
    EXPECT_EQ(errorOf("[architecture_presets]\nDataflow: xs\n", true),
              "x.cfg:2: unknown dataflow 'xs' (expected ws, os or is)");
    EXPECT_EQ(errorOf("[run_presets]\nInterfaceBandwidth: FAST\n", true),
              "x.cfg:2: InterfaceBandwidth is 'FAST', expected USER or CALC");
    EXPECT_EQ(errorOf("[general\n", true), "x.cfg:1: expected a section header like [general]");
}
