// The roofline Lab: the shipped device files' roofs in the picture, the course's V100 GEMMs,
// precision, memory level and utilization changes, the device table, and readable errors.
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

ParamSet base() {
    ParamSet p = defaults(builtinLabs().find("roofline")->params());
    p.set("devices", std::string(AISYS_SOURCE_DIR) + "/assets/devices");
    return p;
}

std::string frameText(ParamSet p, int frame, Lang lang = Lang::En) {
    const auto run = runLab("roofline", p);
    return textOf(run->scene(frame, {lang, aisys::viz::Theme::Light}));
}

bool has(const std::string& text, const std::string& want) {
    return text.find(want) != std::string::npos;
}

} // namespace

TEST(RooflineLab, TheCoursesV100Gemms) {
    ParamSet p = base();
    std::string t = frameText(p, 0);
    EXPECT_TRUE(has(t, "ridge = peak / bandwidth\n138.9 FLOP/B")) << t;
    EXPECT_TRUE(has(t, "intensity\n124.1 FLOP/B\nbound by\nmemory bandwidth\nattainable\n111.7 "
                       "TFLOPS"))
        << t;
    EXPECT_TRUE(has(t, "HBM2 138.9")) << t; // the ridge label on the HBM2 roof
    EXPECT_TRUE(has(t, "L2 40.3")) << t;
    p.set("N", std::int64_t{8192});
    t = frameText(p, 0);
    EXPECT_TRUE(has(t, "intensity\n2730.7 FLOP/B\nbound by\ncompute\nattainable\n125.0 TFLOPS"))
        << t;
    EXPECT_TRUE(hasChinese(frameText(p, 0, Lang::Zh)));
    EXPECT_TRUE(hasChinese(frameText(p, 1, Lang::Zh)));
    EXPECT_TRUE(hasChinese(frameText(p, 2, Lang::Zh)));
}

TEST(RooflineLab, PrecisionLevelAndUtilizationMoveTheRidge) {
    ParamSet p = base();
    p.set("dtype", std::string("fp32"));
    std::string t = frameText(p, 0);
    EXPECT_TRUE(has(t, "ridge = peak / bandwidth\n17.4 FLOP/B")) << t;
    EXPECT_TRUE(has(t, "intensity\n62.1 FLOP/B\nbound by\ncompute")) << t;
    p = base();
    p.set("memory", std::string("L2"));
    t = frameText(p, 0);
    EXPECT_TRUE(has(t, "L2 bandwidth\n3100 GB/s\nridge = peak / bandwidth\n40.3 FLOP/B")) << t;
    p = base();
    p.set("utilization", 0.5);
    t = frameText(p, 0);
    EXPECT_TRUE(has(t, "ridge = peak / bandwidth\n69.4 FLOP/B")) << t;
    EXPECT_TRUE(has(t, "bound by\ncompute\nattainable\n62.5 TFLOPS")) << t;
    p = base();
    p.set("op", std::string("elementwise"));
    EXPECT_TRUE(has(frameText(p, 0), "intensity\n0.25 FLOP/B\nbound by\nmemory bandwidth"));
}

TEST(RooflineLab, TheDeviceTableRanksEveryDeviceWithThePrecision) {
    const std::string t = frameText(base(), 2);
    // fp16 devices with a bandwidth, fastest first; TPUs (BF16 only) and Ascend (no bandwidth)
    // are left out.
    EXPECT_TRUE(has(t, "B200\n2250.0\n8000\n281.2\n124.1\nmemory\n")) << t;
    EXPECT_TRUE(has(t, "A100\n312.0\n1555\n200.6\n124.1\nmemory\n")) << t;
    EXPECT_TRUE(has(t, "V100\n125.0\n900\n138.9\n124.1\nmemory\n")) << t;
    EXPECT_LT(t.find("H100"), t.find("A100"));
    EXPECT_FALSE(has(t, "TPUv4"));
    EXPECT_FALSE(has(t, "Ascend910B"));
}

TEST(RooflineLab, BadParametersAreReadableErrors) {
    auto error = [](const ParamSet& p) {
        try {
            runLab("roofline", p);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error(defaults(builtinLabs().find("roofline")->params())),
              "no device folder: set 'devices' to a folder of device files (assets/devices)");
    ParamSet p = base();
    p.set("device", std::string("V200"));
    EXPECT_TRUE(has(error(p), "unknown device 'V200' (expected one of: A100,")) << error(p);
    p = base();
    p.set("dtype", std::string("fp8"));
    EXPECT_EQ(error(p), "V100 publishes no fp8 peak (it has: fp64, fp32, fp16)");
    p = base();
    p.set("device", std::string("Ascend910B"));
    EXPECT_TRUE(has(error(p), "Ascend910B publishes no memory bandwidth")) << error(p);
}
