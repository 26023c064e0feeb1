// `aisyslab labs`: every registered Lab listed; one Lab's parameters and phases; a wrong id
// answered with the list.
#include "tests/support/cli_runner.h"

#include <gtest/gtest.h>

using aisys::test_support::runCli;

TEST(CliLabs, ListsEveryLabAndOneLabsParameters) {
    const auto all = runCli({"labs"});
    EXPECT_EQ(all.code, 0) << all.err.toStdString();
    for (const char* id : {"graph-forward", "ring-allreduce", "systolic", "tpu-pod", "quantization",
                           "graph-optimizer", "memory-planning", "eager-graph"})
        EXPECT_TRUE(all.out.contains(id)) << id;
    const auto ring = runCli({"labs", "ring-allreduce"});
    EXPECT_EQ(ring.code, 0);
    EXPECT_TRUE(ring.out.contains("ranks")) << ring.out.toStdString();
    EXPECT_TRUE(ring.out.contains("2..16")) << ring.out.toStdString();
    EXPECT_TRUE(ring.out.contains("integers | random")) << ring.out.toStdString();
    EXPECT_TRUE(ring.out.contains("phases: init, reduce-scatter, all-gather, done"));
    const auto json = runCli({"labs", "systolic", "--json"});
    EXPECT_TRUE(json.out.startsWith("{\"id\": \"systolic\"")) << json.out.toStdString();
    const auto bad = runCli({"labs", "ring-all-reduce"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(bad.err.contains("no Lab 'ring-all-reduce' (expected one of:"))
        << bad.err.toStdString();
    const auto help = runCli({"labs", "--help"});
    EXPECT_TRUE(help.out.contains("aisyslab labs [ID] [--json]"));
}
