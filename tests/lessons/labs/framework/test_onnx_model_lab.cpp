// The onnx-model Lab: a model is drawn before (and without) running it — symbolic dims by
// name, ops the engine lacks marked — and the frames of the run run it with the `dims` sizes,
// reporting what stops it (an unsupported op, the memory budget) in the caption.
#include "engine/onnx/onnx_import.h"
#include "lessons/labs/framework/onnx_model/onnx_model_lab.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace aisys;
using namespace aisys::lessons;

namespace {

engine::Tensor ramp(const engine::Shape& s) {
    engine::Tensor t(engine::DType::F32, s);
    for (std::int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = 0.01f * static_cast<float>(i % 17);
    return t;
}

engine::Tensor i64(std::vector<std::int64_t> v) {
    engine::Tensor t(engine::DType::I64, {static_cast<std::int64_t>(v.size())});
    for (std::size_t i = 0; i < v.size(); ++i)
        t.data<std::int64_t>()[i] = v[i];
    return t;
}

/// Writes `g` as an ONNX file in the test's temporary folder.
std::string write(const engine::Graph& g, const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "aisys_onnx_model_lab";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / name).string();
    engine::exportOnnxFile(g, path);
    return path;
}

engine::Graph convPool(bool customOp) {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {-1, 3, -1, -1});
    g.values[g.findValue("x")].dimParams = {"N", "", "H", "W"};
    g.addInitializer("w1", ramp({8, 3, 3, 3}));
    g.addNode("Conv", "same", {"x", "w1"}, {"a"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("AveragePool", "pool", {"a"}, {"p"},
              {{"kernel_shape", std::vector<std::int64_t>{2, 2}},
               {"strides", std::vector<std::int64_t>{2, 2}}});
    g.addNode(customOp ? "com.example:Glow" : "Relu", "act", {"p"}, {"y"});
    g.markOutput("y");
    return g;
}

ParamSet paramsFor(const std::string& model, const std::string& dims = "") {
    OnnxModelLab lab;
    ParamSet p = defaults(lab.params());
    p.set("model", model);
    p.set("dims", dims);
    return p;
}

std::vector<std::string> texts(const viz::Scene& s) {
    std::vector<std::string> out;
    for (const auto& p : s.list.prims)
        if (p.kind == viz::PrimKind::Text)
            out.push_back(p.text);
    return out;
}

bool hasText(const viz::Scene& s, const std::string& t) {
    for (const auto& x : texts(s))
        if (x.find(t) != std::string::npos)
            return true;
    return false;
}

int dashedBoxes(const viz::Scene& s) {
    int n = 0;
    for (const auto& p : s.list.prims)
        n += p.kind == viz::PrimKind::Box && p.dashed;
    return n;
}

} // namespace

TEST(OnnxModelLab, DrawsTheGraphBeforeRunningWithSymbolicDims) {
    OnnxModelLab lab;
    auto run = lab.run(paramsFor(write(convPool(false), "pool.onnx"), "H=16, W=20"));
    const viz::Scene graph = run->scene(0, {});
    EXPECT_TRUE(hasText(graph, "[N, 3, H, W]"));
    EXPECT_TRUE(hasText(graph, "[N, 8, H, W]"));
    EXPECT_TRUE(hasText(graph, "[N, 8, ?, ?]")) << "pooled dims are derived, not named";
    EXPECT_EQ(dashedBoxes(graph), 0);
    // The run binds the dims given (N by default 1), caption says so, shapes are concrete.
    const viz::Scene last = run->scene(3, {});
    EXPECT_NE(last.caption.find("with H=16, N=1, W=20"), std::string::npos) << last.caption;
    EXPECT_TRUE(hasText(last, "[1, 8, 8, 10]"));
}

TEST(OnnxModelLab, AnUnsupportedOpIsDrawnMarkedAndRunningNamesIt) {
    OnnxModelLab lab;
    auto run = lab.run(paramsFor(write(convPool(true), "glow.onnx")));
    const viz::Scene graph = run->scene(0, {});
    EXPECT_EQ(dashedBoxes(graph), 1);
    EXPECT_TRUE(hasText(graph, "com.example:Glow"));
    EXPECT_NE(graph.caption.find("1 cannot run"), std::string::npos) << graph.caption;
    const viz::Scene step = run->scene(1, {});
    EXPECT_NE(step.caption.find("cannot run: node 'act'"), std::string::npos) << step.caption;
    EXPECT_NE(step.caption.find("com.example:Glow"), std::string::npos) << step.caption;
}

TEST(OnnxModelLab, AModelBeyondTheMemoryBudgetDrawsAndSaysWhyItCannotRun) {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {2, 2});
    g.addInitializer("rep", i64({std::int64_t{1} << 22, std::int64_t{1} << 22}));
    g.addNode("Tile", "tile", {"x", "rep"}, {"y"});
    g.markOutput("y");
    OnnxModelLab lab;
    auto run = lab.run(paramsFor(write(g, "tile.onnx")));
    EXPECT_TRUE(hasText(run->scene(0, {}), "[8388608, 8388608]"));
    const std::string caption = run->scene(1, {}).caption;
    EXPECT_NE(caption.find("'tile' (Tile)"), std::string::npos) << caption;
    EXPECT_NE(caption.find("memory budget"), std::string::npos) << caption;
}

TEST(OnnxModelLab, BadDimsSayWhatIsExpected) {
    OnnxModelLab lab;
    const std::string model = write(convPool(false), "pool2.onnx");
    try {
        lab.run(paramsFor(model, "Q=3"));
        FAIL() << "accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("no symbolic dimension 'Q'"), std::string::npos)
            << e.what();
    }
    try {
        lab.run(paramsFor(model, "H=big"));
        FAIL() << "accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("expected NAME=V"), std::string::npos) << e.what();
    }
    EXPECT_EQ(engine::defaultDimSize("batch_size"), 1);
    EXPECT_EQ(engine::defaultDimSize("height"), 224);
    EXPECT_EQ(engine::defaultDimSize("sequence_length"), 128);
    EXPECT_EQ(engine::defaultDimSize("N", 4), 4);
}
