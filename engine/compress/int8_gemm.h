// Reference integer GEMM: int8 operands, int32 accumulation with exact zero-point terms, and
// requantization of the result to int8 — the arithmetic an int8 inference kernel performs.
#pragma once

#include "engine/compress/quant_params.h"

#include <cstdint>
#include <vector>

namespace aisys::engine::compress {

/// Y = A·B with A [M, K] quantized per tensor and B [K, N] per tensor or per column.
struct Int8Gemm {
    std::int64_t m = 0, k = 0, n = 0;
    std::vector<std::int32_t> qa, qb; ///< integer operands, row-major
    QParams pa;
    std::vector<QParams> pb; ///< 1 (per tensor) or n (per output column)
    QParams py;              ///< output parameters for requantization
    /// acc[i,j] = Σ_k (qa[i,k] − za)(qb[k,j] − zb), expanded into its four terms:
    /// Σ qa·qb − zb·Σ_k qa[i,k] − za·Σ_k qb[k,j] + K·za·zb (the last three precomputable).
    std::vector<std::int64_t> termProduct, termRowSum, termColSum, termConst;
    std::vector<std::int32_t> acc;  ///< int32 accumulators (the sum of the four terms)
    std::vector<float> real;        ///< sa·sb·acc — the dequantized product
    std::vector<double> multiplier; ///< per column: M = sa·sb / sy
    std::vector<std::int32_t> qy;   ///< clamp(round(M·acc) + zy, qmin, qmax)
    std::vector<float> y;           ///< dequantized output (qy − zy)·sy
};

/// Runs the reference int8 GEMM. `qa` is m×k, `qb` is k×n; `pb` has 1 or n entries.
/// Throws std::invalid_argument when sizes disagree or an accumulator overflows int32.
Int8Gemm int8Gemm(std::int64_t m, std::int64_t k, std::int64_t n, std::vector<std::int32_t> qa,
                  const QParams& pa, std::vector<std::int32_t> qb, std::vector<QParams> pb,
                  const QParams& py);

/// Float reference: row-major m×k times k×n in f64, returned as f32.
std::vector<float> floatGemm(std::int64_t m, std::int64_t k, std::int64_t n,
                             const std::vector<float>& a, const std::vector<float>& b);

} // namespace aisys::engine::compress
