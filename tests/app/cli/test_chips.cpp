// `aisyslab device`, `bits` and `roofline`: the catalogue, a user's device files, the course's
// bit example and V100 GEMMs, a model's nodes, and a precise message for every bad input.
#include "tests/support/cli_runner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

namespace {

QJsonObject object(const CliResult& r) {
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8());
    EXPECT_TRUE(doc.isObject()) << r.out.toStdString();
    return doc.object();
}

void write(const QString& path, const char* text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text);
}

const char* kMine = R"(name = "Lab9"
kind = "npu"
[[sources]]
id = "me"
title = "our measurements"
[chip]
source = "me: none"
[[peak]]
precision = "fp16"
dense_tflops = 100
source = "me: measured"
[[memory]]
name = "DRAM"
bandwidth_gbs = 500
source = "me: stream"
)";

} // namespace

TEST(CliDevice, ListsAndShowsTheCatalogue) {
    const CliResult list = runCli({"device", "list"});
    ASSERT_EQ(list.code, 0) << list.err.toStdString();
    for (const char* name : {"V100", "A100", "H100", "B200", "TPUv1", "TPUv4", "Ascend910B",
                             "MLU370-X8", "Xeon8280", "EPYC7742"})
        EXPECT_TRUE(list.out.contains(name)) << name;
    const CliResult a100 = runCli({"device", "show", "a100"});
    ASSERT_EQ(a100.code, 0);
    EXPECT_TRUE(a100.out.contains("fp32: 19.5 TFLOPS = 108 SM × 64 FMA × 2 × 1.41 GHz = 19.49"))
        << a100.out.toStdString();
    EXPECT_TRUE(a100.out.contains("NVIDIA A100 Tensor Core GPU Architecture"));
    const QJsonObject v100 = object(runCli({"device", "show", "V100", "--json"}));
    EXPECT_EQ(v100["tensor_cores_per_unit"].toInt(), 8);
    const QJsonObject tc = v100["peaks"].toArray()[2].toObject();
    EXPECT_EQ(tc["precision"].toString(), "fp16");
    EXPECT_NEAR(tc["derived"].toDouble(), 125.3, 0.05);
    const QJsonDocument all =
        QJsonDocument::fromJson(runCli({"device", "list", "--json"}).out.toUtf8());
    EXPECT_GE(all.array().size(), 13);
}

TEST(CliDevice, ReadsAUsersFolderAndNamesTheLineOfABadFile) {
    QTemporaryDir home;
    write(home.filePath("aisyslab/devices/lab9.toml"), kMine);
    write(home.filePath("aisyslab/devices/bad.toml"),
          "name = \"Bad\"\nkind = \"gpu\"\n[chip]\nclock_ghz = \"fast\"\n");
    const CliResult r = runCli({"device", "show", "Lab9"}, {home.path()});
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("fp16: 100 TFLOPS"));
    EXPECT_TRUE(r.err.contains("bad.toml:4:13: key 'clock_ghz' in [chip] is a string (expected a "
                               "number)"))
        << r.err.toStdString();
    // --devices DIR overrides a built-in device of the same name.
    QTemporaryDir extra;
    std::string v100 = kMine;
    v100.replace(v100.find("Lab9"), 4, "V100");
    write(extra.filePath("v100.toml"), v100.c_str());
    const QJsonObject o =
        object(runCli({"device", "show", "V100", "--json", "--devices", extra.path()}));
    EXPECT_EQ(o["kind"].toString(), "npu");
    // check: one file, its errors with file:line:column, exit 2.
    const CliResult bad = runCli({"device", "check", home.filePath("aisyslab/devices/bad.toml")});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(bad.err.contains("bad.toml:4:13: key 'clock_ghz'")) << bad.err.toStdString();
    EXPECT_TRUE(bad.err.contains("no [[sources]] table"));
    const CliResult good = runCli({"device", "check", home.filePath("aisyslab/devices/lab9.toml")});
    EXPECT_EQ(good.code, 0) << good.err.toStdString();
    const CliResult none = runCli({"device", "show", "V200"});
    EXPECT_EQ(none.code, 2);
    EXPECT_TRUE(none.err.contains("unknown device 'V200' (expected one of: A100,"))
        << none.err.toStdString();
}

