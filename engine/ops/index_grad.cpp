// Backward kernels of indexing ops: aisys:SliceGrad, aisys:GatherGrad, aisys:PadGrad (zeros of
// the forward input's shape with dY scattered or accumulated back).
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>

namespace aisys::engine::ops {

namespace {

/// Common inference: input 0 is dY (float); the output has the attribute `shape`.
std::vector<TensorType> inferShapeAttr(const OpCall& c, std::size_t inputs) {
    expectInputs(c, inputs, inputs);
    expectFloat(c, 0);
    if (!hasAttr(c.node, "shape"))
        fail("attribute 'shape' is required");
    return {{c.in[0].dtype, attrInts(c.node, "shape")}};
}

} // namespace

OpDef sliceGradOp() {
    OpDef d;
    d.type = "aisys:SliceGrad";
    d.category = FusionCategory::Injective;
    d.attrs = {{"shape", ""}, {"starts", ""}, {"steps", ""}};
    d.infer = [](const OpCall& c) {
        auto out = inferShapeAttr(c, 1);
        if (attrInts(c.node, "starts").size() != out[0].shape.size() ||
            attrInts(c.node, "steps").size() != out[0].shape.size())
            fail("starts and steps need one value per dim of 'shape'");
        return out;
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // dX = 0; dX[start + i·step] = dY[i] per dim.
        const auto starts = attrInts(c.node, "starts"), steps = attrInts(c.node, "steps");
        const auto strides = stridesOf(out[0].shape());
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* dy = in[0]->data<T>();
            T* dx = out[0].data<T>();
            forEachIndex(in[0]->shape(), [&](std::int64_t o, const std::vector<std::int64_t>& i) {
                std::int64_t pos = 0;
                for (std::size_t k = 0; k < i.size(); ++k)
                    pos += (starts[k] + i[k] * steps[k]) * strides[k];
                dx[pos] = dy[o];
            });
        });
    };
    return d;
}

OpDef gatherGradOp() {
    OpDef d;
    d.type = "aisys:GatherGrad";
    d.category = FusionCategory::Injective;
    d.attrs = {{"axis", "0"}, {"shape", ""}};
    d.infer = [](const OpCall& c) {
        auto out = inferShapeAttr(c, 2);
        if (c.in[1].dtype != DType::I64 && c.in[1].dtype != DType::I32)
            fail(std::string("indices: expected i32 or i64, got ") + dtypeName(c.in[1].dtype));
        return out;
    };
    d.flops = flopsPerOutput;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // dX[o, index_j, i] += dY[o, j, i] (negative indices count from the end).
        const Shape& s = out[0].shape();
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(s.size()));
        std::int64_t outer = 1, inner = 1;
        for (int i = 0; i < static_cast<int>(s.size()); ++i)
            (i < axis ? outer : inner) *= i == axis ? 1 : s[i];
        const std::int64_t len = s[axis], count = in[1]->numel();
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* dy = in[0]->data<T>();
            T* dx = out[0].data<T>();
            for (std::int64_t j = 0; j < count; ++j) {
                std::int64_t k = in[1]->atInt(j);
                k = k < 0 ? k + len : k;
                if (k < 0 || k >= len)
                    fail("index " + std::to_string(in[1]->atInt(j)) + " is out of range");
                for (std::int64_t o = 0; o < outer; ++o)
                    for (std::int64_t i = 0; i < inner; ++i)
                        dx[(o * len + k) * inner + i] += dy[(o * count + j) * inner + i];
            }
        });
    };
    return d;
}

OpDef padGradOp() {
    OpDef d;
    d.type = "aisys:PadGrad";
    d.category = FusionCategory::Injective;
    d.attrs = {{"shape", ""}, {"pads", ""}, {"mode", "constant"}};
    d.infer = [](const OpCall& c) { return inferShapeAttr(c, 1); };
    d.flops = flopsPerOutput;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Each dY element adds into the input element Pad read it from (the same index map as
        // Pad: i − padBegin, then constant: none, edge: clamp, wrap: modulo, reflect: mirror).
        const Shape& s = out[0].shape();
        const auto pads = attrInts(c.node, "pads");
        const std::string mode = attrString(c.node, "mode", "constant");
        const auto strides = stridesOf(s);
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* dy = in[0]->data<T>();
            T* dx = out[0].data<T>();
            forEachIndex(in[0]->shape(), [&](std::int64_t o, const std::vector<std::int64_t>& id) {
                std::int64_t pos = 0;
                for (std::size_t k = 0; k < id.size(); ++k) {
                    std::int64_t i = id[k] - pads[k];
                    const std::int64_t n = s[k];
                    if (i < 0 || i >= n) {
                        if (mode == "constant" || n == 0)
                            return;
                        if (mode == "edge")
                            i = std::clamp<std::int64_t>(i, 0, n - 1);
                        else if (mode == "wrap")
                            i = ((i % n) + n) % n;
                        else if (n == 1)
                            i = 0;
                        else
                            while (i < 0 || i >= n)
                                i = i < 0 ? -i : 2 * (n - 1) - i;
                    }
                    pos += i * strides[k];
                }
                dx[pos] += dy[o];
            });
        });
    };
    return d;
}

} // namespace aisys::engine::ops
