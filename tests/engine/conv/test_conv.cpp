// Direct convolution against hand-computed cases, and im2col + GEMM, indirect convolution and
// spatial packing against it over random shapes (strides, pads, dilations, groups, odd sizes):
// f64 within 1e-9, f32 within the documented bound (engine/conv/README.md).
#include "engine/conv/conv.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstdio>

namespace {

using namespace aisys::engine::conv;

ConvShape shape(std::int64_t n, std::int64_t ic, std::int64_t ih, std::int64_t iw, std::int64_t oc,
                std::int64_t kh, std::int64_t kw, std::int64_t stride = 1, std::int64_t pad = 0,
                std::int64_t dil = 1, std::int64_t groups = 1) {
    ConvShape s;
    s.n = n, s.ic = ic, s.ih = ih, s.iw = iw, s.oc = oc, s.kh = kh, s.kw = kw;
    s.strideH = s.strideW = stride;
    s.padH = s.padW = pad;
    s.dilH = s.dilW = dil;
    s.groups = groups;
    return s;
}

std::vector<double> absOf(std::vector<double> v) {
    for (double& x : v)
        x = std::abs(x);
    return v;
}

/// f32 bound for a sum of K products: γ_K ≈ K·u (Higham, "Accuracy and Stability of Numerical
/// Algorithms", 2nd ed., §3.1), u = 2^−24, relative to the sum of |terms| (normalizedError);
/// +2 for the rounding of the inputs to f32.
double f32Bound(const ConvShape& s) {
    return double(s.icPerGroup() * s.kh * s.kw + 2) * std::ldexp(1.0, -24);
}

} // namespace

TEST(ConvDirect, TheCourseExampleByHand) {
    // 3×3 input 1…9, 2×2 kernel [[1,2],[3,4]]: y00 = 1+4+12+20 = 37, y01 = 2+6+15+24 = 47,
    // y10 = 4+10+21+32 = 67, y11 = 5+12+24+36 = 77.
    const ConvShape s = shape(1, 1, 3, 3, 1, 2, 2);
    const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9}, w{1, 2, 3, 4};
    EXPECT_EQ(convDirect(s, x, w).y, (std::vector<double>{37, 47, 67, 77}));
    // im2col of the same: a 4×4 matrix, one window per row.
    EXPECT_EQ(im2colMatrix(s, x),
              (std::vector<double>{1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9}));
}

TEST(ConvDirect, StridePadDilationGroupsByHand) {
    // 1×2×4×4 input (channel 0 all 1, channel 1 all 2), 2 groups, 3×3 kernels of ones,
    // stride 2, pad 1: OH = ⌊(4 + 2 − 3)/2⌋ + 1 = 2; y[g][0][0] sees a 2×2 corner: 4·value.
    ConvShape s = shape(1, 2, 4, 4, 2, 3, 3, 2, 1, 1, 2);
    std::vector<double> x(32, 1.0), w(18, 1.0);
    for (int i = 16; i < 32; ++i)
        x[static_cast<std::size_t>(i)] = 2.0;
    EXPECT_EQ(s.oh(), 2);
    EXPECT_EQ(convDirect(s, x, w).y, (std::vector<double>{4, 6, 6, 9, 8, 12, 12, 18}));
    // Dilation 2 on a 5×5 input of 1…25 with a 2×2 kernel of ones: taps (0,0),(0,2),(2,0),(2,2).
    s = shape(1, 1, 5, 5, 1, 2, 2, 1, 0, 2);
    std::vector<double> x2(25);
    for (int i = 0; i < 25; ++i)
        x2[static_cast<std::size_t>(i)] = i + 1;
    const auto y = convDirect(s, x2, std::vector<double>(4, 1.0)).y;
    ASSERT_EQ(y.size(), 9u); // OH = 5 − 2·1 − 1 + 1 = 3
    EXPECT_EQ(y[0], 1 + 3 + 11 + 13);
    EXPECT_EQ(y[8], 13 + 15 + 23 + 25);
}

