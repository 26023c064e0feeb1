// Pooling: MaxPool (with optional Indices), AveragePool, GlobalAveragePool, GlobalMaxPool.
#include "engine/ops/grad_builder.h"
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

/// The taps of one window: flat input indices inside the input (row-major and, for
/// storage_order=1, column-major) and the tap count inside input + explicit padding.
struct Window {
    std::vector<std::int64_t> flat, flatCol;
    std::int64_t padded = 0;
};

/// Calls f(outFlat, window) for every output position of one plane.
template <class F> void forEachWindow(const WindowGeometry& g, F f) {
    // 1. Walk the output positions p like an odometer.
    // 2. For each, visit the taps p·stride − padBegin + k·dilation (odometer over kernel dims),
    //    keeping those inside the input and counting those inside the padded input.
    const std::size_t r = g.rank();
    const std::int64_t outCount = g.outCount(), kc = g.kernelCount();
    std::vector<std::int64_t> o(r, 0), k(r);
    Window w;
    for (std::int64_t p = 0; p < outCount; ++p) {
        w.flat.clear();
        w.flatCol.clear();
        w.padded = 0;
        std::fill(k.begin(), k.end(), 0);
        for (std::int64_t t = 0; t < kc; ++t) {
            bool valid = true, inPadded = true;
            std::int64_t flat = 0, flatCol = 0, colStride = 1;
            for (std::size_t d = 0; d < r; ++d) {
                const std::int64_t ic = o[d] * g.stride[d] - g.padBegin[d] + k[d] * g.dilation[d];
                valid = valid && ic >= 0 && ic < g.in[d];
                inPadded = inPadded && ic < g.in[d] + g.padEnd[d];
                flat = flat * g.in[d] + ic;
                flatCol += ic * colStride;
                colStride *= g.in[d];
            }
            w.padded += inPadded ? 1 : 0;
            if (valid) {
                w.flat.push_back(flat);
                w.flatCol.push_back(flatCol);
            }
            for (int d = static_cast<int>(r) - 1; d >= 0; --d) {
                if (++k[d] < g.kernel[d])
                    break;
                k[d] = 0;
            }
        }
        f(p, w);
        for (int d = static_cast<int>(r) - 1; d >= 0; --d) {
            if (++o[d] < g.out[d])
                break;
            o[d] = 0;
        }
    }
}

/// Index (into w.flat) of the window's largest element (the first one on ties), or -1.
template <class T> std::int64_t argMaxTap(const T* xp, const Window& w) {
    std::int64_t best = -1;
    for (std::size_t t = 0; t < w.flat.size(); ++t)
        if (best < 0 || xp[w.flat[t]] > xp[w.flat[best]])
            best = static_cast<std::int64_t>(t);
    return best;
}

/// Every window of a plane, computed once and shared by all planes: window p's taps are
/// flat[start[p] .. start[p + 1]) (flatCol alike), padded[p] its count inside the padded input.
struct Windows {
    std::vector<std::int64_t> start{0}, flat, flatCol, padded;
};

Windows planeWindows(const WindowGeometry& g) {
    Windows all;
    forEachWindow(g, [&](std::int64_t, const Window& w) {
        all.flat.insert(all.flat.end(), w.flat.begin(), w.flat.end());
        all.flatCol.insert(all.flatCol.end(), w.flatCol.begin(), w.flatCol.end());
        all.start.push_back(static_cast<std::int64_t>(all.flat.size()));
        all.padded.push_back(w.padded);
    });
    return all;
}

template <class T> void poolKernel(const OpCall& c, const Tensor& xt, std::vector<Tensor>& out) {
    // Per (n, c) plane and window: Max keeps the largest and its flat index (n, c, spatial)
    // for Indices; Average divides the sum by all taps incl. explicit padding if
    // count_include_pad, else by the taps inside the input.
    const Shape& xs = xt.shape();
    const WindowGeometry g = windowGeometry(c.node, {xs.begin() + 2, xs.end()}, {});
    const bool isMax = c.node.op == "MaxPool";
    const bool includePad = attrInt(c.node, "count_include_pad", 0) != 0;
    const bool columnMajor = attrInt(c.node, "storage_order", 0) != 0;
    const std::int64_t planes = xs[0] * xs[1];
    const std::int64_t inCount = numElements(g.in), outCount = g.outCount();
    const T* x = xt.data<T>();
    T* y = out[0].data<T>();
    std::int64_t* idxOut = out.size() > 1 ? out[1].data<std::int64_t>() : nullptr;
    const Windows win = planeWindows(g);
    const std::int64_t* flat = win.flat.data();
    const T lowest = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                          : std::numeric_limits<T>::lowest();
    for (std::int64_t pl = 0; pl < planes; ++pl) {
        const T* xp = x + pl * inCount;
        T* yp = y + pl * outCount;
        for (std::int64_t p = 0; p < outCount; ++p) {
            const std::int64_t b = win.start[p], e = win.start[p + 1];
            if (isMax) {
                // The largest tap, the first one on ties (its index for Indices).
                std::int64_t best = -1;
                for (std::int64_t t = b; t < e; ++t)
                    if (best < 0 || xp[flat[t]] > xp[flat[best]])
                        best = t;
                yp[p] = best < 0 ? lowest : xp[flat[best]];
                if (idxOut)
                    idxOut[pl * outCount + p] =
                        pl * inCount +
                        (best < 0 ? -1 : (columnMajor ? win.flatCol[best] : flat[best]));
                continue;
            }
            T sum = 0;
            for (std::int64_t t = b; t < e; ++t)
                sum += xp[flat[t]];
            const std::int64_t count = includePad ? win.padded[p] : e - b;
            yp[p] = static_cast<T>(sum / static_cast<T>(std::max<std::int64_t>(count, 1)));
        }
    }
}

