// CLI `pipeline`: the summary against the closed form, the JSON slots, bad input.
#include "tests/support/cli_runner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

TEST(CliPipeline, PrintsMakespanBubbleAndPeakActivations) {
    CliResult r = runCli({"pipeline", "--schedule", "1f1b", "--stages", "4", "--micro", "8"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    // (m + p − 1)(tf + tb) = 11 · 3 = 33; bubble 3/11 = 0.2727; 1F1B keeps 4, 3, 2, 1.
    EXPECT_TRUE(r.out.contains("makespan          33")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("bubble fraction   0.2727")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("stage 0: 4, stage 1: 3, stage 2: 2, stage 3: 1"))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("stage 3   |")) << r.out.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--stages", "4", "--micro", "8", "--json"});
    ASSERT_EQ(r.code, 0);
    EXPECT_TRUE(r.out.contains("\"peak_in_flight\": [8, 8, 8, 8]")) << r.out.toStdString();
    EXPECT_EQ(r.out.count("\"pass\": \"backward\""), 32);
}

TEST(CliPipeline, InterleavedAndZeroBubbleAgainstTheirClosedForms) {
    // Interleaved, p 4, m 8, v 2: 3m + 3(p−1)/v = 28.5; bubble / ideal 3/16 = 0.1875.
    CliResult r = runCli({"pipeline", "--schedule", "interleaved", "--stages", "4", "--micro", "8",
                          "--chunks", "2"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("makespan          28.5")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("bubble / ideal    0.1875")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("closed form       0.1875  ((p-1)/(v*m)")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("stage 0: 11 (5.5 stages)")) << r.out.toStdString();
    // ZB-H1, T_F = T_B = T_W = 1: 24 + (p − 1) = 27; every stage holds p = 4.
    r = runCli({"pipeline", "--schedule", "zb", "--stages", "4", "--micro", "8"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("makespan          27")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("closed form       0.1250")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("stage 0: 4, stage 1: 4, stage 2: 4, stage 3: 4"))
        << r.out.toStdString();
    r = runCli({"pipeline", "--schedule", "zb", "--stages", "2", "--micro", "2", "--json"});
    ASSERT_EQ(r.code, 0);
    EXPECT_EQ(r.out.count("\"pass\": \"weight_grad\""), 4) << r.out.toStdString();
    r = runCli({"pipeline", "--schedule", "1f1b", "--stages", "3", "--tf", "1,2,1"});
    ASSERT_EQ(r.code, 0);
    EXPECT_TRUE(r.out.contains("closed form       none")) << r.out.toStdString();
}

TEST(CliPipeline, SvgDrawsEverySlotAndTheGauges) {
    const std::string path = testing::TempDir() + "pipeline_zb.svg";
    CliResult r = runCli({"pipeline", "--schedule", "zb", "--stages", "4", "--micro", "8", "--svg",
                          QString::fromStdString(path)});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    std::FILE* f = std::fopen(path.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    std::string svg;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
        svg.append(buf, n);
    std::fclose(f);
    auto count = [&](const std::string& needle) {
        std::size_t c = 0;
        for (std::size_t at = svg.find(needle); at != std::string::npos;
             at = svg.find(needle, at + 1))
            ++c;
        return c;
    };
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_EQ(count("fill=\"#f58518\" fill-opacity"), 32u); // 4 stages × 8 W passes
    EXPECT_EQ(count("fill=\"#72b7b2\" fill-opacity"), 32u); // B passes
    EXPECT_EQ(count("fill=\"#b279a2\""), 4u);               // one gauge per stage
    EXPECT_NE(svg.find("makespan 27"), std::string::npos);
}

TEST(CliPipeline, BadInputSaysWhatIsExpected) {
    CliResult r = runCli({"pipeline", "--stages", "4"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--schedule gpipe|1f1b|interleaved|zb is required"))
        << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "zb-v", "--stages", "4"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected gpipe, 1f1b, interleaved or zb")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "interleaved", "--stages", "4", "--micro", "6",
                "--chunks", "2"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("needs a multiple of the stages (4), got 6")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "1f1b", "--chunks", "2"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("need the interleaved schedule")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "zb", "--tw", "5"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("longer than its whole backward")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--svg", "/nonexistent-dir/x.svg"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("cannot write the file")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--stages", "0"});
    EXPECT_EQ(r.code, 2);
    r = runCli({"pipeline", "--schedule", "gpipe", "--stages", "3", "--tf", "1,2"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected 1 or 3 values")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--stages", "4096", "--micro", "4096"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("too large to simulate")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--tb", "-1"});
    EXPECT_EQ(r.code, 2);
}
