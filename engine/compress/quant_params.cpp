// Quantization parameters, calibrators, tensor quantization and error metrics.
#include "engine/compress/quant_params.h"

#include "engine/compress/kl_calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aisys::engine::compress {

const char* schemeName(QScheme s) {
    return s == QScheme::Symmetric ? "symmetric" : "affine";
}

const char* calibrationName(Calibration c) {
    switch (c) {
    case Calibration::MinMax:
        return "minmax";
    case Calibration::Percentile:
        return "percentile";
    case Calibration::KL:
        return "kl";
    }
    return "?";
}

QScheme parseScheme(const std::string& s) {
    if (s == "symmetric")
        return QScheme::Symmetric;
    if (s == "affine")
        return QScheme::Affine;
    throw std::invalid_argument("quantization scheme '" + s + "': expected symmetric or affine");
}

Calibration parseCalibration(const std::string& s) {
    if (s == "minmax")
        return Calibration::MinMax;
    if (s == "percentile")
        return Calibration::Percentile;
    if (s == "kl")
        return Calibration::KL;
    throw std::invalid_argument("calibration '" + s + "': expected minmax, percentile or kl");
}

namespace {

/// The value at quantile `f` in [0, 1] of sorted data (nearest rank).
double quantile(const std::vector<float>& sorted, double f) {
    if (sorted.empty())
        return 0;
    const double pos = std::clamp(f, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
    return sorted[static_cast<std::size_t>(std::llround(pos))];
}

} // namespace

Range calibrate(const std::vector<float>& x, Calibration c, QScheme scheme, double pct) {
    Range r;
    if (x.empty())
        return r;
    const auto [mn, mx] = std::minmax_element(x.begin(), x.end());
    r.lo = *mn;
    r.hi = *mx;
    if (c == Calibration::MinMax)
        return r;
    if (c == Calibration::Percentile) {
        if (!(pct > 0 && pct <= 100))
            throw std::invalid_argument("percentile " + std::to_string(pct) +
                                        ": expected a value in (0, 100]");
        const double f = pct / 100.0;
        if (scheme == QScheme::Symmetric) {
            std::vector<float> a(x.size());
            for (std::size_t i = 0; i < x.size(); ++i)
                a[i] = std::fabs(x[i]);
            std::sort(a.begin(), a.end());
            const double t = quantile(a, f);
            return {-t, t};
        }
        std::vector<float> s = x;
        std::sort(s.begin(), s.end());
        return {quantile(s, 1.0 - f), quantile(s, f)};
    }
    const double t = klSearch(x).chosen;
    if (scheme == QScheme::Symmetric)
        return {-t, t};
    return {std::max(r.lo, -t), std::min(r.hi, t)};
}

std::size_t QuantizedTensor::channelOf(std::int64_t i) const {
    if (params.size() <= 1)
        return 0;
    std::int64_t inner = 1;
    for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < shape.size(); ++k)
        inner *= shape[k];
    return static_cast<std::size_t>((i / inner) % static_cast<std::int64_t>(params.size()));
}

QuantizedTensor quantizeTensor(const Tensor& x, const QuantSpec& spec) {
    if (x.dtype() != DType::F32)
        throw std::invalid_argument(std::string("quantizeTensor: expected f32, got ") +
                                    dtypeName(x.dtype()));
    QuantizedTensor qt;
    qt.shape = x.shape();
    qt.axis = spec.axis;
    const float* d = x.data<float>();
    const std::int64_t n = x.numel();
    if (!spec.perChannel || x.rank() == 0) {
        const std::vector<float> all(d, d + n);
        const Range r = calibrate(all, spec.calibration, spec.scheme, spec.percentile);
        qt.params.push_back(paramsForRange(r.lo, r.hi, spec.scheme, spec.bits));
    } else {
        if (spec.axis < 0 || spec.axis >= x.rank())
            throw std::invalid_argument("per-channel axis " + std::to_string(spec.axis) +
                                        " is outside a tensor of rank " + std::to_string(x.rank()));
        const std::int64_t channels = x.shape()[spec.axis];
        std::int64_t inner = 1;
        for (int k = spec.axis + 1; k < x.rank(); ++k)
            inner *= x.shape()[k];
        std::vector<std::vector<float>> per(static_cast<std::size_t>(channels));
        for (std::int64_t i = 0; i < n; ++i)
            per[static_cast<std::size_t>((i / inner) % channels)].push_back(d[i]);
        for (const auto& v : per) {
            const Range r = calibrate(v, spec.calibration, spec.scheme, spec.percentile);
            qt.params.push_back(paramsForRange(r.lo, r.hi, spec.scheme, spec.bits));
        }
    }
    qt.q.resize(static_cast<std::size_t>(n));
    qt.dequantized = Tensor(DType::F32, x.shape());
    float* out = qt.dequantized.data<float>();
    for (std::int64_t i = 0; i < n; ++i) {
        const QParams& p = qt.params[qt.channelOf(i)];
        qt.q[i] = p.quantize(d[i]);
        out[i] = p.dequantize(qt.q[i]);
    }
    return qt;
}

ErrorStats compareTensors(const Tensor& ref, const Tensor& approx) {
    if (ref.shape() != approx.shape())
        throw std::invalid_argument("compareTensors: shapes " + shapeToString(ref.shape()) +
                                    " and " + shapeToString(approx.shape()) + " differ");
    ErrorStats e;
    double signal = 0, noise = 0;
    const std::int64_t n = ref.numel();
    for (std::int64_t i = 0; i < n; ++i) {
        const double a = ref.at(i), b = approx.at(i), d = a - b;
        e.maxAbs = std::max(e.maxAbs, std::fabs(d));
        signal += a * a;
        noise += d * d;
    }
    e.mse = n > 0 ? noise / static_cast<double>(n) : 0.0;
    e.sqnrDb =
        noise > 0 ? 10.0 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
    return e;
}

ErrorStats quantError(const Tensor& ref, const QuantizedTensor& qt) {
    ErrorStats e = compareTensors(ref, qt.dequantized);
    std::int64_t clipped = 0;
    for (std::int64_t i = 0; i < ref.numel(); ++i) {
        const QParams& p = qt.params[qt.channelOf(i)];
        const double v = ref.at(i);
        clipped += v < p.clipLo() - p.scale / 2 || v > p.clipHi() + p.scale / 2;
    }
    e.clipRate = ref.numel() > 0 ? double(clipped) / double(ref.numel()) : 0.0;
    return e;
}

} // namespace aisys::engine::compress
