// Calibrators (see calibration.h and engine/compiler/quant/README.md).
#include "engine/compiler/quant/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aisys::engine::quant {

const char* calibratorName(Calibrator c) {
    switch (c) {
    case Calibrator::MinMax:
        return "minmax";
    case Calibrator::Percentile:
        return "percentile";
    case Calibrator::KL:
        return "kl";
    }
    return "?";
}

Range minMaxRange(const std::vector<float>& x) {
    if (x.empty())
        return {};
    auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    return {*lo, *hi};
}

Range percentileRange(const std::vector<float>& x, double pct) {
    if (!(pct > 50 && pct <= 100))
        throw std::invalid_argument("percentile must be in (50, 100], got " + std::to_string(pct));
    if (x.empty())
        return {};
    std::vector<float> s = x;
    std::sort(s.begin(), s.end());
    const auto n = static_cast<double>(s.size());
    // Nearest rank: the ceil(p/100 · n)-th smallest (1-based).
    auto rank = [&](double p) {
        const auto r = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
        return s[std::min(s.size() - 1, r == 0 ? 0 : r - 1)];
    };
    return {rank(100.0 - pct), rank(pct)};
}

namespace {

/// Normalizes h to sum 1, then moves ε of mass onto every zero entry (taken evenly from the
/// non-zero ones), so that KL stays finite.
std::vector<double> normalizedSmoothed(std::vector<double> h) {
    double sum = 0;
    for (double v : h)
        sum += v;
    if (sum <= 0)
        return h;
    std::size_t zeros = 0;
    for (double& v : h) {
        v /= sum;
        zeros += v == 0;
    }
    const std::size_t nonzeros = h.size() - zeros;
    if (zeros == 0 || nonzeros == 0)
        return h;
    constexpr double eps = 1e-4;
    const double take = eps * static_cast<double>(zeros) / static_cast<double>(nonzeros);
    for (double& v : h)
        v = v == 0 ? eps : v - take;
    return h;
}

} // namespace

KlResult klThreshold(const std::vector<float>& x, int bins, int levels) {
    if (levels < 2 || bins <= levels)
        throw std::invalid_argument("KL calibration needs 2 <= levels < bins, got levels " +
                                    std::to_string(levels) + ", bins " + std::to_string(bins));
    KlResult r;
    double absmax = 0;
    for (float v : x)
        absmax = std::max(absmax, std::abs(static_cast<double>(v)));
    r.histogram.assign(static_cast<std::size_t>(bins), 0.0);
    if (absmax == 0)
        return r;
    // Step 1.
    r.binWidth = absmax / bins;
    for (float v : x) {
        const auto b = static_cast<int>(std::abs(static_cast<double>(v)) / r.binWidth);
        r.histogram[static_cast<std::size_t>(std::min(b, bins - 1))] += 1;
    }
    // Step 2.
    double best = std::numeric_limits<double>::infinity();
    for (int i = levels; i < bins; ++i) {
        std::vector<double> p(r.histogram.begin(), r.histogram.begin() + i);
        for (int k = i; k < bins; ++k)
            p[static_cast<std::size_t>(i - 1)] += r.histogram[static_cast<std::size_t>(k)];
        std::vector<double> q(static_cast<std::size_t>(i), 0.0);
        const int merged = i / levels;
        for (int j = 0; j < levels; ++j) {
            const int start = j * merged, stop = j == levels - 1 ? i : start + merged;
            double total = 0;
            int nonzero = 0;
            for (int k = start; k < stop; ++k) {
                total += r.histogram[static_cast<std::size_t>(k)];
                nonzero += p[static_cast<std::size_t>(k)] != 0;
            }
            if (nonzero == 0)
                continue;
            for (int k = start; k < stop; ++k)
                if (p[static_cast<std::size_t>(k)] != 0)
                    q[static_cast<std::size_t>(k)] = total / nonzero;
        }
        const std::vector<double> ps = normalizedSmoothed(p), qs = normalizedSmoothed(q);
        double kl = 0;
        for (std::size_t k = 0; k < ps.size(); ++k)
            if (ps[k] > 0)
                kl += ps[k] * std::log(ps[k] / qs[k]);
        r.divergence.push_back(kl);
        if (kl < best) {
            best = kl;
            r.best = i;
        }
    }
    // Step 3.
    r.threshold = (r.best + 0.5) * r.binWidth;
    return r;
}

Range calibrate(const std::vector<float>& x, Calibrator c, double percentile) {
    switch (c) {
    case Calibrator::MinMax:
        return minMaxRange(x);
    case Calibrator::Percentile:
        return percentileRange(x, percentile);
    case Calibrator::KL: {
        const Range mm = minMaxRange(x);
        const double t = klThreshold(x).threshold;
        return {std::max(mm.lo, -t), std::min(mm.hi, t)};
    }
    }
    return {};
}

} // namespace aisys::engine::quant
