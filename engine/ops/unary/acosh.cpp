// Acosh: y = acosh(x), element-wise (x >= 1).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Acosh {
    template <class T> static T f(T x, const ScalarParams&) { return std::acosh(x); }
    static double df(double x, const ScalarParams&) { return 1 / std::sqrt(x * x - 1); }
};

} // namespace

OpDef acoshOp() {
    return unaryOp<Acosh>({"Acosh"});
}

} // namespace aisys::engine::ops
