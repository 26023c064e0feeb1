// CLI `plan`: presets, TOML files with file:line errors, one fixed plan, JSON and SVG, bad input.
#include "tests/support/cli_runner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

namespace {

std::string write(const std::string& name, const std::string& text) {
    const std::string path = testing::TempDir() + name;
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST(CliPlan, RanksThePlansOfGpt3OnADgxA100Cluster) {
    CliResult r = runCli({"plan", "--model", "gpt3-175b", "--cluster", "dgx-a100", "--top", "3"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("174.6 B parameters")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("1    DP 16 x TP 8 x PP 8, b 1")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("TP 64 does not divide the 96 attention heads"))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("PP 64 does not divide the 96 layers")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("has 80.0 GB")) << r.out.toStdString();
    const std::string svg = testing::TempDir() + "plan.svg";
    r = runCli({"plan", "--model", "gpt3-175b", "--cluster", "dgx-a100", "--plan", "16,8,8",
                "--json", "--svg", QString::fromStdString(svg)});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("\"dp\": 16, \"tp\": 8, \"pp\": 8")) << r.out.toStdString();
    EXPECT_FALSE(r.out.contains("\"tp\": 4")) << r.out.toStdString(); // only the fixed shape
    std::ifstream in(svg);
    const std::string pic((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(pic.find("3D plans: gpt3-175b on dgx-a100 (1024 GPUs)"), std::string::npos);
    EXPECT_NE(pic.find("DP 16 x TP 8 x PP 8"), std::string::npos);
}

TEST(CliPlan, TomlFilesAndBadInput) {
    const std::string model =
        write("m.toml", "name = \"tiny\"\nlayers = 4\nhidden = 256\nheads = 8\n"
                        "seq = 128\nvocab = 1000\nbatch = 64\n");
    const std::string cluster =
        write("c.toml", "nodes = 2\ngpus_per_node = 4\nmemory = \"24GB\"\npeak = \"100TFLOP/s\"\n"
                        "efficiency = 0.4\nintra_bw = \"50GB/s\"\ninter_bw = \"100Gb/s\"\n"
                        "intra_alpha = \"2us\"\ninter_alpha = \"8us\"\n");
    CliResult r = runCli({"plan", "--model", QString::fromStdString(model), "--cluster",
                          QString::fromStdString(cluster)});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("cluster c.toml") || r.out.contains("2 nodes x 4 GPUs"))
        << r.out.toStdString();
    // DP × TP × PP ≠ world.
    r = runCli({"plan", "--model", QString::fromStdString(model), "--cluster",
                QString::fromStdString(cluster), "--plan", "2,2,1"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(
        r.err.contains("DP x TP x PP = 2 x 2 x 1 = 4 is not the world size 8 (2 nodes x 4 GPUs)"))
        << r.err.toStdString();
    // TP not dividing the heads, as the only plan: nothing fits, the reason printed.
    const std::string six = write("six.toml", "layers = 4\nhidden = 240\nheads = 6\nseq = 128\n"
                                              "vocab = 1000\nbatch = 64\n");
    r = runCli({"plan", "--model", QString::fromStdString(six), "--cluster",
                QString::fromStdString(cluster), "--plan", "1,8,1"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.out.contains("no plan fits")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("TP 8 does not divide the 6 attention heads"))
        << r.out.toStdString();
    const std::string bad = write("bad.toml", "layers = 4\nhidden = 256\nheads = 8\nsseq = 128\n");
    r = runCli({"plan", "--model", QString::fromStdString(bad), "--cluster", "dgx-a100"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("bad.toml:4: unknown key 'sseq'")) << r.err.toStdString();
    r = runCli({"plan", "--model", "gpt4", "--cluster", "dgx-a100"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("not a preset (gpt3-175b")) << r.err.toStdString();
    r = runCli({"plan", "--model", "gpt3-175b"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("are required")) << r.err.toStdString();
    r = runCli({"plan", "--model", "gpt3-175b", "--cluster", "dgx-a100", "--plan", "16,8"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected DP,TP,PP")) << r.err.toStdString();
    r = runCli({"plan", "--model", "/nonexistent/m.toml", "--cluster", "dgx-a100"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("cannot read the file")) << r.err.toStdString();
}
