// Shape ops: Reshape, Flatten, Squeeze, Unsqueeze (data-preserving views), Transpose, Shape,
// Size, ConstantOfShape, Constant, Expand.
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cstring>

namespace aisys::engine::ops {

namespace {

/// A 1-D shape input of unknown value gives a shape of that many unknown dims.
Shape unknownDimsFor(const OpCall& c, std::size_t i, const char* what) {
    const Shape& s = c.in[i].shape;
    if (s.size() != 1 || s[0] < 0)
        fail(std::string(what) + " must be a 1-D tensor whose length is known, got " +
             shapeToString(s));
    if (s[0] > kMaxRank)
        fail(std::string(what) + " has " + std::to_string(s[0]) + " values: a tensor of rank " +
             "above " + std::to_string(kMaxRank) + " is not supported");
    return Shape(static_cast<std::size_t>(s[0]), -1);
}

Shape reshapeTarget(const OpCall& c) {
    // 1. Take the requested shape; 0 copies the input dim (unless allowzero), -1 is inferred.
    // 2. Check the element count matches.
    const Shape& in = c.in[0].shape;
    auto req = knownInts(c, 1);
    if (!req)
        return unknownDimsFor(c, 1, "shape");
    const bool allowZero = attrInt(c.node, "allowzero", 0) != 0;
    Shape out = *req;
    int inferred = -1;
    std::int64_t product = 1;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == 0 && !allowZero) {
            if (i >= in.size())
                fail("shape " + shapeToString(*req) + ": 0 at position " + std::to_string(i) +
                     " has no input dim to copy (input " + shapeToString(in) + ")");
            out[i] = in[i];
        }
        if (out[i] == -1) {
            if (inferred >= 0)
                fail("shape " + shapeToString(*req) + " has more than one -1");
            inferred = static_cast<int>(i);
        } else if (out[i] < -1) {
            fail("shape " + shapeToString(*req) + " has a negative dimension");
        } else if (__builtin_mul_overflow(product, out[i], &product)) {
            fail("shape " + shapeToString(*req) + " has more elements than fit in 64 bits");
        }
    }
    if (!shapeKnown(in) || (product < 0))
        return out;
    const std::int64_t total = numElements(in);
    if (inferred >= 0) {
        if (product == 0 || total % product != 0)
            fail("cannot reshape " + shapeToString(in) + " to " + shapeToString(*req));
        out[inferred] = total / product;
    } else if (product != total) {
        fail("cannot reshape " + shapeToString(in) + " (" + std::to_string(total) +
             " elements) to " + shapeToString(*req) + " (" + std::to_string(product) + ")");
    }
    return out;
}

Shape flattenTarget(const OpCall& c) {
    const Shape& in = c.in[0].shape;
    const std::int64_t rank = static_cast<std::int64_t>(in.size());
    std::int64_t axis = attrInt(c.node, "axis", 1);
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis > rank)
        fail("axis " + std::to_string(attrInt(c.node, "axis", 1)) + " is out of range for rank " +
             std::to_string(rank));
    std::int64_t a = 1, b = 1;
    for (std::int64_t i = 0; i < rank; ++i) {
        std::int64_t& part = i < axis ? a : b;
        part = (part < 0 || in[i] < 0) ? -1 : part * in[i];
    }
    return {a, b};
}

Shape squeezeTarget(const OpCall& c) {
    const Shape& in = c.in[0].shape;
    bool found = false, unknown = false;
    auto axes = axesFrom(c, "axes", 1, &found, &unknown);
    if (unknown)
        return Shape(in.size() - std::min<std::size_t>(in.size(), inputLength(c, 1, "axes")), -1);
    std::vector<bool> drop(in.size(), false);
    if (!found || axes.empty()) {
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i] < 0)
                fail("squeezing every 1-dim needs a known shape, got " + shapeToString(in));
            drop[i] = in[i] == 1;
        }
    }
    for (auto a : axes) {
        int ax = normalizeAxis(a, static_cast<std::int64_t>(in.size()), "axes value");
        if (in[ax] >= 0 && in[ax] != 1)
            fail("cannot squeeze axis " + std::to_string(a) + " of size " + std::to_string(in[ax]));
        drop[ax] = true;
    }
    Shape out;
    for (std::size_t i = 0; i < in.size(); ++i)
        if (!drop[i])
            out.push_back(in[i]);
    return out;
}

