// unaryOp<F>(): the OpDef of an element-wise unary op built from one struct F holding its
// formula, so the op's kernel, the fused kernels, forward-mode autodiff and its backward kernel
// all evaluate the same formula (engine/README.md, "How to add an op").
#pragma once

#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace aisys::engine::ops {

/// The facts of an element-wise unary op besides its formula.
struct UnaryFacts {
    std::string type;                 ///< ONNX op type
    std::vector<AttrSpec> attrs = {}; ///< attributes with their ONNX defaults
    double flopsPerElement = 1;
    bool fusedActivation = false; ///< OpDef::fusedActivation
};

/// The OpDef of the element-wise unary op whose formula struct is F:
///   template <class T> static T f(T x, const ScalarParams& p);  the formula (required)
///   static ScalarParams params(const Node& n);  reads and checks the attributes (optional)
///   static double df(double x, const ScalarParams& p);  f'(x) (optional; without it the op
///       is not differentiable, like Floor)
///   static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy);  the
///       reverse rule in ordinary ops (optional; without it and with df the rule is
///       dX = aisys:<Op>Grad(dY, X) = dY·f'(X), a kernel the registry derives)
///   static void fastF32(const ScalarParams& p, float* y, const float* x, std::int64_t n);  a
///       vectorised f32 kernel within a few ulp of f, used for f32 everywhere (optional)
///   static constexpr bool kNumeric = true;  every numeric type, not only f32/f64 (optional)
/// The op is element-wise and channel-wise; its FLOPs are flopsPerElement per output element.
template <class F> OpDef unaryOp(UnaryFacts facts);

namespace unary_detail {

template <class F> constexpr bool kHasParams = requires(const Node& n) {
    F::params(n);
};
template <class F> constexpr bool kHasDf = requires(double x, const ScalarParams& p) {
    F::df(x, p);
};
template <class F> constexpr bool kHasGradient = requires(GradBuilder& b, const std::string& dy) {
    F::gradient(b, dy);
};
template <class F>
constexpr bool kHasFastF32 = requires(const ScalarParams& p, float* y, const float* x,
                                      std::int64_t n) {
    F::fastF32(p, y, x, n);
};
template <class F> constexpr bool numeric() {
    if constexpr (requires { F::kNumeric; })
        return F::kNumeric;
    return false;
}

/// F's formula over a block (the BlockFn of ElementwiseFormula).
template <class F, class T>
void block(const ScalarParams& p, T* y, const T* x, const T*, const T*, std::int64_t n) {
    if constexpr (std::is_same_v<T, float> && kHasFastF32<F>) {
        F::fastF32(p, y, x, n);
    } else {
        for (std::int64_t i = 0; i < n; ++i)
            y[i] = F::template f<T>(x[i], p);
    }
}

template <class F> double partial(const ScalarParams& p, double x, double, double) {
    return F::df(x, p);
}

} // namespace unary_detail

template <class F> OpDef unaryOp(UnaryFacts facts) {
    namespace u = unary_detail;
    OpDef d;
    d.type = std::move(facts.type);
    d.category = FusionCategory::Elementwise;
    d.attrs = std::move(facts.attrs);
    d.fusedActivation = facts.fusedActivation;
    d.channelWise = true;
    ElementwiseFormula& formula = d.elementwise;
    formula.operands = 1;
    if constexpr (u::kHasParams<F>)
        formula.params = &F::params;
    formula.f32 = &u::block<F, float>;
    formula.f64 = &u::block<F, double>;
    if constexpr (u::kHasDf<F>)
        formula.partials[0] = &u::partial<F>;
    d.infer = [formula](const OpCall& c) {
        expectInputs(c, 1, 1);
        if constexpr (u::numeric<F>()) {
            if (c.in[0].dtype == DType::Bool)
                fail("expected a numeric tensor, got bool");
        } else {
            expectFloat(c, 0);
        }
        (void)formula.paramsOf(c.node); // attribute errors surface at inference
        return std::vector<TensorType>{c.in[0]};
    };
    const double perElement = facts.flopsPerElement;
    d.flops = [perElement](const OpCall& c, const std::vector<TensorType>& out) {
        return perElement * flopsPerOutput(c, out);
    };
    d.forward = [formula](const OpCall& c, const std::vector<const Tensor*>& in,
                          std::vector<Tensor>& out) {
        const ScalarParams p = formula.paramsOf(c.node);
        const Tensor& x = *in[0];
        Tensor& y = out[0];
        if (x.dtype() == DType::F32) {
            formula.f32(p, y.data<float>(), x.data<float>(), nullptr, nullptr, y.numel());
        } else if (x.dtype() == DType::F64) {
            formula.f64(p, y.data<double>(), x.data<double>(), nullptr, nullptr, y.numel());
        } else if constexpr (u::numeric<F>()) {
            visitNumeric(x.dtype(), [&](auto tag) {
                using T = decltype(tag);
                const T* a = x.data<T>();
                T* o = y.data<T>();
                for (std::int64_t i = 0; i < y.numel(); ++i)
                    o[i] = F::template f<T>(a[i], p);
            });
        } else {
            fail(std::string("expected f32 or f64, got ") + dtypeName(x.dtype()));
        }
    };
    if constexpr (u::kHasGradient<F>) {
        d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
            return F::gradient(b, dOut[0]);
        };
    } else if constexpr (u::kHasDf<F>) {
        d.derivativeKernel = true;
        d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
            return std::vector<std::string>{
                b.op("aisys:" + b.node().op + "Grad", {dOut[0], b.in(0)}, b.node().attrs)};
        };
    }
    return d;
}

} // namespace aisys::engine::ops
