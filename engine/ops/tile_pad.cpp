// Repetition and padding: Tile and Pad (with their gradient rules).
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cstring>

namespace aisys::engine::ops {

OpDef tileOp() {
    OpDef d;
    d.type = "Tile";
    d.category = FusionCategory::Injective;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        const Shape& s = c.in[0].shape;
        auto reps = knownInts(c, 1);
        if (!reps)
            return std::vector<TensorType>{{c.in[0].dtype, Shape(s.size(), -1)}};
        if (reps->size() != s.size())
            fail("repeats has " + std::to_string(reps->size()) + " values for rank " +
                 std::to_string(s.size()));
        Shape out(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            if ((*reps)[i] < 0)
                fail("repeats must not be negative");
            out[i] = s[i] < 0 ? -1 : s[i] * (*reps)[i];
        }
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        const Shape& s = in[0]->shape();
        const auto strides = stridesOf(s);
        const std::size_t es = dtypeSize(in[0]->dtype());
        forEachIndex(out[0].shape(), [&](std::int64_t o, const std::vector<std::int64_t>& idx) {
            std::int64_t pos = 0;
            for (std::size_t k = 0; k < idx.size(); ++k)
                pos += (idx[k] % s[k]) * strides[k];
            std::memcpy(bytesOf(out[0]) + o * static_cast<std::int64_t>(es),
                        bytesOf(*in[0]) + pos * static_cast<std::int64_t>(es), es);
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // View dY as [r0, s0, r1, s1, ...] and sum over the repeat dims.
        const Shape xs = b.shape(b.in(0));
        const auto reps = knownInts(b.call(), 1);
        if (!reps)
            fail("repeats must be known before running");
        Shape split;
        std::vector<std::int64_t> axes;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            axes.push_back(static_cast<std::int64_t>(split.size()));
            split.push_back((*reps)[i]);
            split.push_back(xs[i]);
        }
        const std::string r = b.reshape(dOut[0], split);
        return std::vector<std::string>{
            b.op("ReduceSum", {r}, {{"axes", axes}, {"keepdims", std::int64_t{0}}})};
    };
    return d;
}

namespace {

/// Pads per dim (begin, end), from the attribute (opset < 11) or inputs 1 and 3 (axes).
bool padAmounts(const OpCall& c, std::vector<std::int64_t>& begin, std::vector<std::int64_t>& end) {
    const std::size_t r = c.in[0].shape.size();
    std::vector<std::int64_t> pads;
    if (hasAttr(c.node, "pads"))
        pads = attrInts(c.node, "pads");
    else {
        auto p = knownInts(c, 1);
        if (!p)
            return false;
        pads = *p;
    }
    std::vector<std::int64_t> axes;
    if (c.has(3)) {
        auto a = knownInts(c, 3);
        if (!a)
            return false;
        axes = *a;
    } else {
        for (std::size_t i = 0; i < r; ++i)
            axes.push_back(static_cast<std::int64_t>(i));
    }
    if (pads.size() != 2 * axes.size())
        fail("pads has " + std::to_string(pads.size()) + " values, expected " +
             std::to_string(2 * axes.size()));
    begin.assign(r, 0);
    end.assign(r, 0);
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const int a = normalizeAxis(axes[i], static_cast<std::int64_t>(r), "axes value");
        begin[a] = pads[i];
        end[a] = pads[i + axes.size()];
    }
    return true;
}

} // namespace

OpDef padOp() {
    OpDef d;
    d.type = "Pad";
    d.category = FusionCategory::Injective;
    d.attrs = {{"mode", "constant"}, {"pads", "(input 1 since opset 11)"}, {"value", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 4);
        const Shape& s = c.in[0].shape;
        const std::string mode = attrString(c.node, "mode", "constant");
        if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
            fail("mode: expected constant, reflect, edge or wrap, got " + mode);
        std::vector<std::int64_t> b, e;
        if (!padAmounts(c, b, e))
            return std::vector<TensorType>{{c.in[0].dtype, Shape(s.size(), -1)}};
        Shape out(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] < 0)
                out[i] = -1;
            else if (__builtin_add_overflow(s[i], b[i], &out[i]) ||
                     __builtin_add_overflow(out[i], e[i], &out[i]))
                fail("pads of dim " + std::to_string(i) + " overflow 64 bits");
            if (out[i] < -1)
                fail("pads remove more than dim " + std::to_string(i) + " holds");
        }
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Each output index i reads input index i − padBegin; outside the input: the constant,
        // the nearest edge, the mirror image (reflect, without repeating the edge) or the
        // periodic image (wrap).
        std::vector<std::int64_t> b, e;
        if (!padAmounts(c, b, e) || !shapeKnown(out[0].shape()) ||
            out[0].shape().size() != in[0]->shape().size())
            fail("pads (input 1) and axes (input 3) must be integer tensors whose values are "
                 "known when the node runs");
        const std::string mode = attrString(c.node, "mode", "constant");
        const Shape& s = in[0]->shape();
        const auto strides = stridesOf(s);
        const std::size_t es = dtypeSize(in[0]->dtype());
        Tensor value(in[0]->dtype(), {});
        if (in.size() > 2 && in[2] && in[2]->numel() > 0)
            value = in[2]->reshaped({}).numel() == 1 ? in[2]->reshaped({}) : value;
        else if (hasAttr(c.node, "value"))
            value = Tensor::f64({}, {attrFloat(c.node, "value", 0)}).cast(in[0]->dtype());
        forEachIndex(out[0].shape(), [&](std::int64_t o, const std::vector<std::int64_t>& idx) {
            std::int64_t pos = 0;
            bool inside = true;
            for (std::size_t k = 0; k < idx.size(); ++k) {
                std::int64_t i = idx[k] - b[k];
                const std::int64_t n = s[k];
                if (i < 0 || i >= n) {
                    if (mode == "constant" || n == 0) {
                        inside = false;
                        break;
                    }
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
            std::memcpy(bytesOf(out[0]) + o * static_cast<std::int64_t>(es),
                        inside ? bytesOf(*in[0]) + pos * static_cast<std::int64_t>(es)
                               : static_cast<const std::uint8_t*>(value.rawData()),
                        es);
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // The adjoint of the index map: every output element adds into the input element it
        // was read from (several for edge/reflect/wrap; none for the constant border).
        std::vector<std::int64_t> pb, pe;
        if (!padAmounts(b.call(), pb, pe))
            fail("pads must be known before running");
        pb.insert(pb.end(), pe.begin(), pe.end());
        return std::vector<std::string>{b.op("aisys:PadGrad", {dOut[0]},
                                             {{"shape", b.shape(b.in(0))},
                                              {"pads", pb},
                                              {"mode", attrString(b.node(), "mode", "constant")}})};
    };
    return d;
}

} // namespace aisys::engine::ops
