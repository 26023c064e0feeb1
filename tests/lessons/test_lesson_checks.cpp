// The checks a shipped lesson passes before it lands (lessons/README.md): it lists its sources,
// the outcome its exercise states is what the Lab produces with the exercise's parameters, and
// the figure element a step's text names is in that step's picture, in both languages.
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

/// The picture of the first frame of step `step` (0-based) of lesson `id`, with `over` applied.
aisys::viz::Scene stepScene(const std::string& id, int step, Lang lang, const ParamSet& over = {}) {
    const Lesson& l = shippedLesson(id);
    LessonPlayer player(l, *builtinLabs().find(l.labId));
    if (!over.values().empty()) {
        EXPECT_EQ(player.setOverrides(over), "");
    }
    return player.scene(player.firstFrameOf(step), {lang, aisys::viz::Theme::Light});
}

std::string fact(const aisys::viz::Scene& s, const std::string& object, const std::string& label) {
    for (const auto& [id, info] : s.objects)
        if (info.title == object)
            for (const auto& f : info.facts)
                if (f.label == label)
                    return f.value;
    return "<no " + object + " / " + label + ">";
}

} // namespace

// Lessons whose narrative has not been reviewed against its sources yet. The list is kept
// honest both ways: a lesson that gains [[sources]] must leave it. It is empty: every shipped
// lesson lists its sources and cites them.
const std::set<std::string> kNotYetSourced = {};

TEST(LessonChecks, EveryReviewedLessonListsItsSourcesAndCitesThem) {
    std::set<std::string> unsourced;
    for (const Lesson* l : shippedCatalog().lessons()) {
        if (l->sources.empty()) {
            unsourced.insert(l->id);
            continue;
        }
        EXPECT_FALSE(kNotYetSourced.count(l->id)) << l->id << " has sources: drop it from the list";
        int cited = l->summary.en.find("[^") != std::string::npos ? 1 : 0;
        for (const auto& s : l->steps)
            cited += s.text.en.find("[^") != std::string::npos ? 1 : 0;
        EXPECT_GT(cited, 0) << l->id << " lists sources but cites none";
    }
    EXPECT_EQ(unsourced, kNotYetSourced);
}

TEST(LessonChecks, SystolicFoldingExerciseFoldCounts) {
    // "make K = 32 and N = 16 … 8 folds; make the array 16×16 as well … 2 (… 6)".
    for (auto [rows, k, n, folds] : std::vector<std::array<int, 4>>{
             {8, 32, 16, 8}, {16, 32, 16, 2}, {16, 36, 20, 6}, {8, 36, 20, 15}}) {
        ParamSet q;
        q.set("rows", std::int64_t{rows});
        q.set("cols", std::int64_t{rows});
        q.set("K", std::int64_t{k});
        q.set("N", std::int64_t{n});
        const Lesson& l = shippedLesson("systolic-folding");
        ParamSet all = l.params;
        all.merge(q);
        const auto run = builtinLabs().find("systolic")->run(all);
        // The activity picture's fact table: "fold" then "1 / folds".
        const std::string text = textOf(run->scene(run->phaseStart("activity"), {}));
        EXPECT_NE(text.find("\nfold\n1 / " + std::to_string(folds) + "\n"), std::string::npos)
            << rows << "×" << rows << " K=" << k << " N=" << n << ":\n"
            << text;
    }
}

TEST(LessonChecks, TpuPodExerciseHopsFromTheMovedSource) {
    // Step 2 switches the wraparound off and moves the source to (1,1,0): (3,3,3) is 7 hops.
    const auto s = stepScene("tpu-v4-pod", 1, Lang::En);
    EXPECT_EQ(fact(s, "chip (3,3,3)", "hops from source"), "7");
    ParamSet origin;
    origin.set("srcx", std::int64_t{0});
    origin.set("srcy", std::int64_t{0});
    EXPECT_EQ(
        fact(stepScene("tpu-v4-pod", 1, Lang::En, origin), "chip (3,3,3)", "hops from source"),
        "9");
    EXPECT_EQ(fact(stepScene("tpu-v4-pod", 0, Lang::En), "chip (3,3,3)", "hops from source"), "3");
}

/// A figure element a step's text names, as the picture's text says it in each language.
struct FigureElement {
    const char* lesson;
    int step; ///< 0-based
    const char* en;
    const char* zh;
};

TEST(LessonChecks, StepsFindTheFigureElementsTheirTextNames) {
    const std::vector<FigureElement> elements = {
        {"graph-scheduling", 2, "Gantt chart", "甘特图"},
        {"tpu-v1", 4, "HBM2 8 GiB", "HBM2 8 GiB"},
        {"tpu-v1", 4, "614", "614"},
        {"tpu-v1", 4, "170*", "170*"},
        {"tpu-v1", 4, "measured mean 170 W", "实测平均 170 W"},
        {"tpu-v2-v3", 3, "TPUv2: 2 cores × 1 MXU", "TPUv2：2 个核 × 1 个 MXU"},
        {"quantization", 6, "activation row sums", "激活行和"},
        {"quantization", 6, "zb = 0", "zb = 0"},
    };
    for (const auto& e : elements)
        for (Lang lang : {Lang::En, Lang::Zh}) {
            const std::string text = textOf(stepScene(e.lesson, e.step, lang));
            const char* want = lang == Lang::En ? e.en : e.zh;
            EXPECT_NE(text.find(want), std::string::npos)
                << e.lesson << " step " << e.step + 1 << " (" << langCode(lang) << "): no '" << want
                << "' in\n"
                << text;
        }
}
