// The systolic-array and TPU Labs: the course's facts in their pictures, primitive budgets for
// big arrays, MXU utilization equal to the model's, bad parameters, every lesson frame drawn.
#include "engine/hw/systolic/systolic.h"
#include "lessons/lab_registry.h"
#include "lessons/labs/chips/systolic/setup.h"
#include "lessons/labs/chips/tpu/mxu.h"
#include "lessons/lesson_loader.h"
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::lessons;
using namespace aisys::test_support;
namespace sys = aisys::engine::systolic;

namespace {

ParamSet withDefaults(const std::string& lab, const ParamSet& over) {
    ParamSet p = defaults(builtinLabs().find(lab)->params());
    p.merge(over);
    return p;
}

ParamSet gemm(int R, int C, const char* df, int M, int K, int N) {
    ParamSet p;
    p.set("rows", std::int64_t{R});
    p.set("cols", std::int64_t{C});
    p.set("dataflow", std::string(df));
    p.set("M", std::int64_t{M});
    p.set("K", std::int64_t{K});
    p.set("N", std::int64_t{N});
    return withDefaults("systolic", p);
}

const aisys::viz::ObjectInfo* findObject(const aisys::viz::Scene& s, const std::string& title) {
    for (const auto& [id, info] : s.objects)
        if (info.title == title)
            return &info;
    return nullptr;
}

std::string fact(const aisys::viz::ObjectInfo& info, const std::string& label) {
    for (const auto& f : info.facts)
        if (f.label == label)
            return f.value;
    return "<missing " + label + ">";
}

} // namespace

TEST(SystolicLab, CourseThreeByThreeOutputStationaryEndsAtSeven) {
    const auto s = buildSystolicSetup(gemm(3, 3, "os", 3, 3, 3));
    ASSERT_EQ(s.cases.size(), 1u);
    const auto& c = s.cases[0];
    EXPECT_EQ(c.array.cyclesPerFold(), 7); // M + N + K − 2
    EXPECT_EQ(s.runFrames.size(), 7u);     // T = 1 … 7, one frame each
    EXPECT_EQ(c.maxError, 0.0);            // integers: the array's C equals A·B exactly
    // The corner PE does its last MAC (k = 2) at T = 7 and nobody works after it.
    EXPECT_TRUE(c.array.state(0, 6, 2, 2).active);
    EXPECT_EQ(c.array.state(0, 6, 2, 2).k, 2);
    EXPECT_EQ(c.array.state(0, 6, 2, 2).macsDone, 3);
    for (int r = 0; r < 3; ++r)
        for (int col = 0; col < 3; ++col)
            EXPECT_EQ(c.array.state(0, 6, r, col).active, r == 2 && col == 2);

    const auto run = builtinLabs().find("systolic")->run(gemm(3, 3, "os", 3, 3, 3));
    EXPECT_EQ(run->phaseFrames("run"), 7);
    const auto last = run->scene(run->phaseStart("run") + 6, {Lang::En, aisys::viz::Theme::Light});
    EXPECT_EQ(last.caption.rfind("T = 7", 0), 0u) << last.caption;
    const auto* pe = findObject(last, "PE (2, 2)");
    ASSERT_NE(pe, nullptr);
    EXPECT_EQ(fact(*pe, "MACs done in this fold"), "3");
    const auto& A = c.array.A();
    const auto& B = c.array.B();
    EXPECT_EQ(fact(*pe, "partial sum"),
              std::to_string(static_cast<long long>(std::llround(A.row(2).dot(B.col(2))))));
}

TEST(SystolicLab, ShippedLessonPlaysTheCourseExample) {
    const LessonCatalog& cat = shippedCatalog();
    const Lesson* l = cat.find("systolic-os-3x3");
    ASSERT_NE(l, nullptr);
    LessonPlayer player(*l, *builtinLabs().find(l->labId));
    // setup 1 + run 7 (T = 1…7) + done + done with K = 12.
    EXPECT_EQ(player.frameCount(), 10);
    EXPECT_EQ(player.firstFrameOf(2), 8);
}

TEST(SystolicLab, BigArraysStayUnderThePrimitiveBudget) {
    for (const char* df : {"ws", "os", "is", "all"}) {
        const auto run = builtinLabs().find("systolic")->run(gemm(256, 256, df, 512, 512, 512));
        for (int f : {0, run->phaseStart("run") + run->phaseFrames("run") / 3,
                      run->phaseStart("activity"), run->frameCount() - 1}) {
            const auto s = run->scene(f, {Lang::Zh, aisys::viz::Theme::Dark});
            EXPECT_GT(s.list.size(), 20u) << df << " frame " << f;
            EXPECT_LE(s.list.size(), 30000u) << df << " frame " << f;
        }
    }
    // The largest box-per-PE array (64×64) too.
    const auto run = builtinLabs().find("systolic")->run(gemm(64, 64, "ws", 100, 100, 100));
    for (int f = 0; f < run->frameCount(); f += 7)
        EXPECT_LE(run->scene(f, {}).list.size(), 30000u);
}

