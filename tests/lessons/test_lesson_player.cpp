// LessonPlayer: steps expand into phase frames that follow the parameters; overrides re-run.
#include "lessons/lesson_loader.h"
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using namespace aisys::lessons;
using namespace aisys::test_support;

TEST(LessonPlayer, RingFramesFollowTheNumberOfRanks) {
    const Lesson& l = shippedLesson("ring-allreduce");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    // init 1 + reduce-scatter 3 + all-gather 3 + done 1 + done(p=8) 1
    EXPECT_EQ(player.frameCount(), 9);
    EXPECT_EQ(player.stepOf(0), 0);
    EXPECT_EQ(player.stepOf(1), 1);
    EXPECT_EQ(player.stepOf(3), 1);
    EXPECT_EQ(player.stepOf(4), 2);
    EXPECT_EQ(player.firstFrameOf(3), 7);
    EXPECT_EQ(player.paramsAt(8).getInt("ranks"), 8);

    ParamSet o;
    o.set("ranks", std::int64_t{6});
    EXPECT_EQ(player.setOverrides(o), "");
    // With 6 ranks everywhere (the override wins over the last step's 8): 1+5+5+1+1.
    EXPECT_EQ(player.frameCount(), 13);
    EXPECT_EQ(player.paramsAt(12).getInt("ranks"), 6);
}

TEST(LessonPlayer, GraphLessonStepsPickSingleFrames) {
    const Lesson& l = shippedLesson("graph-forward");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    EXPECT_EQ(player.frameCount(), 5);
    for (int s = 0; s < 5; ++s)
        EXPECT_EQ(player.firstFrameOf(s), s);
    EXPECT_EQ(player.paramsAt(4).getString("activation"), "Tanh");
    EXPECT_EQ(player.paramsAt(3).getString("activation"), "Relu");
}

TEST(LessonPlayer, EveryFrameDrawsSomethingInBothLanguages) {
    for (const char* id : {"graph-forward", "ring-allreduce"}) {
        const Lesson& l = shippedLesson(id);
        LessonPlayer player(l, *builtinLabs().find(l.labId));
        for (int f = 0; f < player.frameCount(); ++f)
            for (Lang lang : {Lang::En, Lang::Zh}) {
                auto s = player.scene(f, {lang, aisys::viz::Theme::Light});
                EXPECT_GT(s.list.size(), 10u) << id << " frame " << f;
                EXPECT_FALSE(s.caption.empty()) << id << " frame " << f;
                EXPECT_FALSE(s.legend.empty());
            }
    }
}

TEST(LessonPlayer, ChineseScenesCarryChineseText) {
    const Lesson& l = shippedLesson("ring-allreduce");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    auto zh = player.scene(2, {Lang::Zh, aisys::viz::Theme::Light});
    auto en = player.scene(2, {Lang::En, aisys::viz::Theme::Light});
    EXPECT_NE(zh.caption.find("轮"), std::string::npos) << zh.caption;
    EXPECT_NE(en.caption.find("Reduce-scatter round 2/3"), std::string::npos) << en.caption;
}
