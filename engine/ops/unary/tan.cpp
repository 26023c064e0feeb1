// Tan: y = tan(x), element-wise.
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Tan {
    template <class T> static T f(T x, const ScalarParams&) { return std::tan(x); }
    static double df(double x, const ScalarParams&) {
        const double t = std::tan(x);
        return 1 + t * t;
    }
};

} // namespace

OpDef tanOp() {
    return unaryOp<Tan>({"Tan"});
}

} // namespace aisys::engine::ops