TEST(CliBits, EncodesDecodesAndExplainsTheRules) {
    const QJsonObject e =
        object(runCli({"bits", "--format", "fp8e4m3", "--value", "3.14", "--json"}));
    EXPECT_EQ(e["code"].toString(), "0x45");
    EXPECT_EQ(e["value"].toDouble(), 3.25);
    EXPECT_EQ(e["ulp"].toDouble(), 0.25);
    EXPECT_EQ(e["max"].toDouble(), 448);
    EXPECT_FALSE(e["exact"].toBool());
    const QJsonObject d =
        object(runCli({"bits", "--format", "fp8e4m3", "--bits", "0x4B", "--json"}));
    EXPECT_EQ(d["value"].toDouble(), 5.5);
    EXPECT_EQ(d["binary"].toString(), "0 1001 011");
    // The course's 0 10000011 101… = 26.
    const CliResult c = runCli({"bits", "--format", "fp32", "--bits",
                                "0b0_10000011_101"
                                "00000000000000000000"});
    EXPECT_EQ(c.code, 0) << c.err.toStdString();
    EXPECT_TRUE(c.out.contains("= 26\n")) << c.out.toStdString();
    const QJsonObject big =
        object(runCli({"bits", "--format", "fp8e5m2", "--value", "1e6", "--json"}));
    EXPECT_TRUE(big["overflow"].toBool());
    EXPECT_EQ(big["code"].toString(), "0x7C"); // +Inf
    const QJsonObject sat =
        object(runCli({"bits", "--format", "fp8e4m3", "--value", "1e6", "--json"}));
    EXPECT_EQ(sat["value"].toDouble(), 448);
    struct Bad {
        QStringList args;
        const char* message;
    };
    for (const Bad& b :
         {Bad{{"--format", "fp7", "--value", "1"}, "unknown format 'fp7' (expected one of: int8,"},
          Bad{{"--format", "fp16", "--value", "x"}, "--value 'x' is not a number"},
          Bad{{"--format", "fp16", "--bits", "0x10000"}, "fp16 code 65536 needs more than 16 bits"},
          Bad{{"--format", "fp4e2m1", "--value", "inf"}, "fp4e2m1 has no infinity"},
          Bad{{"--format", "fp16"}, "give exactly one of --value V or --bits CODE"},
          Bad{{"--format", "fp16", "--value", "1", "--speed", "2"}, "unknown option '--speed'"}}) {
        const CliResult r = runCli(QStringList{"bits"} + b.args);
        EXPECT_EQ(r.code, 2) << b.message;
        EXPECT_TRUE(r.err.contains(b.message)) << r.err.toStdString();
    }
}

TEST(CliRoofline, SvgDrawsTheOperatorThroughTheExportPath) {
    QTemporaryDir dir;
    const QString svg = dir.filePath("thin.svg");
    const CliResult r =
        runCli({"roofline", "--device", "V100", "--op", "gemm:8192,128,8192:fp16", "--svg", svg});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    QFile f(svg);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    EXPECT_TRUE(text.contains("<svg")) << text.left(200).toStdString();
    EXPECT_TRUE(text.contains("124.1 FLOP/B"));
    EXPECT_TRUE(text.contains("138.9 FLOP/B"));
    EXPECT_TRUE(text.contains("memory bandwidth"));
    // A100 in Chinese, a softmax.
    const QString zh = dir.filePath("sm.svg");
    ASSERT_EQ(runCli({"roofline", "--device", "A100", "--op", "softmax:4096,4096:fp16", "--svg", zh,
                      "--lang", "zh"})
                  .code,
              0);
    QFile g(zh);
    ASSERT_TRUE(g.open(QIODevice::ReadOnly));
    EXPECT_TRUE(QString::fromUtf8(g.readAll()).contains("内存带宽"));
    EXPECT_EQ(runCli({"roofline", "--device", "V100", "--svg", svg}).code, 2);
    const CliResult conv =
        runCli({"roofline", "--device", "V100", "--op", "conv:1,3,8,8,8,3", "--svg", svg});
    EXPECT_TRUE(conv.err.contains("--svg draws gemm, elementwise or softmax, not conv"));
}