TEST(SystolicLab, FramesAreSampledForLongRunsAndTheScrubberPicksOne) {
    const auto s = buildSystolicSetup(gemm(8, 8, "ws", 32, 36, 20));
    EXPECT_EQ(s.cases[0].array.foldCount(), 15);
    EXPECT_EQ(s.runFrames.size(), 40u);
    EXPECT_EQ(s.runFrames.front(), 0);
    EXPECT_EQ(s.runFrames.back(), 15 * 54 - 1);
    ParamSet p = gemm(8, 8, "ws", 32, 36, 20);
    p.set("cycle", std::int64_t{100});
    const auto one = buildSystolicSetup(p);
    ASSERT_EQ(one.runFrames.size(), 1u);
    EXPECT_EQ(one.runFrames[0], 99);
    EXPECT_LT(one.cases[0].maxError, 1e-9); // random integers, 15 folds: still exact
}

TEST(SystolicLab, MemoryModelReportIsTheModels) {
    ParamSet p = gemm(8, 8, "ws", 32, 36, 20);
    p.set("bw", std::int64_t{1});
    p.set("sram", std::int64_t{1});
    const auto s = buildSystolicSetup(p);
    ASSERT_TRUE(s.cases[0].memory.has_value());
    sys::MemoryConfig mem;
    mem.ifmapSramKB = mem.filterSramKB = mem.ofmapSramKB = 1;
    mem.bandwidth = 1;
    const auto ref = sys::simulateLayer(s.layer, {8, 8}, sys::Dataflow::WS, mem);
    EXPECT_EQ(s.cases[0].memory->stallCycles, ref.stallCycles);
    EXPECT_GT(ref.stallCycles, 0);
    EXPECT_EQ(s.cases[0].memory->totalCycles, ref.totalCycles);
    EXPECT_FALSE(buildSystolicSetup(gemm(8, 8, "ws", 32, 36, 20)).cases[0].memory.has_value());
}

TEST(SystolicLab, ConvolutionIsIm2colTimesFilters) {
    ParamSet p;
    p.set("layer", std::string("conv"));
    p.set("dataflow", std::string("all"));
    p.set("H", std::int64_t{6});
    p.set("W", std::int64_t{5});
    p.set("C", std::int64_t{3});
    p.set("F", std::int64_t{4});
    p.set("stride", std::int64_t{2});
    const auto s = buildSystolicSetup(withDefaults("systolic", p));
    const auto g = s.layer.gemmShape();
    EXPECT_EQ(g.M, 3 * 2); // SCALE-Sim's ofmap: ⌈(6−3+2)/2⌉ × ⌈(5−3+2)/2⌉
    EXPECT_EQ(g.K, 3 * 3 * 3);
    EXPECT_EQ(g.N, 4);
    ASSERT_EQ(s.cases.size(), 3u);
    for (const auto& c : s.cases) {
        EXPECT_EQ(c.maxError, 0.0) << sys::dataflowName(c.array.dataflow());
        EXPECT_EQ(c.report.computeCycles,
                  sys::analyzeLayer(s.layer, c.array.array(), c.array.dataflow()).computeCycles);
    }
    // A(m, k) is the ifmap pixel SCALE-Sim's address names (HWC order, channel fastest).
    const auto& c = s.cases[0];
    for (std::int64_t m = 0; m < g.M; ++m)
        for (std::int64_t k = 0; k < g.K; k += 3) {
            const std::int64_t addr = c.array.addressA(m, k);
            if (addr < 0) { // window past the edge: SCALE-Sim reads nothing, we read zeros
                EXPECT_EQ(c.array.A()(m, k), 0.0);
                continue;
            }
            EXPECT_EQ(c.array.A()(m, k), s.ifmap0(addr / 3 / 5, addr / 3 % 5));
        }
}

TEST(SystolicLab, BadParametersGiveMessages) {
    const Lab& lab = *builtinLabs().find("systolic");
    ParamSet p;
    p.set("layer", std::string("conv"));
    p.set("H", std::int64_t{2});
    p.set("R", std::int64_t{3});
    try {
        lab.run(withDefaults("systolic", p));
        FAIL() << "a filter taller than the input must be refused";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("filter"), std::string::npos) << e.what();
    }
    EXPECT_THROW(lab.run(gemm(4, 4, "os", 4096, 4096, 4096)), std::invalid_argument);
    ParamSet slice;
    slice.set("slicex", std::int64_t{6});
    EXPECT_THROW(builtinLabs().find("tpu-pod")->run(withDefaults("tpu-pod", slice)),
                 std::invalid_argument);
}

