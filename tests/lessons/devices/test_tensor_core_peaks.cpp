// Each Tensor Core generation's peak recomputed from the parts in the shipped device files:
// SM × Tensor Cores per SM × FMA per clock × 2 × clock (V100 125.3, A100 311.9, H100 989.5).
#include "engine/hw/gpu/tensor_core.h"
#include "lessons/devices/device_files.h"

#include <gtest/gtest.h>

using namespace aisys::engine::hw;
using namespace aisys::engine::hw::gpu;

TEST(TensorCore, PeakPerGenerationFromDeviceFiles) {
    // SM × Tensor Cores × FMA per clock × 2 × clock, the parts read from assets/devices.
    const auto cat = aisys::lessons::loadDeviceCatalog({AISYS_SOURCE_DIR "/assets/devices"});
    ASSERT_TRUE(cat.errors.empty());
    struct Want {
        const char* gen;
        double tflops;
    };
    for (auto [gen, tflops] : {Want{"volta", 125}, Want{"ampere", 312}, Want{"hopper", 989.4}}) {
        const TensorCoreGen& g = *findTensorCoreGen(gen);
        const Device* d = cat.find(g.device);
        ASSERT_NE(d, nullptr) << g.device;
        const PeakRate* p = findPeak(*d, Precision::Fp16);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->fmaPerTensorCoreClock, g.fmaPerClock) << gen;
        EXPECT_EQ(d->tensorCoresPerUnit, g.tensorCoresPerSm) << gen;
        const double peak = tensorCorePeakTflops(d->units, d->tensorCoresPerUnit, g.fmaPerClock,
                                                 peakClockGHz(*d, *p));
        EXPECT_NEAR(peak, tflops, tflops * 0.005) << gen; // V100 125.3, A100 311.9, H100 989.5
        EXPECT_NEAR(peak, *derivedPeakTflops(*d, *p), 1e-9);
    }
}
