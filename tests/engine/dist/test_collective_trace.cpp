// The trace of a real collective run: text round trip, errors naming file:line, and the
// replay on the simulator equal to the α-β closed form.
#include "engine/dist/collective_trace.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::engine::dist;

namespace {

CollectiveTrace sample(int ranks, int rounds, int iterations) {
    CollectiveTrace t;
    t.op = Op::AllReduce;
    t.algo = Algo::Ring;
    t.ranks = ranks;
    t.bytes = 4096;
    t.iterations = iterations;
    t.rounds = rounds;
    t.alpha = 2.5e-6;
    t.bandwidth = 1.25e10;
    for (int r = 0; r < ranks; ++r)
        t.hosts.push_back("node" + std::to_string(r / 2));
    for (int it = 0; it < iterations; ++it)
        for (int r = 0; r < ranks; ++r)
            for (int k = 0; k < rounds; ++k) {
                TraceStep s{r, it, k, 1e-6 * (k + it), 1e-6 * (k + 1 + it) + 1e-7 * r, {}};
                s.messages.push_back({true, (r + 1) % ranks, 1024, s.start, s.end});
                s.messages.push_back({false, (r + ranks - 1) % ranks, 1024, s.start, s.end});
                t.steps.push_back(s);
            }
    return t;
}

std::string parseError(const std::string& text) {
    std::string error;
    EXPECT_FALSE(parseTrace(text, "t.trace", error).has_value()) << text;
    return error;
}

const char* kHeader = "aisyslab-mpi-trace 1\nop all-reduce\nalgo ring\nranks 2\nbytes 64\n"
                      "iterations 1\nrounds 2\n";

} // namespace

TEST(CollectiveTrace, RoundTrip) {
    const CollectiveTrace t = sample(4, 6, 3);
    std::string error;
    auto back = parseTrace(writeTrace(t), "x", error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->ranks, 4);
    EXPECT_EQ(back->rounds, 6);
    EXPECT_EQ(back->iterations, 3);
    EXPECT_EQ(back->hosts, t.hosts);
    EXPECT_DOUBLE_EQ(back->alpha, 2.5e-6);
    ASSERT_EQ(back->steps.size(), t.steps.size());
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        EXPECT_EQ(back->steps[i].rank, t.steps[i].rank);
        EXPECT_NEAR(back->steps[i].end, t.steps[i].end, 1e-15);
        ASSERT_EQ(back->steps[i].messages.size(), 2u);
        EXPECT_EQ(back->steps[i].messages[1].peer, t.steps[i].messages[1].peer);
        EXPECT_FALSE(back->steps[i].messages[1].send);
    }
    // Iteration i ends at 1 µs·(rounds + i) + 0.1 µs·(ranks − 1); the median of 3 is 1.
    EXPECT_NEAR(back->iterationTime(2), 8e-6 + 3e-7, 1e-15);
    EXPECT_EQ(back->medianIteration(), 1);
}

TEST(CollectiveTrace, ErrorsNameFileAndLine) {
    EXPECT_EQ(parseError(""), "t.trace:1: empty: expected 'aisyslab-mpi-trace 1'");
    EXPECT_EQ(
        parseError("hello\n"),
        "t.trace:1: not a collective trace: expected 'aisyslab-mpi-trace 1' on the first line");
    EXPECT_EQ(parseError("aisyslab-mpi-trace 2\n"), "t.trace:1: trace version 2, expected 1");
    EXPECT_EQ(parseError(std::string(kHeader) + "algo spiral\n"),
              "t.trace:8: unknown algorithm 'spiral', expected one of " + algoNames());
    EXPECT_EQ(parseError(std::string(kHeader) + "step 2 0 0 0 1\n"),
              "t.trace:8: rank 2 is not in 0..1");
    EXPECT_EQ(parseError(std::string(kHeader) + "step 0 0 0 2 1\n"),
              "t.trace:8: 'step' needs START END (seconds, END ≥ START)");
    EXPECT_EQ(parseError(std::string(kHeader) + "msg 0 0 0 send 1 8 0 1\n"),
              "t.trace:8: 'msg' before its 'step' line");
    EXPECT_EQ(parseError(std::string(kHeader) + "step 0 0 0 0 1\nstep 0 0 0 0 1\n"),
              "t.trace:9: step 0 of rank 0 in iteration 0 appears twice");
    EXPECT_EQ(parseError(std::string(kHeader) + "step 0 0 0 0 1\n"),
              "t.trace:9: has 1 step lines, expected 4 (iterations × ranks × rounds)");
    EXPECT_EQ(parseError("aisyslab-mpi-trace 1\nranks 2\nstep 0 0 0 0 1\n"),
              "t.trace:3: missing 'rounds N' (N ≥ 1) before the first step");
    EXPECT_EQ(parseError(std::string(kHeader) + "colour blue\n"),
              "t.trace:8: unknown keyword 'colour', expected op, algo, ranks, bytes, dtype, "
              "segments, ranks-per-node, iterations, rounds, calibration, host, step or msg");
}

TEST(CollectiveTrace, ReplayEqualsTheRingClosedForm) {
    // Ring all-reduce on a fully connected topology, p dividing the count: every round sends
    // one block of n/p elements to the next rank, so the time is 2(p−1)(α + (n/p)·4 B/β).
    for (int p : {2, 3, 4, 5, 8}) {
        CollectiveTrace t = sample(p, 2 * (p - 1), 1);
        t.bytes = 4 * 1200 * p;
        std::string error;
        auto sim = simulateTrace(t, 3e-6, 1e10, error);
        ASSERT_TRUE(sim) << error;
        const double want = 2 * (p - 1) * (3e-6 + 1200 * 4 / 1e10);
        EXPECT_NEAR(sim->time, want, want * 1e-12) << p;
        EXPECT_NEAR(sim->end[0].back(), want, want * 1e-12);
        EXPECT_EQ(sim->payload, 1200 * p);
        // Round k of every rank ends at (k+1)(α + block/β).
        EXPECT_NEAR(sim->end[p - 1][0], want / (2 * (p - 1)), want * 1e-12);
    }
}

TEST(CollectiveTrace, LargeReplayCarriesADivisorAndKeepsTheBytes) {
    // 1 GiB on 8 ranks: 2^28 floats × 8 exceeds the 2^24 budget; the time stays the full size's.
    CollectiveTrace t = sample(8, 14, 1);
    t.bytes = std::int64_t(1) << 30;
    std::string error;
    auto sim = simulateTrace(t, 0, 1e11, error);
    ASSERT_TRUE(sim) << error;
    EXPECT_LE(sim->payload * 8, std::int64_t(1) << 24);
    EXPECT_NEAR(sim->time, 2.0 * 7 / 8 * double(t.bytes) / 1e11, 1e-9);
}

TEST(CollectiveTrace, ReplayRefusesAMismatchedRoundCount) {
    CollectiveTrace t = sample(4, 5, 1); // ring on 4 ranks has 6 rounds
    std::string error;
    EXPECT_FALSE(simulateTrace(t, 1e-6, 1e10, error));
    EXPECT_EQ(error, "the schedule of ring on 4 ranks has 6 rounds, the trace 5");
}
