// Quantization parameters, quantize/dequantize, error metrics, exact int8 GEMM.
#include "engine/compiler/quant/quant_params.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace aisys::engine::quant {

void integerRange(DType t, std::int64_t& qmin, std::int64_t& qmax) {
    if (t == DType::I8) {
        qmin = -128;
        qmax = 127;
    } else if (t == DType::U8) {
        qmin = 0;
        qmax = 255;
    } else {
        throw std::invalid_argument(std::string("quantized type must be i8 or u8, got ") +
                                    dtypeName(t));
    }
}

namespace {

/// Appends the parameters of one range to p (steps of chooseParams).
void addRange(QuantParams& p, double lo, double hi, QScheme scheme) {
    if (!(lo <= hi))
        throw std::invalid_argument("quantization range: lo " + std::to_string(lo) +
                                    " must not exceed hi " + std::to_string(hi));
    if (scheme == QScheme::Symmetric) {
        // 1. s = absmax / 127 (int8 restricted to −127..127 so that −x quantizes like x), z = 0.
        if (p.type != DType::I8)
            throw std::invalid_argument("symmetric quantization needs i8");
        const double absmax = std::max(std::abs(lo), std::abs(hi));
        p.scale.push_back(absmax > 0 ? static_cast<float>(absmax / 127.0) : 1.0f);
        p.zeroPoint.push_back(0);
        return;
    }
    // 2. Affine: widen the range to include 0 (so real 0 maps exactly to z), then
    //    s = (hi − lo)/(qmax − qmin), z = qmin − round(lo/s), clamped into [qmin, qmax].
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    if (hi == lo) {
        p.scale.push_back(1.0f);
        p.zeroPoint.push_back(std::clamp<std::int64_t>(0, p.qmin, p.qmax));
        return;
    }
    const float s = static_cast<float>((hi - lo) / static_cast<double>(p.qmax - p.qmin));
    const auto z = static_cast<std::int64_t>(std::nearbyint(p.qmin - lo / s));
    p.scale.push_back(s);
    p.zeroPoint.push_back(std::clamp(z, p.qmin, p.qmax));
}

/// Channel of flat element i along `axis` of shape s (0 for per-tensor).
struct ChannelOf {
    std::int64_t len = 1, inner = 1;
    ChannelOf(const Shape& s, int axis) {
        if (axis < 0)
            return;
        len = s.at(static_cast<std::size_t>(axis));
        for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < s.size(); ++d)
            inner *= s[d];
    }
    std::int64_t operator()(std::int64_t i) const { return len == 1 ? 0 : (i / inner) % len; }
};

} // namespace

QuantParams chooseParams(double lo, double hi, QScheme scheme, DType type) {
    QuantParams p;
    p.type = type;
    integerRange(type, p.qmin, p.qmax);
    addRange(p, lo, hi, scheme);
    return p;
}

QuantParams chooseParamsPerChannel(const Tensor& x, int axis, QScheme scheme, DType type) {
    if (axis < 0 || axis >= x.rank())
        throw std::invalid_argument("per-channel axis " + std::to_string(axis) +
                                    " out of range for " + shapeToString(x.shape()));
    QuantParams p;
    p.type = type;
    p.axis = axis;
    integerRange(type, p.qmin, p.qmax);
    const ChannelOf ch(x.shape(), axis);
    std::vector<double> lo(static_cast<std::size_t>(ch.len), std::numeric_limits<double>::max());
    std::vector<double> hi(static_cast<std::size_t>(ch.len), std::numeric_limits<double>::lowest());
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        const auto c = static_cast<std::size_t>(ch(i));
        lo[c] = std::min(lo[c], x.at(i));
        hi[c] = std::max(hi[c], x.at(i));
    }
    for (std::size_t c = 0; c < lo.size(); ++c)
        addRange(p, lo[c] <= hi[c] ? lo[c] : 0.0, lo[c] <= hi[c] ? hi[c] : 0.0, scheme);
    return p;
}

