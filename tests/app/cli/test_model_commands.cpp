// CLI `info` and `infer` on a model the test writes with the engine's own ONNX exporter.
#include "engine/graph/interpreter.h"
#include "engine/io/npy.h"
#include "engine/onnx/onnx_import.h"
#include "tests/support/cli_runner.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace aisys;

namespace {

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

/// y = Relu(x·W + b) with a symbolic batch dimension "N"; W 4×3.
engine::Graph tinyModel() {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {-1, 4});
    g.values[g.findValue("x")].dimParams = {"N", ""};
    g.addInitializer(
        "W", engine::Tensor::f32({4, 3}, {1, -1, 0.5f, 2, 0, -0.5f, -1, 1, 1, 0.25f, 0.5f, -2}));
    g.addInitializer("b", engine::Tensor::f32({3}, {0.1f, -0.2f, 0.3f}));
    g.addNode("MatMul", "mm", {"x", "W"}, {"xw"});
    g.addNode("Add", "add", {"xw", "b"}, {"z"});
    g.addNode("Relu", "relu", {"z"}, {"y"});
    g.markOutput("y");
    return g;
}

} // namespace

TEST(CliModel, InfoPrintsTheSummaryAsTextAndJson) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    CliResult r = runCli({"info", model});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("MatMul")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Relu"));
    EXPECT_TRUE(r.out.contains("15")) << "4·3 + 3 parameters\n" << r.out.toStdString();
    CliResult j = runCli({"info", model, "--json", "--dim", "N=2"});
    ASSERT_EQ(j.code, 0) << j.err.toStdString();
    EXPECT_TRUE(j.out.trimmed().startsWith("{"));
    EXPECT_TRUE(j.out.contains("\"parameters\": 15")) << j.out.toStdString();
    // MatMul 2·(2·4·3) = 48, Add 6, Relu 6 with N = 2.
    EXPECT_TRUE(j.out.contains("\"total_flops\": 60")) << j.out.toStdString();
}

TEST(CliModel, InferWritesOutputsThatMatchTheInterpreter) {
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    const engine::Tensor x = engine::Tensor::f32({2, 4}, {1, 2, 3, 4, -1, 0.5f, 0, 2});
    engine::writeNpy(x, dir.filePath("x.npy").toStdString());
    CliResult r = runCli({"infer", model, "--input", "x=" + dir.filePath("x.npy"), "--output-dir",
                          dir.filePath("out"), "--bench", "3"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("median latency over 3 runs")) << r.out.toStdString();
    engine::Tensor y = engine::readNpy(dir.filePath("out/y.npy").toStdString());
    engine::Graph g = engine::importOnnxFile(model.toStdString(), {{{"N", 2}}, true});
    engine::Interpreter ip(std::move(g));
    ip.setInput("x", x);
    ip.run();
    ASSERT_TRUE(y.allClose(*ip.value("y"), 0.0)) << "outputs differ";

    // Seeded inputs: the same seed gives the same output; an unbound dim needs --dim.
    CliResult unbound = runCli({"infer", model, "--output-dir", dir.filePath("o2")});
    EXPECT_EQ(unbound.code, 2);
    EXPECT_TRUE(unbound.err.contains("--dim N=V")) << unbound.err.toStdString();
    ASSERT_EQ(
        runCli({"infer", model, "--dim", "N=5", "--seed", "9", "--output-dir", dir.filePath("s1")})
            .code,
        0);
    ASSERT_EQ(
        runCli({"infer", model, "--dim", "N=5", "--seed", "9", "--output-dir", dir.filePath("s2")})
            .code,
        0);
    engine::Tensor a = engine::readNpy(dir.filePath("s1/y.npy").toStdString());
    engine::Tensor b = engine::readNpy(dir.filePath("s2/y.npy").toStdString());
    EXPECT_EQ(a.shape(), (engine::Shape{5, 3}));
    EXPECT_TRUE(a.allClose(b, 0.0));
}

TEST(CliModel, BadModelsAndArgumentsGiveClearMessages) {
    QTemporaryDir dir;
    QFile junk(dir.filePath("junk.onnx"));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write("this is not a protobuf \x01\x02\x03");
    junk.close();
    CliResult r = runCli({"info", dir.filePath("junk.onnx")});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("junk.onnx")) << r.err.toStdString();
    r = runCli({"infer", dir.filePath("missing.onnx"), "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("missing.onnx")) << r.err.toStdString();
    const QString model = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), model.toStdString());
    r = runCli({"infer", model, "--dim", "N=1"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--output-dir")) << r.err.toStdString();
    r = runCli(
        {"infer", model, "--dim", "N=1", "--input", "nope=x.npy", "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("no input 'nope'")) << r.err.toStdString();
    r = runCli({"infer", model, "--threads", "0", "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--threads")) << r.err.toStdString();
}

TEST(CliModel, InferStaysWithinTheMemoryBudget) {
    // A Tile with huge repeats is refused before it allocates, naming node, op, shape and
    // bytes; an input beyond the budget is refused before it is made; a budget that suffices
    // runs; a malformed size says what was expected.
    QTemporaryDir dir;
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {-1, 4});
    g.values[g.findValue("x")].dimParams = {"N", ""};
    engine::Tensor rep(engine::DType::I64, {2});
    rep.data<std::int64_t>()[0] = std::int64_t{1} << 20;
    rep.data<std::int64_t>()[1] = std::int64_t{1} << 20;
    g.addInitializer("rep", rep);
    g.addNode("Tile", "tile", {"x", "rep"}, {"y"});
    g.markOutput("y");
    const QString model = dir.filePath("tile.onnx");
    engine::exportOnnxFile(g, model.toStdString());
    CliResult r = runCli({"infer", model, "--dim", "N=2", "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 2);
    for (const char* part : {"'tile' (Tile)", "[2097152, 4194304]", "32.0 TiB", "memory budget"})
        EXPECT_TRUE(r.err.contains(part)) << part << " not in " << r.err.toStdString();
    const QString tiny = dir.filePath("tiny.onnx");
    engine::exportOnnxFile(tinyModel(), tiny.toStdString());
    r = runCli(
        {"infer", tiny, "--dim", "N=1000", "--max-memory", "8K", "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("input 'x' f32 [1000, 4] would take 15.6 KiB"))
        << r.err.toStdString();
    r = runCli(
        {"infer", tiny, "--dim", "N=1000", "--max-memory", "1M", "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    r = runCli({"infer", tiny, "--dim", "N=1", "--max-memory", "4Q", "--output-dir", dir.path()});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--max-memory '4Q': unknown unit")) << r.err.toStdString();
}

TEST(CliModel, TrainPrintsAFallingLoss) {
    CliResult r = runCli({"train", "--example", "digits", "--epochs", "4", "--seed", "1"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 5) << r.out.toStdString(); // header + 4 epochs
    const double first = lines[1].split(' ', Qt::SkipEmptyParts)[1].toDouble();
    const double last = lines[4].split(' ', Qt::SkipEmptyParts)[1].toDouble();
    EXPECT_LT(last, first * 0.9) << r.out.toStdString();
    CliResult bad = runCli({"train", "--example", "cats", "--epochs", "2"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(bad.err.contains("spirals or digits")) << bad.err.toStdString();
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
