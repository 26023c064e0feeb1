// Seeded random tensors: the zoo's weights, and the seeded inputs the CLI, the Labs and the
// benchmarks feed a model.
#pragma once

#include "engine/graph/graph.h"

#include <cstdint>
#include <map>
#include <random>
#include <string>

namespace aisys::engine::models {

/// f32 values uniform in [lo, hi), drawn in order from `rng` (one distribution per tensor).
Tensor uniformTensor(Shape shape, std::mt19937& rng, float lo, float hi);
/// f32 values from N(mean, stddev²), drawn in order from `rng` (one distribution per tensor).
Tensor normalTensor(Shape shape, std::mt19937& rng, float mean, float stddev);
/// Glorot-uniform f32 weights: U(−a, a) with a = √(6 / (fanIn + fanOut)).
Tensor glorotTensor(Shape shape, std::int64_t fanIn, std::int64_t fanOut, std::mt19937& rng);

/// Seeded inputs of a model: f32/f64 values uniform in [-1, 1) drawn from one 64-bit Mersenne
/// Twister in the order the inputs are asked for; zeros for the other types.
class SeededInputs {
public:
    explicit SeededInputs(std::uint64_t seed) : m_rng(seed) {}
    /// A tensor of value `v`'s type and shape; throws std::invalid_argument naming the value
    /// and the dimension when a dimension is unknown.
    Tensor next(const Value& v);

private:
    std::mt19937_64 m_rng;
};

/// Every input of `g`, in order, from SeededInputs(seed), by name.
std::map<std::string, Tensor> seededInputs(const Graph& g, std::uint64_t seed);

} // namespace aisys::engine::models
