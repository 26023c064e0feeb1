// Conv (im2col + Eigen GEMM) and ConvTranspose (Eigen GEMM + col2im), any number of spatial
// dims, with groups, dilations, strides, pads and auto_pad.
#include "engine/core/depthwise_impl.h"
#include "engine/ops/dense_gemm.h"
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"
#include "engine/ops/window_geometry.h"

#include <algorithm>
#include <limits>
#include <memory>

namespace aisys::engine::ops {

namespace {

/// Kernel offsets of flat kernel index `k` (row-major over the kernel dims).
void decodeKernel(std::int64_t k, const std::vector<std::int64_t>& kernel,
                  std::vector<std::int64_t>& off) {
    for (int d = static_cast<int>(kernel.size()) - 1; d >= 0; --d) {
        off[d] = k % kernel[d];
        k /= kernel[d];
    }
}

/// Calls f(outFlat, inFlat or -1) for every output position of one kernel offset: the input
/// position an output position reads at that offset (-1 when it falls in the padding).
template <class F>
void forEachTap(const WindowGeometry& g, const std::vector<std::int64_t>& koff, F f) {
    const std::size_t r = g.rank();
    const std::int64_t outLast = g.out[r - 1], inLast = g.in[r - 1];
    const std::int64_t outer = g.outCount() / std::max<std::int64_t>(outLast, 1);
    std::vector<std::int64_t> o(r, 0);
    for (std::int64_t block = 0; block < outer; ++block) {
        // Input row offset for the outer dims (all but the last), or invalid.
        bool valid = true;
        std::int64_t inRow = 0;
        for (std::size_t d = 0; d + 1 < r; ++d) {
            const std::int64_t ic = o[d] * g.stride[d] - g.padBegin[d] + koff[d] * g.dilation[d];
            valid = valid && ic >= 0 && ic < g.in[d];
            inRow = inRow * g.in[d] + ic;
        }
        const std::int64_t base = block * outLast;
        for (std::int64_t ol = 0; ol < outLast; ++ol) {
            const std::int64_t il =
                ol * g.stride[r - 1] - g.padBegin[r - 1] + koff[r - 1] * g.dilation[r - 1];
            f(base + ol, valid && il >= 0 && il < inLast ? inRow * inLast + il : -1);
        }
        for (int d = static_cast<int>(r) - 2; d >= 0; --d) {
            if (++o[d] < g.out[d])
                break;
            o[d] = 0;
        }
    }
}

// The two element loops of Conv's f32 path, also built for AVX2 (the baseline build is SSE2);
// the loader picks the version for this CPU once (GCC function multiversioning).

/// d[q] = s[q·stride] for q < n.
__attribute__((target_clones("avx2", "default"))) void gatherStridedF32(float* __restrict d,
                                                                        const float* __restrict s,
                                                                        std::int64_t n,
                                                                        std::int64_t stride) {
    if (stride == 2)
        for (std::int64_t q = 0; q < n; ++q)
            d[q] = s[2 * q];
    else
        for (std::int64_t q = 0; q < n; ++q)
            d[q] = s[q * stride];
}

/// y[i] = biasClamped(y[i], b, lo, hi).
__attribute__((target_clones("avx2", "default"))) void
biasClampF32(float* __restrict y, std::int64_t n, float b, float lo, float hi) {
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = depthwise_detail::biasClamped(y[i], b, lo, hi);
}

template <class T> void gatherStrided(T* d, const T* s, std::int64_t n, std::int64_t stride) {
    if constexpr (std::is_same_v<T, float>)
        gatherStridedF32(d, s, n, stride);
    else
        for (std::int64_t q = 0; q < n; ++q)
            d[q] = s[q * stride];
}

/// One im2col row of a 2-D convolution for kernel offset (a, b): for every output row, the
/// input row it reads at that offset (zeros when it lies in the padding), over the output
/// columns whose input column is inside the image (zeros outside); a contiguous copy when the
/// column stride is 1. Same result as forEachTap, without a call per element.
template <class T>
void im2colRow2d(const WindowGeometry& g, const std::vector<std::int64_t>& koff, const T* x,
                 T* dst) {
    const std::int64_t ih = g.in[0], iw = g.in[1], oh = g.out[0], ow = g.out[1];
    const std::int64_t sw = g.stride[1];
    const std::int64_t off = koff[1] * g.dilation[1] - g.padBegin[1];
    const std::int64_t lo = std::min(ow, off >= 0 ? std::int64_t{0} : (-off + sw - 1) / sw);
    const std::int64_t hi = std::max(lo, std::min(ow, iw - off <= 0 ? 0 : (iw - off - 1) / sw + 1));
    for (std::int64_t o = 0; o < oh; ++o) {
        T* d = dst + o * ow;
        const std::int64_t r = o * g.stride[0] - g.padBegin[0] + koff[0] * g.dilation[0];
        if (r < 0 || r >= ih) {
            std::fill(d, d + ow, T(0));
            continue;
        }
        const T* xr = x + r * iw + off;
        std::fill(d, d + lo, T(0));
        if (sw == 1)
            std::copy(xr + lo, xr + hi, d + lo);
        else
            gatherStrided(d + lo, xr + lo * sw, hi - lo, sw);
        std::fill(d + hi, d + ow, T(0));
    }
}

std::vector<TensorType> inferConv(const OpCall& c) {
    expectInputs(c, 2, 3);
    expectFloat(c, 0);
    expectSameType(c, 1);
    expectSameType(c, 2);
    const Shape& x = c.in[0].shape;
    const Shape& w = c.in[1].shape;
    auto inSp = spatialDims(x, "X");
    if (w.size() != x.size())
        fail("W " + shapeToString(w) + " must have the rank of X " + shapeToString(x));
    const std::int64_t group = attrInt(c.node, "group", 1);
    if (group <= 0 || (w[0] >= 0 && w[0] % group != 0))
        fail("group " + std::to_string(group) + " must divide the output channels " +
             std::to_string(w[0]));
    if (x[1] >= 0 && w[1] >= 0 && x[1] != w[1] * group)
        fail("X has " + std::to_string(x[1]) + " channels, W expects " +
             std::to_string(w[1] * group) + " (W[1]=" + std::to_string(w[1]) + " × group " +
             std::to_string(group) + ")");
    if (c.has(2) && c.in[2].shape.size() != 1)
        fail("B must be 1-D [M], got " + shapeToString(c.in[2].shape));
    WindowGeometry g = windowGeometry(c.node, inSp, {w.begin() + 2, w.end()});
    Shape out{x[0], w[0]};
    out.insert(out.end(), g.out.begin(), g.out.end());
    return {{c.in[0].dtype, out}};
}

/// A Conv's epilogue on one output row: y[i] = biasClamped(y[i], b, lo, hi).
template <class T> void biasClamp(T* __restrict y, std::int64_t n, T b, T lo, T hi) {
    if constexpr (std::is_same_v<T, float>)
        return biasClampF32(y, n, b, lo, hi);
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = depthwise_detail::biasClamped(y[i], b, lo, hi);
}

template <class T>
void convKernel(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out,
                const ConvEpilogue& ep) {
    // For each image n and group g:
    // 1. im2col: cols[(c, k), p] = x[c, p·stride − pad + k·dilation] (0 in the padding);
    //    a 1×1 kernel with stride 1 and no padding reads X directly; a depthwise 2-D conv
    //    (one channel per group) is computed directly, channel by channel, without im2col.
    // 2. Y_g[M/g, P] = W_g[M/g, C/g·K] · cols (Eigen GEMM), in column blocks when Y_g is larger
    //    than the L2 budget, so the epilogue reads what the GEMM just wrote from cache.
    // 3. Epilogue on each output row as soon as it is computed: the bias per output channel
    //    and the fused clamp (Relu, Clip) — no separate pass over Y.
    // Every output element is written (the op declares writesEveryOutput).
    const Shape& xs = in[0]->shape();
    const Shape& ws = in[1]->shape();
    const WindowGeometry g =
        windowGeometry(c.node, {xs.begin() + 2, xs.end()}, {ws.begin() + 2, ws.end()});
    const std::int64_t batch = xs[0], channels = xs[1], m = ws[0];
    const std::int64_t group = attrInt(c.node, "group", 1);
    const std::int64_t cg = channels / group, mg = m / group;
    const std::int64_t kc = g.kernelCount(), outCount = g.outCount();
    const std::int64_t inCount = numElements(g.in);
    const std::int64_t rows = cg * kc;
    bool direct = kc == 1;
    for (std::size_t d = 0; d < g.rank(); ++d)
        direct = direct && g.stride[d] == 1 && g.padBegin[d] == 0 && g.padEnd[d] == 0;
    const bool depthwise = cg == 1 && mg == 1 && g.rank() == 2;
    // A 2-D im2col matrix larger than kColsBytes is built and multiplied in bands of output
    // rows, each band's columns (rows × band) staying in cache between im2col and the GEMM
    // instead of a round trip through memory (PP-OCR's 96→24 3×3 convs at 80×80: 22 MB).
    constexpr std::int64_t kColsBytes = 1024 * 1024;
    const std::int64_t rowBytes =
        g.rank() == 2 ? rows * g.out[1] * static_cast<std::int64_t>(sizeof(T)) : 0;
    const bool banded =
        !direct && !depthwise && g.rank() == 2 && rowBytes > 0 && rowBytes * g.out[0] > kColsBytes;
    const std::int64_t bandRows =
        banded ? std::clamp<std::int64_t>(kColsBytes / rowBytes, 1, g.out[0]) : g.out[0];
    // The im2col matrix (every cell is written, so it is not cleared first).
    const std::int64_t colsCount = banded ? rows * bandRows * g.out[1] : rows * outCount;
    std::unique_ptr<T[]> cols(direct || depthwise ? nullptr
                                                  : new T[static_cast<std::size_t>(colsCount)]);
    std::vector<std::int64_t> koff(g.rank());
    const T* x = in[0]->data<T>();
    const T* w = in[1]->data<T>();
    T* y = out.data<T>();
    const T* bias = in.size() > 2 && in[2] ? in[2]->data<T>() : nullptr;
    const bool epilogue = bias || ep.clamp;
    const T lo = ep.clamp ? static_cast<T>(ep.lo) : -std::numeric_limits<T>::infinity();
    const T hi = ep.clamp ? static_cast<T>(ep.hi) : std::numeric_limits<T>::infinity();
    // Column block of the GEMM: Y_g's rows × block stay within ~512 KB (L2) for the epilogue.
    constexpr std::int64_t kL2Bytes = 512 * 1024;
    std::int64_t block = outCount;
    if (epilogue && mg * outCount * static_cast<std::int64_t>(sizeof(T)) > kL2Bytes)
        block = std::max<std::int64_t>(
            256, (kL2Bytes / (mg * static_cast<std::int64_t>(sizeof(T))) + 15) / 16 * 16);
    const std::vector<T> zeroRow(depthwise ? static_cast<std::size_t>(g.in[1]) : 0, T(0));
    DepthwiseGeometry dg{};
    if (g.rank() == 2)
        dg = {g.in[0],     g.in[1],     g.out[0],      g.out[1],      g.kernel[0],   g.kernel[1],
              g.stride[0], g.stride[1], g.dilation[0], g.dilation[1], g.padBegin[0], g.padBegin[1]};
    // The flat polyphase kernel for depthwise convs (except strided ones with small outputs,
    // where the row kernel below is faster: MobileNet's 14×14 and 7×7 stride-2 layers) and
    // for convs with at most 32 taps per output (input channels × kernel cells: a network's
    // stem), where im2col + GEMM spends more on copying than on multiplying.
    const bool flat = g.rank() == 2 && depthwise_detail::flatApplies(dg, cg) &&
                      (depthwise ? dg.sh == 1 || dg.ow >= 16 : kc > 1 && rows <= 32);
    if (flat) {
        const depthwise_detail::FlatLayout fl = depthwise_detail::flatLayout(dg, cg);
        std::unique_ptr<T[]> scratch(new T[static_cast<std::size_t>(fl.scratch)]);
        depthwise_detail::flatClear(fl, scratch.get());
        for (std::int64_t n = 0; n < batch; ++n)
            for (std::int64_t gi = 0; gi < group; ++gi) {
                const T* xg = x + (n * channels + gi * cg) * inCount;
                T* yg = y + (n * m + gi * mg) * outCount;
                const T* wg = w + gi * mg * rows;
                const T* bg = bias ? bias + gi * mg : nullptr;
                if constexpr (std::is_same_v<T, float>)
                    convFlatF32(dg, cg, mg, xg, wg, yg, bg, lo, hi, scratch.get());
                else
                    depthwise_detail::convFlat<T>(dg, cg, mg, xg, wg, yg, bg, lo, hi,
                                                  scratch.get());
            }
        return;
    }
    for (std::int64_t n = 0; n < batch; ++n) {
        for (std::int64_t gi = 0; gi < group; ++gi) {
            const T* xg = x + (n * channels + gi * cg) * inCount;
            T* yg = y + (n * m + gi * mg) * outCount;
            if (depthwise) { // the row kernel
                if constexpr (std::is_same_v<T, float>)
                    depthwiseConv2dF32(dg, xg, w + gi * kc, yg, zeroRow.data());
                else
                    depthwise_detail::depthwise<T>(dg, xg, w + gi * kc, yg, zeroRow.data());
                if (epilogue) // the channel (≤ H'·W' values) is still in cache
                    biasClamp(yg, outCount, bias ? bias[gi] : T(0), lo, hi);
                continue;
            }
            if (banded) { // im2col and GEMM band by band of output rows, in cache
                for (std::int64_t oy0 = 0; oy0 < g.out[0]; oy0 += bandRows) {
                    WindowGeometry gb = g;
                    gb.out[0] = std::min(bandRows, g.out[0] - oy0);
                    gb.padBegin[0] = g.padBegin[0] - oy0 * g.stride[0];
                    const std::int64_t len = gb.out[0] * g.out[1];
                    for (std::int64_t r = 0; r < rows; ++r) {
                        decodeKernel(r % kc, g.kernel, koff);
                        im2colRow2d(gb, koff, xg + (r / kc) * inCount, cols.get() + r * len);
                    }
                    T* yb = yg + oy0 * g.out[1];
                    denseGemm<T>(false, false, mg, len, rows, T(1), w + gi * mg * rows, rows,
                                 cols.get(), len, T(0), yb, outCount);
                    if (epilogue)
                        for (std::int64_t r = 0; r < mg; ++r)
                            biasClamp(yb + r * outCount, len, bias ? bias[gi * mg + r] : T(0), lo,
                                      hi);
                }
                continue;
            }
            const T* src = xg;
            if (!direct) {
                for (std::int64_t r = 0; r < rows; ++r) {
                    const T* xc = xg + (r / kc) * inCount;
                    T* dst = cols.get() + r * outCount;
                    decodeKernel(r % kc, g.kernel, koff);
                    if (g.rank() == 2)
                        im2colRow2d(g, koff, xc, dst);
                    else
                        forEachTap(g, koff, [&](std::int64_t o, std::int64_t i) {
                            dst[o] = i >= 0 ? xc[i] : T(0);
                        });
                }
                src = cols.get();
            }
            for (std::int64_t p0 = 0; p0 < outCount; p0 += block) {
                const std::int64_t len = std::min(block, outCount - p0);
                denseGemm<T>(false, false, mg, len, rows, T(1), w + gi * mg * rows, rows, src + p0,
                             outCount, T(0), yg + p0, outCount);
                if (epilogue)
                    for (std::int64_t r = 0; r < mg; ++r)
                        biasClamp(yg + r * outCount + p0, len, bias ? bias[gi * mg + r] : T(0), lo,
                                  hi);
            }
        }
    }
}

/// ConvTranspose geometry: the forward geometry of the conv it transposes (its "input" is
/// ConvTranspose's output), plus the output sizes.
WindowGeometry transposedGeometry(const Node& node, const Shape& x, const Shape& w) {
    const std::vector<std::int64_t> inSp(x.begin() + 2, x.end());
    const std::size_t r = inSp.size();
    WindowGeometry g;
    g.kernel = hasAttr(node, "kernel_shape") ? attrInts(node, "kernel_shape")
                                             : std::vector<std::int64_t>(w.begin() + 2, w.end());
    g.stride = attrInts(node, "strides", std::vector<std::int64_t>(r, 1));
    g.dilation = attrInts(node, "dilations", std::vector<std::int64_t>(r, 1));
    auto pads = attrInts(node, "pads", std::vector<std::int64_t>(2 * r, 0));
    auto outPad = attrInts(node, "output_padding", std::vector<std::int64_t>(r, 0));
    auto outShape = attrInts(node, "output_shape");
    if (outShape.size() == r + 2)
        outShape.erase(outShape.begin(), outShape.begin() + 2);
    if (g.kernel.size() != r || g.stride.size() != r || g.dilation.size() != r ||
        pads.size() != 2 * r || outPad.size() != r || (!outShape.empty() && outShape.size() != r))
        fail("kernel_shape/strides/dilations/output_padding need " + std::to_string(r) +
             " values and pads " + std::to_string(2 * r));
    for (std::size_t i = 0; i < r && i + 2 < w.size(); ++i)
        if (w[i + 2] >= 0 && g.kernel[i] != w[i + 2])
            fail("attribute 'kernel_shape' " + shapeToString(g.kernel) +
                 " does not match the weight's spatial shape " +
                 shapeToString({w.begin() + 2, w.end()}));
    const std::string autoPad = attrString(node, "auto_pad", "NOTSET");
    g.padBegin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(r));
    g.padEnd.assign(pads.begin() + static_cast<std::ptrdiff_t>(r), pads.end());
    g.in.assign(r, -1); // the transposed conv's output sizes (its forward "input")
    g.out = inSp;
    for (std::size_t i = 0; i < r; ++i) {
        if (inSp[i] < 0)
            continue;
        const std::int64_t eff = (g.kernel[i] - 1) * g.dilation[i] + 1;
        const std::int64_t full = g.stride[i] * (inSp[i] - 1) + outPad[i] + eff;
        std::int64_t target = -1;
        if (!outShape.empty())
            target = outShape[i];
        else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
            target = inSp[i] * g.stride[i];
        if (target >= 0) {
            // Floor division as in the spec's Python: a negative total (output_shape larger
            // than the full result) becomes extra zero rows at the end.
            const std::int64_t total = full - target;
            const std::int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
            if (autoPad == "SAME_UPPER") {
                g.padBegin[i] = half;
                g.padEnd[i] = total - half;
            } else {
                g.padBegin[i] = total - half;
                g.padEnd[i] = half;
            }
            g.in[i] = target;
        } else {
            if (autoPad == "VALID")
                g.padBegin[i] = g.padEnd[i] = 0;
            g.in[i] = full - g.padBegin[i] - g.padEnd[i];
        }
        if (g.in[i] <= 0)
            fail("output size " + std::to_string(g.in[i]) + " along spatial dim " +
                 std::to_string(i) + " is not positive");
    }
    return g;
}

std::vector<TensorType> inferConvTranspose(const OpCall& c) {
    expectInputs(c, 2, 3);
    expectFloat(c, 0);
    expectSameType(c, 1);
    const Shape& x = c.in[0].shape;
    const Shape& w = c.in[1].shape;
    (void)spatialDims(x, "X");
    if (w.size() != x.size())
        fail("W " + shapeToString(w) + " must have the rank of X " + shapeToString(x));
    const std::int64_t group = attrInt(c.node, "group", 1);
    if (group <= 0 || (x[1] >= 0 && x[1] != w[0]) || (w[0] >= 0 && w[0] % group != 0))
        fail("W[0] must equal X's channels and be divisible by group");
    const WindowGeometry g = transposedGeometry(c.node, x, w);
    Shape out{x[0], w[1] * group};
    out.insert(out.end(), g.in.begin(), g.in.end());
    return {{c.in[0].dtype, out}};
}

template <class T>
void convTransposeKernel(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out) {
    // For each image n and group g:
    // 1. cols[(m, k), p] = Σ_c W[c, m, k] · X[c, p] (Eigen GEMM with W_gᵀ).
    // 2. col2im: Y[m, p·stride − pad + k·dilation] += cols[(m, k), p] where inside Y.
    // 3. Add the bias per output channel.
    const Shape& xs = in[0]->shape();
    const Shape& ws = in[1]->shape();
    const WindowGeometry g = transposedGeometry(c.node, xs, ws);
    const std::int64_t group = attrInt(c.node, "group", 1);
    const std::int64_t batch = xs[0], channels = xs[1], cg = channels / group, mg = ws[1];
    const std::int64_t m = mg * group, kc = g.kernelCount();
    const std::int64_t inCount = g.outCount(), outCount = numElements(g.in);
    const std::int64_t rows = mg * kc;
    std::vector<T> cols(static_cast<std::size_t>(rows * inCount));
    std::vector<std::int64_t> koff(g.rank());
    const T* x = in[0]->data<T>();
    const T* w = in[1]->data<T>();
    T* y = out.data<T>();
    std::fill(y, y + out.numel(), T(0));
    for (std::int64_t n = 0; n < batch; ++n) {
        for (std::int64_t gi = 0; gi < group; ++gi) {
            denseGemm<T>(true, false, rows, inCount, cg, T(1), w + gi * cg * rows, rows,
                         x + (n * channels + gi * cg) * inCount, inCount, T(0), cols.data(),
                         inCount);
            for (std::int64_t r = 0; r < rows; ++r) {
                T* yc = y + (n * m + gi * mg + r / kc) * outCount;
                const T* src = cols.data() + r * inCount;
                decodeKernel(r % kc, g.kernel, koff);
                forEachTap(g, koff, [&](std::int64_t p, std::int64_t o) {
                    if (o >= 0)
                        yc[o] += src[p];
                });
            }
        }
        if (in.size() > 2 && in[2]) {
            const T* b = in[2]->data<T>();
            for (std::int64_t oc = 0; oc < m; ++oc)
                for (std::int64_t p = 0; p < outCount; ++p)
                    y[(n * m + oc) * outCount + p] += b[oc];
        }
    }
}

double convFlops(const OpCall& c, const std::vector<TensorType>& out) {
    // 2 · outputs · (C/group · kernel) multiply-adds, plus one add per output for the bias.
    const Shape& w = c.in[1].shape;
    double perOut = 1;
    for (std::size_t i = 1; i < w.size(); ++i)
        perOut *= static_cast<double>(std::max<std::int64_t>(w[i], 0));
    return 2.0 * numelOrZero(out[0].shape) * perOut + (c.has(2) ? numelOrZero(out[0].shape) : 0);
}

std::vector<AttrSpec> convAttrs() {
    return {{"auto_pad", "NOTSET"},     {"dilations", "1..."}, {"group", "1"},
            {"kernel_shape", "from W"}, {"pads", "0..."},      {"strides", "1..."}};
}

template <class T>
void convWeightGradKernel(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out) {
    // dW of Y = Conv(X, W) given dY, per image n and group g:
    // 1. im2col of X_g as in the forward kernel: cols[(c, k), p].
    // 2. dW_g[M/g, C/g·K] += dY_g[M/g, P] · colsᵀ (Eigen GEMM).
    const Shape& xs = in[0]->shape();
    const Shape& ws = out.shape();
    const WindowGeometry g =
        windowGeometry(c.node, {xs.begin() + 2, xs.end()}, {ws.begin() + 2, ws.end()});
    const std::int64_t batch = xs[0], channels = xs[1], m = ws[0];
    const std::int64_t group = attrInt(c.node, "group", 1);
    const std::int64_t cg = channels / group, mg = m / group;
    const std::int64_t kc = g.kernelCount(), outCount = g.outCount(), inCount = numElements(g.in);
    const std::int64_t rows = cg * kc;
    std::vector<T> cols(static_cast<std::size_t>(rows * outCount));
    std::vector<std::int64_t> koff(g.rank());
    const T *x = in[0]->data<T>(), *dy = in[1]->data<T>();
    T* dw = out.data<T>();
    std::fill(dw, dw + out.numel(), T(0));
    for (std::int64_t n = 0; n < batch; ++n)
        for (std::int64_t gi = 0; gi < group; ++gi) {
            const T* xg = x + (n * channels + gi * cg) * inCount;
            for (std::int64_t r = 0; r < rows; ++r) {
                const T* xc = xg + (r / kc) * inCount;
                T* dst = cols.data() + r * outCount;
                decodeKernel(r % kc, g.kernel, koff);
                forEachTap(g, koff,
                           [&](std::int64_t o, std::int64_t i) { dst[o] = i >= 0 ? xc[i] : T(0); });
            }
            denseGemm<T>(false, true, mg, rows, outCount, T(1), dy + (n * m + gi * mg) * outCount,
                         outCount, cols.data(), outCount, T(1), dw + gi * mg * rows, rows);
        }
}

/// Explicit pads (begin..., end...) of a geometry, for backward nodes.
std::vector<std::int64_t> padsOf(const WindowGeometry& g) {
    std::vector<std::int64_t> p = g.padBegin;
    p.insert(p.end(), g.padEnd.begin(), g.padEnd.end());
    return p;
}

/// Window attributes of a backward node: the geometry made explicit (no auto_pad).
std::map<std::string, AttrValue> windowAttrs(const Node& n, const WindowGeometry& g) {
    return {{"strides", g.stride},
            {"dilations", g.dilation},
            {"pads", padsOf(g)},
            {"kernel_shape", g.kernel},
            {"group", attrInt(n, "group", 1)}};
}

std::string biasGradient(GradBuilder& b, const std::string& dy) {
    std::vector<std::int64_t> axes{0};
    for (std::size_t i = 2; i < b.shape(dy).size(); ++i)
        axes.push_back(static_cast<std::int64_t>(i));
    return b.op("ReduceSum", {dy}, {{"axes", axes}, {"keepdims", std::int64_t{0}}});
}

std::vector<std::string> convGradient(GradBuilder& b, const std::vector<std::string>& dOut) {
    // dX = ConvTranspose(dY, W) with the same geometry (output_padding restores the rows a
    // stride dropped); dW = aisys:ConvWeightGrad(X, dY); dB = Σ dY over all but channels.
    const Shape xs = b.shape(b.in(0)), ws = b.shape(b.in(1));
    const WindowGeometry g =
        windowGeometry(b.node(), {xs.begin() + 2, xs.end()}, {ws.begin() + 2, ws.end()});
    auto attrs = windowAttrs(b.node(), g);
    std::vector<std::string> r(3);
    if (b.needs(0)) {
        std::vector<std::int64_t> outPad;
        for (std::size_t i = 0; i < g.rank(); ++i) {
            const std::int64_t eff = (g.kernel[i] - 1) * g.dilation[i] + 1;
            outPad.push_back((g.in[i] + g.padBegin[i] + g.padEnd[i] - eff) % g.stride[i]);
        }
        auto ta = attrs;
        ta["output_padding"] = outPad;
        r[0] = b.op("ConvTranspose", {dOut[0], b.in(1)}, ta);
    }
    if (b.needs(1))
        r[1] = b.op("aisys:ConvWeightGrad", {b.in(0), dOut[0]}, attrs);
    if (b.needs(2))
        r[2] = biasGradient(b, dOut[0]);
    return r;
}

std::vector<std::string> convTransposeGradient(GradBuilder& b,
                                               const std::vector<std::string>& dOut) {
    // ConvTranspose is the adjoint of Conv: dX = Conv(dY, W) with its geometry;
    // dW = aisys:ConvWeightGrad(dY, X) (the roles of input and output swap).
    const WindowGeometry g = transposedGeometry(b.node(), b.shape(b.in(0)), b.shape(b.in(1)));
    const auto attrs = windowAttrs(b.node(), g);
    std::vector<std::string> r(3);
    if (b.needs(0))
        r[0] = b.op("Conv", {dOut[0], b.in(1)}, attrs);
    if (b.needs(1))
        r[1] = b.op("aisys:ConvWeightGrad", {dOut[0], b.in(0)}, attrs);
    if (b.needs(2))
        r[2] = biasGradient(b, dOut[0]);
    return r;
}

} // namespace

