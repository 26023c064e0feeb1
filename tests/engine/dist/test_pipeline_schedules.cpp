// Interleaved 1F1B and ZB-H1 against their published bubble formulas (Narayanan et al. 2021
// §2.2.2: (p − 1)/(v·m) of the ideal time; Qi et al. 2024 §2.1: (p − 1)(T_F + T_B − T_W) per
// device), their peak activations measured on the timeline, and every schedule's dependencies on
// unbalanced stages.
#include "engine/dist/pipeline_schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

using namespace aisys::engine::dist;

namespace {

/// Every slot's inputs were done before it started, and no device runs two slots at once.
void expectDependencies(const PipelineSetup& s, const PipelineResult& r) {
    const int p = s.stages, v = s.chunks;
    const double send = p > 1 ? s.sendTime : 0.0;
    // (virtual stage, micro, pass) → slot
    std::map<std::tuple<int, int, PipelinePass>, PipelineSlot> at;
    for (const auto& sl : r.slots)
        at[{sl.chunk * p + sl.stage, sl.micro, sl.pass}] = sl;
    const PipelinePass back =
        s.kind == PipelineKind::ZeroBubbleH1 ? PipelinePass::InputGrad : PipelinePass::Backward;
    ASSERT_EQ(r.slots.size(),
              std::size_t(p * v * s.microBatches * (s.kind == PipelineKind::ZeroBubbleH1 ? 3 : 2)));
    for (int i = 0; i < s.microBatches; ++i)
        for (int k = 0; k < p * v; ++k) {
            const auto& f = at.at({k, i, PipelinePass::Forward});
            const auto& b = at.at({k, i, back});
            if (k > 0) {
                EXPECT_GE(f.start, at.at({k - 1, i, PipelinePass::Forward}).end + send - 1e-9);
            }
            if (k + 1 < p * v) {
                EXPECT_GE(b.start, at.at({k + 1, i, back}).end + send - 1e-9);
            }
            EXPECT_GE(b.start, f.end - 1e-9);
            if (s.kind == PipelineKind::ZeroBubbleH1) {
                EXPECT_GE(at.at({k, i, PipelinePass::WeightGrad}).start, b.end - 1e-9);
            }
        }
    for (std::size_t a = 1; a < r.slots.size(); ++a)
        if (r.slots[a].stage == r.slots[a - 1].stage) {
            EXPECT_GE(r.slots[a].start, r.slots[a - 1].end - 1e-9);
        }
}

} // namespace

TEST(PipelineInterleaved, BubbleIsPMinusOneOverVmOfTheIdealTime) {
    // Balanced stages, no send time, m a multiple of p (the schedule's condition).
    for (int p : {2, 3, 4, 8})
        for (int v : {1, 2, 3, 4})
            for (int mult : {1, 2, 4}) {
                const int m = mult * p;
                PipelineSetup s;
                s.kind = PipelineKind::Interleaved;
                s.stages = p;
                s.microBatches = m;
                s.chunks = v;
                const PipelineResult r = simulatePipeline(s);
                SCOPED_TRACE("p=" + std::to_string(p) + " v=" + std::to_string(v) +
                             " m=" + std::to_string(m));
                // Ideal time m(t_f + t_b) = 3m; the bubble (p − 1)(t_f + t_b)/v.
                EXPECT_NEAR(r.bubbleOverIdeal, interleavedBubbleOverIdeal(p, m, v), 1e-12);
                EXPECT_NEAR(r.makespan, 3.0 * m + 3.0 * (p - 1) / v, 1e-9);
                for (int st = 0; st < p; ++st) {
                    // Warm-up forwards, then one more before the first backward.
                    const int warm = interleavedWarmup(p, m, v, st);
                    EXPECT_EQ(r.peakInFlight[std::size_t(st)], std::min(v * m, warm + 1))
                        << "stage " << st;
                    EXPECT_NEAR(r.peakActivations[std::size_t(st)],
                                double(r.peakInFlight[std::size_t(st)]) / v, 1e-12);
                }
                expectDependencies(s, r);
            }
}

TEST(PipelineInterleaved, BeatsOneFOneBAndHoldsMoreActivations) {
    // Narayanan et al. 2021 §2.2.2: the bubble shrinks by v at the cost of more in-flight
    // activations on the first device (here p = 4, m = 8, v = 2).
    PipelineSetup s;
    s.stages = 4;
    s.microBatches = 8;
    s.kind = PipelineKind::OneFOneB;
    const PipelineResult one = simulatePipeline(s);
    s.kind = PipelineKind::Interleaved;
    s.chunks = 2;
    const PipelineResult two = simulatePipeline(s);
    EXPECT_NEAR(one.makespan, 33.0, 1e-9); // (m + p − 1)·3
    EXPECT_NEAR(two.makespan, 28.5, 1e-9); // 3m + 3(p − 1)/2
    EXPECT_NEAR(one.peakActivations[0], 4.0, 1e-12);
    // Device 0: warm-up 2·3 + 1·4 = 10 chunk forwards, 11 in flight = 5.5 stages' worth.
    EXPECT_EQ(two.peakInFlight[0], 11);
    EXPECT_NEAR(two.peakActivations[0], 5.5, 1e-12);
}

