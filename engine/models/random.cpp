// Seeded weights (uniform, normal, Glorot) and seeded model inputs.
#include "engine/models/random.h"

#include <cmath>
#include <stdexcept>

namespace aisys::engine::models {

Tensor uniformTensor(Shape shape, std::mt19937& rng, float lo, float hi) {
    std::uniform_real_distribution<float> u(lo, hi);
    Tensor t(DType::F32, std::move(shape));
    float* p = t.data<float>();
    for (std::int64_t i = 0; i < t.numel(); ++i)
        p[i] = u(rng);
    return t;
}

Tensor normalTensor(Shape shape, std::mt19937& rng, float mean, float stddev) {
    std::normal_distribution<float> d(mean, stddev);
    Tensor t(DType::F32, std::move(shape));
    float* p = t.data<float>();
    for (std::int64_t i = 0; i < t.numel(); ++i)
        p[i] = d(rng);
    return t;
}

Tensor glorotTensor(Shape shape, std::int64_t fanIn, std::int64_t fanOut, std::mt19937& rng) {
    const double a = std::sqrt(6.0 / static_cast<double>(fanIn + fanOut));
    return uniformTensor(std::move(shape), rng, static_cast<float>(-a), static_cast<float>(a));
}

Tensor SeededInputs::next(const Value& v) {
    for (std::size_t d = 0; d < v.shape.size(); ++d)
        if (v.shape[d] < 0)
            throw std::invalid_argument("input '" + v.name + "' has the unknown dimension '" +
                                        (d < v.dimParams.size() && !v.dimParams[d].empty()
                                             ? v.dimParams[d]
                                             : "dim " + std::to_string(d)) +
                                        "': bind it before drawing seeded inputs");
    Tensor t(v.dtype, v.shape);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    if (v.dtype == DType::F32) {
        float* p = t.data<float>();
        for (std::int64_t i = 0; i < t.numel(); ++i)
            p[i] = static_cast<float>(u(m_rng));
    } else if (v.dtype == DType::F64) {
        double* p = t.data<double>();
        for (std::int64_t i = 0; i < t.numel(); ++i)
            p[i] = u(m_rng);
    }
    return t;
}

std::map<std::string, Tensor> seededInputs(const Graph& g, std::uint64_t seed) {
    SeededInputs draw(seed);
    std::map<std::string, Tensor> in;
    for (int id : g.inputs)
        in.emplace(g.values[id].name, draw.next(g.values[id]));
    return in;
}

} // namespace aisys::engine::models
