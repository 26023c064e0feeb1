// CLI `dp`: buckets, exposed communication, bad input.
#include "tests/support/cli_runner.h"

#include <gtest/gtest.h>

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

TEST(CliDp, PrintsBucketsAndExposedCommunication) {
    // 8 layers × 4 MiB, one bucket per layer, 8-ring at 5 us / 100 GB/s: each all-reduce
    // 14α + 2(7/8)·4 MiB/β = 70 + 73.4 = 143 us hides behind the next 1 ms layer but the last.
    CliResult r = runCli({"dp", "--bucket", "4M"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("exposed comm      143 us")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("step              8.14 ms overlapped, 9.15 ms without overlap"))
        << r.out.toStdString();
    EXPECT_EQ(r.out.count(" ok\n"), 8) << r.out.toStdString();
    r = runCli({"dp", "--grad-bytes", "2M,6M,1M,3M", "--bucket", "5M", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("\"layers\": 4")) << r.out.toStdString();
    EXPECT_EQ(r.out.count("\"first_layer\""), 2) << r.out.toStdString(); // {3, 2, 1} 10 MiB, {0}
}

TEST(CliDp, BadInputSaysWhatIsExpected) {
    CliResult r = runCli({"dp", "--layers", "0"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("expected a whole number from 1 to 4096")) << r.err.toStdString();
    r = runCli({"dp", "--layers", "3", "--backward", "1ms,2ms"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("backward: expected 1 or 3 values (one per layer), got 2"))
        << r.err.toStdString();
    r = runCli({"dp", "--grad-bytes", "6"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("multiple of 4")) << r.err.toStdString();
    r = runCli({"dp", "--backward", "fast"});
    EXPECT_EQ(r.code, 2);
    r = runCli({"dp", "--topology", "moebius"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("topology")) << r.err.toStdString();
}
