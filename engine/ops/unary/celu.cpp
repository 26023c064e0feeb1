// Celu: y = max(0, x) + min(0, α·(exp(x/α) − 1)), element-wise (attribute alpha, default 1).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

#include <cmath>

namespace aisys::engine::ops {

namespace {

struct Celu {
    static ScalarParams params(const Node& n) {
        const double alpha = attrFloat(n, "alpha", 1.0);
        if (alpha == 0)
            fail("attribute 'alpha': expected a non-zero value, got 0");
        return {alpha};
    }
    template <class T> static T f(T x, const ScalarParams& p) {
        const T a = static_cast<T>(p.alpha);
        return x > T(0) ? x : a * (std::exp(x / a) - T(1));
    }
    static double df(double x, const ScalarParams& p) { return x > 0 ? 1 : std::exp(x / p.alpha); }
};

} // namespace

OpDef celuOp() {
    return unaryOp<Celu>({"Celu", {{"alpha", "1.0"}}, 4});
}

} // namespace aisys::engine::ops
