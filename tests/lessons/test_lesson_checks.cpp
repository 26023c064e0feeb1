// The checks a shipped lesson passes before it lands (lessons/README.md): it lists its sources,
// the outcome its exercise states is what the Lab produces with the exercise's parameters, and
// the figure element a step's text names is in that step's picture, in both languages.
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <set>

using namespace aisys::lessons;
using namespace aisys::test_support;

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

namespace {

/// The graph optimizer's pass table: the "bytes between kernels" of the input graph and after
/// pass `pass` (rows: name, then error, nodes, kernels, bytes, peak; the input row has "—").
std::pair<double, double> bytesBeforeAfter(const aisys::viz::Scene& s, const std::string& pass) {
    const auto lines = linesOf(s);
    double before = -1, after = -1;
    for (std::size_t i = 0; i + 4 < lines.size(); ++i) {
        if (lines[i] == "input graph" && lines[i + 1] == "—")
            before = kib(lines[i + 4]);
        if (before >= 0 && lines[i] == pass && i + 4 < lines.size() && lines[i + 1] != "—" &&
            lines[i + 4].find("KiB") != std::string::npos)
            after = kib(lines[i + 4]);
    }
    return {before, after};
}

bool has(const aisys::viz::Scene& s, const std::string& want) {
    return textOf(s).find(want) != std::string::npos;
}

} // namespace

TEST(LessonChecks, SystolicExercisesCycleCounts) {
    // systolic-os-3x3, exercise: K = 12 takes 3 + 3 + 12 − 2 = 16 cycles, utilization 75 %.
    auto s = stepScene("systolic-os-3x3", 3, Lang::En);
    EXPECT_TRUE(has(s, "Output stationary (OS)\n1\n16\n15\n80.0 %\n100.0 %\n75.0 %\n"))
        << textOf(s);
    // systolic-dataflows, report: WS 1 fold of 26, OS 4 × 10 = 40, IS 4 × 14 = 56 (SCALE-Sim
    // 25, 39, 55).
    s = stepScene("systolic-dataflows", 2, Lang::En);
    EXPECT_TRUE(has(s, "Weight stationary (WS)\n1\n26\n25\n")) << textOf(s);
    EXPECT_TRUE(has(s, "Output stationary (OS)\n4\n10\n39\n")) << textOf(s);
    EXPECT_TRUE(has(s, "Input stationary (IS)\n4\n14\n55\n")) << textOf(s);
    // Exercise M = 4, K = 16: OS streams all 16 k through one fold of 22 cycles and wins.
    s = stepScene("systolic-dataflows", 3, Lang::En);
    EXPECT_TRUE(has(s, "Output stationary (OS)\n1\n22\n21\n")) << textOf(s);
    EXPECT_TRUE(has(s, "Weight stationary (WS)\n4\n")) << textOf(s);
}

TEST(LessonChecks, TpuExercisesRidgeBisectionAndSlices) {
    // tpu-v1: at batch 1400 the MLP layer is right of the 2699 ops/B ridge: compute-bound.
    auto s = stepScene("tpu-v1", 3, Lang::En);
    EXPECT_TRUE(has(s, "\n2699 ops/B\n")) << textOf(s);
    EXPECT_TRUE(has(s, "\n2800.0 ops/B\n")) << textOf(s);
    EXPECT_TRUE(has(s, "bound by\ncompute\n")) << textOf(s);
    // tpu-v4-pod: the 16×16 torus has 32 = 2·k bisection links, 15.9 Tb/s at 496 Gb/s.
    s = stepScene("tpu-v4-pod", 2, Lang::En);
    EXPECT_TRUE(has(s, "links crossing the cut\n32\n")) << textOf(s);
    EXPECT_TRUE(has(s, "15.9 Tb/s")) << textOf(s);
    // 16×16×12 with 12 failed chips: the OCS places it, the static wiring does not.
    s = stepScene("tpu-v4-pod", 4, Lang::En);
    EXPECT_TRUE(has(s, "cubes needed\n48\n")) << textOf(s);
    EXPECT_TRUE(has(s, "✓ With OCS")) << textOf(s);
    EXPECT_TRUE(has(s, "✗ Static wiring")) << textOf(s);
}