TEST(TpuMxu, OneBigArrayIsExactlyTheModel) {
    for (int batch : {1, 8, 64})
        for (const auto& layer : mxuSampleLayers(batch)) {
            const auto r = sys::analyzeLayer(layer, {256, 256}, sys::Dataflow::WS);
            EXPECT_EQ(mxuCycles(layer, {1, 256}), r.computeCycles) << layer.name;
            EXPECT_NEAR(mxuUtilization(layer, {1, 256}), r.overallUtilization, 1e-9) << layer.name;
        }
}

TEST(TpuMxu, FourArraysShareFoldsAsTheModelCountsThem) {
    // Hand check on one layer: 128² arrays, K = 1152, N = 128 → 9 row folds × 1 col fold.
    const auto layer = sys::Layer::gemm("res3", 6272, 1152, 128);
    const auto r = sys::analyzeLayer(layer, {128, 128}, sys::Dataflow::WS);
    ASSERT_EQ(r.folds, 9);
    // s = 1: ⌈9/4⌉ = 3 rounds of the full fold; larger s only adds preloads here.
    std::int64_t best = 3 * r.cyclesPerFold - 1;
    for (int s = 2; s <= 4; ++s) {
        const auto part = sys::Layer::gemm("p", (6272 + s - 1) / s, 1152, 128);
        const auto rp = sys::analyzeLayer(part, {128, 128}, sys::Dataflow::WS);
        best = std::min(best, (rp.folds * s + 3) / 4 * rp.cyclesPerFold - 1);
    }
    EXPECT_EQ(mxuCycles(layer, {4, 128}), best);
    EXPECT_NEAR(mxuUtilization(layer, {4, 128}),
                100.0 * 6272.0 * 1152 * 128 / (double(best) * 4 * 128 * 128), 1e-9);
    // Over the sample layers the smaller arrays are used better, as in the TPUv2 study.
    const auto res = evaluateMxus(8);
    double mean[3] = {0, 0, 0};
    for (const auto& l : res)
        for (int c = 0; c < 3; ++c)
            mean[c] += l.utilization[std::size_t(c)] / res.size();
    EXPECT_LT(mean[0], mean[1]);
    EXPECT_LT(mean[1], mean[2]);
}

TEST(TpuMxu, FloatFormats) {
    const auto f = floatFormats();
    EXPECT_EQ(f[1].maxValue(), 65504.0);
    EXPECT_NEAR(f[2].maxValue(), 3.3895313892515355e38, 1e24);
    EXPECT_EQ(f[0].maxValue(), double(std::numeric_limits<float>::max()));
    EXPECT_EQ(f[2].roundTo(100000.0), 99840.0);
    EXPECT_TRUE(std::isinf(f[1].roundTo(100000.0)));
    EXPECT_EQ(f[0].roundTo(0.1), double(0.1f));
    EXPECT_EQ(f[2].roundTo(1.0 + 1.0 / 256), 1.0); // a tie rounds to even
}

TEST(TpuPodLab, CubeHoverShowsWraparoundHops) {
    const auto run =
        builtinLabs().find("tpu-pod")->run(defaults(builtinLabs().find("tpu-pod")->params()));
    const auto s = run->scene(run->phaseStart("cube"), {});
    const auto* far = findObject(s, "chip (3,3,3)");
    ASSERT_NE(far, nullptr);
    EXPECT_EQ(fact(*far, "hops from source"), "3");
    const auto* mid = findObject(s, "chip (2,2,2)");
    ASSERT_NE(mid, nullptr);
    EXPECT_EQ(fact(*mid, "hops from source"), "6");
}

TEST(SystolicLessons, EveryFrameDrawsInBothLanguagesUnderBudget) {
    const LessonCatalog& cat = shippedCatalog();
    int lessons = 0;
    for (const char* id : {"systolic-os-3x3", "tpu-v1", "systolic-dataflows", "systolic-folding",
                           "systolic-conv", "tpu-v2-v3", "tpu-v4-pod"}) {
        const Lesson* l = cat.find(id);
        ASSERT_NE(l, nullptr) << id;
        ++lessons;
        EXPECT_GE(l->order, 2.11);
        EXPECT_LT(l->order, 2.12);
        LessonPlayer player(*l, *builtinLabs().find(l->labId));
        EXPECT_LE(player.frameCount(), 80) << id;
        for (int f = 0; f < player.frameCount(); ++f)
            for (Lang lang : {Lang::En, Lang::Zh}) {
                const auto s = player.scene(f, {lang, aisys::viz::Theme::Light});
                EXPECT_FALSE(s.list.empty()) << id << " frame " << f;
                EXPECT_FALSE(s.caption.empty()) << id << " frame " << f;
                EXPECT_LE(s.list.size(), 30000u) << id << " frame " << f;
            }
    }
    EXPECT_EQ(lessons, 7);
}
