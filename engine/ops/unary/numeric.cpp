// Element-wise ops on every numeric type: Neg Abs Relu Sign, each a formula struct
// (unary_op.h).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>
#include <type_traits>

namespace aisys::engine::ops {

namespace {

struct Neg {
    static constexpr bool kNumeric = true;
    template <class T> static T f(T x, const ScalarParams&) { return static_cast<T>(-x); }
    static double df(double, const ScalarParams&) { return -1; }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        return {b.neg(dy)};
    }
};

struct Abs {
    static constexpr bool kNumeric = true;
    template <class T> static T f(T x, const ScalarParams&) {
        if constexpr (std::is_floating_point_v<T>)
            return std::abs(x);
        else
            return x < T(0) ? static_cast<T>(-x) : x;
    }
    static double df(double x, const ScalarParams&) { return x < 0 ? -1 : 1; }
    static std::vector<std::string> gradient(GradBuilder& b, const std::string& dy) {
        return {b.mul(dy, b.op("Sign", {b.in(0)}))};
    }
};

/// Relu's gradient is its derivative kernel, aisys:ReluGrad.
struct Relu {
    static constexpr bool kNumeric = true;
    template <class T> static T f(T x, const ScalarParams&) { return x > T(0) ? x : T(0); }
    static double df(double x, const ScalarParams&) { return x > 0 ? 1 : 0; }
};

/// Sign is piecewise constant: no derivative, no gradient rule.
struct Sign {
    static constexpr bool kNumeric = true;
    template <class T> static T f(T x, const ScalarParams&) {
        return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0));
    }
};

} // namespace

OpDef negOp() {
    return unaryOp<Neg>({"Neg"});
}
OpDef absOp() {
    return unaryOp<Abs>({"Abs"});
}
OpDef reluOp() {
    return unaryOp<Relu>({"Relu", {}, 1, true});
}
OpDef signOp() {
    return unaryOp<Sign>({"Sign"});
}

} // namespace aisys::engine::ops