Shape unsqueezeTarget(const OpCall& c) {
    const Shape& in = c.in[0].shape;
    bool unknown = false;
    auto axes = axesFrom(c, "axes", 1, nullptr, &unknown);
    if (unknown)
        return Shape(in.size() + static_cast<std::size_t>(inputLength(c, 1, "axes")), -1);
    const std::int64_t rank = static_cast<std::int64_t>(in.size() + axes.size());
    std::vector<bool> inserted(static_cast<std::size_t>(rank), false);
    for (auto a : axes) {
        int ax = normalizeAxis(a, rank, "axes value");
        if (inserted[ax])
            fail("axes has a repeated value " + std::to_string(a));
        inserted[ax] = true;
    }
    Shape out;
    std::size_t k = 0;
    for (std::int64_t i = 0; i < rank; ++i)
        out.push_back(inserted[i] ? 1 : in[k++]);
    return out;
}

Shape viewTarget(const OpCall& c) {
    const std::string& op = c.node.op;
    if (op == "Reshape")
        return reshapeTarget(c);
    if (op == "Flatten")
        return flattenTarget(c);
    if (op == "Squeeze")
        return squeezeTarget(c);
    return unsqueezeTarget(c);
}

} // namespace

OpDef reshapeLikeOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Injective;
    if (type == "Reshape")
        d.attrs = {{"allowzero", "0"}};
    else if (type == "Flatten")
        d.attrs = {{"axis", "1"}};
    else
        d.attrs = {{"axes", "(input 1 since opset 13)"}};
    d.infer = [type](const OpCall& c) {
        expectInputs(c, type == "Reshape" ? 2 : 1, type == "Flatten" ? 1 : 2);
        return std::vector<TensorType>{{c.in[0].dtype, viewTarget(c)}};
    };
    d.flops = noFlops;
    d.bytes = [](const OpCall&, const std::vector<TensorType>&) { return 0.0; }; // a view
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        out[0] = in[0]->reshaped(out[0].shape());
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // A view: the gradient is dY viewed in the input's shape.
        return std::vector<std::string>{b.reshape(dOut[0], b.shape(b.in(0)))};
    };
    return d;
}

/// Copies a permuted view: out (shape os, row-major) from in, where moving one step along output
/// dim k moves step[k] elements in the input. The last output dim is the inner loop (a memcpy
/// when it is contiguous in the input too); the others advance like an odometer.
template <class E>
void transposeCopy(const std::uint8_t* srcBytes, std::uint8_t* dstBytes, const Shape& os,
                   const std::vector<std::int64_t>& step) {
    const E* src = reinterpret_cast<const E*>(srcBytes);
    E* dst = reinterpret_cast<E*>(dstBytes);
    const std::size_t r = os.size();
    const std::int64_t n = numElements(os);
    if (r == 0 || n == 0) {
        if (n == 1)
            dst[0] = src[0];
        return;
    }
    const std::int64_t last = os[r - 1], ls = step[r - 1];
    std::vector<std::int64_t> idx(r, 0);
    std::int64_t pos = 0;
    for (std::int64_t o = 0; o < n; o += last) {
        if (ls == 1)
            std::memcpy(dst + o, src + pos, static_cast<std::size_t>(last) * sizeof(E));
        else
            for (std::int64_t q = 0; q < last; ++q)
                dst[o + q] = src[pos + q * ls];
        for (int k = static_cast<int>(r) - 2; k >= 0; --k) {
            pos += step[k];
            if (++idx[k] < os[k])
                break;
            pos -= step[k] * os[k];
            idx[k] = 0;
        }
    }
}

