// Resize: nearest and (n-)linear interpolation with every coordinate_transformation_mode.
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cmath>

namespace aisys::engine::ops {

namespace {

/// Output shape and per-dim scales of a Resize call; `known` is false when scales/sizes are
/// not known before running.
struct ResizePlan {
    Shape out;
    std::vector<double> scale;
    std::vector<double> roiStart, roiEnd;
    bool known = true;
};

ResizePlan resizePlan(const OpCall& c) {
    // 1. Inputs: X, roi, scales, sizes (opset 11+); X, scales (opset 10); `axes` limits which
    //    dims the scales/sizes describe (opset 18).
    // 2. With sizes: out = sizes and scale = out / in; with scales: out = floor(in · scale).
    const Shape& s = c.in[0].shape;
    const std::size_t r = s.size();
    ResizePlan p;
    p.out = s;
    p.scale.assign(r, 1.0);
    p.roiStart.assign(r, 0.0);
    p.roiEnd.assign(r, 1.0);
    const bool v10 = c.inputCount() == 2 && c.opset < 11;
    const std::size_t scalesIdx = v10 ? 1 : 2, sizesIdx = 3;
    std::vector<std::int64_t> axes = attrInts(c.node, "axes");
    if (axes.empty())
        for (std::size_t i = 0; i < r; ++i)
            axes.push_back(static_cast<std::int64_t>(i));
    std::vector<int> ax;
    for (auto a : axes)
        ax.push_back(normalizeAxis(a, static_cast<std::int64_t>(r), "axes value"));
    if (!v10 && c.has(1) && c.constant(1) && c.constant(1)->numel() > 0) {
        const Tensor& roi = *c.constant(1);
        if (roi.numel() != static_cast<std::int64_t>(2 * ax.size()))
            fail("roi needs " + std::to_string(2 * ax.size()) + " values");
        for (std::size_t i = 0; i < ax.size(); ++i) {
            p.roiStart[ax[i]] = roi.at(static_cast<std::int64_t>(i));
            p.roiEnd[ax[i]] = roi.at(static_cast<std::int64_t>(i + ax.size()));
        }
    }
    const bool hasSizes =
        c.has(sizesIdx) && c.in[sizesIdx].shape.size() == 1 && c.in[sizesIdx].shape[0] != 0;
    const bool hasScales =
        c.has(scalesIdx) && c.in[scalesIdx].shape.size() == 1 && c.in[scalesIdx].shape[0] != 0;
    if (hasSizes == hasScales)
        fail("expected exactly one of 'scales' and 'sizes'");
    const Tensor* t = c.constant(hasSizes ? sizesIdx : scalesIdx);
    if (!t) {
        p.known = false;
        for (int a : ax)
            p.out[a] = -1;
        return p;
    }
    if (t->numel() != static_cast<std::int64_t>(ax.size()))
        fail(std::string(hasSizes ? "sizes" : "scales") + " has " + std::to_string(t->numel()) +
             " values, expected " + std::to_string(ax.size()));
    for (std::size_t i = 0; i < ax.size(); ++i) {
        const int a = ax[i];
        if (hasSizes) {
            p.out[a] = t->atInt(static_cast<std::int64_t>(i));
            p.scale[a] = s[a] > 0 ? static_cast<double>(p.out[a]) / static_cast<double>(s[a]) : 1;
        } else {
            p.scale[a] = t->at(static_cast<std::int64_t>(i));
            if (p.scale[a] <= 0)
                fail("scales must be positive");
            p.out[a] =
                s[a] < 0
                    ? -1
                    : static_cast<std::int64_t>(std::floor(static_cast<double>(s[a]) * p.scale[a]));
        }
    }
    return p;
}

/// Source coordinate of output index x along one dim. Like ONNX's reference, the resized
/// length in the formulas is in · scale (not rounded) when scales were given.
double sourceCoord(const std::string& mode, double x, double scale, std::int64_t inLen,
                   std::int64_t outLen, double roiStart, double roiEnd) {
    const double in = static_cast<double>(inLen), out = in * scale;
    (void)outLen;
    if (mode == "half_pixel")
        return (x + 0.5) / scale - 0.5;
    if (mode == "pytorch_half_pixel")
        return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    if (mode == "align_corners")
        return out == 1 ? 0.0 : x * (in - 1) / (out - 1);
    if (mode == "tf_half_pixel_for_nn")
        return (x + 0.5) / scale;
    if (mode == "asymmetric")
        return x / scale;
    if (mode == "tf_crop_and_resize")
        return out > 1 ? roiStart * (in - 1) + x * (roiEnd - roiStart) * (in - 1) / (out - 1)
                       : 0.5 * (roiStart + roiEnd) * (in - 1);
    if (mode == "half_pixel_symmetric") {
        // Uses the integer output length.
        const double adjustment = static_cast<double>(outLen) / (scale * in);
        const double offset = in / 2 * (1 - adjustment);
        return offset + (x + 0.5) / scale - 0.5;
    }
    fail("coordinate_transformation_mode: unknown mode " + mode);
}

std::int64_t nearestIndex(const std::string& mode, double x) {
    const double fl = std::floor(x);
    const double frac = x - fl;
    if (mode == "floor")
        return static_cast<std::int64_t>(fl);
    if (mode == "ceil")
        return static_cast<std::int64_t>(std::ceil(x));
    if (frac == 0.5)
        return static_cast<std::int64_t>(mode == "round_prefer_ceil" ? fl + 1 : fl);
    return static_cast<std::int64_t>(std::round(x));
}

/// Per output index of one dim: up to two source taps and their weights (-1 tap: outside,
/// take the extrapolation value).
struct Taps {
    std::vector<std::int64_t> i0, i1;
    std::vector<double> w1;

