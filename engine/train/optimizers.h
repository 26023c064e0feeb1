// Optimizers that update named parameter tensors from their gradients: SGD with momentum, Adam.
#pragma once

#include "engine/core/tensor.h"

#include <map>
#include <string>

namespace aisys::engine::train {

/// Parameter tensors by name (f32 or f64).
using Params = std::map<std::string, Tensor>;

/// Updates parameters in place from gradients of the same names, shapes and types.
class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// One update step.
    virtual void step(Params& params, const Params& grads) = 0;
};

/// SGD with momentum: v ← μ·v + g; p ← p − lr·v (plain SGD when μ = 0).
class Sgd : public Optimizer {
public:
    explicit Sgd(double lr, double momentum = 0.0) : m_lr(lr), m_momentum(momentum) {}
    void step(Params& params, const Params& grads) override;

private:
    double m_lr, m_momentum;
    std::map<std::string, std::vector<double>> m_velocity;
};

/// Adam (Kingma & Ba): m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
/// p ← p − lr·m̂ / (√v̂ + ε) with bias-corrected m̂, v̂.
class Adam : public Optimizer {
public:
    explicit Adam(double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : m_lr(lr), m_beta1(beta1), m_beta2(beta2), m_eps(eps) {}
    void step(Params& params, const Params& grads) override;

private:
    double m_lr, m_beta1, m_beta2, m_eps;
    long m_t = 0;
    std::map<std::string, std::vector<double>> m_m, m_v;
};

} // namespace aisys::engine::train
