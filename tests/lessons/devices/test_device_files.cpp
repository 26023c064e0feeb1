// The device catalogue: every shipped file reads, its derived peaks agree with the parts, the
// TPU files agree with engine/hw/tpu, and malformed files give file:line errors.
#include "engine/hw/roofline/roofline.h"
#include "engine/hw/tpu/specs.h"
#include "lessons/devices/device_files.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace hw = aisys::engine::hw;
using aisys::lessons::LessonError;

namespace {

const aisys::lessons::DeviceCatalog& shipped() {
    static const auto cat =
        aisys::lessons::loadDeviceCatalog({std::string(AISYS_SOURCE_DIR) + "/assets/devices"});
    return cat;
}

const hw::Device& device(const char* name) {
    const hw::Device* d = shipped().find(name);
    if (!d)
        throw std::runtime_error(std::string("no device ") + name);
    return *d;
}

/// The errors of parsing `text` as a device file, formatted "file:line:col: message".
std::vector<std::string> errorsOf(const std::string& text) {
    std::vector<LessonError> errors;
    const auto d = aisys::lessons::parseDevice(text, "my.toml", errors);
    EXPECT_EQ(d.has_value(), errors.empty());
    std::vector<std::string> out;
    for (const auto& e : errors)
        out.push_back(e.format());
    return out;
}

const char* kGood = R"(name = "Mine"
kind = "gpu"
[[sources]]
id = "me"
title = "my measurements"
[chip]
clock_ghz = 1.0
units = 10
source = "me: counted"
[[peak]]
precision = "fp32"
dense_tflops = 1.28
fma_per_unit_clock = 64
source = "me: measured"
[[memory]]
name = "DRAM"
capacity = "8 GB"
bandwidth_gbs = 100
source = "me: stream"
)";

} // namespace

TEST(DeviceFiles, EveryShippedDeviceReadsWithoutErrors) {
    for (const auto& e : shipped().errors)
        ADD_FAILURE() << e.format();
    for (const char* name : {"V100", "A100", "H100", "B200", "TPUv1", "TPUv2", "TPUv3", "TPUv4i",
                             "TPUv4", "Ascend910B", "MLU370-X8", "Xeon8280", "EPYC7742"})
        EXPECT_NE(shipped().find(name), nullptr) << name;
    // Every number has a source, and every source id is defined (checkDevice ran on load).
    for (const hw::Device& d : shipped().devices) {
        EXPECT_FALSE(d.sources.empty()) << d.name;
        for (const hw::PeakRate& p : d.peaks)
            EXPECT_FALSE(p.source.empty()) << d.name;
        EXPECT_TRUE(hw::checkDevice(d).empty()) << d.name;
    }
}

TEST(DeviceFiles, DerivedPeaksAreRecomputedFromTheirParts) {
    // A100 FP32 = 108 SM × 64 × 2 × 1.41 GHz = 19.5 TFLOPS (SYLLABUS §2.6, corrected §8).
    const hw::Device& a100 = device("A100");
    const auto fp32 = hw::derivedPeakTflops(a100, *hw::findPeak(a100, hw::Precision::Fp32));
    ASSERT_TRUE(fp32);
    EXPECT_NEAR(*fp32, 108 * 64 * 2 * 1.41e9 / 1e12, 1e-9);
    EXPECT_NEAR(*fp32, 19.5, 0.05);
    // A100 FP16 Tensor: 108 × 4 × 256 × 2 × 1.41 GHz = 312.
    EXPECT_NEAR(*hw::derivedPeakTflops(a100, *hw::findPeak(a100, hw::Precision::Fp16)), 312, 0.5);
    // V100 Tensor Core = 80 SM × 8 TC × 64 FMA × 2 × 1.53 GHz = 125 TFLOPS; 8 TCs per SM (§8).
    const hw::Device& v100 = device("V100");
    EXPECT_EQ(v100.tensorCoresPerUnit, 8);
    EXPECT_NEAR(*hw::derivedPeakTflops(v100, *hw::findPeak(v100, hw::Precision::Fp16)), 125.3,
                0.05);
    // Every peak with parts agrees with its stated value within 1 %.
    int derived = 0;
    for (const hw::Device& d : shipped().devices)
        for (const hw::PeakRate& p : d.peaks)
            if (auto v = hw::derivedPeakTflops(d, p)) {
                ++derived;
                EXPECT_NEAR(*v, p.denseTflops, 0.01 * p.denseTflops)
                    << d.name << " " << hw::precisionName(p.precision);
            }
    EXPECT_GE(derived, 25);
}

