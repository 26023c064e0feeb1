// CLI `tp`: the sharded layer equals the unsharded one, the collectives are listed, bad input.
#include "tests/support/cli_runner.h"

#include <gtest/gtest.h>

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

TEST(CliTp, ShardedEqualsUnshardedAndListsTheCollectives) {
    CliResult r = runCli({"tp", "--ranks", "4", "--topology", "ring"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("heads 4 (1 per rank)")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("sharded = unsharded (forward and backward")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("g: attention output")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("f: attention input gradient")) << r.out.toStdString();
    EXPECT_EQ(r.out.count(" ok\n"), 8) << r.out.toStdString();
    r = runCli({"tp", "--ranks", "2", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("\"equal\": true")) << r.out.toStdString();
    EXPECT_EQ(r.out.count("\"phase\": \"backward\""), 3) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("\"name\": \"dE\"")) << r.out.toStdString();
}

TEST(CliTp, BadInputSaysWhatIsExpected) {
    CliResult r = runCli({"tp", "--ranks", "3"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("tensor parallel 3 does not divide heads 4")) << r.err.toStdString();
    r = runCli({"tp", "--ranks", "2", "--heads", "3"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("hidden 8 is not divisible by heads 3")) << r.err.toStdString();
    r = runCli({"tp", "--ranks", "0"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected a whole number from 1 to 64")) << r.err.toStdString();
    r = runCli({"tp"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--ranks T is required")) << r.err.toStdString();
    r = runCli({"tp", "--ranks", "2", "--topology", "moebius"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("topology")) << r.err.toStdString();
    r = runCli({"tp", "--ranks", "2", "--batch", "64", "--seq", "1024", "--hidden", "8"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("attention scores")) << r.err.toStdString();
    r = runCli({"tp", "--ranks", "2", "--bw", "-3GB/s"});
    EXPECT_EQ(r.code, 2);
}
