// Opening a model without running it: ops the engine lacks stay in the graph, inference keeps
// going past them, and symbolic dimensions keep their names through the graph.
#include "engine/graph/interpreter.h"
#include "engine/onnx/onnx_import.h"

#include <gtest/gtest.h>

using namespace aisys::engine;

namespace {

Tensor ramp(const Shape& s) {
    Tensor t(DType::F32, s);
    for (std::int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = 0.01f * static_cast<float>(i % 17);
    return t;
}

/// x [N, 3, H, W] → Conv 3×3 pad 1 → Relu → Conv 3×3 stride 2 → custom op → Add.
Graph symbolicModel() {
    Graph g;
    g.addInput("x", DType::F32, {-1, 3, -1, -1});
    g.values[g.findValue("x")].dimParams = {"N", "", "H", "W"};
    g.addInitializer("w1", ramp({8, 3, 3, 3}));
    g.addInitializer("w2", ramp({8, 8, 3, 3}));
    g.addNode("Conv", "same", {"x", "w1"}, {"a"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu", {"a"}, {"b"});
    g.addNode("Conv", "down", {"b", "w2"}, {"c"}, {{"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode("com.example:Glow", "glow", {"c"}, {"d"});
    g.addNode("Add", "add", {"d", "c"}, {"y"});
    g.addNode("Sigmoid", "side", {"b"}, {"z"});
    g.markOutput("y");
    g.markOutput("z");
    return g;
}

std::string label(const Graph& g, const std::string& value) {
    return shapeLabel(g.values[g.findValue(value)]);
}

} // namespace

TEST(OpenAnyModel, UnsupportedOpsAreKeptAndNamedNotRefused) {
    const std::string bytes = exportOnnxBytes(symbolicModel());
    // The default import refuses it, naming the op.
    try {
        importOnnxBytes(bytes, "", {}, "m.onnx");
        FAIL() << "accepted";
    } catch (const OnnxError& e) {
        EXPECT_NE(std::string(e.what()).find("com.example:Glow"), std::string::npos) << e.what();
    }
    std::vector<InferenceProblem> problems;
    OnnxImportOptions draw;
    draw.keepUnsupported = true;
    draw.problems = &problems;
    const Graph g = importOnnxBytes(bytes, "", draw, "m.onnx");
    ASSERT_EQ(g.nodes.size(), 6u);
    ASSERT_EQ(problems.size(), 1u); // the custom op; Add after it is a consequence, not a problem
    EXPECT_EQ(g.nodes[problems[0].node].name, "glow");
    EXPECT_NE(problems[0].message.find("unsupported op type 'com.example:Glow'"), std::string::npos)
        << problems[0].message;
    EXPECT_EQ(label(g, "d"), "?");
    EXPECT_EQ(label(g, "y"), "?");
    // Symbolic dims keep their names where the model keeps them, concrete where it fixes them,
    // "?" where a dim is derived (stride 2).
    EXPECT_EQ(label(g, "x"), "[N, 3, H, W]");
    EXPECT_EQ(label(g, "a"), "[N, 8, H, W]");
    EXPECT_EQ(label(g, "b"), "[N, 8, H, W]");
    EXPECT_EQ(label(g, "z"), "[N, 8, H, W]");
    EXPECT_EQ(label(g, "c"), "[N, 8, ?, ?]");
    // Running refuses it at once, naming the node and op.
    try {
        Interpreter ip(g);
        FAIL() << "an interpreter was built";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("glow"), std::string::npos) << e.what();
    }
}

TEST(OpenAnyModel, FixedDimsBecomeConcreteAndBoundDimsRun) {
    // Reshape to a fixed shape: the output is concrete although its input is symbolic.
    Graph m;
    m.addInput("x", DType::F32, {-1, 4, 4});
    m.values[m.findValue("x")].dimParams = {"B", "", ""};
    Tensor shape(DType::I64, {2});
    shape.data<std::int64_t>()[0] = -1;
    shape.data<std::int64_t>()[1] = 16;
    m.addInitializer("shape", shape);
    m.addNode("Reshape", "flat", {"x", "shape"}, {"f"});
    m.addNode("ReduceSum", "sum", {"f"}, {"s"},
              {{"axes", std::vector<std::int64_t>{1}}, {"keepdims", std::int64_t{0}}});
    m.markOutput("s");
    OnnxImportOptions draw;
    draw.keepUnsupported = true;
    const std::string bytes = exportOnnxBytes(m);
    const Graph g = importOnnxBytes(bytes, "", draw, "m.onnx");
    EXPECT_EQ(label(g, "f"), "[B, 16]");
    EXPECT_EQ(label(g, "s"), "[B]");
    OnnxImportOptions run;
    run.dims["B"] = 3;
    Interpreter ip(importOnnxBytes(bytes, "", run, "m.onnx"));
    ip.setInput("x", Tensor(DType::F32, {3, 4, 4}));
    ip.run();
    EXPECT_EQ(ip.value("s")->shape(), (Shape{3}));
}
