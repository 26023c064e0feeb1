// SGD with momentum and Adam over named parameter tensors.
#include "engine/train/optimizers.h"

#include <cmath>
#include <stdexcept>

namespace aisys::engine::train {

namespace {

/// Calls f(i, g_i) and writes p_i ← p_i − f's result for every element of one parameter.
template <class F> void update(Tensor& p, const Tensor& g, F f) {
    if (g.shape() != p.shape())
        throw std::invalid_argument("gradient " + shapeToString(g.shape()) +
                                    " does not match its parameter " + shapeToString(p.shape()));
    for (std::int64_t i = 0; i < p.numel(); ++i) {
        const double delta = f(static_cast<std::size_t>(i), g.at(i));
        if (p.dtype() == DType::F64)
            p.data<double>()[i] -= delta;
        else
            p.data<float>()[i] -= static_cast<float>(delta);
    }
}

const Tensor& gradOf(const Params& grads, const std::string& name) {
    auto it = grads.find(name);
    if (it == grads.end())
        throw std::invalid_argument("no gradient for parameter '" + name + "'");
    return it->second;
}

} // namespace

void Sgd::step(Params& params, const Params& grads) {
    for (auto& [name, p] : params) {
        auto& v = m_velocity[name];
        v.resize(static_cast<std::size_t>(p.numel()), 0.0);
        update(p, gradOf(grads, name), [&](std::size_t i, double g) {
            v[i] = m_momentum * v[i] + g;
            return m_lr * v[i];
        });
    }
}

void Adam::step(Params& params, const Params& grads) {
    ++m_t;
    const double c1 = 1 - std::pow(m_beta1, static_cast<double>(m_t));
    const double c2 = 1 - std::pow(m_beta2, static_cast<double>(m_t));
    for (auto& [name, p] : params) {
        auto& m = m_m[name];
        auto& v = m_v[name];
        m.resize(static_cast<std::size_t>(p.numel()), 0.0);
        v.resize(static_cast<std::size_t>(p.numel()), 0.0);
        update(p, gradOf(grads, name), [&](std::size_t i, double g) {
            m[i] = m_beta1 * m[i] + (1 - m_beta1) * g;
            v[i] = m_beta2 * v[i] + (1 - m_beta2) * g * g;
            return m_lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + m_eps);
        });
    }
}

} // namespace aisys::engine::train
