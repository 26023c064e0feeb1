// `aisyslab systolic`: SCALE-Sim files in, SCALE-Sim report files out; ONNX models; errors.
#include "tests/support/cli_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace {

using aisys::test_support::CliResult;

CliResult lab(const QStringList& args) {
    return aisys::test_support::runCli(QStringList{"systolic"} + args);
}

QString asset(const char* rel) {
    return QString(AISYS_SOURCE_DIR) + "/assets/" + rel;
}

QString write(const QTemporaryDir& dir, const char* name, const char* text) {
    QFile f(dir.filePath(name));
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text);
    return dir.filePath(name);
}

} // namespace

TEST(SystolicCli, WritesScaleSimReportsThatMatchItsGoldenOutput) {
    QTemporaryDir dir;
    // SCALE-Sim's test: GEMM 256×128×256 on 32×32, 64 KB SRAMs, 10 words/cycle, WS, USER
    // bandwidth; the expected text is SCALE-Sim v2's own output (engine/hw/systolic's
    // tests/engine/hw/systolic/scalesim_v2/gemm_test_32x32_ws_USER_bw10_64-64-64kb).
    const QString topo = write(dir, "t.csv", "Layer Name, M, N, K,\nTest 1, 256, 128, 256,\n");
    CliResult r = lab({"--topology", topo, "--config", asset("topologies/scale.cfg"),
                       "--report-dir", dir.filePath("out")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("50519")) << r.out.toStdString();
    QFile compute(dir.filePath("out/COMPUTE_REPORT.csv"));
    ASSERT_TRUE(compute.open(QIODevice::ReadOnly));
    EXPECT_EQ(QString::fromUtf8(compute.readAll()),
              "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
              "Compute Util %,\n0, 50519, 39320, 16.215681228844595, 100.0, "
              "67.19160104986877,\n");
    QFile detail(dir.filePath("out/DETAILED_ACCESS_REPORT.csv"));
    ASSERT_TRUE(detail.open(QIODevice::ReadOnly));
    const QString d = QString::fromUtf8(detail.readAll());
    EXPECT_TRUE(d.startsWith("LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle,"));
    EXPECT_TRUE(d.contains("\n0, 33.0, 50489.0, 262144, 1.0, 50202.0, 32768, 63.0, 50519.0, "
                           "262144, -3277.0, 49169.0, 524320, -3277.0, -1.0, 32770, 9847.0, "
                           "53795.0, 262144,\n"))
        << d.toStdString();
    EXPECT_TRUE(QFile::exists(dir.filePath("out/BANDWIDTH_REPORT.csv")));
}

TEST(SystolicCli, ReportFilesAreByteIdenticalToScaleSimV2s) {
    // Every run SCALE-Sim v2 made for the golden set (README.md there): the same config and
    // topology give the same three files, byte for byte.
    const QDir golden(QString(AISYS_SOURCE_DIR) + "/tests/engine/hw/systolic/scalesim_v2");
    const QStringList cases = golden.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    ASSERT_GE(cases.size(), 18);
    QTemporaryDir dir;
    for (const QString& c : cases) {
        const QString in = golden.filePath(c), out = dir.filePath(c);
        CliResult r = lab({"--topology", in + "/topology.csv", "--config", in + "/scale.cfg",
                           "--report-dir", out});
        ASSERT_EQ(r.code, 0) << c.toStdString() << ": " << r.err.toStdString();
        for (const char* name :
             {"COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv", "DETAILED_ACCESS_REPORT.csv"}) {
            QFile theirs(in + "/" + name), ours(out + "/" + name);
            ASSERT_TRUE(theirs.open(QIODevice::ReadOnly)) << c.toStdString() << " " << name;
            ASSERT_TRUE(ours.open(QIODevice::ReadOnly)) << c.toStdString() << " " << name;
            EXPECT_EQ(ours.readAll().toStdString(), theirs.readAll().toStdString())
                << c.toStdString() << "/" << name;
        }
    }
}

TEST(SystolicCli, FlagsOverrideTheConfigAndJsonIsMachineReadable) {
    CliResult r = lab({"--topology", asset("topologies/resnet18.csv"), "--config",
                       asset("topologies/scale.cfg"), "--rows", "128", "--cols", "128",
                       "--dataflow", "os", "--ideal-memory", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.startsWith("{\"array\":{\"rows\":128,\"cols\":128},\"dataflow\":\"os\""))
        << r.out.left(200).toStdString();
    EXPECT_TRUE(r.out.contains("\"name\":\"Conv1\",\"node\":\"\",\"repeat\":1,\"M\":12100,"
                               "\"K\":147,\"N\":64"));
    EXPECT_TRUE(r.out.contains("\"stall_cycles\":0"));
}

TEST(SystolicCli, MapsAnOnnxModelsConvAndGemmNodes) {
    CliResult r = lab({"--model", asset("models/tiny_cnn.onnx"), "--rows", "8", "--cols", "8",
                       "--dataflow", "ws"});
    EXPECT_EQ(r.code, 2); // the batch dimension is symbolic
    EXPECT_TRUE(r.err.contains("is not known; bind it with --dim batch=V")) << r.err.toStdString();
    r = lab({"--model", asset("models/tiny_cnn.onnx"), "--dim", "batch=1", "--rows", "8", "--cols",
             "8", "--dataflow", "ws"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("Conv ")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("total:")) << r.out.toStdString();
}

TEST(SystolicCli, BadInputGivesPreciseMessagesAndExitCode2) {
    QTemporaryDir dir;
    const QString bad = write(dir, "bad.csv",
                              "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                              "Width, Channels, Num Filter, Strides,\nC1,8,8,3,3,1,4,1,\n"
                              "C2,8,8,3,x,1,4,1,\n");
    CliResult r = lab({"--topology", bad, "--rows", "4", "--cols", "4", "--dataflow", "ws"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("bad.csv:3: Filter Width is 'x', expected an integer"))
        << r.err.toStdString();
    const QString big = write(dir, "big.csv",
                              "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                              "Width, Channels, Num Filter, Strides,\nC1,2,8,3,3,1,4,1,\n");
    r = lab({"--topology", big, "--rows", "4", "--cols", "4", "--dataflow", "ws"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("big.csv:2: layer 'C1': filter height 3 is larger than IFMAP "
                               "height 2"))
        << r.err.toStdString();
    const QString ok = asset("topologies/gemm_small.csv");
    r = lab({"--topology", ok, "--rows", "4", "--cols", "4", "--dataflow", "xs"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("unknown dataflow 'xs' (expected ws, os or is)"));
    r = lab({"--topology", ok, "--rows", "0", "--cols", "4", "--dataflow", "ws"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--rows expects a positive integer, got '0'"));
    r = lab({"--topology", ok, "--rows", "4", "--cols", "-3", "--dataflow", "ws"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--cols expects a positive integer, got '-3'"));
    r = lab({"--topology", ok, "--rows", "4", "--cols", "4", "--dataflow", "ws", "--bw", "0"});
    EXPECT_EQ(r.code, 2);
    r = lab({"--topology", dir.filePath("missing.csv"), "--rows", "4", "--cols", "4", "--dataflow",
             "ws"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("missing.csv: cannot open file")) << r.err.toStdString();
    const QString cfg = write(dir, "bad.cfg", "[architecture_presets]\nArrayHeight 8\n");
    r = lab({"--topology", ok, "--config", cfg});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("bad.cfg:2: expected 'Key : value' or 'key = value'"));
    r = lab({"--topology", ok, "--rows", "4"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("missing --cols"));
    r = lab({"--model", dir.filePath("missing.onnx"), "--rows", "4", "--cols", "4", "--dataflow",
             "ws"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("missing.onnx")) << r.err.toStdString();
}
