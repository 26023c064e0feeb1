// The depthwise 2-D convolution kernel, shared by the baseline build (engine/ops/nn_conv.cpp)
// and the AVX2+FMA build (engine/core/gemm_avx2.cpp). Internal linkage and no library calls:
// each build keeps its own copy and the linker cannot merge one into the other.
#pragma once

#include <cstdint>

namespace aisys::engine {

/// Geometry of one depthwise channel: input, output, kernel, strides, dilations, leading pads.
struct DepthwiseGeometry {
    std::int64_t ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, ph, pw;
};

namespace depthwise_detail {
namespace {

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

/// The polyphase layout depthwiseFlat works in: for stride s, s·s phase planes of
/// hh × wh values, plane (pa, pb)[r][c] = X[r·s + pa − pad_top][c·s + pb − pad_left] (0 outside
/// the image), and the flat output of oh × wh values (columns ≥ ow are discarded).
struct FlatLayout {
    std::int64_t s, hh, wh, plane, outFlat, scratch;
};

inline FlatLayout flatLayout(const DepthwiseGeometry& g) {
    FlatLayout f;
    f.s = g.sh;
    f.hh = g.oh + (g.kh - 1) / f.s + 1;
    f.wh = g.ow + (g.kw - 1) / f.s;
    f.plane = f.hh * f.wh + 64; // slack: the last vector block reads past the last row
    f.outFlat = (g.oh * f.wh + 31) / 32 * 32;
    f.scratch = f.s * f.s * f.plane + f.outFlat;
    return f;
}

/// True when depthwiseFlat handles this geometry: dilation 1 and equal strides.
inline bool flatApplies(const DepthwiseGeometry& g) {
    return g.dh == 1 && g.dw == 1 && g.sh == g.sw && g.sh >= 1 && g.kh * g.kw <= 64;
}

/// Zeroes the phase planes (their padding cells stay zero for every channel).
template <class T> void flatClear(const DepthwiseGeometry& g, T* scratch) {
    const FlatLayout f = flatLayout(g);
    for (std::int64_t i = 0; i < f.s * f.s * f.plane; ++i)
        scratch[i] = T(0);
}

/// One depthwise channel by the flat polyphase method, for any kernel size and stride with
/// dilation 1:
/// 1. split the zero-padded input into stride² phase planes of width wh, so every tap (a, b)
///    reads one plane (a mod s, b mod s) at a constant offset (a div s)·wh + (b div s);
/// 2. the output, laid out flat with row stride wh, is then Σ_taps w_ab · plane[f + offset]:
///    one long branch-free loop over f (32 outputs per step, four independent 8-wide
///    accumulators), whatever the image width — small planes vectorise as well as large ones;
/// 3. copy the ow valid columns of each row out with the epilogue min(max(v + bias, lo), hi).
/// `scratch` holds flatLayout(g).scratch values, cleared by flatClear before the first
/// channel (later channels overwrite only the image cells).
template <class T>
void depthwiseFlat(const DepthwiseGeometry& g, const T* x, const T* w, T* y, T bias, T lo, T hi,
                   T* scratch) {
    const FlatLayout f = flatLayout(g);
    const std::int64_t s = f.s;
    // 1. Phase planes: only the cells that come from the image are written; the padding
    //    cells were zeroed once by flatClear and are never touched.
    for (std::int64_t pa = 0; pa < s; ++pa)
        for (std::int64_t pb = 0; pb < s; ++pb) {
            T* pl = scratch + (pa * s + pb) * f.plane;
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
                const T* __restrict src = x + (r * s + roff) * g.iw + off;
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
    // 2. Flat multiply-adds, tap by tap inside each block of 32 outputs.
    const std::int64_t taps = g.kh * g.kw;
    const T* src[64];
    T wt[64];
    for (std::int64_t a = 0; a < g.kh; ++a)
        for (std::int64_t b = 0; b < g.kw; ++b) {
            const std::int64_t t = a * g.kw + b;
            src[t] = scratch + ((a % s) * s + (b % s)) * f.plane + (a / s) * f.wh + (b / s);
            wt[t] = w[t];
        }
    T* out = scratch + s * s * f.plane;
    constexpr int V = 8, U = 4;
    for (std::int64_t i = 0; i < f.outFlat; i += V * U) {
        T acc[U][V] = {};
        for (std::int64_t t = 0; t < taps; ++t) {
            const T wv = wt[t];
            const T* p = src[t] + i;
            for (int u = 0; u < U; ++u)
                for (int l = 0; l < V; ++l)
                    acc[u][l] += wv * p[u * V + l];
        }
        for (int u = 0; u < U; ++u)
            for (int l = 0; l < V; ++l)
                out[i + u * V + l] = acc[u][l];
    }
    // 3. Valid columns out, with the epilogue.
    for (std::int64_t o = 0; o < g.oh; ++o) {
        const T* r = out + o * f.wh;
        T* yr = y + o * g.ow;
        for (std::int64_t q = 0; q < g.ow; ++q) {
            const T v = r[q] + bias;
            yr[q] = v < lo ? lo : (v > hi ? hi : v);
        }
    }
}

} // namespace
} // namespace depthwise_detail

/// One f32 depthwise channel, through the AVX2+FMA build when the CPU has it (see gemm.cpp);
/// `zeros` holds at least iw zeros.
void depthwiseConv2dF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y,
                        const float* zeros);
/// depthwiseFlat for f32, through the AVX2+FMA build when the CPU has it.
void depthwiseFlatF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y,
                      float bias, float lo, float hi, float* scratch);

} // namespace aisys::engine
