// The loop-schedule Lab: every lesson frame draws in both languages, the lit cells follow the
// engine's execution order, the tile outline and the misses are the engine's, bad schedules
// are refused with the engine's message.
#include "lessons/lab_registry.h"
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>
#include <stdexcept>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

ParamSet params(const std::string& schedule, std::int64_t lines = 4) {
    ParamSet p;
    p.set("n", std::int64_t{32});
    p.set("m", std::int64_t{64});
    p.set("schedule", schedule);
    p.set("lines", lines);
    p.set("b", std::string("8"));
    p.set("stride", std::int64_t{32});
    return p;
}

} // namespace

TEST(LoopScheduleLab, EveryLessonFrameDrawsInBothLanguagesWithinBudget) {
    // The lesson plays whole phases (one frame per 32 points), so every frame is drawn here.
    const Lesson& l = shippedLesson("loop-tiling");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    EXPECT_EQ(player.frameCount(), 2 * (2048 / 32 + 1));
    for (int f = 0; f < player.frameCount(); ++f)
        for (Lang lang : {Lang::En, Lang::Zh}) {
            const auto s = player.scene(f, {lang, aisys::viz::Theme::Light});
            EXPECT_GT(s.list.size(), 2048u) << f; // every cell of the 32×64 iteration space
            EXPECT_LT(s.list.size(), 30000u) << f;
            EXPECT_EQ(hasChinese(s.caption), lang == Lang::Zh) << s.caption;
        }
}

TEST(LoopScheduleLab, CellsAreLitInTheEnginesExecutionOrder) {
    auto run = runLab("loop-schedule", params("split(j,16);reorder(j.o,i,j.i)"));
    ASSERT_EQ(run->phaseFrames("run"), 2048 / 32);
    const auto s = run->scene(0, {});
    // The tile j.o = 0 runs down all rows: point 17 is (1, 0), point 16·32 + 1 is (0, 16).
    EXPECT_EQ(fact(s, "(i, j) = (1, 0)", "visited as point"), "17 / 2048");
    EXPECT_EQ(fact(s, "(i, j) = (0, 16)", "visited as point"), "513 / 2048");
    EXPECT_EQ(fact(s, "(i, j) = (31, 63)", "visited as point"), "2048 / 2048");
    // After the first frame (32 points: rows 0 and 1 of the first tile) 3 lines are in: A's
    // line 0 and B's lines 0 and 1.
    EXPECT_EQ(fact(s, "misses", "A"), "1");
    EXPECT_EQ(fact(s, "misses", "B"), "2");
    EXPECT_EQ(fact(s, "B line 1", "in the cache"), "yes");
    EXPECT_EQ(fact(s, "B line 2", "in the cache"), "no");
}

TEST(LoopScheduleLab, TheSummaryCountsMatchTheCoursesFormulas) {
    const auto naive = runLab("loop-schedule", params("(naive)"));
    const auto s0 = naive->scene(naive->phaseStart("summary"), {});
    EXPECT_EQ(fact(s0, "misses", "A"), "4");   // n/b
    EXPECT_EQ(fact(s0, "misses", "B"), "256"); // n·m/b
    const auto tiled = runLab("loop-schedule", params("split(j,16);reorder(j.o,i,j.i)"));
    const auto s1 = tiled->scene(tiled->phaseStart("summary"), {});
    EXPECT_EQ(fact(s1, "misses", "A"), "16"); // n·m/(T·b)
    EXPECT_EQ(fact(s1, "misses", "B"), "8");  // m/b
    EXPECT_NE(textOf(s1).find("A: n·m/(T·b) = 16    B: m/b = 8"), std::string::npos) << textOf(s1);
}

TEST(LoopScheduleLab, EveryOfferedScheduleRunsAndTilesAreOutlined) {
    const Lab* lab = builtinLabs().find("loop-schedule");
    const std::vector<ParamSpec> specs = lab->params();
    const ParamSpec* spec = findSpec(specs, "schedule");
    ASSERT_NE(spec, nullptr);
    EXPECT_GE(spec->choices.size(), 8u);
    for (const std::string& c : spec->choices) {
        auto run = runLab("loop-schedule", params(c));
        EXPECT_EQ(fact(run->scene(run->phaseStart("summary"), {}), "misses", "points"),
                  "2048 / 2048")
            << c;
    }
    // tile(i,j,8,16): after 32 points the current tile is the 8×16 block at the origin, drawn
    // as one outlined box of 8 rows and 16 columns of cells.
    auto run = runLab("loop-schedule", params("tile(i,j,8,16)"));
    const auto s = run->scene(0, {});
    EXPECT_EQ(fact(s, "(i, j) = (1, 15)", "visited as point"), "32 / 2048");
    EXPECT_EQ(fact(s, "(i, j) = (0, 16)", "visited as point"), "129 / 2048");
    // Cells are 8 units (512 / 64); the outline hugs 16 × 8 cells with 2 units of margin.
    int outlines = 0;
    for (const auto& p : s.list.prims)
        if (p.kind == aisys::viz::PrimKind::Box && p.strokeWidth == 2.5f && !p.fill.visible()) {
            ++outlines;
            EXPECT_FLOAT_EQ(p.rect.w, 16 * 8 + 3);
            EXPECT_FLOAT_EQ(p.rect.h, 8 * 8 + 3);
        }
    EXPECT_EQ(outlines, 1);
}

TEST(LoopScheduleLab, ScheduleOutsideTheChoicesIsRefused) {
    const Lab* lab = builtinLabs().find("loop-schedule");
    const std::vector<ParamSpec> specs = lab->params();
    const ParamSpec* spec = findSpec(specs, "schedule");
    EXPECT_NE(checkValue(*spec, std::string("vectorize(i,4)")), "");
    // Run directly (unchecked), an illegal schedule is refused with the engine's message.
    try {
        runLab("loop-schedule", params("vectorize(i,4)"));
        FAIL() << "an illegal schedule must be refused";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()),
                  "schedule \"vectorize(i,4)\": column 1: vectorize(i, 4): loop i is not the "
                  "innermost loop (j is); vectorize applies to the innermost loop only");
    }
}