TEST(PipelineZeroBubble, H1BubbleIsPMinusOneTimesTfPlusTbMinusTw) {
    struct Times {
        double f, b, w; // B and W: the backward is b + w
    };
    for (Times t : {Times{1, 1, 1}, Times{1, 1.5, 0.5}, Times{2, 1, 1}, Times{1, 1.2, 0.8}})
        for (int p : {2, 3, 4, 8})
            for (int m : {p, p + 1, 2 * p, 3 * p + 1}) {
                PipelineSetup s;
                s.kind = PipelineKind::ZeroBubbleH1;
                s.stages = p;
                s.microBatches = m;
                s.forward = {t.f};
                s.backward = {t.b + t.w};
                s.weightGrad = {t.w};
                const PipelineResult r = simulatePipeline(s);
                SCOPED_TRACE("p=" + std::to_string(p) + " m=" + std::to_string(m) +
                             " F=" + std::to_string(t.f) + " B=" + std::to_string(t.b) +
                             " W=" + std::to_string(t.w));
                const double ideal = m * (t.f + t.b + t.w);
                EXPECT_NEAR(r.makespan, ideal + zbH1BubbleTime(p, t.f, t.b, t.w), 1e-9);
                for (int st = 0; st < p; ++st)
                    EXPECT_EQ(r.peakInFlight[std::size_t(st)], std::min(m, p)) << "stage " << st;
                expectDependencies(s, r);
            }
}

TEST(PipelineZeroBubble, OneThirdOfOneFOneBsBubbleAtTheSamePeakMemory) {
    // Qi et al. 2024 §2.1: with T_F = T_B = T_W, ZB-H1's bubble is a third of 1F1B's, and no
    // device holds more than 1F1B's first stage (p micro-batches).
    PipelineSetup s;
    s.stages = 4;
    s.microBatches = 8;
    s.forward = {1.0};
    s.backward = {2.0};
    s.kind = PipelineKind::OneFOneB;
    const PipelineResult one = simulatePipeline(s);
    s.kind = PipelineKind::ZeroBubbleH1; // W defaults to half the backward: T_B = T_W = 1
    const PipelineResult zb = simulatePipeline(s);
    const double ideal = 8 * 3.0;
    EXPECT_NEAR(one.makespan - ideal, 9.0, 1e-9); // (p − 1)(T_F + T_B + T_W)
    EXPECT_NEAR(zb.makespan - ideal, 3.0, 1e-9);  // (p − 1)(T_F + T_B − T_W)
    EXPECT_EQ(*std::max_element(zb.peakInFlight.begin(), zb.peakInFlight.end()),
              *std::max_element(one.peakInFlight.begin(), one.peakInFlight.end()));
}

TEST(PipelineSchedules, UnbalancedStagesKeepEveryDependency) {
    for (PipelineKind k : {PipelineKind::GPipe, PipelineKind::OneFOneB, PipelineKind::Interleaved,
                           PipelineKind::ZeroBubbleH1}) {
        PipelineSetup s;
        s.kind = k;
        s.stages = 4;
        s.microBatches = 8;
        s.chunks = k == PipelineKind::Interleaved ? 2 : 1;
        s.forward = {1.0, 3.0, 1.5, 0.5}; // stage 1 is the bottleneck
        s.backward = {2.0, 6.0, 3.0, 1.0};
        s.sendTime = 0.25;
        SCOPED_TRACE(pipelineKindName(k));
        const PipelineResult r = simulatePipeline(s);
        expectDependencies(s, r);
        EXPECT_GE(r.makespan, 8 * 9.0); // the bottleneck's own work
    }
}

TEST(PipelineSchedules, BadSetupsSayWhatIsExpected) {
    PipelineSetup s;
    s.kind = PipelineKind::Interleaved;
    s.stages = 4;
    s.microBatches = 6;
    s.chunks = 2;
    try {
        simulatePipeline(s);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("needs a multiple of the stages (4), got 6"),
                  std::string::npos);
    }
    s.microBatches = 8;
    s.chunks = 0;
    EXPECT_THROW(simulatePipeline(s), std::invalid_argument);
    s.kind = PipelineKind::OneFOneB;
    s.chunks = 2;
    EXPECT_THROW(simulatePipeline(s), std::invalid_argument);
    s.chunks = 1;
    s.weightGrad = {1.0};
    EXPECT_THROW(simulatePipeline(s), std::invalid_argument); // W only for zb
    s.kind = PipelineKind::ZeroBubbleH1;
    s.weightGrad = {3.0}; // longer than the backward (2)
    try {
        simulatePipeline(s);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("longer than its whole backward"), std::string::npos);
    }
    EXPECT_EQ(parsePipelineKind("zb"), PipelineKind::ZeroBubbleH1);
    EXPECT_EQ(parsePipelineKind("interleaved"), PipelineKind::Interleaved);
    EXPECT_THROW(parsePipelineKind("zb-v"), std::invalid_argument);
}
