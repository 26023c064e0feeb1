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

TEST(LessonPlayer, FocusNamesObjectsAndEveryShippedFocusFindsThem) {
    // 1. A step's focus is the bounds of the objects it names (by the last word of the title).
    const Lesson& l = shippedLesson("compiler-fusion");
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    int focused = 0;
    for (std::size_t s = 0; s < l.steps.size(); ++s) {
        if (l.steps[s].focus.empty())
            continue;
        const int frame = player.firstFrameOf(static_cast<int>(s));
        const aisys::viz::Scene scene = player.scene(frame, {});
        int matched = 0;
        const aisys::viz::Rect r = focusBounds(scene, l.steps[s].focus, &matched);
        EXPECT_EQ(matched, static_cast<int>(l.steps[s].focus.size())) << "step " << s + 1;
        EXPECT_FALSE(r.empty());
        EXPECT_EQ(scene.focus.x, r.x);
        EXPECT_EQ(scene.focus.w, r.w);
        // The focus is a part of the picture, not all of it.
        const aisys::viz::Rect all = scene.list.bounds();
        EXPECT_LT(r.w * r.h, 0.8 * all.w * all.h);
        ++focused;
    }
    EXPECT_GE(focused, 1);
    // 2. Every focus of every shipped lesson names objects its frame has.
    for (const Lesson* sl : shippedCatalog().lessons()) {
        bool any = false;
        for (const auto& st : sl->steps)
            any |= !st.focus.empty();
        if (!any)
            continue;
        LessonPlayer p(*sl, *builtinLabs().find(sl->labId));
        for (std::size_t s = 0; s < sl->steps.size(); ++s)
            if (!sl->steps[s].focus.empty()) {
                int matched = 0;
                focusBounds(p.scene(p.firstFrameOf(static_cast<int>(s)), {}), sl->steps[s].focus,
                            &matched);
                EXPECT_EQ(matched, static_cast<int>(sl->steps[s].focus.size()))
                    << sl->id << " step " << s + 1;
            }
    }
}

TEST(LessonPlayer, FocusMustBeAListOfNamesOrIds) {
    const std::string base = "id = \"f\"\nlab = \"ring-allreduce\"\ntitle = { en = \"F\", zh = "
                             "\"F\" }\npart = \"training\"\nchapter = \"collectives\"\n"
                             "[[steps]]\nphase = \"init\"\ntext = { en = \"a\", zh = \"b\" }\n";
    EXPECT_TRUE(loadLessonText(base + "focus = [\"GPU0\", 3]\n", "f.toml", builtinLabs()).ok());
    LessonLoad bad = loadLessonText(base + "focus = \"GPU0\"\n", "f.toml", builtinLabs());
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.errors[0].message.find("'focus'"), std::string::npos);
    EXPECT_EQ(bad.errors[0].line, 9);
    bad = loadLessonText(base + "focus = [true]\n", "f.toml", builtinLabs());
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.errors[0].message.find("object's name"), std::string::npos);
}
