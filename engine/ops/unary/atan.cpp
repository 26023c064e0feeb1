// Atan: y = atan(x), element-wise.
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Atan {
    template <class T> static T f(T x, const ScalarParams&) { return std::atan(x); }
    static double df(double x, const ScalarParams&) { return 1 / (1 + x * x); }
};

} // namespace

OpDef atanOp() {
    return unaryOp<Atan>({"Atan"});
}

} // namespace aisys::engine::ops
