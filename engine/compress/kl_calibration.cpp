// TensorRT's KL-divergence threshold search over a histogram of |x|.
#include "engine/compress/kl_calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aisys::engine::compress {

namespace {

/// Moves ε onto the empty bins of a count vector, taking it evenly from the non-empty ones
/// (MXNet's _smooth_distribution), so both distributions are positive everywhere.
void smooth(std::vector<double>& d, double eps = 1e-4) {
    std::size_t zeros = 0;
    for (double v : d)
        zeros += v == 0;
    const std::size_t nonzeros = d.size() - zeros;
    if (nonzeros == 0)
        return;
    const double eps1 = eps * static_cast<double>(zeros) / static_cast<double>(nonzeros);
    for (double& v : d)
        v = v == 0 ? eps : std::max(v - eps1, eps * 1e-3);
}

} // namespace

double klDivergence(std::vector<double> p, std::vector<double> q) {
    if (p.size() != q.size())
        throw std::invalid_argument("klDivergence: P has " + std::to_string(p.size()) +
                                    " bins, Q has " + std::to_string(q.size()));
    smooth(p);
    smooth(q);
    double sp = 0, sq = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        sp += p[i];
        sq += q[i];
    }
    if (sp <= 0 || sq <= 0)
        return 0;
    double kl = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double pi = p[i] / sp, qi = q[i] / sq;
        if (pi > 0)
            kl += pi * std::log(pi / qi);
    }
    return kl;
}

KlSearch klSearch(const std::vector<float>& x, int bins, int levels) {
    if (bins < 2 || levels < 2 || levels > bins)
        throw std::invalid_argument("klSearch: need 2 <= levels <= bins, got levels " +
                                    std::to_string(levels) + ", bins " + std::to_string(bins));
    KlSearch r;
    r.histogram.assign(static_cast<std::size_t>(bins), 0.0);
    for (float v : x)
        r.absMax = std::max(r.absMax, static_cast<double>(std::fabs(v)));
    if (x.empty() || r.absMax == 0)
        return r;
    // 1. Histogram of |x| over [0, absMax]; the maximum falls into the last bin.
    r.binWidth = r.absMax / bins;
    for (float v : x) {
        const int b = std::min(bins - 1, static_cast<int>(std::fabs(v) / r.binWidth));
        r.histogram[static_cast<std::size_t>(b)] += 1;
    }
    // Suffix sums give the outlier mass Σ bins[i:] in O(1).
    std::vector<double> tail(static_cast<std::size_t>(bins) + 1, 0.0);
    for (int i = bins - 1; i >= 0; --i)
        tail[i] = tail[i + 1] + r.histogram[i];
    double bestKl = std::numeric_limits<double>::infinity();
    std::vector<double> p, q;
    for (int i = levels; i <= bins; ++i) {
        // 2a. Reference P: the first i bins, outliers folded into the last one.
        p.assign(r.histogram.begin(), r.histogram.begin() + i);
        p[static_cast<std::size_t>(i) - 1] += tail[i];
        // 2b. Candidate Q: bins[0:i] merged into `levels` groups, expanded back over the bins
        //     that are non-zero in P.
        q.assign(static_cast<std::size_t>(i), 0.0);
        const int merged = i / levels;
        for (int j = 0; j < levels; ++j) {
            const int start = j * merged;
            const int stop = j == levels - 1 ? i : start + merged;
            double sum = 0;
            int nonzero = 0;
            for (int k = start; k < stop; ++k) {
                sum += r.histogram[k];
                nonzero += p[k] != 0;
            }
            if (nonzero == 0)
                continue;
            for (int k = start; k < stop; ++k)
                if (p[k] != 0)
                    q[k] = sum / nonzero;
        }
        // 2c. Divergence of the normalised, smoothed pair.
        const double kl = klDivergence(p, q);
        r.candidates.push_back(i);
        r.kl.push_back(kl);
        r.threshold.push_back(std::min(r.absMax, (i + 0.5) * r.binWidth));
        if (kl < bestKl) {
            bestKl = kl;
            r.best = static_cast<int>(r.candidates.size()) - 1;
        }
    }
    // 3. The threshold of the smallest divergence.
    r.chosen = r.threshold[static_cast<std::size_t>(r.best)];
    return r;
}

} // namespace aisys::engine::compress
