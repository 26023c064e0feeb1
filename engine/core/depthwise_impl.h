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

} // namespace
} // namespace depthwise_detail

/// One f32 depthwise channel, through the AVX2+FMA build when the CPU has it (see gemm.cpp).
void depthwiseConv2dF32(const DepthwiseGeometry& g, const float* x, const float* w, float* y);

} // namespace aisys::engine
