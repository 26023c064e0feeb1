// CLI `pipeline`: the summary against the closed form, the JSON slots, bad input.
#include "tests/support/cli_runner.h"

#include <gtest/gtest.h>

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

TEST(CliPipeline, BadInputSaysWhatIsExpected) {
    CliResult r = runCli({"pipeline", "--stages", "4"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--schedule gpipe|1f1b is required")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "zb", "--stages", "4"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected gpipe or 1f1b")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--stages", "0"});
    EXPECT_EQ(r.code, 2);
    r = runCli({"pipeline", "--schedule", "gpipe", "--stages", "3", "--tf", "1,2"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected 1 or 3 values")) << r.err.toStdString();
    r = runCli({"pipeline", "--schedule", "gpipe", "--tb", "-1"});
    EXPECT_EQ(r.code, 2);
}
