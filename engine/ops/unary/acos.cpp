// Acos: y = acos(x), element-wise (x in [-1, 1]).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Acos {
    template <class T> static T f(T x, const ScalarParams&) { return std::acos(x); }
    static double df(double x, const ScalarParams&) { return -1 / std::sqrt(1 - x * x); }
};

} // namespace

OpDef acosOp() {
    return unaryOp<Acos>({"Acos"});
}

} // namespace aisys::engine::ops
