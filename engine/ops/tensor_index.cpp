// Indexing and data-movement ops: Concat, Split, Slice, Gather (Tile and Pad: tile_pad.cpp).
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cstring>

namespace aisys::engine::ops {

namespace {

/// outer × (axis · inner) byte blocks around an axis, for chunk copies.
struct Blocks {
    std::int64_t outer = 1, inner = 1;
};

Blocks blocksAround(const Shape& s, int axis) {
    Blocks b;
    for (int i = 0; i < static_cast<int>(s.size()); ++i) {
        if (i < axis)
            b.outer *= s[i];
        else if (i > axis)
            b.inner *= s[i];
    }
    return b;
}

} // namespace

OpDef concatOp() {
    OpDef d;
    d.type = "Concat";
    d.category = FusionCategory::Injective;
    d.attrs = {{"axis", ""}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1u << 20);
        if (!hasAttr(c.node, "axis"))
            fail("attribute 'axis' is required");
        const Shape& first = c.in[0].shape;
        if (first.empty())
            fail("expected inputs of rank >= 1, got a scalar");
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(first.size()));
        Shape out = first;
        for (std::size_t i = 1; i < c.inputCount(); ++i) {
            expectSameType(c, i);
            const Shape& s = c.in[i].shape;
            if (s.size() != first.size())
                fail("input " + std::to_string(i) + " " + shapeToString(s) +
                     " has another rank than input 0 " + shapeToString(first));
            for (std::size_t k = 0; k < s.size(); ++k)
                if (static_cast<int>(k) != axis && s[k] >= 0 && out[k] >= 0 && s[k] != out[k])
                    fail("input " + std::to_string(i) + " " + shapeToString(s) +
                         " differs from input 0 " + shapeToString(first) + " outside axis " +
                         std::to_string(axis));
            out[axis] = (out[axis] < 0 || s[axis] < 0) ? -1 : out[axis] + s[axis];
        }
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        const Shape& os = out[0].shape();
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(os.size()));
        const Blocks b = blocksAround(os, axis);
        const std::size_t es = dtypeSize(out[0].dtype());
        const std::int64_t outRow = os[axis] * b.inner * static_cast<std::int64_t>(es);
        std::int64_t offset = 0;
        for (const Tensor* t : in) {
            const std::int64_t row = t->shape()[axis] * b.inner * static_cast<std::int64_t>(es);
            for (std::int64_t o = 0; o < b.outer && row > 0; ++o) // (empty input: no storage)
                std::memcpy(bytesOf(out[0]) + o * outRow + offset, bytesOf(*t) + o * row,
                            static_cast<std::size_t>(row));
            offset += row;
        }
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Split dY along the axis into the inputs' sizes.
        const Shape& os = b.shape(b.out(0));
        const std::int64_t axis =
            normalizeAxis(attrInt(b.node(), "axis", 0), static_cast<std::int64_t>(os.size()));
        std::vector<std::int64_t> sizes;
        for (std::size_t i = 0; i < b.node().inputs.size(); ++i)
            sizes.push_back(b.shape(b.in(i))[axis]);
        if (sizes.size() == 1)
            return std::vector<std::string>{dOut[0]};
        return b.ops("Split", {dOut[0]}, {{"axis", axis}, {"split", sizes}},
                     static_cast<int>(sizes.size()));
    };
    return d;
}

namespace {

std::vector<std::int64_t> splitSizes(const OpCall& c, std::int64_t len) {
    const std::size_t n = c.outputCount();
    std::vector<std::int64_t> sizes;
    if (hasAttr(c.node, "split"))
        sizes = attrInts(c.node, "split");
    else if (c.has(1)) {
        auto v = knownInts(c, 1);
        if (!v) // fed at run time
            return std::vector<std::int64_t>(n, -1);
        sizes = *v;
    } else if (len < 0) {
        return std::vector<std::int64_t>(n, -1);
    } else if (hasAttr(c.node, "num_outputs")) {
        const std::int64_t parts = attrInt(c.node, "num_outputs", 1);
        const std::int64_t chunk = (len + parts - 1) / parts;
        for (std::int64_t i = 0; i < parts; ++i)
            sizes.push_back(std::max<std::int64_t>(0, std::min(chunk, len - i * chunk)));
    } else {
        if (len % static_cast<std::int64_t>(n) != 0)
            fail("axis length " + std::to_string(len) + " does not split evenly into " +
                 std::to_string(n) + " outputs");
        sizes.assign(n, len / static_cast<std::int64_t>(n));
    }
    if (sizes.size() != n)
        fail("split has " + std::to_string(sizes.size()) + " parts for " + std::to_string(n) +
             " outputs");
    std::int64_t sum = 0;
    for (auto s : sizes)
        sum += s;
    if (len >= 0 && sum != len)
        fail("split sizes sum to " + std::to_string(sum) + ", the axis has " + std::to_string(len));
    return sizes;
}

} // namespace

