// MXU configurations with the same MAC count (1×256², 4×128², 16×64²) on sample layers, using
// the systolic-array model; number formats for the BF16 view.
#pragma once

#include "engine/hw/bits/bit_formats.h"
#include "engine/hw/systolic/systolic.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::lessons {

/// `count` weight-stationary arrays of dim × dim PEs.
struct MxuConfig {
    int count = 1;
    int dim = 256;
    std::string label() const;
};

/// The three configurations of the TPUv2 design study: 65 536 MACs each.
std::vector<MxuConfig> tpuStudyConfigs();

/// A sample layer (its GEMM for the batch) and its result on each configuration.
struct MxuLayerResult {
    std::string name;
    engine::systolic::GemmShape gemm;
    std::vector<double> utilization; ///< per configuration, percent
    std::vector<std::int64_t> cycles;
};

/// Cycles of `layer` (a GEMM) on `cfg`: the model's folds on one dim×dim array, each split into
/// s slices of M, handed out round-robin to the `count` arrays: ⌈folds·s / count⌉ · cycles per
/// fold − 1 (SCALE-Sim's count), minimised over s = 1…count. One array: the model's total.
std::int64_t mxuCycles(const engine::systolic::Layer& layer, const MxuConfig& cfg);
/// MACs / (cycles · count · dim²), percent.
double mxuUtilization(const engine::systolic::Layer& layer, const MxuConfig& cfg);

/// ResNet-50-shaped convolutions, an MLP and an LSTM gate GEMM with the batch folded into M.
std::vector<engine::systolic::Layer> mxuSampleLayers(int batch);

/// Evaluates every sample layer on every study configuration.
std::vector<MxuLayerResult> evaluateMxus(int batch);

/// A binary floating-point format: 1 sign bit, `exponent` and `mantissa` bits.
/// A float format of the BF16 view; its numbers come from engine/hw/bits (the bit inspector's
/// codec), so the widget and `aisyslab bits` cannot disagree.
struct FloatFormat {
    std::string name;
    int exponent = 8, mantissa = 23;
    engine::hw::BitFormat format = engine::hw::BitFormat::Fp32;
    double maxValue() const;        ///< largest finite value
    double minNormal() const;       ///< smallest positive normal value
    double epsilon() const;         ///< 2^-mantissa: spacing just above 1
    double roundTo(double x) const; ///< x rounded to nearest-even in this format (inf if too big)
};
std::vector<FloatFormat> floatFormats(); ///< FP32, FP16, BF16

} // namespace aisys::lessons
