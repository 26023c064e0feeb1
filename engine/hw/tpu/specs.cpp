// TPU generation table and derived peak / ridge numbers.
#include "engine/hw/tpu/specs.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine::tpu {

const std::vector<TpuGeneration>& tpuGenerations() {
    // Course table (SYLLABUS §2.11) with §8's corrections: TPUv1 draws 75 W (TDP) and reads
    // 34 GB/s of DDR3 (the table's 300 GB/s is wrong). MXU counts: v1 one 256² unit; v2 two
    // TensorCores × one 128² MXU; v3 two × two; v4i one TensorCore × four; v4 two × four.
    static const std::vector<TpuGeneration> gens = {
        {"TPUv1", 28, 330, 28, 700, "DDR3 8 GiB", 34, 75, 92, 1, 256, "INT8", "inference"},
        {"TPUv2", 16, 625, 32, 700, "HBM 16 GiB", 700, 280, 45, 2, 128, "BF16 × BF16 → FP32",
         "training"},
        {"TPUv3", 16, 700, 32, 940, "HBM 32 GiB", 900, 450, 123, 4, 128, "BF16 × BF16 → FP32",
         "training"},
        {"TPUv4i", 7, 400, 144, 1050, "DDR 8 GiB", 300, 175, 0, 4, 128, "BF16 / INT8", "inference"},
        {"TPUv4", 7, 780, 288, 1050, "HBM 32 GiB", 1200, 300, 275, 8, 128, "BF16 × BF16 → FP32",
         "training"},
    };
    return gens;
}

const TpuGeneration& tpuGeneration(const std::string& name) {
    for (const auto& g : tpuGenerations())
        if (g.name == name)
            return g;
    throw std::invalid_argument("unknown TPU generation '" + name +
                                "' (expected TPUv1, TPUv2, TPUv3, TPUv4i or TPUv4)");
}

double peakTopsFromArray(const TpuGeneration& g) {
    return double(g.mxusPerChip) * g.mxuDim * g.mxuDim * 2.0 * g.clockMHz * 1e6 / 1e12;
}

double ridgeOpsPerByte(const TpuGeneration& g) {
    return peakTopsFromArray(g) * 1e12 / (g.memGBs * 1e9);
}

double attainableTops(const TpuGeneration& g, double opsPerByte) {
    return std::min(peakTopsFromArray(g), opsPerByte * g.memGBs * 1e9 / 1e12);
}

} // namespace aisys::engine::tpu