OpDef splitOp() {
    OpDef d;
    d.type = "Split";
    d.category = FusionCategory::Injective;
    d.attrs = {{"axis", "0"}, {"split", "(input 1 since opset 13)"}, {"num_outputs", ""}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 2);
        const Shape& s = c.in[0].shape;
        if (s.empty())
            fail("expected an input of rank >= 1, got a scalar");
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(s.size()));
        std::vector<TensorType> out;
        for (auto size : splitSizes(c, s[axis])) {
            Shape o = s;
            o[axis] = size;
            out.push_back({c.in[0].dtype, o});
        }
        return out;
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        const Shape& s = in[0]->shape();
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(s.size()));
        const Blocks b = blocksAround(s, axis);
        const std::int64_t es = static_cast<std::int64_t>(dtypeSize(in[0]->dtype()));
        const std::int64_t inRow = s[axis] * b.inner * es;
        std::int64_t offset = 0;
        for (Tensor& t : out) {
            const std::int64_t row = t.shape()[axis] * b.inner * es;
            for (std::int64_t o = 0; o < b.outer && row > 0; ++o) // (empty part: no storage)
                std::memcpy(bytesOf(t) + o * row, bytesOf(*in[0]) + o * inRow + offset,
                            static_cast<std::size_t>(row));
            offset += row;
        }
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Concatenate the pieces' gradients (zeros for a piece no gradient reached).
        std::vector<std::string> parts;
        for (std::size_t i = 0; i < dOut.size(); ++i)
            parts.push_back(!dOut[i].empty() ? dOut[i]
                                             : b.zeros(b.dtype(b.out(i)), b.shape(b.out(i))));
        const std::int64_t axis = attrInt(b.node(), "axis", 0);
        return std::vector<std::string>{b.op("Concat", parts, {{"axis", axis}})};
    };
    return d;
}

namespace {

/// Per input dim: first index, step and count of a Slice.
struct SliceDims {
    std::vector<std::int64_t> start, step;
    Shape out;
};

SliceDims sliceDims(const OpCall& c, bool* knownValues) {
    // 1. Starts, ends, axes (default 0..n-1) and steps (default 1) from attributes (opset < 10)
    //    or inputs 1..4.
    // 2. Per axis: negative values count from the end; clamp start to [0, dim] (step > 0) or
    //    [0, dim − 1] (step < 0) and end to [0, dim] or [−1, dim − 1]; count = ceil((end −
    //    start) / step), at least 0.
    const Shape& s = c.in[0].shape;
    const std::int64_t rank = static_cast<std::int64_t>(s.size());
    SliceDims r;
    r.start.assign(s.size(), 0);
    r.step.assign(s.size(), 1);
    r.out = s;
    std::vector<std::int64_t> starts, ends, axes, steps;
    if (hasAttr(c.node, "starts")) {
        starts = attrInts(c.node, "starts");
        ends = attrInts(c.node, "ends");
        axes = attrInts(c.node, "axes");
    } else {
        auto st = knownInts(c, 1), en = knownInts(c, 2);
        auto ax = c.has(3) ? knownInts(c, 3) : std::optional<std::vector<std::int64_t>>{};
        auto sp = c.has(4) ? knownInts(c, 4) : std::optional<std::vector<std::int64_t>>{};
        if (!st || !en || (c.has(3) && !ax) || (c.has(4) && !sp)) {
            *knownValues = false;
            if (!ax && c.has(3))
                r.out.assign(s.size(), -1);
            else {
                std::vector<std::int64_t> a = ax ? *ax : std::vector<std::int64_t>{};
                if (!ax)
                    for (std::int64_t i = 0;
                         i < (c.in.size() < 2 || c.in[1].shape.empty() ? 0 : c.in[1].shape[0]); ++i)
                        a.push_back(i);
                for (auto v : a)
                    r.out[normalizeAxis(v, rank, "axes value")] = -1;
            }
            return r;
        }
        starts = *st;
        ends = *en;
        if (ax)
            axes = *ax;
        if (sp)
            steps = *sp;
    }
    *knownValues = true;
    if (axes.empty())
        for (std::size_t i = 0; i < starts.size(); ++i)
            axes.push_back(static_cast<std::int64_t>(i));
    if (steps.empty())
        steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size())
        fail("starts, ends, axes and steps must have the same length");
    std::vector<bool> seen(s.size(), false);
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const int a = normalizeAxis(axes[i], rank, "axes value");
        if (seen[a])
            fail("axes has a repeated value " + std::to_string(axes[i]));
        seen[a] = true;
        const std::int64_t dim = s[a], step = steps[i];
        if (step == 0)
            fail("steps must not be 0");
        if (dim < 0) {
            r.out[a] = -1;
            continue;
        }
        std::int64_t b = starts[i], e = ends[i];
        if (b < 0)
            b += dim;
        if (e < 0)
            e += dim;
        if (step > 0) {
            b = std::clamp<std::int64_t>(b, 0, dim);
            e = std::clamp<std::int64_t>(e, 0, dim);
        } else {
            b = std::clamp<std::int64_t>(b, 0, dim - 1);
            e = std::clamp<std::int64_t>(e, -1, dim - 1);
        }
        const std::int64_t count =
            step > 0 ? (e - b + step - 1) / step : (b - e + (-step) - 1) / (-step);
        r.start[a] = b;
        r.step[a] = step;
        r.out[a] = std::max<std::int64_t>(0, count);
    }
    return r;
}

} // namespace