TEST(DeviceFiles, TpuFilesAgreeWithTheEnginesTpuTable) {
    for (const auto& g : aisys::engine::tpu::tpuGenerations()) {
        const hw::Device& d = device(g.name.c_str());
        EXPECT_DOUBLE_EQ(d.clockGHz * 1000, g.clockMHz) << g.name;
        EXPECT_EQ(d.units, g.mxusPerChip) << g.name;
        const hw::PeakRate* p =
            hw::findPeak(d, g.name == "TPUv1" ? hw::Precision::Int8 : hw::Precision::Bf16);
        ASSERT_NE(p, nullptr) << g.name;
        EXPECT_DOUBLE_EQ(p->denseTflops, g.peakTops) << g.name;
        EXPECT_DOUBLE_EQ(p->fmaPerUnitClock, double(g.mxuDim) * g.mxuDim) << g.name;
        EXPECT_NEAR(*hw::derivedPeakTflops(d, *p), aisys::engine::tpu::peakTopsFromArray(g), 1e-9)
            << g.name;
        EXPECT_DOUBLE_EQ(hw::mainMemory(d)->bandwidthGBs, g.memGBs) << g.name;
        if (!g.powerIsMean) {
            EXPECT_DOUBLE_EQ(d.tdpW, g.powerW) << g.name;
        }
    }
}

TEST(DeviceFiles, TheCourseV100ExamplesComeOutOfTheShippedFile) {
    const auto roof = hw::makeRoof(device("V100"), hw::Precision::Fp16);
    ASSERT_TRUE(roof.ok()) << roof.error;
    EXPECT_NEAR(roof.roof.ridge(), 138.9, 0.05);
    // A100 L1/shared is 192 KiB per SM: 20.25 MiB in all (the course's "20 MB").
    EXPECT_DOUBLE_EQ(hw::findMemory(device("A100"), "L1/shared")->capacityBytes,
                     108 * 192 * 1024.0);
}

TEST(DeviceFiles, TheA100FileReproducesTheCoursesIntensityTable) {
    // SYLLABUS §2.6: the intensity a kernel needs at L1 / L2 / HBM is 8 / 39 / 100 FLOP/B at
    // the TF32 Tensor Core peak (156 TFLOPS) and 32 / 156 / 401 at INT8's 624 TOPS.
    const hw::Device& a = device("A100");
    const double tf32[] = {100, 39, 8}, int8[] = {401, 156, 32};
    const char* levels[] = {"HBM2", "L2", "L1/shared"};
    for (int i = 0; i < 3; ++i) {
        EXPECT_NEAR(hw::makeRoof(a, hw::Precision::Tf32, levels[i]).roof.ridge(), tf32[i], 0.5)
            << levels[i];
        EXPECT_NEAR(hw::makeRoof(a, hw::Precision::Int8, levels[i]).roof.ridge(), int8[i], 0.5)
            << levels[i];
    }
}

