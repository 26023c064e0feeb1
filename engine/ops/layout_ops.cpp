// Layout address functions, aisys:LayoutCast and aisys:LayoutConv (see layout_ops.h).
#include "engine/ops/layout_ops.h"
#include "engine/ops/op_library.h"

#include "engine/ops/op_kit.h"
#include "engine/ops/window_geometry.h"

#include <cstring>

namespace aisys::engine::ops {

const char* layoutName(Layout l) {
    switch (l) {
    case Layout::NCHW:
        return "NCHW";
    case Layout::NHWC:
        return "NHWC";
    case Layout::NC4HW4:
        return "NC4HW4";
    case Layout::NC1HWC0:
        return "NC1HWC0";
    }
    return "?";
}

std::optional<Layout> parseLayout(const std::string& name) {
    for (Layout l : {Layout::NCHW, Layout::NHWC, Layout::NC4HW4, Layout::NC1HWC0})
        if (name == layoutName(l))
            return l;
    return std::nullopt;
}

std::int64_t layoutBlock(Layout l) {
    return l == Layout::NC4HW4 ? 4 : l == Layout::NC1HWC0 ? 16 : 0;
}

namespace {

void expect4d(const Shape& s, const char* what) {
    if (s.size() != 4)
        fail(std::string(what) + " must be a 4-D N×C×H×W tensor, got " + shapeToString(s));
}

std::int64_t blocks(std::int64_t c, std::int64_t b) {
    return (c + b - 1) / b;
}

} // namespace

Shape physicalShape(Layout l, const Shape& s) {
    expect4d(s, "a layout's logical shape");
    const std::int64_t b = layoutBlock(l);
    switch (l) {
    case Layout::NCHW:
        return s;
    case Layout::NHWC:
        return {s[0], s[2], s[3], s[1]};
    default:
        return {s[0], blocks(s[1], b), s[2], s[3], b};
    }
}

std::int64_t physicalSize(Layout l, const Shape& nchw) {
    return numElements(physicalShape(l, nchw));
}

Shape logicalShape(Layout l, const Shape& p, std::int64_t channels) {
    switch (l) {
    case Layout::NCHW:
        expect4d(p, "an NCHW tensor");
        return p;
    case Layout::NHWC:
        expect4d(p, "an NHWC tensor");
        return {p[0], p[3], p[1], p[2]};
    default: {
        const std::int64_t b = layoutBlock(l);
        if (p.size() != 5 || p[4] != b)
            fail(std::string("a ") + layoutName(l) + " tensor must be [N, C1, H, W, " +
                 std::to_string(b) + "], got " + shapeToString(p));
        if (channels <= 0 || blocks(channels, b) != p[1])
            fail("channels " + std::to_string(channels) + " do not fit " + std::to_string(p[1]) +
                 " blocks of " + std::to_string(b));
        return {p[0], channels, p[2], p[3]};
    }
    }
    return p;
}

std::int64_t layoutOffset(Layout l, const Shape& s, std::int64_t n, std::int64_t c, std::int64_t h,
                          std::int64_t w) {
    const std::int64_t C = s[1], H = s[2], W = s[3];
    switch (l) {
    case Layout::NCHW:
        return ((n * C + c) * H + h) * W + w;
    case Layout::NHWC:
        return ((n * H + h) * W + w) * C + c;
    default: {
        const std::int64_t b = layoutBlock(l), c1 = blocks(C, b);
        return (((n * c1 + c / b) * H + h) * W + w) * b + c % b;
    }
    }
}

namespace {

Layout layoutAttr(const Node& n, const char* name) {
    const std::string s = attrString(n, name, "");
    auto l = parseLayout(s);
    if (!l)
        fail(std::string("attribute '") + name +
             "': expected NCHW, NHWC, NC4HW4 or NC1HWC0, got \"" + s + "\"");
    return *l;
}

/// The cast's logical shape from its input's physical shape.
Shape castLogical(const Node& n, const Shape& in) {
    return logicalShape(layoutAttr(n, "from"), in, attrInt(n, "channels", -1));
}

/// The separable parts of an offset: pixel(n, h, w) + channel(c) (true for all four layouts).
struct Addr {
    Layout l;
    Shape s;
    std::vector<std::int64_t> chan;
    Addr(Layout layout, Shape shape) : l(layout), s(std::move(shape)) {
        for (std::int64_t c = 0; c < s[1]; ++c)
            chan.push_back(layoutOffset(l, s, 0, c, 0, 0));
    }
    std::int64_t pixel(std::int64_t n, std::int64_t h, std::int64_t w) const {
        return layoutOffset(l, s, n, 0, h, w);
    }
};

template <class T>
void layoutConvKernel(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out,
                      Layout l) {
    // 1. Repack W [M, C/g, KH, KW] as [M, KH, KW, C/g] (channel innermost).
    // 2. For every output (n, m, oh, ow): sum over the taps in range and the group's channels,
    //    reading X at pixel(n, ih, iw) + channel(c); write at the output's layout address.
    const Shape& ws = in[1]->shape();
    const std::int64_t group = attrInt(c.node, "group", 1);
    const Shape xs = logicalShape(l, in[0]->shape(), ws[1] * group);
    const WindowGeometry g = windowGeometry(c.node, {xs[2], xs[3]}, {ws[2], ws[3]});
    const Shape ys{xs[0], ws[0], g.out[0], g.out[1]};
    const std::int64_t M = ws[0], CG = ws[1], KH = ws[2], KW = ws[3], MG = M / group;
    const T* w = in[1]->data<T>();
    std::vector<T> wt(static_cast<std::size_t>(M * KH * KW * CG));
    for (std::int64_t m = 0; m < M; ++m)
        for (std::int64_t ci = 0; ci < CG; ++ci)
            for (std::int64_t k = 0; k < KH * KW; ++k)
                wt[(m * KH * KW + k) * CG + ci] = w[(m * CG + ci) * KH * KW + k];
    const T* bias = in.size() > 2 && in[2] ? in[2]->data<T>() : nullptr;
    const Addr ax(l, xs), ay(l, ys);
    const T* x = in[0]->data<T>();
    T* y = out.data<T>();
    std::memset(static_cast<void*>(y), 0, out.bytes()); // padding lanes stay 0
    for (std::int64_t n = 0; n < ys[0]; ++n)
        for (std::int64_t oh = 0; oh < ys[2]; ++oh)
            for (std::int64_t ow = 0; ow < ys[3]; ++ow) {
                const std::int64_t yp = ay.pixel(n, oh, ow);
                for (std::int64_t m = 0; m < M; ++m) {
                    double acc = bias ? static_cast<double>(bias[m]) : 0.0;
                    const std::int64_t c0 = (m / MG) * CG;
                    for (std::int64_t kh = 0; kh < KH; ++kh) {
                        const std::int64_t ih =
                            oh * g.stride[0] - g.padBegin[0] + kh * g.dilation[0];
                        if (ih < 0 || ih >= xs[2])
                            continue;
                        for (std::int64_t kw = 0; kw < KW; ++kw) {
                            const std::int64_t iw =
                                ow * g.stride[1] - g.padBegin[1] + kw * g.dilation[1];
                            if (iw < 0 || iw >= xs[3])
                                continue;
                            const T* xp = x + ax.pixel(n, ih, iw);
                            const T* wp = wt.data() + ((m * KH + kh) * KW + kw) * CG;
                            for (std::int64_t ci = 0; ci < CG; ++ci)
                                acc += static_cast<double>(xp[ax.chan[c0 + ci]]) * wp[ci];
                        }
                    }
                    y[yp + ay.chan[m]] = static_cast<T>(acc);
                }
            }
}

} // namespace

OpDef layoutCastOp() {
    OpDef d;
    d.type = "aisys:LayoutCast";
    d.category = FusionCategory::Injective;
    d.attrs = {{"from", ""}, {"to", ""}, {"channels", "-1 (C; required from a blocked layout)"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        const Shape& in = c.in[0].shape;
        const Layout to = layoutAttr(c.node, "to");
        if (!shapeKnown(in)) // known only when running: every dim unknown, the rank is the layout's
            return std::vector<TensorType>{{c.in[0].dtype, Shape(layoutBlock(to) ? 5 : 4, -1)}};
        const Shape logical = castLogical(c.node, in);
        return std::vector<TensorType>{{c.in[0].dtype, physicalShape(to, logical)}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // For every logical element: out[offset_to(n,c,h,w)] = in[offset_from(n,c,h,w)].
        const Layout from = layoutAttr(c.node, "from"), to = layoutAttr(c.node, "to");
        const Shape s = castLogical(c.node, in[0]->shape());
        const std::size_t es = dtypeSize(in[0]->dtype());
        const std::uint8_t* src = bytesOf(*in[0]);
        std::uint8_t* dst = bytesOf(out[0]);
        std::memset(dst, 0, out[0].bytes());
        for (std::int64_t n = 0; n < s[0]; ++n)
            for (std::int64_t ch = 0; ch < s[1]; ++ch)
                for (std::int64_t h = 0; h < s[2]; ++h)
                    for (std::int64_t w = 0; w < s[3]; ++w)
                        std::memcpy(dst + layoutOffset(to, s, n, ch, h, w) * es,
                                    src + layoutOffset(from, s, n, ch, h, w) * es, es);
    };
    return d;
}

OpDef layoutConvOp() {
    OpDef d;
    d.type = "aisys:LayoutConv";
    d.category = FusionCategory::OutElementwiseFusable;
    d.attrs = {{"layout", ""},     {"auto_pad", "NOTSET"},     {"dilations", "1..."},
               {"group", "1"},     {"kernel_shape", "from W"}, {"pads", "0..."},
               {"strides", "1..."}};
    d.infer = [](const OpCall& c) {
        // Conv's own inference on the logical shapes, then the output's physical shape.
        expectInputs(c, 2, 3);
        const Layout l = layoutAttr(c.node, "layout");
        const Shape& ws = c.in[1].shape;
        if (ws.size() != 4)
            fail("W must be 4-D [M, C/group, KH, KW], got " + shapeToString(ws));
        if (!shapeKnown(c.in[0].shape) || !shapeKnown(ws))
            return std::vector<TensorType>{{c.in[0].dtype, Shape(layoutBlock(l) ? 5 : 4, -1)}};
        OpCall lc = c;
        lc.in[0].shape = logicalShape(l, c.in[0].shape, ws[1] * attrInt(c.node, "group", 1));
        auto out = OpRegistry::builtin().find("Conv")->infer(lc);
        out[0].shape = physicalShape(l, out[0].shape);
        return out;
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        const Shape& w = c.in[1].shape;
        if (!shapeKnown(out[0].shape) || !shapeKnown(w))
            return 0.0;
        const double outputs = numelOrZero(
            logicalShape(layoutAttr(c.node, "layout"), out[0].shape, w[0])); // padding excluded
        return 2.0 * outputs * numelOrZero({w[1], w[2], w[3]}) + (c.has(2) ? outputs : 0);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        const Layout l = layoutAttr(c.node, "layout");
        visitFloat(in[0]->dtype(),
                   [&](auto tag) { layoutConvKernel<decltype(tag)>(c, in, out[0], l); });
    };
    return d;
}

} // namespace aisys::engine::ops