TEST(ConvShapeCheck, NamesTheFieldAndTheRule) {
    EXPECT_EQ(shape(1, 3, 8, 8, 4, 3, 3, 1, 0, 1, 2).check(),
              "groups = 2 must divide IC = 3 and OC = 4");
    EXPECT_EQ(shape(1, 1, 2, 2, 1, 3, 3).check(),
              "the dilated kernel 3×3 does not fit the padded input 2×2");
    EXPECT_EQ(shape(1, 1, 8, 8, 1, 0, 3).check(), "KH must be at least 1, got 0");
    ConvShape s = shape(1, 1, 8, 8, 1, 3, 3);
    s.padW = -1;
    EXPECT_EQ(s.check(), "padding must be ≥ 0, got 0,-1");
    EXPECT_THROW(convDirect(s, std::vector<double>(64), std::vector<double>(9)),
                 std::invalid_argument);
    try {
        convIm2col(shape(1, 1, 4, 4, 1, 3, 3), std::vector<double>(15), std::vector<double>(9));
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "input has 15 values, the shape needs N·IC·IH·IW = 16");
    }
}

TEST(Im2col, MatrixShapeIsNohowByKhKwIc) {
    const ConvShape s = shape(2, 3, 7, 5, 4, 3, 2, 2, 1);
    std::vector<double> x, w;
    randomInputs(s, 1, x, w);
    EXPECT_EQ(im2colMatrix(s, x).size(),
              static_cast<std::size_t>(s.n * s.oh() * s.ow() * s.kh * s.kw * s.ic));
    const auto r = convIm2col(s, x, w);
    EXPECT_EQ(r.stats.bufferBytes,
              8 * (s.n * s.oh() * s.ow() * 18 + 18 * 4)); // A and the weight matrix, f64
}

TEST(Indirect, BufferEntriesAndZeroPointersCountedByHand) {
    // 3×3 input, 3×3 kernel, pad 1: 9 outputs × 9 taps = 81 entries; the taps inside the
    // input number (2+3+2)² = 49, so 32 point at the zero vector.
    const ConvShape s = shape(1, 5, 3, 3, 2, 3, 3, 1, 1);
    const IndirectionBuffer ib = buildIndirection(s);
    EXPECT_EQ(ib.rows.size(), 81u);
    EXPECT_EQ(ib.zeroEntries, 32);
    // Output (0,0)'s taps: row −1 and column −1 are padding; tap (1,1) is pixel (0,0) → row 0,
    // tap (2,2) is pixel (1,1) → NHWC offset (1·3 + 1)·IC = 20.
    EXPECT_EQ(ib.rows[0], IndirectionBuffer::kZeroRow);
    EXPECT_EQ(ib.rows[4], 0);
    EXPECT_EQ(ib.rows[8], 20);
}

TEST(SpatialPack, HaloIsKhMinusOneForStrideOne) {
    const SpatialPackInfo i = spatialPackInfo(shape(1, 2, 8, 8, 2, 3, 3, 1, 1), 2, 2);
    EXPECT_EQ(i.tiles, 4);
    EXPECT_EQ(i.tileRows, 4);
    EXPECT_EQ(i.packedRows, 6);
    EXPECT_EQ(i.haloRows, 2); // KH − 1, not 2(KH − 1) (SYLLABUS §8)
    const SpatialPackInfo k5 = spatialPackInfo(shape(1, 1, 9, 9, 1, 5, 5), 1, 1);
    EXPECT_EQ(k5.haloRows, 4);
    EXPECT_THROW(spatialPackInfo(shape(1, 1, 4, 4, 1, 3, 3), 3, 1), std::invalid_argument);
}

