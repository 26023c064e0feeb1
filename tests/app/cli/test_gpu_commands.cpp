// `aisyslab gpu`, `tensorcore` and `link`: the numbers the issue names, JSON, and a precise
// message for every bad input.
#include "tests/support/cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
void refused(const QStringList& args, const char* message) {
    const CliResult r = runCli(args);
    EXPECT_EQ(r.code, 2) << args.join(' ').toStdString();
    EXPECT_TRUE(r.err.contains(message)) << r.err.toStdString();
}
} // namespace

TEST(CliGpu, Occupancy) {
    const QJsonObject o = object(runCli({"gpu", "occupancy", "--arch", "sm80", "--threads", "256",
                                         "--regs", "64", "--smem", "48K", "--json"}));
    EXPECT_EQ(o["blocks_per_sm"].toInt(), 3);
    EXPECT_EQ(o["limiting"].toString(), "shared memory");
    EXPECT_EQ(o["active_warps"].toInt(), 24);
    EXPECT_DOUBLE_EQ(o["occupancy"].toDouble(), 0.375);
    const CliResult text =
        runCli({"gpu", "occupancy", "--arch", "volta", "--threads", "128", "--regs", "37"});
    EXPECT_TRUE(text.out.contains("blocks per SM 12, limited by registers"))
        << text.out.toStdString();
    refused({"gpu", "occupancy", "--arch", "sm99", "--threads", "256"},
            "unknown architecture 'sm99' (expected one of: sm70");
    refused({"gpu", "occupancy", "--arch", "sm80", "--threads", "2048"},
            "threads per block 2048 is impossible on sm80 (compute capability 8.0): expected "
            "1..1024");
    refused({"gpu", "occupancy", "--arch", "sm90", "--threads", "1024", "--regs", "65"},
            "exceed the 65536 a block may use");
    refused({"gpu", "occupancy", "--arch", "sm80", "--threads", "256", "--smem", "lots"},
            "--smem:");
    refused({"gpu", "occupancy", "--arch", "sm80", "--threads", "256", "--smem", "200K"},
            "163 KB with opt-in");
    refused({"gpu", "warp"}, "unknown action 'warp'");
}

TEST(CliGpu, CoalesceLatencySimt) {
    const QJsonObject c =
        object(runCli({"gpu", "coalesce", "--stride", "1", "--offset", "1", "--json"}));
    EXPECT_EQ(c["sectors"].toInt(), 5);
    EXPECT_EQ(c["lines"].toInt(), 2);
    EXPECT_DOUBLE_EQ(c["efficiency"].toDouble(), 0.8);
    const QJsonObject l = object(runCli(
        {"gpu", "latency", "--device", "A100", "--level", "HBM2", "--warps", "108", "--json"}));
    const QJsonObject hbm = l["levels"].toArray()[0].toObject();
    EXPECT_DOUBLE_EQ(hbm["bytes_in_flight"].toDouble(), 628220);
    EXPECT_DOUBLE_EQ(hbm["threads_needed"].toDouble(), 39264);
    EXPECT_DOUBLE_EQ(hbm["threads_available"].toDouble(), 221184);
    EXPECT_NEAR(hbm["achieved_gbs"].toDouble(), 108 * 32 * 16 / 404.0, 1e-9);
    refused({"gpu", "latency", "--device", "Z80"}, "unknown device 'Z80'");
    refused({"gpu", "latency", "--device", "A100", "--level", "L9"}, "no memory level 'L9'");
    const CliResult s = runCli({"gpu", "simt", "--kernel", "ifelse"});
    EXPECT_EQ(s.code, 0);
    EXPECT_TRUE(s.out.contains("warp cycles 11 (the longest lane alone: 7), 1 divergent"))
        << s.out.toStdString();
    EXPECT_TRUE(s.out.contains("0x0000FFFF ################................  4"));
    refused({"gpu", "simt", "--kernel", "if lane < 3; x += 1"}, "not closed by 'end'");
    const CliResult w = runCli({"gpu", "warps", "--warps", "3", "--latency", "4"});
    EXPECT_TRUE(w.out.contains("steady issue rate 0.600 = min(1, 3 / 5)")) << w.out.toStdString();
}

TEST(CliTensorcore, GenerationsAndGemm) {
    const QJsonObject g = object(runCli({"tensorcore", "--json"}));
    const QJsonArray gens = g["generations"].toArray();
    ASSERT_EQ(gens.size(), 4);
    EXPECT_NEAR(gens[0].toObject()["peak_tflops"].toDouble(), 125.3, 0.05); // V100
    EXPECT_NEAR(gens[2].toObject()["peak_tflops"].toDouble(), 311.9, 0.05); // A100
    EXPECT_TRUE(gens[1].toObject()["peak_tflops"].isNull());                // no T4 file
    const QJsonObject p =
        object(runCli({"tensorcore", "--gen", "volta", "--gemm", "100,100,100", "--json"}));
    EXPECT_EQ(p["mma_sync"].toInt(), 512);
    EXPECT_EQ(p["mma_minimal"].toInt(), 343);
    EXPECT_EQ(p["clocks_per_mma"].toInt(), 64);
    refused({"tensorcore", "--gen", "kepler", "--gemm", "16,16,16"},
            "unknown generation 'kepler' (expected one of: volta, turing, ampere, hopper)");
    refused({"tensorcore", "--gemm", "0,16,16"}, "impossible");
    refused({"tensorcore", "--gemm", "16,16"}, "expected 3 comma-separated integers");
    refused({"tensorcore", "--gemm", "64,64,64", "--block", "128,128,24"}, "block K tile 24");
}

TEST(CliLink, TopologiesAndFlits) {
    const QJsonObject m = object(runCli(
        {"link", "--topology", "dgx1", "--from", "0", "--to", "5", "--bytes", "64M", "--json"}));
    EXPECT_EQ(m["hops"].toInt(), 2);
    EXPECT_EQ(m["gpu_hops"].toInt(), 1);
    EXPECT_DOUBLE_EQ(m["bottleneck_Bps"].toDouble(), 20e9);
    EXPECT_DOUBLE_EQ(m["max_flow_Bps"].toDouble(), 80e9);
    EXPECT_NEAR(m["time_s"].toDouble(), 1.4e-6 + 64.0 * 1048576 / 20e9, 1e-12);
    const QJsonObject h =
        object(runCli({"link", "--topology", "dgx-h100", "--from", "0", "--to", "5", "--json"}));
    EXPECT_DOUBLE_EQ(h["max_flow_Bps"].toDouble(), 450e9);
    const CliResult f = runCli({"link", "--flits", "256"});
    EXPECT_TRUE(f.out.contains("94.12 %")) << f.out.toStdString();
    EXPECT_TRUE(runCli({"link", "--flits", "64"}).out.contains("80.00 %"));
    EXPECT_TRUE(runCli({"link", "--list"}).out.contains("18 × 25 = 450 GB/s (900 GB/s)"));
    refused({"link", "--topology", "dgx-a100", "--from", "0", "--to", "8"},
            "--to '8': expected a GPU 0..7 of dgx-a100");
    refused({"link", "--topology", "torus9", "--from", "0", "--to", "1"},
            "unknown topology 'torus9'");
    refused({"link", "--flits", "300"}, "1..256 B");
}
