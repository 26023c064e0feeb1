// `aisyslab optimize`, `infer --passes` and `export --model --passes` on a model the test
// writes with the engine's own exporter.
#include "engine/graph/interpreter.h"
#include "engine/io/npy.h"
#include "engine/onnx/onnx_import.h"
#include "tests/support/cli_runner.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace aisys;

namespace {

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

/// y = Relu(Identity(x)·W + b): -O2 leaves one aisys:FusedGemm.
engine::Graph tinyModel() {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {2, 4});
    g.addInitializer(
        "W", engine::Tensor::f32({4, 3}, {1, -1, 0.5f, 2, 0, -0.5f, -1, 1, 1, 0.25f, 0.5f, -2}));
    g.addInitializer("b", engine::Tensor::f32({3}, {0.1f, -0.2f, 0.3f}));
    g.addNode("Identity", "id", {"x"}, {"xi"});
    g.addNode("MatMul", "mm", {"xi", "W"}, {"xw"});
    g.addNode("Add", "add", {"xw", "b"}, {"z"});
    g.addNode("Relu", "relu", {"z"}, {"y"});
    g.markOutput("y");
    return g;
}

} // namespace

TEST(CliOptimize, ReportsPerPassAndWritesAModelThatRunsTheSame) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx"), out = dir.filePath("tiny_o2.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    CliResult r = runCli({"optimize", model, "-O2", "--report", "json", "-o", out});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("\"after\": {\"nodes\": 1, \"kernels\": 1")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("MatMul+Add -> Gemm")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Gemm+Relu -> aisys:FusedGemm")) << r.out.toStdString();
    engine::Graph a = engine::importOnnxFile(model.toStdString());
    engine::Graph b = engine::importOnnxFile(out.toStdString());
    ASSERT_EQ(b.nodes.size(), 1u);
    EXPECT_EQ(b.nodes[0].op, "aisys:FusedGemm");
    engine::Interpreter ia(a), ib(b);
    const auto x = engine::Tensor::f32({2, 4}, {0.5f, -1, 2, 0.25f, -0.5f, 1, -2, 0.75f});
    ia.setInput("x", x);
    ib.setInput("x", x);
    ia.run();
    ib.run();
    const engine::Tensor* ya = ia.value("y");
    const engine::Tensor* yb = ib.value("y");
    ASSERT_TRUE(ya && yb);
    for (std::int64_t i = 0; i < ya->numel(); ++i)
        EXPECT_NEAR(ya->at(i), yb->at(i), 1e-6);
}

TEST(CliOptimize, TextReportPrintAfterAllAndListPasses) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    CliResult r =
        runCli({"optimize", model, "--passes", "redundant-node-elimination", "--print-after-all"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("--- after redundant-node-elimination ---")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("removed [Identity] id")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("= MatMul(%x, @W)")) << r.out.toStdString();
    CliResult l = runCli({"optimize", "--list-passes"});
    ASSERT_EQ(l.code, 0);
    EXPECT_TRUE(l.out.contains("conv-bn-folding")) << l.out.toStdString();
}

TEST(CliOptimize, UnknownPassListsTheValidNames) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    for (const QString& cmd : {QString("optimize"), QString("infer")}) {
        QStringList args = {cmd, model, "--passes", "constant-folding,no-such-pass"};
        if (cmd == "infer")
            args << "--output-dir" << dir.filePath("o");
        CliResult r = runCli(args);
        EXPECT_EQ(r.code, 2) << cmd.toStdString();
        EXPECT_TRUE(r.err.contains("unknown pass 'no-such-pass'")) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains("dead-code-elimination")) << r.err.toStdString();
    }
    CliResult bad = runCli({"optimize", dir.filePath("missing.onnx"), "-O1"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(bad.err.contains("missing.onnx")) << bad.err.toStdString();
}

TEST(CliOptimize, InferWithPassesGivesTheSameOutputs) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    CliResult plain = runCli({"infer", model, "--output-dir", dir.filePath("a"), "--seed", "3"});
    CliResult opt =
        runCli({"infer", model, "--output-dir", dir.filePath("b"), "--seed", "3", "-O3"});
    ASSERT_EQ(plain.code, 0) << plain.err.toStdString();
    ASSERT_EQ(opt.code, 0) << opt.err.toStdString();
    const engine::Tensor ya = engine::readNpy(dir.filePath("a/y.npy").toStdString());
    const engine::Tensor yb = engine::readNpy(dir.filePath("b/y.npy").toStdString());
    ASSERT_EQ(ya.shape(), yb.shape());
    for (std::int64_t i = 0; i < ya.numel(); ++i)
        EXPECT_NEAR(ya.at(i), yb.at(i), 1e-6);
}

TEST(CliOptimize, ExportDrawsTheOptimizedGraph) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    const QString svg = dir.filePath("tiny.svg");
    CliResult r =
        runCli({"export", "--model", model, "--passes", "-O2", "--format", "svg", "-o", svg});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    QFile f(svg);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    EXPECT_TRUE(text.contains("FusedGemm"));
    EXPECT_FALSE(text.contains(">Identity<"));
}
