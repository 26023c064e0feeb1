// ThresholdedRelu: y = x where x > alpha, else 0, element-wise (attribute alpha, default 1).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

namespace aisys::engine::ops {

namespace {

struct ThresholdedRelu {
    static ScalarParams params(const Node& n) { return {attrFloat(n, "alpha", 1.0)}; }
    template <class T> static T f(T x, const ScalarParams& p) {
        return x > static_cast<T>(p.alpha) ? x : T(0);
    }
    static double df(double x, const ScalarParams& p) { return x > p.alpha ? 1 : 0; }
};

} // namespace

OpDef thresholdedReluOp() {
    return unaryOp<ThresholdedRelu>({"ThresholdedRelu", {{"alpha", "1.0"}}});
}

} // namespace aisys::engine::ops