TEST(CliRoofline, TheCourseV100GemmsAndAModelsNodes) {
    const QJsonObject thin = object(
        runCli({"roofline", "--device", "V100", "--op", "gemm:8192,128,8192:fp16", "--json"}));
    const QJsonObject hbm = thin["levels"].toArray()[0].toObject();
    EXPECT_EQ(hbm["roof"].toObject()["memory"].toString(), "HBM2");
    EXPECT_NEAR(hbm["intensity"].toDouble(), 124.1, 0.05);
    EXPECT_NEAR(hbm["roof"].toObject()["ridge"].toDouble(), 138.9, 0.05);
    EXPECT_EQ(hbm["bound"].toString(), "memory");
    const QJsonObject cube = object(runCli({"roofline", "--device", "V100", "--op",
                                            "gemm:8192,8192,8192", "--dtype", "fp16", "--json"}));
    EXPECT_EQ(cube["levels"].toArray()[0].toObject()["bound"].toString(), "compute");
    EXPECT_NEAR(cube["levels"].toArray()[0].toObject()["intensity"].toDouble(), 2730.7, 0.05);

    const QString model = QString(AISYS_SOURCE_DIR) + "/assets/models/tiny_cnn.onnx";
    const QJsonObject m = object(runCli({"roofline", "--device", "A100", "--model", model, "--dim",
                                         "batch=8", "--dtype", "f16", "--json"}));
    const QJsonArray nodes = m["nodes"].toArray();
    EXPECT_EQ(nodes.size(), 10);
    double seconds = 0, flops = 0;
    for (const auto& n : nodes) {
        seconds += n.toObject()["seconds"].toDouble();
        flops += n.toObject()["flops"].toDouble();
    }
    EXPECT_NEAR(m["total_seconds"].toDouble(), seconds, 1e-12);
    EXPECT_NEAR(m["total_flops"].toDouble(), flops, 1e-3);
    EXPECT_GT(flops, 0);
    EXPECT_TRUE(m["complete"].toBool());
    EXPECT_EQ(m["roof"].toObject()["peak_tflops"].toDouble(), 312);
    // After -O3 (Conv+Relu fused): the same FLOPs, fewer nodes, fewer bytes, less time.
    const QJsonObject o3 = object(runCli({"roofline", "--device", "A100", "--model", model, "--dim",
                                          "batch=8", "--dtype", "f16", "-O3", "--json"}));
    const QJsonObject pre = o3["before"].toObject();
    EXPECT_EQ(pre["node_count"].toInt(), 10);
    EXPECT_LT(o3["node_count"].toInt(), 10);
    EXPECT_DOUBLE_EQ(o3["total_flops"].toDouble(), pre["total_flops"].toDouble());
    EXPECT_LT(o3["total_bytes"].toDouble(), pre["total_bytes"].toDouble());
    EXPECT_LT(o3["total_seconds"].toDouble(), pre["total_seconds"].toDouble());
    EXPECT_NEAR(pre["total_seconds"].toDouble(), m["total_seconds"].toDouble(), 1e-15);

    struct Bad {
        QStringList args;
        const char* message;
    };
    for (const Bad& b :
         {Bad{{"--device", "V200"}, "unknown device 'V200' (expected one of:"},
          Bad{{"--op", "gemm:1,2,3"}, "--device NAME is required"},
          Bad{{"--device", "V100", "--op", "gemm:8,8"}, "--op gemm takes M,N,K"},
          Bad{{"--device", "V100", "--op", "gemm:8,-1,8"},
              "gemm: N = -1 (expected a positive integer)"},
          Bad{{"--device", "V100", "--op", "gemm:8,x,8"}, "'x' is not an integer"},
          Bad{{"--device", "V100", "--op", "gemm:8,8,8:fp8"},
              "V100 publishes no fp8 peak (it has: fp64, fp32, fp16)"},
          Bad{{"--device", "V100", "--op", "gemm:8,8,8:fp5"}, "unknown precision 'fp5'"},
          Bad{{"--device", "V100", "--op", "conv:1,16,8,8,32,3,1,1,3"}, "divisible by 3 groups"},
          Bad{{"--device", "V100", "--op", "fft:8"}, "unknown --op kind 'fft'"},
          Bad{{"--device", "V100", "--memory", "L7", "--op", "gemm:8,8,8:fp16"},
              "no memory level 'L7'"},
          Bad{{"--device", "Ascend910B", "--op", "gemm:8,8,8:fp16"},
              "Ascend910B publishes no memory bandwidth"},
          Bad{{"--device", "A100", "--model", "/nonexistent.onnx"}, "/nonexistent.onnx"}}) {
        const CliResult r = runCli(QStringList{"roofline"} + b.args);
        EXPECT_EQ(r.code, 2) << b.message;
        EXPECT_TRUE(r.err.contains(b.message)) << r.err.toStdString();
    }
}