OpDef sliceOp() {
    OpDef d;
    d.type = "Slice";
    d.category = FusionCategory::Injective;
    d.attrs = {{"starts", "(inputs since opset 10)"}, {"ends", ""}, {"axes", ""}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 5);
        bool knownValues = false;
        return std::vector<TensorType>{{c.in[0].dtype, sliceDims(c, &knownValues).out}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        bool knownValues = false;
        const SliceDims sd = sliceDims(c, &knownValues);
        if (!knownValues || !shapeKnown(out[0].shape()) ||
            out[0].shape().size() != in[0]->shape().size())
            fail("starts, ends, axes and steps must be integer tensors whose values are known "
                 "when the node runs");
        const auto strides = stridesOf(in[0]->shape());
        const std::size_t es = dtypeSize(in[0]->dtype());
        std::int64_t base = 0;
        for (std::size_t k = 0; k < strides.size(); ++k)
            base += sd.start[k] * strides[k];
        forEachIndex(out[0].shape(), [&](std::int64_t o, const std::vector<std::int64_t>& idx) {
            std::int64_t pos = base;
            for (std::size_t k = 0; k < idx.size(); ++k)
                pos += idx[k] * sd.step[k] * strides[k];
            std::memcpy(bytesOf(out[0]) + o * static_cast<std::int64_t>(es),
                        bytesOf(*in[0]) + pos * static_cast<std::int64_t>(es), es);
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Scatter dY back into zeros at the sliced positions (explicit per-dim start and step).
        bool knownValues = false;
        const SliceDims sd = sliceDims(b.call(), &knownValues);
        if (!knownValues)
            fail("the slice's starts/ends/axes/steps must be known before running");
        return std::vector<std::string>{
            b.op("aisys:SliceGrad", {dOut[0]},
                 {{"shape", b.shape(b.in(0))}, {"starts", sd.start}, {"steps", sd.step}})};
    };
    return d;
}

OpDef gatherOp() {
    OpDef d;
    d.type = "Gather";
    d.category = FusionCategory::Injective;
    d.attrs = {{"axis", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        if (c.in[1].dtype != DType::I64 && c.in[1].dtype != DType::I32)
            fail(std::string("indices: expected i32 or i64, got ") + dtypeName(c.in[1].dtype));
        const Shape& s = c.in[0].shape;
        if (s.empty())
            fail("data: expected rank >= 1, got a scalar");
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(s.size()));
        Shape out(s.begin(), s.begin() + axis);
        out.insert(out.end(), c.in[1].shape.begin(), c.in[1].shape.end());
        out.insert(out.end(), s.begin() + axis + 1, s.end());
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // out[o, j, i] = data[o, index_j, i] with negative indices counted from the end.
        const Shape& s = in[0]->shape();
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(s.size()));
        const Blocks b = blocksAround(s, axis);
        const std::int64_t len = s[axis], count = in[1]->numel();
        const std::int64_t es = static_cast<std::int64_t>(dtypeSize(in[0]->dtype()));
        const std::int64_t chunk = b.inner * es;
        for (std::int64_t j = 0; j < count; ++j) {
            std::int64_t k = in[1]->atInt(j);
            if (k < 0)
                k += len;
            if (k < 0 || k >= len)
                fail("index " + std::to_string(in[1]->atInt(j)) + " is out of range for axis " +
                     std::to_string(axis) + " of length " + std::to_string(len));
            for (std::int64_t o = 0; o < b.outer && chunk > 0; ++o) // (empty rows: no storage)
                std::memcpy(bytesOf(out[0]) + (o * count + j) * chunk,
                            bytesOf(*in[0]) + (o * len + k) * chunk,
                            static_cast<std::size_t>(chunk));
        }
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Scatter-add dY rows back to the rows the indices name (repeats accumulate).
        const Shape xs = b.shape(b.in(0));
        const std::int64_t axis =
            normalizeAxis(attrInt(b.node(), "axis", 0), static_cast<std::int64_t>(xs.size()));
        return std::vector<std::string>{
            b.op("aisys:GatherGrad", {dOut[0], b.in(1)}, {{"axis", axis}, {"shape", xs}})};
    };
    return d;
}

} // namespace aisys::engine::ops
