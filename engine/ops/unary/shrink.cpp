// Shrink: y = x + bias for x < −lambd, x − bias for x > lambd, else 0, element-wise
// (attributes lambd, default 0.5, and bias, default 0; ONNX Shrink-9).
#include "engine/ops/op_library.h"
#include "engine/ops/unary/unary_op.h"

namespace aisys::engine::ops {

namespace {

struct Shrink {
    static ScalarParams params(const Node& n) {
        const double lambd = attrFloat(n, "lambd", 0.5);
        if (lambd < 0)
            fail("attribute 'lambd': expected a value ≥ 0, got " + std::to_string(lambd));
        return {lambd, attrFloat(n, "bias", 0.0)};
    }
    template <class T> static T f(T x, const ScalarParams& p) {
        const T lambd = static_cast<T>(p.alpha), bias = static_cast<T>(p.beta);
        return x < -lambd ? x + bias : x > lambd ? x - bias : T(0);
    }
    static double df(double x, const ScalarParams& p) {
        return x < -p.alpha || x > p.alpha ? 1 : 0;
    }
};

} // namespace

OpDef shrinkOp() {
    return unaryOp<Shrink>({"Shrink", {{"lambd", "0.5"}, {"bias", "0.0"}}, 2});
}

} // namespace aisys::engine::ops
