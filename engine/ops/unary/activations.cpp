// Activations: Sigmoid HardSigmoid HardSwish Gelu LeakyRelu Elu Selu Softplus Softsign, each a
// formula struct (unary_op.h) with its attributes and derivative.
#include "engine/core/vecmath.h"
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

namespace aisys::engine::ops {

namespace {

using Arr = Eigen::Array<float, Eigen::Dynamic, 1>;

double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}

struct Sigmoid {
    template <class T> static T f(T x, const ScalarParams&) {
        return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
    }
    static void fastF32(const ScalarParams&, float* y, const float* x, std::int64_t n) {
        vecF32(VecFn::Logistic, x, y, n); // the vectorised build (core/vecmath.h)
    }
    static double df(double x, const ScalarParams&) {
        const double s = sigmoid(x);
        return s * (1 - s);
    }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        const std::string y = b.out(0); // y·(1 − y)
        return {b.mul(dy, b.mul(y, b.sub(b.scalar(1, b.dtype(b.in(0))), y)))};
    }
};

struct HardSigmoid {
    static ScalarParams params(const Node& n) {
        return {attrFloat(n, "alpha", 0.2), attrFloat(n, "beta", 0.5)};
    }
    template <class T> static T f(T x, const ScalarParams& p) {
        const T a = static_cast<T>(p.alpha), b = static_cast<T>(p.beta);
        return std::max(T(0), std::min(T(1), a * x + b));
    }
    static double df(double x, const ScalarParams& p) {
        const double z = p.alpha * x + p.beta;
        return z > 0 && z < 1 ? p.alpha : 0;
    }
};

struct HardSwish {
    template <class T> static T f(T x, const ScalarParams&) {
        return x * std::max(T(0), std::min(T(1), x / T(6) + T(0.5)));
    }
    static double df(double x, const ScalarParams&) {
        return x < -3 ? 0 : (x > 3 ? 1 : x / 3 + 0.5);
    }
};

/// Gelu: 0.5·x·(1 + erf(x/√2)), or with approximate = "tanh" (variant 1)
/// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
struct Gelu {
    static ScalarParams params(const Node& n) {
        const std::string approx = attrString(n, "approximate", "none");
        if (approx != "none" && approx != "tanh")
            fail("attribute 'approximate': expected \"none\" or \"tanh\", got \"" + approx + "\"");
        ScalarParams p;
        p.variant = approx == "tanh" ? 1 : 0;
        return p;
    }
    template <class T> static T f(T x, const ScalarParams& p) {
        if (p.variant == 1)
            return T(0.5) * x *
                   (T(1) + std::tanh(T(0.7978845608028654) * (x + T(0.044715) * x * x * x)));
        return T(0.5) * x * (T(1) + std::erf(x / std::sqrt(T(2))));
    }
    static void fastF32(const ScalarParams& p, float* y, const float* x, std::int64_t n) {
        if (p.variant == 1) {
            Eigen::Map<const Arr> a(x, n);
            Eigen::Map<Arr>(y, n) =
                0.5f * a * (1.0f + (0.7978845608028654f * (a + 0.044715f * a.cube())).tanh());
        } else {
            vecF32(VecFn::GeluErf, x, y, n); // the vectorised build (core/vecmath.h)
        }
    }
    static double df(double x, const ScalarParams& p) {
        constexpr double kSqrt2 = 1.4142135623730951, kSqrtPi = 1.7724538509055159;
        if (p.variant == 1) {
            const double k = 0.7978845608028654, c = 0.044715;
            const double th = std::tanh(k * (x + c * x * x * x));
            return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * k * (1 + 3 * c * x * x);
        }
        return 0.5 * (1 + std::erf(x / kSqrt2)) + x * std::exp(-x * x / 2) / (kSqrt2 * kSqrtPi);
    }
};

struct LeakyRelu {
    static ScalarParams params(const Node& n) { return {attrFloat(n, "alpha", 0.01)}; }
    template <class T> static T f(T x, const ScalarParams& p) {
        return x >= 0 ? x : static_cast<T>(p.alpha) * x;
    }
    static double df(double x, const ScalarParams& p) { return x >= 0 ? 1 : p.alpha; }
};

struct Elu {
    static ScalarParams params(const Node& n) { return {attrFloat(n, "alpha", 1.0)}; }
    template <class T> static T f(T x, const ScalarParams& p) {
        return x >= 0 ? x : static_cast<T>(p.alpha) * (std::exp(x) - T(1));
    }
    static double df(double x, const ScalarParams& p) { return x >= 0 ? 1 : p.alpha * std::exp(x); }
};

/// Selu: alpha in p.alpha, gamma in p.beta.
struct Selu {
    static ScalarParams params(const Node& n) {
        return {attrFloat(n, "alpha", 1.67326319217681884765625),
                attrFloat(n, "gamma", 1.05070102214813232421875)};
    }
    template <class T> static T f(T x, const ScalarParams& p) {
        const T a = static_cast<T>(p.alpha), g = static_cast<T>(p.beta);
        return x > 0 ? g * x : g * (a * std::exp(x) - a);
    }
    static double df(double x, const ScalarParams& p) {
        return x > 0 ? p.beta : p.beta * p.alpha * std::exp(x);
    }
};

struct Softplus {
    template <class T> static T f(T x, const ScalarParams&) {
        return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }
    static double df(double x, const ScalarParams&) { return sigmoid(x); }
};

struct Softsign {
    template <class T> static T f(T x, const ScalarParams&) { return x / (T(1) + std::abs(x)); }
    static double df(double x, const ScalarParams&) {
        return 1 / ((1 + std::abs(x)) * (1 + std::abs(x)));
    }
};

} // namespace

OpDef sigmoidOp() {
    return unaryOp<Sigmoid>({"Sigmoid", {}, 4, true});
}
OpDef hardSigmoidOp() {
    return unaryOp<HardSigmoid>({"HardSigmoid", {{"alpha", "0.2"}, {"beta", "0.5"}}, 3, true});
}
OpDef hardSwishOp() {
    return unaryOp<HardSwish>({"HardSwish", {}, 3, true});
}
OpDef geluOp() {
    return unaryOp<Gelu>({"Gelu", {{"approximate", "none"}}, 8, true});
}
OpDef leakyReluOp() {
    return unaryOp<LeakyRelu>({"LeakyRelu", {{"alpha", "0.01"}}, 1, true});
}
OpDef eluOp() {
    return unaryOp<Elu>({"Elu", {{"alpha", "1.0"}}, 4});
}
OpDef seluOp() {
    return unaryOp<Selu>(
        {"Selu",
         {{"alpha", "1.67326319217681884765625"}, {"gamma", "1.05070102214813232421875"}},
         4});
}
OpDef softplusOp() {
    return unaryOp<Softplus>({"Softplus", {}, 4});
}
OpDef softsignOp() {
    return unaryOp<Softsign>({"Softsign"});
}

} // namespace aisys::engine::ops
