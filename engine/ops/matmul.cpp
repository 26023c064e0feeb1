// MatMul (numpy batched, Eigen GEMM per batch) and Gemm.
#include "engine/ops/dense_gemm.h"
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

namespace aisys::engine::ops {

namespace {

/// The pieces of a numpy matmul: batch shapes, M, K, N and the output shape.
struct MatMulDims {
    Shape batchA, batchB, batch;
    std::int64_t m = 1, k = 1, n = 1;
    Shape out;
};

bool dimsAgree(std::int64_t a, std::int64_t b) {
    return a < 0 || b < 0 || a == b;
}

MatMulDims matMulDims(const Shape& a, const Shape& b) {
    // 1. A rank-1 A is a row [1, K], a rank-1 B a column [K, 1]; the added dim is dropped.
    // 2. The dims before the last two broadcast (numpy rules).
    if (a.empty() || b.empty())
        fail("expected operands of rank >= 1, got " + shapeToString(a) + " and " +
             shapeToString(b));
    MatMulDims d;
    d.m = a.size() >= 2 ? a[a.size() - 2] : 1;
    d.k = a.back();
    const std::int64_t kb = b.size() >= 2 ? b[b.size() - 2] : b[0];
    d.n = b.size() >= 2 ? b.back() : 1;
    if (!dimsAgree(d.k, kb))
        fail("inner dimensions differ: " + shapeToString(a) + " · " + shapeToString(b));
    if (d.k < 0)
        d.k = kb;
    if (a.size() > 2)
        d.batchA.assign(a.begin(), a.end() - 2);
    if (b.size() > 2)
        d.batchB.assign(b.begin(), b.end() - 2);
    d.batch = broadcastShapes(d.batchA, d.batchB);
    d.out = d.batch;
    if (a.size() >= 2)
        d.out.push_back(d.m);
    if (b.size() >= 2)
        d.out.push_back(d.n);
    return d;
}

template <class T> void matMulKernel(const Tensor& ta, const Tensor& tb, Tensor& to) {
    const MatMulDims d = matMulDims(ta.shape(), tb.shape());
    const T* a = ta.data<T>();
    const T* b = tb.data<T>();
    T* o = to.data<T>();
    const std::int64_t mk = d.m * d.k, kn = d.k * d.n, mn = d.m * d.n;
    auto one = [&](std::int64_t ib, std::int64_t ia, std::int64_t io) {
        denseGemm<T>(false, false, d.m, d.n, d.k, T(1), a + ia * mk, d.k, b + ib * kn, d.n, T(0),
                     o + io * mn, d.n);
    };
    if (d.batch.empty()) {
        one(0, 0, 0);
        return;
    }
    forEachBroadcast<2>(
        d.batch, {d.batchA, d.batchB},
        [&](std::int64_t io, const std::array<std::int64_t, 2>& p) { one(p[1], p[0], io); });
}

void expectMatMulType(const OpCall& c) {
    const DType t = c.in[0].dtype;
    if (t == DType::Bool || t == DType::I8 || t == DType::U8)
        fail(std::string("expected f32, f64, i32 or i64 operands, got ") + dtypeName(t));
    expectSameType(c, 1);
}

/// Swaps the last two dims.
std::string transposeLast2(GradBuilder& b, const std::string& v) {
    const std::size_t r = b.shape(v).size();
    std::vector<std::int64_t> perm;
    for (std::size_t i = 0; i < r; ++i)
        perm.push_back(static_cast<std::int64_t>(i));
    std::swap(perm[r - 1], perm[r - 2]);
    return b.op("Transpose", {v}, {{"perm", perm}});
}

std::vector<std::string> matMulGradient(GradBuilder& b, const std::vector<std::string>& dOut) {
    // 1. Make both operands at least 2-D ([K] → [1, K] for A, [K, 1] for B) and dY
    //    batch × [M, N] accordingly.
    // 2. dA = dY · Bᵀ, dB = Aᵀ · dY (batched), summed over broadcast batch dims, reshaped back.
    const std::string a = b.in(0), bb = b.in(1);
    const Shape sa = b.shape(a), sb = b.shape(bb);
    const MatMulDims d = matMulDims(sa, sb);
    const std::string a2 = sa.size() == 1 ? b.reshape(a, {1, d.k}) : a;
    const std::string b2 = sb.size() == 1 ? b.reshape(bb, {d.k, 1}) : bb;
    Shape dyShape = d.batch;
    dyShape.push_back(d.m);
    dyShape.push_back(d.n);
    const std::string dy = b.reshape(dOut[0], dyShape);
    std::vector<std::string> r(2);
    if (b.needs(0))
        r[0] = b.reshape(b.sumTo(b.op("MatMul", {dy, transposeLast2(b, b2)}), b.shape(a2)), sa);
    if (b.needs(1))
        r[1] = b.reshape(b.sumTo(b.op("MatMul", {transposeLast2(b, a2), dy}), b.shape(b2)), sb);
    return r;
}

} // namespace

OpDef matMulOp() {
    OpDef d;
    d.type = "MatMul";
    d.category = FusionCategory::OutElementwiseFusable;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        expectMatMulType(c);
        return std::vector<TensorType>{
            {c.in[0].dtype, matMulDims(c.in[0].shape, c.in[1].shape).out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        return 2.0 * numelOrZero(out[0].shape) * std::max<std::int64_t>(c.in[0].shape.back(), 0);
    };
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        switch (in[0]->dtype()) {
        case DType::F64:
            matMulKernel<double>(*in[0], *in[1], out[0]);
            break;
        case DType::I32:
            matMulKernel<std::int32_t>(*in[0], *in[1], out[0]);
            break;
        case DType::I64:
            matMulKernel<std::int64_t>(*in[0], *in[1], out[0]);
            break;
        default:
            matMulKernel<float>(*in[0], *in[1], out[0]);
            break;
        }
    };
    d.gradient = matMulGradient;
    return d;
}

namespace {

struct GemmDims {
    std::int64_t m, k, n;
};

GemmDims gemmDims(const OpCall& c) {
    const Shape& a = c.in[0].shape;
    const Shape& b = c.in[1].shape;
    if (a.size() != 2 || b.size() != 2)
        fail("expected rank-2 A and B, got " + shapeToString(a) + " and " + shapeToString(b));
    const bool ta = attrInt(c.node, "transA", 0) != 0, tb = attrInt(c.node, "transB", 0) != 0;
    GemmDims d{ta ? a[1] : a[0], ta ? a[0] : a[1], tb ? b[0] : b[1]};
    const std::int64_t kb = tb ? b[1] : b[0];
    if (!dimsAgree(d.k, kb))
        fail("inner dimensions differ: op(A) has K=" + std::to_string(d.k) +
             ", op(B) has K=" + std::to_string(kb) + " (transA/transB taken into account)");
    return d;
}

template <class T>
void gemmKernel(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out) {
    // 1. Map A and B as row-major matrices (transposed views when transA/transB).
    // 2. Y = alpha · op(A) · op(B) through denseGemm (Eigen's GEMM; its AVX2 build if the CPU
    //    has it).
    // 3. Add beta · C broadcast to [M, N] (C may be a scalar, a row, a column or [M, N]).
    const GemmDims d = gemmDims(c);
    const T alpha = static_cast<T>(attrFloat(c.node, "alpha", 1.0));
    const T beta = static_cast<T>(attrFloat(c.node, "beta", 1.0));
    const bool ta = attrInt(c.node, "transA", 0) != 0, tb = attrInt(c.node, "transB", 0) != 0;
    const Shape& as = in[0]->shape();
    const Shape& bs = in[1]->shape();
    denseGemm<T>(ta, tb, d.m, d.n, ta ? as[0] : as[1], alpha, in[0]->data<T>(), as[1],
                 in[1]->data<T>(), bs[1], T(0), out.data<T>(), d.n);
    if (in.size() > 2 && in[2] && beta != T(0)) {
        const T* cd = in[2]->data<T>();
        forEachBroadcast<1>(out.shape(), {in[2]->shape()},
                            [&](std::int64_t i, const std::array<std::int64_t, 1>& p) {
                                out.data<T>()[i] += beta * cd[p[0]];
                            });
    }
}

} // namespace

OpDef gemmOp() {
    OpDef d;
    d.type = "Gemm";
    d.category = FusionCategory::OutElementwiseFusable;
    d.attrs = {{"alpha", "1.0"}, {"beta", "1.0"}, {"transA", "0"}, {"transB", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 3);
        expectMatMulType(c);
        expectSameType(c, 2);
        const GemmDims g = gemmDims(c);
        Shape out{g.m, g.n};
        if (c.has(2) && shapeKnown(out) && shapeKnown(c.in[2].shape) &&
            broadcastShapes(out, c.in[2].shape) != out)
            fail("C " + shapeToString(c.in[2].shape) + " does not broadcast to " +
                 shapeToString(out));
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        const GemmDims g = gemmDims(c);
        return 2.0 * numelOrZero(out[0].shape) * std::max<std::int64_t>(g.k, 0) +
               (c.has(2) ? numelOrZero(out[0].shape) : 0.0);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        switch (in[0]->dtype()) {
        case DType::F64:
            gemmKernel<double>(c, in, out[0]);
            break;
        case DType::I32:
            gemmKernel<std::int32_t>(c, in, out[0]);
            break;
        case DType::I64:
            gemmKernel<std::int64_t>(c, in, out[0]);
            break;
        default:
            gemmKernel<float>(c, in, out[0]);
            break;
        }
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Y = α·op(A)·op(B) + β·C, so d op(A) = α·dY·op(B)ᵀ and d op(B) = α·op(A)ᵀ·dY; each
        // is written as one Gemm whose trans flags undo op(); dC = β·dY summed to C's shape.
        const Node& n = b.node();
        const double alpha = attrFloat(n, "alpha", 1.0), beta = attrFloat(n, "beta", 1.0);
        const std::int64_t ta = attrInt(n, "transA", 0) != 0, tb = attrInt(n, "transB", 0) != 0;
        const std::string a = b.in(0), bm = b.in(1), dy = dOut[0];
        auto gemm = [&](const std::string& x, const std::string& y, std::int64_t tx,
                        std::int64_t ty) {
            return b.op("Gemm", {x, y}, {{"alpha", alpha}, {"transA", tx}, {"transB", ty}});
        };
        std::vector<std::string> r(3);
        if (b.needs(0))
            r[0] = ta ? gemm(bm, dy, tb, 1) : gemm(dy, bm, 0, 1 - tb);
        if (b.needs(1))
            r[1] = tb ? gemm(dy, a, 1, ta) : gemm(a, dy, 1 - ta, 0);
        if (b.needs(2)) {
            std::string dc = dy;
            if (beta != 1.0)
                dc = b.mul(dy, b.scalar(beta, b.dtype(dy)));
            r[2] = b.sumTo(dc, b.shape(b.in(2)));
        }
        return r;
    };
    return d;
}

} // namespace aisys::engine::ops
