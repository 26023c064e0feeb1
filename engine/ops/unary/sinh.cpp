// Sinh: y = sinh(x), element-wise.
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Sinh {
    template <class T> static T f(T x, const ScalarParams&) { return std::sinh(x); }
    static double df(double x, const ScalarParams&) { return std::cosh(x); }
};

} // namespace

OpDef sinhOp() {
    return unaryOp<Sinh>({"Sinh"});
}

} // namespace aisys::engine::ops
