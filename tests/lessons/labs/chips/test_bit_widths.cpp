// The bit-inspector Lab: the picture shows the engine's encoding (code, fields, nearest value,
// neighbours) in both languages, codes decode, and bad parameters are readable errors.
#include "engine/hw/bits/bit_formats.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace aisys::lessons;
using namespace aisys::test_support;
namespace hw = aisys::engine::hw;

namespace {

std::string frameText(const ParamSet& set, int frame, Lang lang = Lang::En) {
    ParamSet p = defaults(builtinLabs().find("bit-inspector")->params());
    p.merge(set);
    const auto run = runLab("bit-inspector", p);
    return textOf(run->scene(frame, {lang, aisys::viz::Theme::Light}));
}

ParamSet value(const char* format, double v) {
    ParamSet p;
    p.set("format", std::string(format));
    p.set("value", v);
    return p;
}

} // namespace

TEST(BitInspector, ThePictureShowsTheEnginesEncodingOfEveryFormat) {
    // For every format and a few values, the inspect frame holds the code and the nearest
    // value that engine/hw/bits computes — the picture cannot drift from the codec.
    for (const hw::FormatSpec& s : hw::allFormats())
        for (double v : {26.0, -13.0, 0.1, 3.14, 500.0, 5.0}) {
            const hw::Encoded e = hw::encode(s.format, v);
            ASSERT_TRUE(e.ok()) << s.name;
            const std::string t = frameText(value(s.name, v), 1);
            char hex[32];
            std::snprintf(hex, sizeof hex, "0x%0*llX", (s.bits + 3) / 4,
                          static_cast<unsigned long long>(e.code));
            EXPECT_NE(t.find(hex), std::string::npos) << s.name << " " << v << "\n" << t;
        }
}

TEST(BitInspector, TheCoursesExamplesAndTheNeighbours) {
    std::string t = frameText(value("fp32", 26), 1);
    EXPECT_NE(t.find("0x41D00000"), std::string::npos) << t;
    EXPECT_NE(t.find("(−1)^0 × 2^(131−127) × (1 + 5242880/2^23) = 26"), std::string::npos) << t;
    EXPECT_NE(t.find("26 (exact)"), std::string::npos) << t;
    t = frameText(value("int8", -13), 1);
    EXPECT_NE(t.find("1111 0011 = -13"), std::string::npos) << t;
    // FP16 0.1: the stored value and its neighbours 2^-14 apart on the number line.
    t = frameText(value("fp16", 0.1), 1);
    EXPECT_NE(t.find("nearest representable\n0.0999755859375"), std::string::npos) << t;
    EXPECT_NE(t.find("0.10003662109375\n0x2E67"), std::string::npos) << t;
    EXPECT_NE(t.find("ulp here\n6.103515625e-05"), std::string::npos) << t;
    // A code decodes instead: E4M3 0x4B = 5.5.
    ParamSet c;
    c.set("format", std::string("fp8e4m3"));
    c.set("code", std::string("0x4B"));
    t = frameText(c, 1);
    EXPECT_NE(t.find("(1 + 3/2^3) = 5.5"), std::string::npos) << t;
    // Both languages draw every frame.
    for (int f = 0; f < 3; ++f)
        EXPECT_TRUE(hasChinese(frameText(value("bf16", 1e5), f, Lang::Zh))) << f;
}

TEST(BitInspector, ChipsLabsFloatRangesFitTheParameterSlider) {
    // The GUI's parameter panel is a Dear ImGui float slider: |min|, |max| ≤ FLT_MAX / 2.
    for (const char* lab : {"bit-inspector", "roofline"})
        for (const ParamSpec& p : builtinLabs().find(lab)->params())
            if (p.type == ParamType::Float) {
                EXPECT_LE(std::fabs(p.min), std::numeric_limits<float>::max() / 2) << p.name;
                EXPECT_LE(std::fabs(p.max), std::numeric_limits<float>::max() / 2) << p.name;
            }
}

TEST(BitInspector, BadParametersAreReadableErrors) {
    ParamSet p = defaults(builtinLabs().find("bit-inspector")->params());
    p.set("format", std::string("fp8e4m3"));
    p.set("code", std::string("0x1FF"));
    try {
        runLab("bit-inspector", p);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "code '0x1FF': fp8e4m3 code 511 needs more than 8 bits (expected 0 "
                               "to 255)");
    }
    p.set("code", std::string());
    p.set("format", std::string("fp4e2m1"));
    p.set("value", std::numeric_limits<double>::quiet_NaN());
    EXPECT_THROW(runLab("bit-inspector", p), std::invalid_argument);
}