RC_GTEST_PROP(ConvProperty, EveryAlgorithmMatchesTheDirectReference, ()) {
    ConvShape s;
    s.groups = *rc::gen::inRange<std::int64_t>(1, 4);
    s.n = *rc::gen::inRange<std::int64_t>(1, 3);
    s.ic = s.groups * *rc::gen::inRange<std::int64_t>(1, 4);
    s.oc = s.groups * *rc::gen::inRange<std::int64_t>(1, 4);
    s.ih = *rc::gen::inRange<std::int64_t>(1, 12);
    s.iw = *rc::gen::inRange<std::int64_t>(1, 12);
    s.kh = *rc::gen::inRange<std::int64_t>(1, 5);
    s.kw = *rc::gen::inRange<std::int64_t>(1, 5);
    s.strideH = *rc::gen::inRange<std::int64_t>(1, 4);
    s.strideW = *rc::gen::inRange<std::int64_t>(1, 4);
    s.padH = *rc::gen::inRange<std::int64_t>(0, 4);
    s.padW = *rc::gen::inRange<std::int64_t>(0, 4);
    s.dilH = *rc::gen::inRange<std::int64_t>(1, 3);
    s.dilW = *rc::gen::inRange<std::int64_t>(1, 3);
    RC_PRE(s.check().empty());
    const std::uint64_t seed = *rc::gen::arbitrary<std::uint32_t>();
    std::vector<double> x, w;
    randomInputs(s, seed, x, w);
    const auto ref = convDirect(s, x, w).y;
    const auto absRef = convDirect(s, absOf(x), absOf(w)).y;
    RC_ASSERT(static_cast<std::int64_t>(ref.size()) == s.outputSize());
    const std::int64_t th = *rc::gen::inRange<std::int64_t>(1, s.oh() + 1);
    const std::int64_t tw = *rc::gen::inRange<std::int64_t>(1, s.ow() + 1);
    RC_ASSERT(maxAbsDiff(convIm2col(s, x, w).y, ref) <= 1e-9);
    RC_ASSERT(maxAbsDiff(convIndirect(s, x, w).y, ref) <= 1e-9);
    RC_ASSERT(maxAbsDiff(convSpatialPack(s, x, w, th, tw).y, ref) <= 1e-9);
    const auto xf = toFloat(x), wf = toFloat(w);
    const double bound = f32Bound(s);
    RC_ASSERT(normalizedError(convDirect(s, xf, wf).y, ref, absRef) <= bound);
    RC_ASSERT(normalizedError(convIm2col(s, xf, wf).y, ref, absRef) <= bound);
    RC_ASSERT(normalizedError(convIndirect(s, xf, wf).y, ref, absRef) <= bound);
    RC_ASSERT(normalizedError(convSpatialPack(s, xf, wf, th, tw).y, ref, absRef) <= bound);
    // The indirection buffer's zero entries are exactly the taps outside the input.
    const IndirectionBuffer ib = buildIndirection(s);
    RC_ASSERT(static_cast<std::int64_t>(ib.rows.size()) == s.n * s.oh() * s.ow() * s.kh * s.kw);
    std::int64_t outside = 0;
    for (std::int64_t p = 0; p < s.oh(); ++p)
        for (std::int64_t q = 0; q < s.ow(); ++q)
            for (std::int64_t i = 0; i < s.kh; ++i)
                for (std::int64_t j = 0; j < s.kw; ++j) {
                    const std::int64_t h = p * s.strideH - s.padH + i * s.dilH;
                    const std::int64_t v = q * s.strideW - s.padW + j * s.dilW;
                    outside += (h < 0 || h >= s.ih || v < 0 || v >= s.iw) ? 1 : 0;
                }
    RC_ASSERT(ib.zeroEntries == s.n * outside);
}

TEST(ConvF32, ErrorsPrintedForAMidSizedLayer) {
    const ConvShape s = shape(1, 32, 14, 14, 16, 3, 3, 1, 1);
    std::vector<double> x, w;
    randomInputs(s, 7, x, w);
    const auto ref = convDirect(s, x, w).y;
    const auto absRef = convDirect(s, absOf(x), absOf(w)).y;
    const auto xf = toFloat(x), wf = toFloat(w);
    const double e[] = {normalizedError(convDirect(s, xf, wf).y, ref, absRef),
                        normalizedError(convIm2col(s, xf, wf).y, ref, absRef),
                        normalizedError(convIndirect(s, xf, wf).y, ref, absRef),
                        normalizedError(convSpatialPack(s, xf, wf).y, ref, absRef)};
    std::printf("f32 normalized error (K = 288, bound %.3g): direct %.3g, im2col %.3g, "
                "indirect %.3g, spatial-pack %.3g\n",
                f32Bound(s), e[0], e[1], e[2], e[3]);
    for (double v : e) {
        EXPECT_GT(v, 0.0); // f32 really rounds
        EXPECT_LE(v, f32Bound(s));
    }
}
