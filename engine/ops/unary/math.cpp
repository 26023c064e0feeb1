// Element-wise float math: Sqrt Exp Log Reciprocal Sin Cos Tanh Erf Floor Ceil Round, each a
// formula struct (unary_op.h) with its derivative and, where short, its reverse rule.
#include "engine/core/vecmath.h"
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <cmath>

namespace aisys::engine::ops {

namespace {

using Arr = Eigen::Array<float, Eigen::Dynamic, 1>;

struct Sqrt {
    template <class T> static T f(T x, const ScalarParams&) { return std::sqrt(x); }
    static double df(double x, const ScalarParams&) { return 0.5 / std::sqrt(x); }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        // 1 / (2·√x) = 1 / (2·y)
        return {b.div(dy, b.mul(b.out(0), b.scalar(2, b.dtype(b.in(0)))))};
    }
};

struct Exp {
    template <class T> static T f(T x, const ScalarParams&) { return std::exp(x); }
    static void fastF32(const ScalarParams&, float* y, const float* x, std::int64_t n) {
        vecF32(VecFn::Exp, x, y, n); // the vectorised build (core/vecmath.h)
    }
    static double df(double x, const ScalarParams&) { return std::exp(x); }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        return {b.mul(dy, b.out(0))};
    }
};

struct Log {
    template <class T> static T f(T x, const ScalarParams&) { return std::log(x); }
    static double df(double x, const ScalarParams&) { return 1 / x; }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        return {b.div(dy, b.in(0))};
    }
};

struct Reciprocal {
    template <class T> static T f(T x, const ScalarParams&) { return T(1) / x; }
    static double df(double x, const ScalarParams&) { return -1 / (x * x); }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        const std::string y = b.out(0); // −1/x² = −y²
        return {b.neg(b.mul(dy, b.mul(y, y)))};
    }
};

struct Sin {
    template <class T> static T f(T x, const ScalarParams&) { return std::sin(x); }
    static double df(double x, const ScalarParams&) { return std::cos(x); }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        return {b.mul(dy, b.op("Cos", {b.in(0)}))};
    }
};

struct Cos {
    template <class T> static T f(T x, const ScalarParams&) { return std::cos(x); }
    static double df(double x, const ScalarParams&) { return -std::sin(x); }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        return {b.neg(b.mul(dy, b.op("Sin", {b.in(0)})))};
    }
};

struct Tanh {
    template <class T> static T f(T x, const ScalarParams&) { return std::tanh(x); }
    static void fastF32(const ScalarParams&, float* y, const float* x, std::int64_t n) {
        vecF32(VecFn::Tanh, x, y, n); // the vectorised build (core/vecmath.h)
    }
    static double df(double x, const ScalarParams&) {
        const double t = std::tanh(x);
        return 1 - t * t;
    }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        const std::string y = b.out(0); // 1 − y²
        return {b.mul(dy, b.sub(b.scalar(1, b.dtype(y)), b.mul(y, y)))};
    }
};

struct Erf {
    template <class T> static T f(T x, const ScalarParams&) { return std::erf(x); }
    static void fastF32(const ScalarParams&, float* y, const float* x, std::int64_t n) {
        vecF32(VecFn::Erf, x, y, n); // the vectorised build (core/vecmath.h)
    }
    static double df(double x, const ScalarParams&) {
        return 2 / 1.7724538509055159 * std::exp(-x * x); // 2/√π · e^(−x²)
    }
};

/// Floor, Ceil and Round are piecewise constant: no derivative, no gradient rule.
struct Floor {
    template <class T> static T f(T x, const ScalarParams&) { return std::floor(x); }
};
struct Ceil {
    template <class T> static T f(T x, const ScalarParams&) { return std::ceil(x); }
};
struct Round {
    template <class T> static T f(T x, const ScalarParams&) {
        return std::nearbyint(x); // half to even in the default rounding mode
    }
};

} // namespace

OpDef sqrtOp() {
    return unaryOp<Sqrt>({"Sqrt"});
}
OpDef expOp() {
    return unaryOp<Exp>({"Exp"});
}
OpDef logOp() {
    return unaryOp<Log>({"Log"});
}
OpDef reciprocalOp() {
    return unaryOp<Reciprocal>({"Reciprocal"});
}
OpDef sinOp() {
    return unaryOp<Sin>({"Sin"});
}
OpDef cosOp() {
    return unaryOp<Cos>({"Cos"});
}
OpDef tanhOp() {
    return unaryOp<Tanh>({"Tanh", {}, 4, true});
}
OpDef erfOp() {
    return unaryOp<Erf>({"Erf", {}, 4});
}
OpDef floorOp() {
    return unaryOp<Floor>({"Floor"});
}
OpDef ceilOp() {
    return unaryOp<Ceil>({"Ceil"});
}
OpDef roundOp() {
    return unaryOp<Round>({"Round"});
}

} // namespace aisys::engine::ops
