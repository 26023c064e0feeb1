// Pooling: MaxPool (with optional Indices), AveragePool, GlobalAveragePool, GlobalMaxPool.
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"
#include "engine/ops/window_geometry.h"

#include <cmath>
#include <limits>

namespace aisys::engine::ops {

namespace {

std::vector<TensorType> inferPool(const OpCall& c) {
    expectInputs(c, 1, 1);
    if (c.node.op == "MaxPool" ? c.in[0].dtype == DType::Bool : !isFloat(c.in[0].dtype))
        fail(std::string("input 0: expected ") +
             (c.node.op == "MaxPool" ? "a numeric type" : "f32 or f64") + ", got " +
             dtypeName(c.in[0].dtype));
    if (!hasAttr(c.node, "kernel_shape"))
        fail("attribute 'kernel_shape' is required");
    const Shape& x = c.in[0].shape;
    WindowGeometry g = windowGeometry(c.node, spatialDims(x, "X"), {});
    Shape out{x[0], x[1]};
    out.insert(out.end(), g.out.begin(), g.out.end());
    std::vector<TensorType> types{{c.in[0].dtype, out}};
    if (c.outputCount() > 1) {
        if (c.node.op != "MaxPool")
            fail("expected 1 output");
        types.push_back({DType::I64, out});
    }
    return types;
}

template <class T> void poolKernel(const OpCall& c, const Tensor& xt, std::vector<Tensor>& out) {
    // For each (n, c) plane and output position p:
    // 1. Visit the window's taps p·stride − padBegin + k·dilation (odometer over kernel dims),
    //    skipping taps outside the input.
    // 2. Max: keep the largest and its flat index (n, c, spatial) for Indices.
    //    Average: sum / (all taps incl. explicit padding if count_include_pad, else the taps
    //    inside the input).
    const Shape& xs = xt.shape();
    const WindowGeometry g = windowGeometry(c.node, {xs.begin() + 2, xs.end()}, {});
    const bool isMax = c.node.op == "MaxPool";
    const bool includePad = attrInt(c.node, "count_include_pad", 0) != 0;
    const bool columnMajor = attrInt(c.node, "storage_order", 0) != 0;
    const std::size_t r = g.rank();
    const std::int64_t planes = xs[0] * xs[1];
    const std::int64_t inCount = numElements(g.in), outCount = g.outCount();
    const std::int64_t kc = g.kernelCount();
    const T* x = xt.data<T>();
    T* y = out[0].data<T>();
    std::int64_t* idxOut = out.size() > 1 ? out[1].data<std::int64_t>() : nullptr;
    std::vector<std::int64_t> o(r), k(r);
    for (std::int64_t pl = 0; pl < planes; ++pl) {
        const T* xp = x + pl * inCount;
        std::fill(o.begin(), o.end(), 0);
        for (std::int64_t p = 0; p < outCount; ++p) {
            T best = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                          : std::numeric_limits<T>::lowest();
            std::int64_t bestIdx = -1;
            double sum = 0;
            std::int64_t inside = 0, padded = 0;
            std::fill(k.begin(), k.end(), 0);
            for (std::int64_t t = 0; t < kc; ++t) {
                bool valid = true, inPadded = true;
                std::int64_t flat = 0, flatCol = 0, colStride = 1;
                for (std::size_t d = 0; d < r; ++d) {
                    const std::int64_t ic =
                        o[d] * g.stride[d] - g.padBegin[d] + k[d] * g.dilation[d];
                    valid = valid && ic >= 0 && ic < g.in[d];
                    inPadded = inPadded && ic < g.in[d] + g.padEnd[d];
                    flat = flat * g.in[d] + ic;
                    flatCol += ic * colStride;
                    colStride *= g.in[d];
                }
                if (inPadded)
                    ++padded;
                if (valid) {
                    const T v = xp[flat];
                    ++inside;
                    sum += static_cast<double>(v);
                    if (v > best || bestIdx < 0) {
                        best = v;
                        bestIdx = columnMajor ? flatCol : flat;
                    }
                }
                for (int d = static_cast<int>(r) - 1; d >= 0; --d) {
                    if (++k[d] < g.kernel[d])
                        break;
                    k[d] = 0;
                }
            }
            if (isMax) {
                y[pl * outCount + p] = best;
                if (idxOut)
                    idxOut[pl * outCount + p] = pl * inCount + bestIdx;
            } else {
                const std::int64_t count = includePad ? padded : inside;
                y[pl * outCount + p] =
                    static_cast<T>(sum / static_cast<double>(std::max<std::int64_t>(count, 1)));
            }
            for (int d = static_cast<int>(r) - 1; d >= 0; --d) {
                if (++o[d] < g.out[d])
                    break;
                o[d] = 0;
            }
        }
    }
}

} // namespace

OpDef poolOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::OutElementwiseFusable;
    d.attrs = {{"auto_pad", "NOTSET"}, {"ceil_mode", "0"}, {"dilations", "1..."},
               {"kernel_shape", ""},   {"pads", "0..."},   {"strides", "1..."}};
    if (type == "MaxPool")
        d.attrs.push_back({"storage_order", "0"});
    else
        d.attrs.push_back({"count_include_pad", "0"});
    d.infer = inferPool;
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        double k = 1;
        for (auto v : attrInts(c.node, "kernel_shape"))
            k *= static_cast<double>(v);
        return numelOrZero(out[0].shape) * k;
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        visitNumeric(in[0]->dtype(), [&](auto tag) { poolKernel<decltype(tag)>(c, *in[0], out); });
    };
    return d;
}

OpDef globalPoolOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Reduction;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        expectFloat(c, 0);
        Shape out = c.in[0].shape;
        (void)spatialDims(out, "X");
        std::fill(out.begin() + 2, out.end(), 1);
        return std::vector<TensorType>{{c.in[0].dtype, out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        return numelOrZero(c.in[0].shape);
    };
    d.forward = [type](const OpCall&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const std::int64_t planes = in[0]->shape()[0] * in[0]->shape()[1];
            const std::int64_t count = in[0]->numel() / std::max<std::int64_t>(planes, 1);
            const T* x = in[0]->data<T>();
            T* y = out[0].data<T>();
            for (std::int64_t p = 0; p < planes; ++p) {
                const T* xp = x + p * count;
                if (type == "GlobalMaxPool") {
                    T m = -std::numeric_limits<T>::infinity();
                    for (std::int64_t i = 0; i < count; ++i)
                        m = std::max(m, xp[i]);
                    y[p] = m;
                } else {
                    double s = 0;
                    for (std::int64_t i = 0; i < count; ++i)
                        s += static_cast<double>(xp[i]);
                    y[p] = static_cast<T>(s / static_cast<double>(count));
                }
            }
        });
    };
    return d;
}

} // namespace aisys::engine::ops