    /// True when output index x reads input index x alone (an unresized dim).
    bool identity() const {
        for (std::size_t x = 0; x < i0.size(); ++x)
            if (i0[x] != static_cast<std::int64_t>(x) || w1[x] != 0)
                return false;
        return true;
    }
    bool extrapolates() const {
        return std::any_of(i0.begin(), i0.end(), [](std::int64_t i) { return i < 0; });
    }
};

/// Resizes `planes` contiguous ih×iw planes to oh×ow (the taps of the last two dims): nearest
/// gathers each row through the column indices and copies a repeated row; linear blends the
/// two source rows of each output row, each first interpolated along the row once (kept while
/// the next output row reads the same source rows). Arithmetic in T, as ONNX Runtime does.
template <class T>
void resizePlanes(const T* x, T* y, std::int64_t planes, std::int64_t ih, std::int64_t iw,
                  const Taps& th, const Taps& tw, bool linear) {
    const std::int64_t oh = static_cast<std::int64_t>(th.i0.size());
    const std::int64_t ow = static_cast<std::int64_t>(tw.i0.size());
    std::vector<T> wx(tw.w1.begin(), tw.w1.end());
    std::vector<T> rows(2 * static_cast<std::size_t>(ow));
    T* h0 = rows.data();
    T* h1 = rows.data() + ow;
    const auto interpolateRow = [&](const T* src, T* dst) {
        for (std::int64_t o = 0; o < ow; ++o) {
            const T a = src[tw.i0[o]], b = src[tw.i1[o]];
            dst[o] = a + wx[o] * (b - a);
        }
    };
    for (std::int64_t p = 0; p < planes; ++p) {
        const T* xp = x + p * ih * iw;
        T* yp = y + p * oh * ow;
        std::int64_t row0 = -1, row1 = -1; // source rows held in h0, h1
        for (std::int64_t oy = 0; oy < oh; ++oy) {
            T* yr = yp + oy * ow;
            const std::int64_t r0 = th.i0[oy], r1 = th.i1[oy];
            if (oy > 0 && r0 == th.i0[oy - 1] && r1 == th.i1[oy - 1] &&
                th.w1[oy] == th.w1[oy - 1]) {
                std::copy(yr - ow, yr, yr);
                continue;
            }
            if (!linear) {
                const T* xr = xp + r0 * iw;
                for (std::int64_t o = 0; o < ow; ++o)
                    yr[o] = xr[tw.i0[o]];
                continue;
            }
            if (r0 != row0) {
                if (r0 == row1) {
                    std::swap(h0, h1);
                    std::swap(row0, row1);
                } else {
                    interpolateRow(xp + r0 * iw, h0);
                    row0 = r0;
                }
            }
            if (r1 != row1 && r1 != r0) {
                interpolateRow(xp + r1 * iw, h1);
                row1 = r1;
            }
            const T wy = static_cast<T>(th.w1[oy]);
            if (wy == 0 || r1 == r0) {
                std::copy(h0, h0 + ow, yr);
            } else {
                for (std::int64_t o = 0; o < ow; ++o)
                    yr[o] = h0[o] + wy * (h1[o] - h0[o]);
            }
        }
    }
}

} // namespace

OpDef resizeOp() {
    OpDef d;
    d.type = "Resize";
    // Opaque, not Injective: inside an aisys:Fused group Resize could only run through the
    // subgraph kernel (it has no element-wise formula), which copies its planes in and out —
    // the PP-OCRv4 detector ran 1.8× slower after -O3 that way. Alone it runs its plane kernel
    // and the Add/Relu after it still fuse among themselves.
    d.category = FusionCategory::Opaque;
    d.attrs = {{"mode", "nearest"},
               {"coordinate_transformation_mode", "half_pixel"},
               {"nearest_mode", "round_prefer_floor"},
               {"extrapolation_value", "0.0"},
               {"exclude_outside", "0"},
               {"axes", "all"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 4);
        expectFloat(c, 0);
        const std::string mode = attrString(c.node, "mode", "nearest");
        if (mode != "nearest" && mode != "linear")
            fail("mode '" + mode + "' is not supported (expected nearest or linear)");
        return std::vector<TensorType>{{c.in[0].dtype, resizePlan(c).out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>& out) {
        return numelOrZero(out[0].shape) * (attrString(c.node, "mode", "nearest") == "linear"
                                                ? 2.0 * static_cast<double>(out[0].shape.size())
                                                : 0.0);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // 1. Per dim and output index: the source coordinate (coordinate transformation).
        // 2. Nearest: round it (nearest_mode) and clamp; linear: the two neighbours and the
        //    fractional weight, clamped to the edge.
        // 3. Per output element: Σ over the 2^rank corners of Π weights · x[corner]
        //    (nearest has one corner of weight 1).
        const ResizePlan p = resizePlan(c);
        const std::string mode = attrString(c.node, "mode", "nearest");
        const bool v10 = c.opset < 11;
        const std::string ctm =
            v10 ? "asymmetric" : attrString(c.node, "coordinate_transformation_mode", "half_pixel");
        const std::string nearestMode =
            v10 ? "floor" : attrString(c.node, "nearest_mode", "round_prefer_floor");
        const double extrapolation = attrFloat(c.node, "extrapolation_value", 0.0);
        const Shape& is = in[0]->shape();
        const Shape& os = out[0].shape();
        const std::size_t r = is.size();
        std::vector<Taps> taps(r);
        for (std::size_t k = 0; k < r; ++k) {
            Taps& t = taps[k];
            for (std::int64_t x = 0; x < os[k]; ++x) {
                double src = sourceCoord(ctm, static_cast<double>(x), p.scale[k], is[k], os[k],
                                         p.roiStart[k], p.roiEnd[k]);
                if (ctm == "tf_crop_and_resize" &&
                    (src < 0 || src > static_cast<double>(is[k] - 1))) {
                    t.i0.push_back(-1);
                    t.i1.push_back(-1);
                    t.w1.push_back(0);
                    continue;
                }
                if (mode == "nearest") {
                    std::int64_t i =
                        std::clamp<std::int64_t>(nearestIndex(nearestMode, src), 0, is[k] - 1);
                    t.i0.push_back(i);
                    t.i1.push_back(i);
                    t.w1.push_back(0);
                } else {
                    src = std::clamp(src, 0.0, static_cast<double>(is[k] - 1));
                    const std::int64_t i0 = static_cast<std::int64_t>(std::floor(src));
                    t.i0.push_back(i0);
                    t.i1.push_back(std::min(i0 + 1, is[k] - 1));
                    t.w1.push_back(src - static_cast<double>(i0));
                }
            }
        }
        // Fast path: only the last two dims are resized (a rank-1 tensor is one row).
        bool planar =
            r >= 1 && !taps[r - 1].extrapolates() && (r < 2 || !taps[r - 2].extrapolates());
        for (std::size_t k = 0; k + 2 < r && planar; ++k)
            planar = os[k] == is[k] && taps[k].identity();
        if (planar) {
            const Taps single{{0}, {0}, {0.0}};
            const Taps& th = r >= 2 ? taps[r - 2] : single;
            const std::int64_t ih = r >= 2 ? is[r - 2] : 1, iw = is[r - 1];
            const std::int64_t planes = ih * iw == 0 ? 0 : in[0]->numel() / (ih * iw);
            if (out[0].numel() == 0)
                return;
            visitFloat(in[0]->dtype(), [&](auto tag) {
                using T = decltype(tag);
                resizePlanes<T>(in[0]->data<T>(), out[0].data<T>(), planes, ih, iw, th, taps[r - 1],
                                mode == "linear");
            });
            return;
        }
        const auto strides = stridesOf(is);
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[0]->data<T>();
            T* y = out[0].data<T>();
            const std::int64_t n = out[0].numel();
            std::vector<std::int64_t> idx(r, 0);
            for (std::int64_t o = 0; o < n; ++o) {
                double acc = 0;
                bool outside = false;
                for (std::size_t k = 0; k < r; ++k)
                    outside = outside || taps[k].i0[idx[k]] < 0;
                if (outside) {
                    acc = extrapolation;
                } else {
                    for (std::uint32_t corner = 0; corner < (1u << r); ++corner) {
                        double w = 1;
                        std::int64_t pos = 0;
                        for (std::size_t k = 0; k < r && w != 0; ++k) {
                            const bool hi = (corner >> k) & 1u;
                            const double wk = hi ? taps[k].w1[idx[k]] : 1 - taps[k].w1[idx[k]];
                            w *= wk;
                            pos += (hi ? taps[k].i1[idx[k]] : taps[k].i0[idx[k]]) * strides[k];
                        }
                        if (w != 0)
                            acc += w * static_cast<double>(x[pos]);
                    }
                }
                y[o] = static_cast<T>(acc);
                for (int k = static_cast<int>(r) - 1; k >= 0; --k) {
                    if (++idx[k] < os[k])
                        break;
                    idx[k] = 0;
                }
            }
        });
    };
    return d;
}

} // namespace aisys::engine::ops