Tensor quantize(const Tensor& x, const QuantParams& p) {
    Tensor q(p.type, x.shape());
    const ChannelOf ch(x.shape(), p.axis);
    if (static_cast<std::int64_t>(p.scale.size()) != ch.len)
        throw std::invalid_argument("quantize: " + std::to_string(p.scale.size()) + " scales for " +
                                    std::to_string(ch.len) + " channels");
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        const auto c = static_cast<std::size_t>(ch(i));
        const double v = std::nearbyint(x.at(i) / static_cast<double>(p.scale[c])) +
                         static_cast<double>(p.zeroPoint[c]);
        const double sat = std::clamp(v, static_cast<double>(p.qmin), static_cast<double>(p.qmax));
        if (p.type == DType::I8)
            q.data<std::int8_t>()[i] = static_cast<std::int8_t>(sat);
        else
            q.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(sat);
    }
    return q;
}

Tensor dequantize(const Tensor& q, const QuantParams& p) {
    Tensor x(DType::F32, q.shape());
    const ChannelOf ch(q.shape(), p.axis);
    for (std::int64_t i = 0; i < q.numel(); ++i) {
        const auto c = static_cast<std::size_t>(ch(i));
        x.data<float>()[i] = static_cast<float>((q.at(i) - static_cast<double>(p.zeroPoint[c])) *
                                                static_cast<double>(p.scale[c]));
    }
    return x;
}

QuantError quantError(const std::vector<float>& x, const std::vector<float>& a) {
    if (x.size() != a.size())
        throw std::invalid_argument("quantError: " + std::to_string(x.size()) + " vs " +
                                    std::to_string(a.size()) + " elements");
    QuantError e;
    double signal = 0, noise = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double d = static_cast<double>(x[i]) - a[i];
        e.maxAbs = std::max(e.maxAbs, std::abs(d));
        noise += d * d;
        signal += static_cast<double>(x[i]) * x[i];
    }
    e.mse = x.empty() ? 0 : noise / static_cast<double>(x.size());
    e.sqnrDb =
        noise > 0 ? 10.0 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
    return e;
}

QuantError quantError(const Tensor& x, const Tensor& approx) {
    if (x.shape() != approx.shape())
        throw std::invalid_argument("quantError: shapes " + shapeToString(x.shape()) + " and " +
                                    shapeToString(approx.shape()) + " differ");
    std::vector<float> a(static_cast<std::size_t>(x.numel())), b(a.size());
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        a[i] = static_cast<float>(x.at(i));
        b[i] = static_cast<float>(approx.at(i));
    }
    return quantError(a, b);
}

std::vector<std::int32_t> int8GemmExact(const std::vector<std::int32_t>& a,
                                        const std::vector<std::int32_t>& b, int m, int k, int n,
                                        std::int32_t za, std::int32_t zb) {
    if (a.size() != static_cast<std::size_t>(m) * k || b.size() != static_cast<std::size_t>(k) * n)
        throw std::invalid_argument("int8GemmExact: operand sizes do not match M, K, N");
    // 1. Row sums of A and column sums of B (precomputable for constant weights).
    std::vector<std::int32_t> rowA(m, 0), colB(n, 0), acc(static_cast<std::size_t>(m) * n, 0);
    for (int i = 0; i < m; ++i)
        for (int p = 0; p < k; ++p)
            rowA[i] += a[i * k + p];
    for (int p = 0; p < k; ++p)
        for (int j = 0; j < n; ++j)
            colB[j] += b[p * n + j];
    // 2. The integer product of the raw codes, then the three zero-point terms.
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            std::int32_t s = 0;
            for (int p = 0; p < k; ++p)
                s += a[i * k + p] * b[p * n + j];
            acc[i * n + j] = s - zb * rowA[i] - za * colB[j] + k * za * zb;
        }
    return acc;
}

} // namespace aisys::engine::quant