OpDef transposeOp() {
    OpDef d;
    d.type = "Transpose";
    d.category = FusionCategory::Injective;
    d.attrs = {{"perm", "reversed dims"}};
    auto permOf = [](const Node& n, std::size_t rank) {
        std::vector<std::int64_t> rev(rank);
        for (std::size_t i = 0; i < rank; ++i)
            rev[i] = static_cast<std::int64_t>(rank - 1 - i);
        auto perm = attrInts(n, "perm", rev);
        std::vector<bool> seen(rank, false);
        if (perm.size() != rank)
            fail("perm has " + std::to_string(perm.size()) + " values, the input rank is " +
                 std::to_string(rank));
        for (auto p : perm) {
            if (p < 0 || p >= static_cast<std::int64_t>(rank) || seen[p])
                fail("perm must be a permutation of 0.." + std::to_string(rank - 1));
            seen[p] = true;
        }
        return perm;
    };
    d.infer = [permOf](const OpCall& c) {
        expectInputs(c, 1, 1);
        const Shape& in = c.in[0].shape;
        auto perm = permOf(c.node, in.size());
        Shape out(in.size());
        for (std::size_t i = 0; i < in.size(); ++i)
            out[i] = in[perm[i]];
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = noFlops;
    d.forward = [permOf](const OpCall& c, const std::vector<const Tensor*>& in,
                         std::vector<Tensor>& out) {
        // Walk the output row-major; the input offset moves by the input stride of the
        // permuted dim (an odometer over output indices).
        const Shape& os = out[0].shape();
        const std::size_t r = os.size();
        auto perm = permOf(c.node, r);
        auto inStrides = stridesOf(in[0]->shape());
        std::vector<std::int64_t> step(r);
        for (std::size_t i = 0; i < r; ++i)
            step[i] = inStrides[perm[i]];
        const std::size_t es = dtypeSize(in[0]->dtype());
        const auto* src = static_cast<const std::uint8_t*>(in[0]->rawData());
        auto* dst = static_cast<std::uint8_t*>(out[0].rawData());
        switch (es) { // a typed inner loop per element size
        case 1:
            transposeCopy<std::uint8_t>(src, dst, os, step);
            break;
        case 2:
            transposeCopy<std::uint16_t>(src, dst, os, step);
            break;
        case 4:
            transposeCopy<std::uint32_t>(src, dst, os, step);
            break;
        default:
            transposeCopy<std::uint64_t>(src, dst, os, step);
            break;
        }
    };
    d.gradient = [permOf](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Transpose back with the inverse permutation.
        const auto perm = permOf(b.node(), b.shape(b.in(0)).size());
        std::vector<std::int64_t> inverse(perm.size());
        for (std::size_t i = 0; i < perm.size(); ++i)
            inverse[perm[i]] = static_cast<std::int64_t>(i);
        return std::vector<std::string>{b.op("Transpose", {dOut[0]}, {{"perm", inverse}})};
    };
    return d;
}

OpDef shapeOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Opaque;
    if (type == "Shape")
        d.attrs = {{"start", "0"}, {"end", "rank"}};
    auto range = [](const Node& n, std::int64_t rank) {
        auto clampDim = [rank](std::int64_t v) {
            if (v < 0)
                v += rank;
            return std::clamp<std::int64_t>(v, 0, rank);
        };
        std::int64_t start = clampDim(attrInt(n, "start", 0));
        std::int64_t end = hasAttr(n, "end") ? clampDim(attrInt(n, "end", rank)) : rank;
        return std::pair{start, std::max(start, end)};
    };
    d.infer = [type, range](const OpCall& c) {
        expectInputs(c, 1, 1);
        if (type == "Size")
            return std::vector<TensorType>{{DType::I64, {}}};
        auto [s, e] = range(c.node, static_cast<std::int64_t>(c.in[0].shape.size()));
        return std::vector<TensorType>{{DType::I64, {e - s}}};
    };
    d.flops = noFlops;
    d.bytes = [](const OpCall&, const std::vector<TensorType>& out) { return typeBytes(out[0]); };
    d.forward = [type, range](const OpCall& c, const std::vector<const Tensor*>& in,
                              std::vector<Tensor>& out) {
        // Reads only the input's type (shape inference folds Shape without the data).
        (void)in;
        const Shape& shape = c.in[0].shape;
        if (type == "Size") {
            out[0].data<std::int64_t>()[0] = numElements(shape);
            return;
        }
        auto [s, e] = range(c.node, static_cast<std::int64_t>(shape.size()));
        if (e == s) // an empty result has no storage to point into
            return;
        std::int64_t* o = out[0].data<std::int64_t>();
        for (std::int64_t i = s; i < e; ++i)
            o[i - s] = shape[i];
    };
    return d;
}