template <class T>
void poolGradKernel(const OpCall& c, const Tensor& dyt, const Tensor& xt, Tensor& dxt) {
    // The adjoint of poolKernel: MaxPool sends each dY to its window's largest input (the
    // first on ties); AveragePool spreads dY / count over the window's taps.
    const Shape& xs = xt.shape();
    const WindowGeometry g = windowGeometry(c.node, {xs.begin() + 2, xs.end()}, {});
    const bool isMax = c.node.op == "aisys:MaxPoolGrad";
    const bool includePad = attrInt(c.node, "count_include_pad", 0) != 0;
    const std::int64_t planes = xs[0] * xs[1];
    const std::int64_t inCount = numElements(g.in), outCount = g.outCount();
    const T *x = xt.data<T>(), *dy = dyt.data<T>();
    T* dx = dxt.data<T>();
    std::fill(dx, dx + dxt.numel(), T(0));
    for (std::int64_t pl = 0; pl < planes; ++pl) {
        const T* xp = x + pl * inCount;
        const T* dyp = dy + pl * outCount;
        T* dxp = dx + pl * inCount;
        forEachWindow(g, [&](std::int64_t p, const Window& w) {
            if (isMax) {
                if (const std::int64_t t = argMaxTap(xp, w); t >= 0)
                    dxp[w.flat[t]] += dyp[p];
                return;
            }
            const std::int64_t count =
                includePad ? w.padded : static_cast<std::int64_t>(w.flat.size());
            const T share = dyp[p] / static_cast<T>(std::max<std::int64_t>(count, 1));
            for (auto f : w.flat)
                dxp[f] += share;
        });
    }
}

} // namespace

OpDef poolOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::OutElementwiseFusable;
    d.channelWise = true;
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
    d.gradient = [type](GradBuilder& b, const std::vector<std::string>& dOut) {
        if (dOut.size() > 1 && !dOut[1].empty())
            fail("the Indices output is not differentiable");
        return std::vector<std::string>{
            b.op("aisys:" + type + "Grad", {dOut[0], b.in(0)}, b.node().attrs)};
    };
    return d;
}

OpDef poolGradOp(const std::string& forwardType) {
    OpDef d;
    d.type = "aisys:" + forwardType + "Grad";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"(the forward pool's attributes)", ""}};
    d.infer = [](const OpCall& c) {
        // Inputs dY (the pool's output shape) and X; output X's shape.
        expectInputs(c, 2, 2);
        expectFloat(c, 0);
        expectSameType(c, 1);
        return std::vector<TensorType>{c.in[1]};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        double k = 1;
        for (auto v : attrInts(c.node, "kernel_shape"))
            k *= static_cast<double>(v);
        return numelOrZero(c.in[0].shape) * k;
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        visitFloat(in[0]->dtype(),
                   [&](auto tag) { poolGradKernel<decltype(tag)>(c, *in[0], *in[1], out[0]); });
    };
    return d;
}

OpDef globalPoolOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Reduction;
    d.channelWise = true;
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
    d.gradient = [type](GradBuilder& b, const std::vector<std::string>& dOut) {
        // Average: dY / count spread over the plane; Max: dY where X equals the maximum.
        const std::string x = b.in(0);
        const Shape& xs = b.shape(x);
        const DType t = b.dtype(x);
        if (type == "GlobalMaxPool") {
            const std::string mask = b.op("Equal", {x, b.out(0)});
            return std::vector<std::string>{b.op("Where", {mask, dOut[0], b.scalar(0, t)})};
        }
        const double count = static_cast<double>(numElements(xs) / (xs[0] * xs[1]));
        const std::string share = b.div(dOut[0], b.scalar(count, t));
        return std::vector<std::string>{b.op("Expand", {share, b.ints(xs)})};
    };
    return d;
}

} // namespace aisys::engine::ops
