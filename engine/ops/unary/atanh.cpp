// Atanh: y = atanh(x), element-wise (x in (-1, 1)).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Atanh {
    template <class T> static T f(T x, const ScalarParams&) { return std::atanh(x); }
    static double df(double x, const ScalarParams&) { return 1 / (1 - x * x); }
};

} // namespace

OpDef atanhOp() {
    return unaryOp<Atanh>({"Atanh"});
}

} // namespace aisys::engine::ops
