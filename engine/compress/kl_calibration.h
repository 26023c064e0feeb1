// TensorRT's entropy (KL-divergence) calibration: the threshold T that keeps the distribution
// of |x| closest to its 128-level quantized version, with every intermediate as data.
#pragma once

#include <vector>

namespace aisys::engine::compress {

/// Everything the KL search computed (the quantization lesson draws it).
struct KlSearch {
    std::vector<double> histogram; ///< `bins` counts of |x| over [0, absMax]
    double absMax = 0;
    double binWidth = 0;
    std::vector<int> candidates;   ///< slice lengths i = levels .. bins
    std::vector<double> kl;        ///< KL(P‖Q) per candidate (parallel to candidates)
    std::vector<double> threshold; ///< (i + 0.5)·binWidth per candidate, capped at absMax
    int best = -1;                 ///< index into candidates of the smallest KL
    double chosen = 0;             ///< threshold of the best candidate
};

/// Runs the search (defaults: 2048 bins, 128 levels):
/// 1. histogram of |x| in `bins` bins over [0, max|x|];
/// 2. for each slice length i in [levels, bins]: P = bins[0:i] with the outlier mass
///    Σ bins[i:] added to P[i−1]; Q = bins[0:i] merged into `levels` groups of ⌊i/levels⌋ bins
///    (the last group takes the remainder), each group's count spread evenly over its bins that
///    are non-zero in P; both normalised and smoothed (ε = 1e-4 moved onto the empty bins);
///    KL(P‖Q) = Σ p·ln(p/q);
/// 3. T = (m + 0.5)·binWidth for the minimising i = m, capped at max|x|.
/// An all-zero or empty input gives T = 0 and no candidates.
KlSearch klSearch(const std::vector<float>& x, int bins = 2048, int levels = 128);

/// KL(P‖Q) of two count vectors of the same length after normalising and smoothing them.
double klDivergence(std::vector<double> p, std::vector<double> q);

} // namespace aisys::engine::compress