OpDef convWeightGradOp() {
    OpDef d;
    d.type = "aisys:ConvWeightGrad";
    d.category = FusionCategory::Opaque;
    d.attrs = convAttrs();
    d.infer = [](const OpCall& c) {
        // Inputs X [N, C, ...] and dY [N, M, ...]; output W's shape [M, C/group, kernel...].
        expectInputs(c, 2, 2);
        expectFloat(c, 0);
        expectSameType(c, 1);
        const Shape& x = c.in[0].shape;
        (void)spatialDims(x, "X");
        if (!hasAttr(c.node, "kernel_shape"))
            fail("attribute 'kernel_shape' is required");
        const std::int64_t group = attrInt(c.node, "group", 1);
        Shape w{c.in[1].shape[1], x[1] < 0 ? -1 : x[1] / group};
        for (auto k : attrInts(c.node, "kernel_shape"))
            w.push_back(k);
        return std::vector<TensorType>{{c.in[0].dtype, w}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        return 2.0 * numelOrZero(c.in[1].shape) * numelOrZero(out[0].shape) /
               std::max<double>(1.0, static_cast<double>(out[0].shape[0]));
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        visitFloat(in[0]->dtype(),
                   [&](auto tag) { convWeightGradKernel<decltype(tag)>(c, in, out[0]); });
    };
    return d;
}

OpDef convOp() {
    OpDef d;
    d.type = "Conv";
    d.category = FusionCategory::OutElementwiseFusable;
    d.attrs = convAttrs();
    d.infer = inferConv;
    d.flops = convFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        visitFloat(in[0]->dtype(),
                   [&](auto tag) { convKernel<decltype(tag)>(c, in, out[0], ConvEpilogue{}); });
    };
    d.gradient = convGradient;
    d.writesEveryOutput = true;
    return d;
}

void convForward(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out,
                 const ConvEpilogue& ep) {
    visitFloat(in[0]->dtype(), [&](auto tag) { convKernel<decltype(tag)>(c, in, out, ep); });
}

OpDef convTransposeOp() {
    OpDef d;
    d.type = "ConvTranspose";
    d.category = FusionCategory::OutElementwiseFusable;
    d.attrs = convAttrs();
    d.attrs.push_back({"output_padding", "0..."});
    d.attrs.push_back({"output_shape", ""});
    d.infer = inferConvTranspose;
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        // 2 · inputs · (M/group · kernel) multiply-adds.
        const Shape& w = c.in[1].shape;
        double perIn = 1;
        for (std::size_t i = 1; i < w.size(); ++i)
            perIn *= static_cast<double>(std::max<std::int64_t>(w[i], 0));
        return 2.0 * numelOrZero(c.in[0].shape) * perIn;
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        visitFloat(in[0]->dtype(),
                   [&](auto tag) { convTransposeKernel<decltype(tag)>(c, in, out[0]); });
    };
    d.gradient = convTransposeGradient;
    return d;
}

} // namespace aisys::engine::ops
