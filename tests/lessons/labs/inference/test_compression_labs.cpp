// The quantization and pruning Labs: every lesson frame draws in both languages within the
// primitive budget, and the numbers drawn are the engine's.
#include "engine/compress/kl_calibration.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/lab_registry.h"
#include "lessons/labs/inference/quantization/quantization_lab.h"
#include "lessons/lesson_loader.h"
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using namespace aisys::lessons;
using namespace aisys::test_support;

TEST(CompressLabs, EveryLessonFrameDrawsInBothLanguagesWithinBudget) {
    expectEveryFrameDraws({"quantization", "pruning"});
}

TEST(CompressLabs, QuantizationDrawsTheEnginesKlThresholdAndScale) {
    ParamSet set;
    set.set("calibration", std::string("kl"));
    auto run = runLab("quantization", set);
    ASSERT_EQ(run->frameCount(), 6);
    const std::string hist = textOf(run->scene(0, {}));
    const std::string kl = textOf(run->scene(1, {}));
    // The KL frame's threshold is the one the calibrator chose: T/127 is the scale drawn.
    const auto pos = kl.find("T = ");
    ASSERT_NE(pos, std::string::npos);
    const double t = std::stod(kl.substr(pos + 4));
    EXPECT_GT(t, 2.0);
    EXPECT_LT(t, 8.0);
    // The histogram frame's scale is T / 127 (symmetric, saturating at the KL threshold).
    const auto sp = hist.find("scale s\n");
    ASSERT_NE(sp, std::string::npos);
    EXPECT_NEAR(std::stod(hist.substr(sp + 8)) * 127, t, 2e-3);
    // Fewer bits: a larger MSE is printed (symmetric min-max, per tensor).
    auto mse = [](const std::string& text) {
        const auto p = text.find("MSE\n");
        return std::stod(text.substr(p + 4));
    };
    ParamSet b8, b4;
    b4.set("bits", std::int64_t{4});
    EXPECT_GT(mse(textOf(runLab("quantization", b4)->scene(0, {}))),
              10 * mse(textOf(runLab("quantization", b8)->scene(0, {}))));
    // The GEMM frame shows int32 accumulators next to the float product.
    const std::string gemm = textOf(run->scene(4, {}));
    EXPECT_NE(gemm.find("acc (int32)"), std::string::npos);
    EXPECT_NE(gemm.find("[K·za·zb]"), std::string::npos);
    EXPECT_NE(run->scene(3, {}).caption.find("straight-through"), std::string::npos);
}

TEST(CompressLabs, QdqModelAgreesAt8BitsAndDegradesAt2) {
    using namespace aisys::engine::compress;
    QuantSpec spec;
    spec.perChannel = true;
    const QdqExample e8 = makeQdqExample(spec, 1);
    EXPECT_EQ(e8.quantized.verify(), "");
    EXPECT_EQ(e8.report.tensors.size(), 6u); // x, p1, f and the three weights
    EXPECT_EQ(e8.agreement.rows, 80);
    EXPECT_GE(e8.agreement.top1, 0.95);
    spec.bits = 2;
    const QdqExample e2 = makeQdqExample(spec, 1);
    EXPECT_LT(e2.agreement.error.sqnrDb, e8.agreement.error.sqnrDb - 20);
    EXPECT_LT(e2.agreement.top1, e8.agreement.top1);
}

TEST(CompressLabs, FakeQuantCurveIsTheStaircaseAndTheStraightThroughGradient) {
    using namespace aisys::engine::compress;
    for (QScheme scheme : {QScheme::Symmetric, QScheme::Affine}) {
        const FakeQuantCurve c = makeFakeQuantCurve(scheme, 3);
        ASSERT_EQ(c.x.size(), c.grad.size());
        int ones = 0, zeros = 0;
        for (std::size_t i = 0; i < c.x.size(); ++i) {
            const float x = static_cast<float>(c.x[i]);
            EXPECT_FLOAT_EQ(static_cast<float>(c.y[i]), c.p.fakeQuant(x)) << x;
            const bool inside = x >= c.p.clipLo() && x <= c.p.clipHi();
            EXPECT_EQ(c.grad[i], inside ? 1.0 : 0.0) << x;
            ones += inside;
            zeros += !inside;
        }
        EXPECT_GT(ones, 100);
        EXPECT_GT(zeros, 100);
    }
}

TEST(CompressLabs, PruningReportsTheRequestedSparsity) {
    ParamSet set;
    set.set("sparsity", 0.6);
    set.set("epochs", std::int64_t{3});
    const std::string report = textOf(runLab("pruning", set)->scene(2, {}));
    EXPECT_NE(report.find("60.0 %"), std::string::npos) << report; // total sparsity
    set.set("mode", std::string("channel"));
    set.set("sparsity", 0.5);
    const std::string ch = textOf(runLab("pruning", set)->scene(2, {}));
    EXPECT_NE(ch.find("conv1: removed channels"), std::string::npos) << ch;
    EXPECT_NE(ch.find("also shrank: conv2"), std::string::npos) << ch;
    EXPECT_NE(ch.find("fc: not pruned"), std::string::npos) << ch;
}
