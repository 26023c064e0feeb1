// TPU generation table and derived peak / ridge numbers.
#include "engine/hw/tpu/specs.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine::tpu {

const std::vector<TpuGeneration>& tpuGenerations() {
    // Every number with its source (one table per row, exceptions noted per field):
    //  v1, v2, v3, v4i: Jouppi et al., "Ten Lessons From Three Generations Shaped Google's
    //    TPUv4i", ISCA 2021, Table 1 (node, die, on-chip memory, clock, DRAM size and bandwidth,
    //    TDP, peak, MXUs per core × cores per chip). TPUv1 also: Jouppi et al., ISCA 2017,
    //    Table 2 (75 W TDP, 34 GB/s DDR3; the course's 40 W is Table 2's measured busy power
    //    per die, and its 300 GB/s is no TPUv1 figure).
    //    TPUv2's peak is 46 TFLOPS there (2 × 128² × 2 × 700 MHz = 45.9); the course writes 45.
    //  v4: Jouppi et al., "TPU v4: An Optically Reconfigurable Supercomputer", ISCA 2023, its
    //    table of TPU v4 against TPU v3 (7 nm, 1050 MHz, 32 GiB HBM2 at 1200 GB/s, 275 TFLOPS, 2
    //    cores × 4 MXUs; power min/mean/max 90/170/192 W: 170 W is the measured mean, which the
    //    course's 275 / 170 = 1.62 TFLOPS/W uses). Die and on-chip memory are the course table's
    //    (SYLLABUS §2.11), not checked against the paper.
    static const std::vector<TpuGeneration> gens = {
        {"TPUv1", 28, 330, 28, 700, "DDR3 8 GiB", 34, 75, false, 92, 1, 256, "INT8", "inference",
         "Jouppi et al., ISCA 2017, Table 2; ISCA 2021, Table 1"},
        {"TPUv2", 16, 625, 32, 700, "HBM 16 GiB", 700, 280, false, 46, 2, 128, "BF16 × BF16 → FP32",
         "training", "Jouppi et al., ISCA 2021, Table 1"},
        {"TPUv3", 16, 700, 32, 940, "HBM 32 GiB", 900, 450, false, 123, 4, 128,
         "BF16 × BF16 → FP32", "training", "Jouppi et al., ISCA 2021, Table 1"},
        {"TPUv4i", 7, 400, 144, 1050, "HBM2 8 GiB", 614, 175, false, 138, 4, 128, "BF16 / INT8",
         "inference", "Jouppi et al., ISCA 2021, Table 1"},
        {"TPUv4", 7, 780, 288, 1050, "HBM2 32 GiB", 1200, 170, true, 275, 8, 128,
         "BF16 × BF16 → FP32", "training",
         "Jouppi et al., ISCA 2023, TPU v4 vs v3 table (die, on-chip: course table)"},
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
