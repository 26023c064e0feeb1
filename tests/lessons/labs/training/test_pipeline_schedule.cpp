// Lab pipeline-schedule and the lesson pipeline-schedules: every number the lesson states (and
// its exercise's answer) re-run through the Lab with the step's parameters; the phases; bad
// parameters; every frame draws in both languages.
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

/// The text drawn right after the label `label` (the value column of the numbers block).
std::string valueOf(const aisys::viz::Scene& s, const std::string& label) {
    const auto lines = linesOf(s);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
        if (lines[i] == label)
            return lines[i + 1];
    return "<no " + label + ">";
}

std::string peak(const aisys::viz::Scene& s, int stage) {
    return fact(s, "stage " + std::to_string(stage), "peak");
}

ParamSet set(std::initializer_list<std::pair<const char*, ParamValue>> kv) {
    ParamSet p;
    for (const auto& [k, v] : kv)
        p.set(k, v);
    return p;
}

/// The summary frame of the Lab run with the lesson's parameters plus `over`.
aisys::viz::Scene summary(const ParamSet& over) {
    ParamSet p = shippedLesson("pipeline-schedules").params;
    p.merge(over);
    const auto run = runLab("pipeline-schedule", p);
    int frames = 0;
    for (const Phase& ph : run->phases())
        frames += ph.frames;
    return run->scene(frames - 1, DrawOptions{Lang::En});
}

} // namespace

TEST(PipelineScheduleLesson, GpipeAndOneFOneBShareTheBubbleNotTheMemory) {
    // Step 1: 11 × 3 = 33, 3/11 = 27.3 %, every stage holds 8.
    auto s = summary({});
    EXPECT_EQ(valueOf(s, "makespan"), "33.00");
    EXPECT_EQ(valueOf(s, "bubble (idle share of device time)"), "27.3 %");
    EXPECT_EQ(valueOf(s, "balanced closed form (p−1)/(m+p−1)"), "27.3 %");
    for (int st = 0; st < 4; ++st)
        EXPECT_EQ(peak(s, st), "8");
    // Step 2: 1F1B, 33 and 27.3 % again, peaks 4, 3, 2, 1; idle/ideal (p − 1)/m = 3/8.
    s = stepScene("pipeline-schedules", 1, Lang::En);
    EXPECT_EQ(valueOf(s, "makespan"), "33.00");
    EXPECT_EQ(valueOf(s, "bubble (idle share of device time)"), "27.3 %");
    EXPECT_EQ(valueOf(s, "idle / ideal time"), "0.3750");
    for (int st = 0; st < 4; ++st)
        EXPECT_EQ(peak(s, st), std::to_string(4 - st));
}

TEST(PipelineScheduleLesson, InterleavedAndZeroBubble) {
    // Step 3: v = 2 → 28.5, 3/16 = 0.1875, GPU 0 holds 11 chunk activations = 5.5 stages.
    auto s = stepScene("pipeline-schedules", 2, Lang::En);
    EXPECT_EQ(valueOf(s, "makespan"), "28.50");
    EXPECT_EQ(valueOf(s, "idle / ideal time"), "0.1875");
    EXPECT_EQ(valueOf(s, "balanced closed form (p−1)/(v·m) of ideal"), "0.1875");
    EXPECT_EQ(peak(s, 0), "11");
    EXPECT_EQ(fact(s, "stage 0", "peak in stage units"), "5.50");
    // Step 4: ZB-H1 → 27; idle per GPU 3 (3/24 of the ideal) against 1F1B's 9 (9/24); 4 everywhere.
    s = stepScene("pipeline-schedules", 3, Lang::En);
    EXPECT_EQ(valueOf(s, "makespan"), "27.00");
    EXPECT_EQ(valueOf(s, "idle / ideal time"), "0.1250");
    EXPECT_EQ(valueOf(s, "balanced closed form (p−1)(F+B−W) / ideal"), "0.1250");
    for (int st = 0; st < 4; ++st)
        EXPECT_EQ(peak(s, st), "4");
    EXPECT_EQ(valueOf(stepScene("pipeline-schedules", 1, Lang::En), "idle / ideal time"),
              "0.3750"); // 9 / 24
}

TEST(PipelineScheduleLesson, ExerciseOneSlowStage) {
    // "make stage 1 twice as slow ... Answer: 53 ... 43.4 % ... zb and interleaved (49 and 49.5)".
    const auto s = stepScene("pipeline-schedules", 4, Lang::En);
    EXPECT_EQ(valueOf(s, "makespan"), "53.00");
    EXPECT_EQ(valueOf(s, "bubble (idle share of device time)"), "43.4 %");
    const ParamSet slow = set({{"slow_stage", std::int64_t{1}}, {"slowdown", 2.0}});
    ParamSet zb = slow;
    zb.set("schedule", std::string("zb"));
    EXPECT_EQ(valueOf(summary(zb), "makespan"), "49.00");
    ParamSet il = slow;
    il.set("schedule", std::string("interleaved"));
    il.set("chunks", std::int64_t{2});
    EXPECT_EQ(valueOf(summary(il), "makespan"), "49.50");
    // The slow stage's own work, 8 × (2 + 4) = 48, bounds it from below.
    EXPECT_EQ(fact(s, "stage 1", "peak"), "3");
}

TEST(PipelineScheduleLab, PhasesFramesAndBadParameters) {
    const auto run = runLab("pipeline-schedule", shippedLesson("pipeline-schedules").params);
    const auto ph = run->phases();
    ASSERT_EQ(ph.size(), 2u);
    EXPECT_EQ(ph[0].name, "timeline");
    EXPECT_GE(ph[0].frames, 10);
    EXPECT_LE(ph[0].frames, 40);
    EXPECT_EQ(ph[1].frames, 1);
    // The cursor moves forward frame by frame.
    EXPECT_NE(run->scene(0, DrawOptions{Lang::En}).caption,
              run->scene(5, DrawOptions{Lang::En}).caption);
    ParamSet bad = shippedLesson("pipeline-schedules").params;
    bad.set("slow_stage", std::int64_t{7});
    EXPECT_THROW(runLab("pipeline-schedule", bad), std::invalid_argument);
    bad = shippedLesson("pipeline-schedules").params;
    bad.set("schedule", std::string("interleaved"));
    bad.set("micro", std::int64_t{6});
    try {
        runLab("pipeline-schedule", bad);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("needs a multiple of the stages (4), got 6"),
                  std::string::npos);
    }
}

TEST(PipelineScheduleLesson, EveryFrameDrawsInBothLanguages) {
    // The first step plays the whole timeline (many frames), so the shared one-frame-per-step
    // helper does not apply: the same checks over every frame.
    const Lesson& l = shippedLesson("pipeline-schedules");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    EXPECT_GT(player.frameCount(), int(l.steps.size()));
    for (int f = 0; f < player.frameCount(); ++f)
        for (Lang lang : {Lang::En, Lang::Zh}) {
            const auto sc = player.scene(f, {lang, aisys::viz::Theme::Light});
            EXPECT_GT(sc.list.size(), 20u) << "frame " << f;
            EXPECT_LT(sc.list.size(), 30000u) << "frame " << f;
            EXPECT_EQ(hasChinese(sc.caption), lang == Lang::Zh) << sc.caption;
        }
    EXPECT_TRUE(hasChinese(stepScene("pipeline-schedules", 3, Lang::Zh).caption));
}
