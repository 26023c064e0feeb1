// The depthwise 2-D convolution kernel, shared by the baseline build (engine/ops/nn_conv.cpp)
// and the AVX2+FMA build (engine/core/gemm_avx2.cpp). Internal linkage and no library calls:
// each build keeps its own copy and the linker cannot merge one into the other.
#pragma once

#include <cstdint>
#include <limits>

namespace aisys::engine {

/// Geometry of one depthwise channel: input, output, kernel, strides, dilations, leading pads.
struct DepthwiseGeometry {
    std::int64_t ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, ph, pw;
};

namespace depthwise_detail {
namespace {

/// A conv's epilogue on one value: min(max(v + bias, lo), hi) (lo = −∞, hi = ∞ when there is
/// no clamp); a NaN stays NaN.
template <class T> inline T biasClamped(T v, T bias, T lo, T hi) {
    v += bias;
    const T upper = v > hi ? hi : v; // two independent selects: the same result as
    return v < lo ? lo : upper;      // v < lo ? lo : (v > hi ? hi : v), but branch-free
}

/// Depthwise 2-D convolution of one channel (one input and one output channel per group)
/// computed directly, row by row: each output row starts at 0 and, for every kernel tap
/// (a, b) whose input row is inside the image, gets w[a, b] times that input row over the
/// output columns whose input column is inside the image. No im2col matrix: the work is
/// 2·H'·W'·KH·KW and the inner loop is an axpy on a row that stays in L1.
/// 3×3, dilation 1: each output is nine multiply-adds over three input rows (a row in the
/// padding reads `zeros`), written once; the interior columns form a branch-free loop the
/// compiler vectorises (stride 1 and 2), the border columns check bounds.
template <class T>
void depthwise3x3(const DepthwiseGeometry& g, const T* x, const T* w, T* y, const T* zeros) {
    const std::int64_t sw = g.sw;
    const std::int64_t qlo = g.pw <= 0 ? 0 : (g.pw + sw - 1) / sw;
    const std::int64_t last = g.iw - 3 + g.pw; // q·sw − pw + 2 ≤ iw − 1
    std::int64_t qhi = last < 0 ? 0 : last / sw + 1;
    qhi = qhi < g.ow ? qhi : g.ow;
    const T w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7],
            w8 = w[8];
    for (std::int64_t o = 0; o < g.oh; ++o) {
        const T* rows[3];
        for (int a = 0; a < 3; ++a) {
            const std::int64_t r = o * g.sh - g.ph + a;
            rows[a] = r >= 0 && r < g.ih ? x + r * g.iw : zeros;
        }
        const T* __restrict x0 = rows[0];
        const T* __restrict x1 = rows[1];
        const T* __restrict x2 = rows[2];
        T* __restrict yr = y + o * g.ow;
        auto border = [&](std::int64_t q) {
            T acc = T(0);
            for (int b = 0; b < 3; ++b) {
                const std::int64_t c = q * sw - g.pw + b;
                if (c >= 0 && c < g.iw)
                    acc += w[b] * x0[c] + w[3 + b] * x1[c] + w[6 + b] * x2[c];
            }
            return acc;
        };
        std::int64_t q = 0;
        for (; q < qlo && q < g.ow; ++q)
            yr[q] = border(q);
        const T* p0 = x0 - g.pw;
        const T* p1 = x1 - g.pw;
        const T* p2 = x2 - g.pw;
        if (sw == 1) {
            for (; q < qhi; ++q)
                yr[q] = w0 * p0[q] + w1 * p0[q + 1] + w2 * p0[q + 2] + w3 * p1[q] + w4 * p1[q + 1] +
                        w5 * p1[q + 2] + w6 * p2[q] + w7 * p2[q + 1] + w8 * p2[q + 2];
        } else if (sw == 2) {
            for (; q < qhi; ++q)
                yr[q] = w0 * p0[2 * q] + w1 * p0[2 * q + 1] + w2 * p0[2 * q + 2] + w3 * p1[2 * q] +
                        w4 * p1[2 * q + 1] + w5 * p1[2 * q + 2] + w6 * p2[2 * q] +
                        w7 * p2[2 * q + 1] + w8 * p2[2 * q + 2];
        }
        for (; q < g.ow; ++q)
            yr[q] = border(q);
    }
}

template <class T> void depthwiseChannel(const DepthwiseGeometry& g, const T* x, const T* w, T* y) {
    for (std::int64_t o = 0; o < g.oh; ++o) {
        T* yr = y + o * g.ow;
        for (std::int64_t q = 0; q < g.ow; ++q)
            yr[q] = T(0);
        for (std::int64_t a = 0; a < g.kh; ++a) {
            const std::int64_t r = o * g.sh - g.ph + a * g.dh;
            if (r < 0 || r >= g.ih)
                continue;
            for (std::int64_t b = 0; b < g.kw; ++b) {
                const T wv = w[a * g.kw + b];
                // Output columns q with 0 <= q·sw − pw + b·dw < iw.
                const std::int64_t off = b * g.dw - g.pw;
                const std::int64_t lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
                std::int64_t hi = g.iw - off <= 0 ? 0 : (g.iw - off - 1) / g.sw + 1;
                hi = hi < g.ow ? hi : g.ow;
                const T* xr = x + r * g.iw + off;
                if (g.sw == 1)
                    for (std::int64_t q = lo; q < hi; ++q)
                        yr[q] += wv * xr[q];
                else
                    for (std::int64_t q = lo; q < hi; ++q)
                        yr[q] += wv * xr[q * g.sw];
            }
        }
    }
}

/// The kernel for this geometry: the 3×3 one where it applies, else the general one. `zeros`
/// holds at least iw zeros (the 3×3 kernel reads it for rows in the padding).
template <class T>
void depthwise(const DepthwiseGeometry& g, const T* x, const T* w, T* y, const T* zeros) {
    if (g.kh == 3 && g.kw == 3 && g.dh == 1 && g.dw == 1 && (g.sw == 1 || g.sw == 2))
        depthwise3x3(g, x, w, y, zeros);
    else
        depthwiseChannel(g, x, w, y);
}

/// The polyphase layout convFlat works in: for stride s, each input channel has s·s phase
/// planes of hh × wh values, plane (pa, pb)[r][c] = X[r·s + pa − pad_top][c·s + pb − pad_left]
/// (0 outside the image); the flat output has oh × wh values (columns ≥ ow are discarded).
struct FlatLayout {
    std::int64_t s, hh, wh, plane, outFlat;
    std::int64_t channels; ///< input channels held
    std::int64_t scratch;  ///< values of scratch: channels · s² · plane + 4 · outFlat
};

inline FlatLayout flatLayout(const DepthwiseGeometry& g, std::int64_t channels = 1) {
    FlatLayout f;
    f.s = g.sh;
    f.hh = g.oh + (g.kh - 1) / f.s + 1;
    f.wh = g.ow + (g.kw - 1) / f.s;
    f.plane = f.hh * f.wh + 64; // slack: the last vector block reads past the last row
    f.outFlat = (g.oh * f.wh + 31) / 32 * 32;
    f.channels = channels;
    f.scratch = channels * f.s * f.s * f.plane + 4 * f.outFlat;
    return f;
}

/// Most taps (input channels × kernel cells) convFlat sums per output channel.
constexpr std::int64_t kFlatMaxTaps = 64;

/// True when convFlat handles this geometry with `channels` input channels per group:
/// dilation 1, equal strides, at most kFlatMaxTaps taps.
inline bool flatApplies(const DepthwiseGeometry& g, std::int64_t channels = 1) {
    return g.dh == 1 && g.dw == 1 && g.sh == g.sw && g.sh >= 1 &&
           channels * g.kh * g.kw <= kFlatMaxTaps;
}

/// Zeroes the phase planes (their padding cells stay zero for every later call).
template <class T> void flatClear(const FlatLayout& f, T* scratch) {
    for (std::int64_t i = 0; i < f.channels * f.s * f.s * f.plane; ++i)
        scratch[i] = T(0);
}

/// A convolution of one group by the flat polyphase method — depthwise (one input and one
/// output channel) or any conv with few input channels (a network's stem) — for any kernel
/// size and stride with dilation 1:
/// 1. split each zero-padded input channel into stride² phase planes of width wh, so every tap
///    (c, a, b) reads one plane (c, a mod s, b mod s) at the constant offset
///    (a div s)·wh + (b div s);
/// 2. each output channel m, laid out flat with row stride wh, is Σ_taps w[m, tap] ·
///    plane[f + offset]: one long branch-free loop over f, whatever the image width — small
///    planes vectorise as well as large ones, and no im2col matrix is built. One output
///    channel: 32 outputs per step, even and odd taps in separate 8-wide accumulators (eight
///    independent chains); four output channels at a time: 16 outputs per step, each load of
///    the plane shared by the four;
/// 3. copy the ow valid columns of each row out with the epilogue min(max(v + bias, lo), hi).
/// x: `cin` input planes of ih·iw; w: [cout][cin][kh][kw]; y: `cout` planes of oh·ow; bias:
/// cout values or null. `scratch` holds flatLayout(g, cin).scratch values, cleared by
/// flatClear before the first call (later calls overwrite only the image cells).
template <class T>
void convFlat(const DepthwiseGeometry& g, std::int64_t cin, std::int64_t cout, const T* x,
              const T* w, T* y, const T* bias, T lo, T hi, T* scratch) {
    const FlatLayout f = flatLayout(g, cin);
    const std::int64_t s = f.s, phases = s * s;
    // 1. Phase planes: only the cells that come from the image are written.
    for (std::int64_t ci = 0; ci < cin; ++ci)
        for (std::int64_t pa = 0; pa < s; ++pa)
            for (std::int64_t pb = 0; pb < s; ++pb) {
                T* pl = scratch + (ci * phases + pa * s + pb) * f.plane;
                const T* xc = x + ci * g.ih * g.iw;
                // Columns c with 0 <= c·s + pb − pw < iw; rows r with 0 <= r·s + pa − ph < ih.
                const std::int64_t off = pb - g.pw;
                std::int64_t c0 = off >= 0 ? 0 : (-off + s - 1) / s;
                std::int64_t c1 = g.iw - off <= 0 ? 0 : (g.iw - off - 1) / s + 1;
                c1 = c1 < f.wh ? c1 : f.wh;
                const std::int64_t roff = pa - g.ph;
                std::int64_t r0 = roff >= 0 ? 0 : (-roff + s - 1) / s;
                std::int64_t r1 = g.ih - roff <= 0 ? 0 : (g.ih - roff - 1) / s + 1;
                r1 = r1 < f.hh ? r1 : f.hh;
                for (std::int64_t r = r0; r < r1; ++r) {
                    T* __restrict dst = pl + r * f.wh;
                    const T* __restrict src = xc + (r * s + roff) * g.iw + off;
                    if (s == 1)
                        for (std::int64_t c = c0; c < c1; ++c)
                            dst[c] = src[c];
                    else if (s == 2)
                        for (std::int64_t c = c0; c < c1; ++c)
                            dst[c] = src[2 * c];
                    else
                        for (std::int64_t c = c0; c < c1; ++c)
                            dst[c] = src[c * s];
                }
            }
    // 2. Where each tap reads.
    const std::int64_t kk = g.kh * g.kw, taps = cin * kk;
    const T* src[kFlatMaxTaps];
    for (std::int64_t ci = 0; ci < cin; ++ci)
        for (std::int64_t a = 0; a < g.kh; ++a)
            for (std::int64_t b = 0; b < g.kw; ++b)
                src[ci * kk + a * g.kw + b] = scratch +
                                              (ci * phases + (a % s) * s + (b % s)) * f.plane +
                                              (a / s) * f.wh + (b / s);
    T* out = scratch + cin * phases * f.plane;
    constexpr int V = 8, U = 4;
    // 3. Valid columns of output channel m (flat in `o`) out, with the epilogue.
    // The rows are copied first and the epilogue then runs over the whole channel (oh·ow
    // contiguous values, in L1): per row of 7 or 14 values the clamp ran as scalar compares and
    // branches, 20 % of a fused depthwise conv with real activations.
    const bool epilogue =
        bias || lo > -std::numeric_limits<T>::infinity() || hi < std::numeric_limits<T>::infinity();
    auto writeOut = [&](std::int64_t m, const T* o) {
        T* ym = y + m * g.oh * g.ow;
        for (std::int64_t r = 0; r < g.oh; ++r) {
            const T* __restrict row = o + r * f.wh;
            T* __restrict yr = ym + r * g.ow;
            for (std::int64_t q = 0; q < g.ow; ++q)
                yr[q] = row[q];
        }
        if (!epilogue)
            return;
        const T bm = bias ? bias[m] : T(0);
        T* __restrict yc = ym;
        for (std::int64_t i = 0, n = g.oh * g.ow; i < n; ++i)
            yc[i] = biasClamped(yc[i], bm, lo, hi);
    };
    std::int64_t m = 0;
    // Four output channels per pass share each vector load of a tap's plane.
    for (; m + 4 <= cout; m += 4) {
        const T* wm = w + m * taps;
        for (std::int64_t i = 0; i < f.outFlat; i += 2 * V) {
            T acc[4][2][V] = {};
            for (std::int64_t t = 0; t < taps; ++t) {
                const T* p = src[t] + i;
                const T w0 = wm[t], w1 = wm[taps + t], w2 = wm[2 * taps + t], w3 = wm[3 * taps + t];
                for (int u = 0; u < 2; ++u)
                    for (int l = 0; l < V; ++l) {
                        const T xv = p[u * V + l];
                        acc[0][u][l] += w0 * xv;
                        acc[1][u][l] += w1 * xv;
                        acc[2][u][l] += w2 * xv;
                        acc[3][u][l] += w3 * xv;
                    }
            }
            for (int j = 0; j < 4; ++j)
                for (int u = 0; u < 2; ++u)
                    for (int l = 0; l < V; ++l)
                        out[j * f.outFlat + i + u * V + l] = acc[j][u][l];
        }
        for (int j = 0; j < 4; ++j)
            writeOut(m + j, out + j * f.outFlat);
    }
    for (; m < cout; ++m) {
        const T* wm = w + m * taps;
        for (std::int64_t i = 0; i < f.outFlat; i += V * U) {
            // Even and odd taps into separate accumulators: eight independent chains.
            T acc[U][V] = {}, acc2[U][V] = {};
            std::int64_t t = 0;
            for (; t + 1 < taps; t += 2) {
                const T w0 = wm[t], w1 = wm[t + 1];
                const T* p0 = src[t] + i;
                const T* p1 = src[t + 1] + i;
                for (int u = 0; u < U; ++u)
                    for (int l = 0; l < V; ++l) {
                        acc[u][l] += w0 * p0[u * V + l];
                        acc2[u][l] += w1 * p1[u * V + l];
                    }
            }
            if (t < taps) {
                const T w0 = wm[t];
                const T* p0 = src[t] + i;
                for (int u = 0; u < U; ++u)
                    for (int l = 0; l < V; ++l)
                        acc[u][l] += w0 * p0[u * V + l];
            }
            for (int u = 0; u < U; ++u)
                for (int l = 0; l < V; ++l)
                    out[i + u * V + l] = acc[u][l] + acc2[u][l];
        }
        writeOut(m, out);
    }
}

} // namespace
} // namespace depthwise_detail

/// One f32 depthwise channel, through the AVX2+FMA build when the CPU has it (see gemm.cpp);
/// `zeros` holds at least iw zeros.
void depthwiseConv2dF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y,
                        const float* zeros);
/// convFlat for f32, through the AVX2+FMA build when the CPU has it.
void convFlatF32(const DepthwiseGeometry& g, std::int64_t cin, std::int64_t cout, const float* x,
                 const float* w, float* y, const float* bias, float lo, float hi, float* scratch);

} // namespace aisys::engine
