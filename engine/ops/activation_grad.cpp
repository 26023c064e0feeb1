// Backward kernels of element-wise ops (aisys:ReluGrad, aisys:GeluGrad, ...): dX = dY · f'(X)
// with f' from the forward op's formula; aisys:ClipGrad.
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <cmath>
#include <limits>

namespace aisys::engine::ops {

namespace {

std::vector<TensorType> inferGrad(const OpCall& c, std::size_t maxInputs) {
    expectInputs(c, 2, maxInputs);
    expectFloat(c, 0);
    expectSameType(c, 1);
    if (shapeKnown(c.in[0].shape) && shapeKnown(c.in[1].shape) && c.in[0].shape != c.in[1].shape)
        fail("dY " + shapeToString(c.in[0].shape) + " and X " + shapeToString(c.in[1].shape) +
             " must have one shape");
    return {c.in[1]};
}

} // namespace

OpDef derivativeGradOp(const OpDef& forward) {
    OpDef d;
    d.type = "aisys:" + forward.type + "Grad";
    d.category = FusionCategory::Elementwise;
    d.infer = [](const OpCall& c) { return inferGrad(c, 2); };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        return 2 * flopsPerOutput(c, out);
    };
    const ElementwiseFormula formula = forward.elementwise;
    if (!formula.partials[0])
        throw std::logic_error("derivativeGradOp: " + forward.type + " has no derivative");
    d.forward = [formula](const OpCall& c, const std::vector<const Tensor*>& in,
                          std::vector<Tensor>& out) {
        // dX = dY · f'(X), f' in f64 with the forward op's attributes (copied onto this node).
        const ScalarParams p = formula.paramsOf(c.node);
        const PartialFn df = formula.partials[0];
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T *dy = in[0]->data<T>(), *x = in[1]->data<T>();
            T* dx = out[0].data<T>();
            for (std::int64_t i = 0; i < out[0].numel(); ++i)
                dx[i] = dy[i] * static_cast<T>(df(p, static_cast<double>(x[i]), 0, 0));
        });
    };
    return d;
}

OpDef clipGradOp() {
    OpDef d;
    d.type = "aisys:ClipGrad";
    d.category = FusionCategory::Elementwise;
    d.attrs = {{"min", "-inf"}, {"max", "+inf"}};
    d.infer = [](const OpCall& c) { return inferGrad(c, 4); };
    d.flops = flopsPerOutput;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // dX = dY where min ≤ x ≤ max (bounds from inputs 2, 3 or the old attributes).
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
            if (hasAttr(c.node, "min"))
                lo = static_cast<T>(attrFloat(c.node, "min", 0));
            if (hasAttr(c.node, "max"))
                hi = static_cast<T>(attrFloat(c.node, "max", 0));
            if (in.size() > 2 && in[2])
                lo = in[2]->data<T>()[0];
            if (in.size() > 3 && in[3])
                hi = in[3]->data<T>()[0];
            const T *dy = in[0]->data<T>(), *x = in[1]->data<T>();
            T* dx = out[0].data<T>();
            for (std::int64_t i = 0; i < out[0].numel(); ++i)
                dx[i] = x[i] >= lo && x[i] <= hi ? dy[i] : T(0);
        });
    };
    return d;
}

} // namespace aisys::engine::ops
