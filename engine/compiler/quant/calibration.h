// Calibration: the real range [lo, hi] an activation is quantized over, from samples seen while
// running the float model: min-max, percentile, and TensorRT's KL-divergence threshold.
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::quant {

struct Range {
    double lo = 0, hi = 0;
};

enum class Calibrator { MinMax, Percentile, KL };
const char* calibratorName(Calibrator c);

/// The smallest and largest sample ({0, 0} when empty).
Range minMaxRange(const std::vector<float>& x);
/// lo = the (100 − pct)-th percentile, hi = the pct-th (nearest rank on the sorted samples);
/// pct in (50, 100].
Range percentileRange(const std::vector<float>& x, double pct);

/// TensorRT's entropy calibration on |x| (the data behind the quantization lesson's chart).
struct KlResult {
    double threshold = 0;          ///< clip |x| at this value: (best + 0.5) · binWidth
    int best = 0;                  ///< the number of bins kept that minimizes KL(P‖Q)
    double binWidth = 0;           ///< absmax / bins
    std::vector<double> histogram; ///< `bins` counts of |x|
    std::vector<double> divergence; ///< KL(P‖Q) for kept = levels .. bins−1 (index kept − levels)
};
/// 1. Histogram |x| into `bins` bins over [0, absmax].
/// 2. For each kept count i in [levels, bins): P = bins[0:i] with the mass of bins[i:] added to
///    P[i−1]; Q = bins[0:i] merged into `levels` groups of ⌊i/levels⌋ bins (the last takes the
///    rest), each group's total spread evenly over the bins where P is non-zero; normalize both,
///    smooth zeros by ε = 1e−4, KL(P‖Q) = Σ P·ln(P/Q).
/// 3. threshold = (i* + 0.5) · binWidth for the minimizing i*.
KlResult klThreshold(const std::vector<float>& x, int bins = 2048, int levels = 128);

/// The range a calibrator picks (KL: symmetric [−T, T] clipped to the data's min and max).
Range calibrate(const std::vector<float>& x, Calibrator c, double percentile = 99.99);

} // namespace aisys::engine::quant
