// Reference int8 GEMM with exact zero-point expansion and requantization.
#include "engine/compress/int8_gemm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aisys::engine::compress {

Int8Gemm int8Gemm(std::int64_t m, std::int64_t k, std::int64_t n, std::vector<std::int32_t> qa,
                  const QParams& pa, std::vector<std::int32_t> qb, std::vector<QParams> pb,
                  const QParams& py) {
    if (m <= 0 || k <= 0 || n <= 0 || static_cast<std::int64_t>(qa.size()) != m * k ||
        static_cast<std::int64_t>(qb.size()) != k * n ||
        (pb.size() != 1 && static_cast<std::int64_t>(pb.size()) != n))
        throw std::invalid_argument("int8Gemm: expected A " + std::to_string(m) + "x" +
                                    std::to_string(k) + ", B " + std::to_string(k) + "x" +
                                    std::to_string(n) + " and 1 or " + std::to_string(n) +
                                    " B parameter sets");
    Int8Gemm g;
    g.m = m;
    g.k = k;
    g.n = n;
    g.qa = std::move(qa);
    g.qb = std::move(qb);
    g.pa = pa;
    g.pb = std::move(pb);
    g.py = py;
    const std::size_t mn = static_cast<std::size_t>(m * n);
    g.termProduct.assign(mn, 0);
    g.termRowSum.assign(mn, 0);
    g.termColSum.assign(mn, 0);
    g.termConst.assign(mn, 0);
    g.acc.assign(mn, 0);
    g.real.assign(mn, 0);
    g.qy.assign(mn, 0);
    g.y.assign(mn, 0);
    g.multiplier.assign(static_cast<std::size_t>(n), 0);
    // 1. Row sums of A and column sums of B (precomputable for weights).
    std::vector<std::int64_t> rowSum(static_cast<std::size_t>(m), 0),
        colSum(static_cast<std::size_t>(n), 0);
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t t = 0; t < k; ++t)
            rowSum[i] += g.qa[i * k + t];
    for (std::int64_t t = 0; t < k; ++t)
        for (std::int64_t j = 0; j < n; ++j)
            colSum[j] += g.qb[t * n + j];
    const std::int64_t za = pa.zeroPoint;
    for (std::int64_t j = 0; j < n; ++j) {
        const QParams& b = g.pb.size() == 1 ? g.pb[0] : g.pb[j];
        const std::int64_t zb = b.zeroPoint;
        g.multiplier[j] = pa.scale * b.scale / py.scale;
        for (std::int64_t i = 0; i < m; ++i) {
            // 2. The integer product term Σ qa·qb, then the three zero-point terms.
            std::int64_t prod = 0;
            for (std::int64_t t = 0; t < k; ++t)
                prod += std::int64_t{g.qa[i * k + t]} * g.qb[t * n + j];
            const std::size_t o = static_cast<std::size_t>(i * n + j);
            g.termProduct[o] = prod;
            g.termRowSum[o] = -zb * rowSum[i];
            g.termColSum[o] = -za * colSum[j];
            g.termConst[o] = k * za * zb;
            const std::int64_t acc = prod + g.termRowSum[o] + g.termColSum[o] + g.termConst[o];
            if (acc > std::numeric_limits<std::int32_t>::max() ||
                acc < std::numeric_limits<std::int32_t>::lowest())
                throw std::invalid_argument("int8Gemm: accumulator overflows int32 at (" +
                                            std::to_string(i) + ", " + std::to_string(j) + ")");
            g.acc[o] = static_cast<std::int32_t>(acc);
            // 3. Dequantized product and requantized output.
            g.real[o] = static_cast<float>(pa.scale * b.scale * static_cast<double>(acc));
            const double v =
                std::nearbyint(g.multiplier[j] * static_cast<double>(acc)) + py.zeroPoint;
            g.qy[o] = static_cast<std::int32_t>(std::clamp(v, double(py.qmin), double(py.qmax)));
            g.y[o] = py.dequantize(g.qy[o]);
        }
    }
    return g;
}

std::vector<float> floatGemm(std::int64_t m, std::int64_t k, std::int64_t n,
                             const std::vector<float>& a, const std::vector<float>& b) {
    if (static_cast<std::int64_t>(a.size()) != m * k ||
        static_cast<std::int64_t>(b.size()) != k * n)
        throw std::invalid_argument("floatGemm: operand sizes do not match " + std::to_string(m) +
                                    "x" + std::to_string(k) + "x" + std::to_string(n));
    std::vector<float> y(static_cast<std::size_t>(m * n));
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            double s = 0;
            for (std::int64_t t = 0; t < k; ++t)
                s += double(a[i * k + t]) * double(b[t * n + j]);
            y[i * n + j] = static_cast<float>(s);
        }
    return y;
}

} // namespace aisys::engine::compress