TEST(LessonChecks, BitWidthsExerciseStores500InFp8) {
    // bit-widths step 6: E4M3 saturates 500 to 448; the answer for E5M2 is 512.
    auto s = stepScene("bit-widths", 5, Lang::En);
    EXPECT_TRUE(has(s, "nearest representable\n448 (overflow: saturated)\n")) << textOf(s);
    ParamSet e5m2;
    e5m2.set("format", std::string("fp8e5m2"));
    s = stepScene("bit-widths", 5, Lang::En, e5m2);
    EXPECT_TRUE(has(s, "nearest representable\n512\n")) << textOf(s);
    EXPECT_TRUE(has(s, "ulp here\n128\n")) << textOf(s);
    // The other steps' stated outcomes: 26, 1111 0011, 0.0999755859375, 3.25 (0x45), 5 → 4.
    EXPECT_TRUE(has(stepScene("bit-widths", 1, Lang::En), "26 (exact)"));
    EXPECT_TRUE(has(stepScene("bit-widths", 2, Lang::En), "1111 0011 = -13"));
    EXPECT_TRUE(has(stepScene("bit-widths", 3, Lang::En), "\n0.0999755859375\n"));
    EXPECT_TRUE(has(stepScene("bit-widths", 4, Lang::En), "FP8 E4M3  0x45"));
    EXPECT_TRUE(has(stepScene("bit-widths", 4, Lang::En), "nearest representable\n3.25\n"));
    EXPECT_TRUE(has(stepScene("bit-widths", 6, Lang::En), "nearest representable\n4\n"));
}

TEST(LessonChecks, RooflineExercisesTheCoursesV100Numbers) {
    // key-metrics-roofline: 124.1 < 138.9 memory-bound; 8192³ at 2730.7 compute-bound; the
    // exercise in FP32 (62.1 FLOP/B over a 17.4 ridge: compute-bound, 1.094 ms); L2's ridge
    // 40.3; at 50 % of the peak the ridge is 69.4; the devices table memory-bound everywhere.
    auto s = stepScene("key-metrics-roofline", 0, Lang::En);
    EXPECT_TRUE(has(s, "138.9 FLOP/B")) << textOf(s);
    EXPECT_TRUE(has(s, "124.1 FLOP/B\nbound by\nmemory bandwidth\nattainable\n111.7")) << textOf(s);
    s = stepScene("key-metrics-roofline", 1, Lang::En);
    EXPECT_TRUE(has(s, "2730.7 FLOP/B\nbound by\ncompute")) << textOf(s);
    s = stepScene("key-metrics-roofline", 2, Lang::En);
    EXPECT_TRUE(has(s, "17.4 FLOP/B")) << textOf(s);
    EXPECT_TRUE(has(s, "62.1 FLOP/B\nbound by\ncompute")) << textOf(s);
    EXPECT_TRUE(has(s, "1.094 ms")) << textOf(s);
    EXPECT_TRUE(has(stepScene("key-metrics-roofline", 0, Lang::En), "153.79 µs"));
    s = stepScene("key-metrics-roofline", 3, Lang::En);
    EXPECT_TRUE(has(s, "L2 bandwidth\n3100 GB/s\nridge = peak / bandwidth\n40.3")) << textOf(s);
    s = stepScene("key-metrics-roofline", 4, Lang::En);
    EXPECT_TRUE(has(s, "69.4 FLOP/B")) << textOf(s);
    EXPECT_TRUE(has(s, "bound by\ncompute\nattainable\n62.5 TFLOPS")) << textOf(s);
    // The underfill exercise: 7 tasks on 4 PEs → 2 rounds, 87.5 %; 8 → 100 %; 9 → 3 rounds, 75 %.
    s = stepScene("key-metrics-roofline", 5, Lang::En);
    EXPECT_TRUE(has(s, "rounds = ⌈tasks / PEs⌉\n2\n")) << textOf(s);
    EXPECT_TRUE(has(s, "87.5 %\n")) << textOf(s);
    EXPECT_TRUE(has(s, "125.0 TFLOPS × 87.5 % = 109.4 TFLOPS")) << textOf(s);
    EXPECT_TRUE(has(s, "121.5 FLOP/B")) << textOf(s);
    for (auto [tasks, text] : {std::pair{8, "100.0 %\n"}, std::pair{9, "75.0 %\n"}}) {
        ParamSet t;
        t.set("tasks", std::int64_t{tasks});
        EXPECT_TRUE(has(stepScene("key-metrics-roofline", 5, Lang::En, t), text)) << tasks;
    }
    s = stepScene("key-metrics-roofline", 6, Lang::En);
    EXPECT_TRUE(has(s, "0.25 FLOP/B\nbound by\nmemory bandwidth")) << textOf(s);
    s = stepScene("key-metrics-roofline", 7, Lang::En);
    const std::string t = textOf(s);
    EXPECT_TRUE(has(s, "A100\n312.0\n1555\n200.6\n124.1\nmemory\n")) << t;
    EXPECT_TRUE(has(s, "H100\n989.4\n3350\n295.3\n124.1\nmemory\n")) << t;
    EXPECT_EQ(t.find("\ncompute\n"), std::string::npos) << t;
}