OpDef constantOfShapeOp() {
    OpDef d;
    d.type = "ConstantOfShape";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"value", "f32 0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        const Tensor* v = attrTensor(c.node, "value");
        if (v && v->numel() != 1)
            fail("attribute 'value' must hold one element");
        const DType t = v ? v->dtype() : DType::F32;
        auto shape = knownInts(c, 0);
        if (!shape)
            return std::vector<TensorType>{{t, unknownDimsFor(c, 0, "input")}};
        for (auto s : *shape)
            if (s < 0)
                fail("shape " + shapeToString(*shape) + " has a negative dimension");
        return std::vector<TensorType>{{t, *shape}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>&, std::vector<Tensor>& out) {
        const Tensor* v = attrTensor(c.node, "value");
        if (!v)
            return; // zero-filled f32 already
        const std::size_t es = dtypeSize(v->dtype());
        auto* dst = static_cast<std::uint8_t*>(out[0].rawData());
        for (std::int64_t i = 0; i < out[0].numel(); ++i)
            std::memcpy(dst + i * es, v->rawData(), es);
    };
    return d;
}

namespace {

Tensor constantValue(const Node& n) {
    if (const Tensor* t = attrTensor(n, "value"))
        return *t;
    if (hasAttr(n, "value_float"))
        return Tensor::f32({}, {static_cast<float>(attrFloat(n, "value_float", 0))});
    if (hasAttr(n, "value_floats")) {
        auto v = attrFloats(n, "value_floats");
        std::vector<float> f(v.begin(), v.end());
        return Tensor::f32({static_cast<std::int64_t>(f.size())}, f);
    }
    if (hasAttr(n, "value_int"))
        return Tensor::i64({}, {attrInt(n, "value_int", 0)});
    if (hasAttr(n, "value_ints")) {
        auto v = attrInts(n, "value_ints");
        return Tensor::i64({static_cast<std::int64_t>(v.size())}, v);
    }
    fail("expected one of the attributes value, value_float, value_floats, value_int, "
         "value_ints");
}

} // namespace

OpDef constantOp() {
    OpDef d;
    d.type = "Constant";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"value", ""},
               {"value_float", ""},
               {"value_floats", ""},
               {"value_int", ""},
               {"value_ints", ""}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 0, 0);
        Tensor t = constantValue(c.node);
        return std::vector<TensorType>{{t.dtype(), t.shape()}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>&, std::vector<Tensor>& out) {
        out[0] = constantValue(c.node);
    };
    return d;
}

OpDef expandOp() {
    OpDef d;
    d.type = "Expand";
    d.category = FusionCategory::Broadcast;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        auto shape = knownInts(c, 1);
        if (!shape) {
            Shape dims = unknownDimsFor(c, 1, "shape");
            if (dims.size() < c.in[0].shape.size())
                dims.resize(c.in[0].shape.size(), -1);
            return std::vector<TensorType>{{c.in[0].dtype, dims}};
        }
        return std::vector<TensorType>{{c.in[0].dtype, broadcastShapes(c.in[0].shape, *shape)}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        const std::size_t es = dtypeSize(in[0]->dtype());
        const auto* src = static_cast<const std::uint8_t*>(in[0]->rawData());
        auto* dst = static_cast<std::uint8_t*>(out[0].rawData());
        forEachBroadcast<1>(out[0].shape(), {in[0]->shape()},
                            [&](std::int64_t i, const std::array<std::int64_t, 1>& p) {
                                std::memcpy(dst + i * es, src + p[0] * es, es);
                            });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // The adjoint of a broadcast: sum over the expanded dims.
        return std::vector<std::string>{b.sumTo(dOut[0], b.shape(b.in(0)))};
    };
    return d;
}

} // namespace aisys::engine::ops
