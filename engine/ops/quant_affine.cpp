// Affine quantization arithmetic (see quant_affine.h).
#include "engine/ops/quant_affine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace aisys::engine {

std::int32_t QParams::quantize(float x) const {
    const float q = x / static_cast<float>(scale);
    const double v = static_cast<double>(std::nearbyint(q)) + zeroPoint;
    return static_cast<std::int32_t>(std::clamp(v, double(qmin), double(qmax)));
}

float QParams::dequantize(std::int32_t q) const {
    return static_cast<float>(static_cast<double>(q - zeroPoint) * scale);
}

void signedRange(int bits, std::int32_t& qmin, std::int32_t& qmax) {
    if (bits < 2 || bits > 16)
        throw std::invalid_argument("bit width " + std::to_string(bits) + ": expected 2..16");
    qmax = (1 << (bits - 1)) - 1;
    qmin = -(1 << (bits - 1));
}

QParams paramsForRange(double lo, double hi, QScheme scheme, int bits) {
    QParams p;
    signedRange(bits, p.qmin, p.qmax);
    if (scheme == QScheme::Symmetric) {
        const double t = std::max(std::fabs(lo), std::fabs(hi));
        p.scale = t > 0 ? t / p.qmax : 1.0;
        p.zeroPoint = 0;
        return p;
    }
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    if (hi - lo <= 0)
        return p; // all zeros: s = 1, z = 0
    p.scale = (hi - lo) / (p.qmax - p.qmin);
    const double z = p.qmin - std::nearbyint(lo / p.scale);
    p.zeroPoint = static_cast<std::int32_t>(std::clamp(z, double(p.qmin), double(p.qmax)));
    return p;
}

} // namespace aisys::engine
