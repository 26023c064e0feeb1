// Pipeline schedules against their closed forms (bubble fraction, activations in flight) and
// ZeRO's memory per device against the paper's 7.5 B-parameter, 64-GPU example.
#include "engine/dist/pipeline_schedule.h"
#include "engine/dist/zero_memory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace aisys::engine::dist;

TEST(Pipeline, BalancedBubbleIsPMinusOneOverMPlusPMinusOne) {
    for (PipelineKind k : {PipelineKind::GPipe, PipelineKind::OneFOneB})
        for (int p : {1, 2, 3, 4, 7, 8})
            for (int m : {1, 2, 5, 8, 16, 33}) {
                PipelineSetup s;
                s.kind = k;
                s.stages = p;
                s.microBatches = m;
                s.forward = {1.0};
                s.backward = {2.0};
                const PipelineResult r = simulatePipeline(s);
                SCOPED_TRACE(std::string(pipelineKindName(k)) + " p=" + std::to_string(p) +
                             " m=" + std::to_string(m));
                EXPECT_NEAR(r.makespan, (m + p - 1) * 3.0, 1e-9);
                EXPECT_NEAR(r.bubbleFraction, balancedBubbleFraction(p, m), 1e-12);
                ASSERT_EQ(r.slots.size(), std::size_t(2 * p * m));
                for (int st = 0; st < p; ++st) {
                    const int expected = k == PipelineKind::GPipe ? m : std::min(m, p - st);
                    EXPECT_EQ(r.peakInFlight[std::size_t(st)], expected) << "stage " << st;
                }
            }
}

TEST(Pipeline, DependenciesHoldAndStagesNeverOverlap) {
    PipelineSetup s;
    s.kind = PipelineKind::OneFOneB;
    s.stages = 4;
    s.microBatches = 6;
    s.forward = {1.0, 3.0, 1.5, 0.5}; // unbalanced: stage 1 is the bottleneck
    s.backward = {2.0, 6.0, 3.0, 1.0};
    s.sendTime = 0.25;
    const PipelineResult r = simulatePipeline(s);
    std::map<std::tuple<int, int, bool>, PipelineSlot> at;
    for (const auto& sl : r.slots)
        at[{sl.stage, sl.micro, sl.backward}] = sl;
    for (int i = 0; i < 6; ++i)
        for (int st = 0; st < 4; ++st) {
            const auto& f = at.at({st, i, false});
            const auto& b = at.at({st, i, true});
            if (st > 0) {
                EXPECT_GE(f.start, at.at({st - 1, i, false}).end + 0.25 - 1e-12);
            }
            if (st < 3) {
                EXPECT_GE(b.start, at.at({st + 1, i, true}).end + 0.25 - 1e-12);
            }
            EXPECT_GE(b.start, f.end - 1e-12);
        }
    for (std::size_t a = 1; a < r.slots.size(); ++a)
        if (r.slots[a].stage == r.slots[a - 1].stage) {
            EXPECT_GE(r.slots[a].start, r.slots[a - 1].end - 1e-12);
        }
    // The bottleneck stage bounds the makespan from below: it does 6 · 9 of work.
    EXPECT_GE(r.makespan, 54.0);
    EXPECT_GT(r.bubbleFraction, 0.0);
}

TEST(Pipeline, BadSetupsSayWhatIsExpected) {
    PipelineSetup s;
    s.stages = 0;
    EXPECT_THROW(simulatePipeline(s), std::invalid_argument);
    s.stages = 4;
    s.microBatches = 0;
    EXPECT_THROW(simulatePipeline(s), std::invalid_argument);
    s.microBatches = 4;
    s.forward = {1, 2};
    try {
        simulatePipeline(s);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("expected 1 or 4 values"), std::string::npos);
    }
    EXPECT_THROW(parsePipelineKind("pipedream"), std::invalid_argument);
}

TEST(Zero, ThePapersExample7Point5BParameters64Gpus) {
    // ZeRO §1 / Figure 1: Ψ = 7.5 B, N_d = 64, K = 12 → 120, 31.4, 16.6 and 1.9 GB.
    const double psi = 7.5e9;
    auto gb = [](const ZeroMemory& z) { return z.total / 1e9; };
    EXPECT_NEAR(gb(zeroMemory(psi, 64, ZeroStage::None)), 120.0, 0.05);
    EXPECT_NEAR(gb(zeroMemory(psi, 64, ZeroStage::OptimizerStates)), 31.4, 0.05);
    EXPECT_NEAR(gb(zeroMemory(psi, 64, ZeroStage::Gradients)), 16.6, 0.05);
    EXPECT_NEAR(gb(zeroMemory(psi, 64, ZeroStage::Parameters)), 1.9, 0.05);
    // Communication: stages 1 and 2 move what plain data parallelism moves, stage 3 1.5×.
    const double base = zeroMemory(psi, 64, ZeroStage::None).communicationBytes;
    EXPECT_DOUBLE_EQ(base, 2 * 2 * psi);
    EXPECT_DOUBLE_EQ(zeroMemory(psi, 64, ZeroStage::Gradients).communicationBytes, base);
    EXPECT_DOUBLE_EQ(zeroMemory(psi, 64, ZeroStage::Parameters).communicationBytes, 1.5 * base);
    EXPECT_THROW(zeroMemory(0, 64, ZeroStage::None), std::invalid_argument);
    EXPECT_THROW(zeroMemory(psi, 0, ZeroStage::None), std::invalid_argument);
}
