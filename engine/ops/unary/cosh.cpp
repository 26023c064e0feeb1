// Cosh: y = cosh(x), element-wise.
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Cosh {
    template <class T> static T f(T x, const ScalarParams&) { return std::cosh(x); }
    static double df(double x, const ScalarParams&) { return std::sinh(x); }
};

} // namespace

OpDef coshOp() {
    return unaryOp<Cosh>({"Cosh"});
}

} // namespace aisys::engine::ops
