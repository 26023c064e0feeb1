// Asinh: y = asinh(x), element-wise.
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Asinh {
    template <class T> static T f(T x, const ScalarParams&) { return std::asinh(x); }
    static double df(double x, const ScalarParams&) { return 1 / std::sqrt(x * x + 1); }
};

} // namespace

OpDef asinhOp() {
    return unaryOp<Asinh>({"Asinh"});
}

} // namespace aisys::engine::ops