TEST(DeviceFiles, AUsersFileIsReadAndOverridesABuiltInOne) {
    std::vector<LessonError> errors;
    auto d = aisys::lessons::parseDevice(kGood, "my.toml", errors);
    ASSERT_TRUE(d) << (errors.empty() ? "" : errors[0].format());
    EXPECT_EQ(d->name, "Mine");
    EXPECT_DOUBLE_EQ(d->memory[0].capacityBytes, 8e9);
    // A user's folder after the built-in one: its "A100" replaces the shipped file.
    const fs::path dir =
        fs::temp_directory_path() / ("aisys_devices_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string mine = kGood;
    mine.replace(mine.find("\"Mine\""), 6, "\"a100\"");
    std::ofstream(dir / "a100.toml") << mine;
    std::ofstream(dir / "broken.toml") << "name = [\n";
    const auto cat = aisys::lessons::loadDeviceCatalog(
        {std::string(AISYS_SOURCE_DIR) + "/assets/devices", dir.string()});
    ASSERT_NE(cat.find("A100"), nullptr);
    EXPECT_EQ(cat.find("A100")->file, (dir / "a100.toml").string());
    EXPECT_EQ(cat.devices.size(), shipped().devices.size());
    ASSERT_EQ(cat.errors.size(), 1u);
    EXPECT_EQ(cat.errors[0].file, (dir / "broken.toml").string());
    EXPECT_EQ(cat.errors[0].line, 1);
    fs::remove_all(dir);
}

TEST(DeviceFiles, MalformedFilesNameTheLineTheKeyAndWhatWasExpected) {
    std::string t = kGood;
    // A string where a number belongs (line 12).
    std::string bad = t;
    bad.replace(bad.find("dense_tflops = 1.28"), 19, "dense_tflops = \"fast\"");
    EXPECT_EQ(errorsOf(bad), std::vector<std::string>{
                                 "my.toml:12:16: key 'dense_tflops' in [[peak]] 1 is a string "
                                 "(expected a number)"});
    // An unknown key and an unknown precision.
    bad = t;
    bad.replace(bad.find("precision = \"fp32\""), 18, "precision = \"fp33\"\nspeed = 3");
    const auto e = errorsOf(bad);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_NE(e[0].find("my.toml:12:9: unknown key 'speed' in [[peak]] 1"), std::string::npos)
        << e[0];
    EXPECT_NE(e[1].find("my.toml:11:13: precision 'fp33' in [[peak]] 1 (expected one of: fp64,"),
              std::string::npos)
        << e[1];
    // A peak that its parts contradict: 10 × 64 × 2 × 1 GHz = 1.28, not 2.
    bad = t;
    bad.replace(bad.find("1.28"), 4, "2");
    ASSERT_EQ(errorsOf(bad).size(), 1u);
    EXPECT_EQ(errorsOf(bad)[0], "my.toml:10: peak fp32: dense_tflops = 2 but its parts give 1.28 "
                                "(expected agreement within 1 %)");
    // A capacity without a unit, a source id nobody defined, broken TOML.
    bad = t;
    bad.replace(bad.find("\"8 GB\""), 6, "\"8 lots\"");
    EXPECT_NE(errorsOf(bad)[0].find("my.toml:17:12: capacity '8 lots' in [[memory]] 1 (expected a "
                                    "number and a unit"),
              std::string::npos);
    bad = t;
    bad.replace(bad.find("me: stream"), 10, "you: stream");
    EXPECT_EQ(errorsOf(bad)[0],
              "my.toml:15: memory DRAM: source 'you: stream' names no [[sources]] id");
    EXPECT_NE(errorsOf("name = \n")[0].find("my.toml:1:"), std::string::npos);
    EXPECT_NE(errorsOf("name = \"x\"\nkind = \"gpu\"\n")[0].find("no [[sources]] table"),
              std::string::npos);
}

TEST(DeviceFiles, EveryOneLineDamageIsAnErrorOrStillAValidDevice) {
    // Drop each line of a good file, or replace its value with text of the wrong type: the
    // reader never crashes, and a file it rejects names its errors "my.toml[:line]: ...".
    std::vector<std::string> lines;
    std::string text = kGood;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t nl = text.find('\n', at);
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    for (std::size_t i = 0; i < lines.size(); ++i)
        for (int variant = 0; variant < 3; ++variant) {
            std::string damaged;
            for (std::size_t j = 0; j < lines.size(); ++j) {
                std::string line = lines[j];
                if (j == i) {
                    const std::size_t eq = line.find(" = ");
                    if (variant == 0)
                        line.clear();
                    else if (eq != std::string::npos)
                        line = line.substr(0, eq) + (variant == 1 ? " = [1, 2]" : " = -7");
                }
                damaged += line + "\n";
            }
            std::vector<LessonError> errors;
            const auto d = aisys::lessons::parseDevice(damaged, "my.toml", errors);
            EXPECT_EQ(d.has_value(), errors.empty()) << damaged;
            for (const auto& e : errors) {
                EXPECT_EQ(e.file, "my.toml");
                EXPECT_FALSE(e.message.empty());
            }
        }
}