TEST(LessonChecks, GraphOptimizerExercisesBytesSaved) {
    // compiler-cse: at 16×16 with 4 channels CSE saves 2 × 4 KiB; at 8 channels and 32×32 the
    // prediction is 2 × (8·32·32·4 B) = 64 KiB.
    auto [before, after] = bytesBeforeAfter(stepScene("compiler-cse", 2, Lang::En),
                                            "common-subexpression-elimination");
    EXPECT_NEAR(before - after, 8.0, 0.15) << before << " → " << after;
    ParamSet big;
    big.set("channels", std::int64_t{8});
    big.set("size", std::int64_t{32});
    std::tie(before, after) = bytesBeforeAfter(stepScene("compiler-cse", 2, Lang::En, big),
                                               "common-subexpression-elimination");
    EXPECT_NEAR(before - after, 64.0, 0.15) << before << " → " << after;
    // compiler-conv-bn, exercise: with 8 channels each of the two folded BNs saves 2 × 2 KiB.
    std::tie(before, after) =
        bytesBeforeAfter(stepScene("compiler-conv-bn", 3, Lang::En), "conv-bn-folding");
    EXPECT_NEAR(before - after, 2 * 2 * 2.0, 0.15) << before << " → " << after;
    // compiler-fusion, exercise: at 16×16 the same two groups save four times as many bytes.
    auto saves = [](const aisys::viz::Scene& s) {
        std::vector<double> out;
        for (const auto& l : linesOf(s))
            if (auto p = l.find(" · saves "); p != std::string::npos && l.rfind("fused_", 0) == 0)
                out.push_back(kib(l.substr(p + 9)));
        return out;
    };
    const auto small = saves(stepScene("compiler-fusion", 2, Lang::En));
    const auto large = saves(stepScene("compiler-fusion", 3, Lang::En));
    ASSERT_EQ(small.size(), 2u);
    ASSERT_EQ(large.size(), 2u);
    for (int i = 0; i < 2; ++i)
        EXPECT_NEAR(large[i], 4 * small[i], 0.05) << i;
}

namespace {

/// The nodes and kernels of pass `pass`'s row in the graph optimizer's table (the first row of
/// that name that has numbers), or {-1, -1}.
std::pair<int, int> nodesKernelsOf(const aisys::viz::Scene& s, const std::string& pass) {
    const auto lines = linesOf(s);
    for (std::size_t i = 0; i + 3 < lines.size(); ++i)
        if (lines[i] == pass && lines[i + 1] != "—" && !lines[i + 2].empty() &&
            std::isdigit(static_cast<unsigned char>(lines[i + 2][0])))
            return {std::atoi(lines[i + 2].c_str()), std::atoi(lines[i + 3].c_str())};
    return {-1, -1};
}

} // namespace

TEST(LessonChecks, TvmFusionRuleStopsTheConvGroupBeforeThePooling) {
    // compiler-graph-ir, O3 preview: the lab's rule fuses conv2, the residual Add, ReLU and the
    // pooling (3 kernels); the next step, TVM's rule, stops at ReLU (4 kernels).
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto lab = stepScene("compiler-graph-ir", 2, lang);
        EXPECT_TRUE(has(lab, "conv2, residual, relu2, … (4) → fused_pool")) << textOf(lab);
        EXPECT_EQ(nodesKernelsOf(lab, "operator-fusion"), std::make_pair(4, 3)) << textOf(lab);
        const auto tvm = stepScene("compiler-graph-ir", 3, lang);
        EXPECT_TRUE(has(tvm, "conv2, residual, relu2 → fused_relu2")) << textOf(tvm);
        EXPECT_TRUE(has(tvm, "\nGlobalAveragePool\npool\n")) << textOf(tvm); // a box of its own
        EXPECT_EQ(nodesKernelsOf(tvm, "operator-fusion-tvm"), std::make_pair(5, 4)) << textOf(tvm);
    }
    // compiler-fusion, the post-dominator tree: TVM's rule makes the same two groups here.
    ParamSet rule;
    rule.set("fusion_rule", std::string("tvm"));
    const auto fusionStep = [](const aisys::viz::Scene& s) {
        std::vector<std::string> out;
        for (const auto& l : linesOf(s))
            if (l.rfind("• fuse ", 0) == 0)
                out.push_back(l);
        return out;
    };
    const auto labGroups = fusionStep(stepScene("compiler-fusion", 2, Lang::En));
    EXPECT_EQ(labGroups.size(), 2u);
    EXPECT_EQ(fusionStep(stepScene("compiler-fusion", 2, Lang::En, rule)), labGroups);
    EXPECT_TRUE(
        has(stepScene("compiler-fusion", 1, Lang::En), "2 fusion groups by the lab's rule"));
    EXPECT_TRUE(
        has(stepScene("compiler-fusion", 1, Lang::En, rule), "2 fusion groups by TVM's rule"));
    // compiler-rulebook, rule 7: "TVM would stop after the Add … one kernel more" (5 → 6
    // nodes, 4 → 5 kernels on the MobileNet block).
    const Lesson& rb = shippedLesson("compiler-rulebook");
    const int last = int(rb.steps.size()) - 1;
    EXPECT_EQ(nodesKernelsOf(stepScene("compiler-rulebook", last, Lang::En), "operator-fusion"),
              std::make_pair(5, 4));
    ParamSet tvm;
    tvm.set("fusion_rule", std::string("tvm"));
    const auto s = stepScene("compiler-rulebook", last, Lang::En, tvm);
    EXPECT_EQ(nodesKernelsOf(s, "operator-fusion-tvm"), std::make_pair(6, 5)) << textOf(s);
    EXPECT_TRUE(has(s, "project, residual → fused_residual")) << textOf(s);
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
        {"eager-vs-graph", 3, "value guard recorded at trace time", "追踪时记录的值守卫"},
        {"eager-vs-graph", 4, "sub-graph 1 (compiled)", "子图 1（编译）"},
        {"eager-vs-graph", 4, "sub-graph 2 (compiled)", "子图 2（编译）"},
        {"eager-vs-graph", 4, "graph break", "图断点"},
        {"eager-vs-graph", 4, "if h_sum > 0:", "if h_sum > 0:"},
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

TEST(LessonChecks, LoopTilingExerciseMisses) {
    // "split(j,32);reorder(j.o,i,j.i) … B misses n·m/b = 256 again and A 8. Then give the cache
    // 6 lines: B falls to m/b = 8 and A is n·m/(T·b) = 8 … (B misses 26)" with 5 lines.
    for (auto [lines, a, b] : std::vector<std::array<int, 3>>{{4, 8, 256}, {6, 8, 8}, {5, 8, 26}}) {
        ParamSet q;
        q.set("schedule", std::string("split(j,32);reorder(j.o,i,j.i)"));
        q.set("lines", std::int64_t{lines});
        const auto s = stepScene("loop-tiling", 3, Lang::En, q);
        EXPECT_EQ(fact(s, "misses", "A"), std::to_string(a)) << lines << " lines";
        EXPECT_EQ(fact(s, "misses", "B"), std::to_string(b)) << lines << " lines";
    }
    // The lesson's own numbers: untiled 4 and 256, tiled by 16: 16 and 8.
    EXPECT_EQ(fact(stepScene("loop-tiling", 1, Lang::En), "misses", "B"), "256");
    EXPECT_EQ(fact(stepScene("loop-tiling", 3, Lang::En), "misses", "A"), "16");
}
