// Convolution algorithms over one NCHW tensor: the direct six-loop reference, im2col + GEMM,
// indirect convolution (QNNPACK's indirection buffer) and spatial packing with halos, each in
// f32 or f64, each returning its output and what it did (MACs, buffer bytes).
// Winograd is in winograd.h, FlashAttention in attention.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::conv {

/// One 2-D convolution: input N×IC×IH×IW (NCHW), weights OC×(IC/G)×KH×KW, output N×OC×OH×OW.
struct ConvShape {
    std::int64_t n = 1, ic = 1, ih = 1, iw = 1, oc = 1, kh = 1, kw = 1;
    std::int64_t strideH = 1, strideW = 1, padH = 0, padW = 0, dilH = 1, dilW = 1, groups = 1;

    /// OH = ⌊(IH + 2P − D(KH−1) − 1)/S⌋ + 1 (the dilated kernel spans D(KH−1)+1 rows).
    std::int64_t oh() const;
    std::int64_t ow() const;
    std::int64_t icPerGroup() const { return ic / groups; }
    std::int64_t ocPerGroup() const { return oc / groups; }
    std::int64_t inputSize() const { return n * ic * ih * iw; }
    std::int64_t weightSize() const { return oc * icPerGroup() * kh * kw; }
    std::int64_t outputSize() const { return n * oc * oh() * ow(); }
    /// Multiply-accumulates of the direct loop: N·OC·OH·OW·(IC/G)·KH·KW.
    std::int64_t macs() const { return outputSize() * icPerGroup() * kh * kw; }
    /// "" when the shape is valid, else a message naming the field and what was expected
    /// (sizes ≥ 1, pads ≥ 0, G divides IC and OC, the output at least 1×1, under 2^28 elements).
    std::string check() const;
    /// "N=1 IC=3 IH=8 IW=8 OC=4 KH=3 KW=3 stride=1,1 pad=1,1 dilation=1,1 groups=1".
    std::string text() const;
};

/// Counts an algorithm reports besides its output.
struct ConvStats {
    std::int64_t multiplies = 0;  ///< multiplications in the main computation
    std::int64_t bufferBytes = 0; ///< extra memory the algorithm allocates (im2col matrix, …)
    std::int64_t transforms = 0;  ///< Winograd: input + filter + output tile transforms
    std::string note;             ///< one line: the buffer's shape and what it holds
};

template <class T> struct ConvResult {
    std::vector<T> y; ///< N×OC×OH×OW
    ConvStats stats;
};

/// The six nested loops of the definition (with groups, dilation, zero padding), the reference
/// every other algorithm is compared with. x, w as ConvShape describes. Throws
/// std::invalid_argument for an invalid shape or wrong buffer sizes.
template <class T>
ConvResult<T> convDirect(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w);

/// im2col + GEMM (Caffe's lowering, with the columns ordered (kh, kw, ic) as for NHWC): per
/// group the input becomes a (N·OH·OW) × (KH·KW·IC/G) matrix, one row per output pixel, times
/// the (KH·KW·IC/G) × (OC/G) weight matrix.
template <class T>
ConvResult<T> convIm2col(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w);

/// The im2col matrix of group g alone (row-major, rows (n, oh, ow), columns (kh, kw, ic)):
/// what the lessons draw.
std::vector<double> im2colMatrix(const ConvShape& s, const std::vector<double>& x,
                                 std::int64_t group = 0);

/// QNNPACK's indirection buffer (Dukhan 2019, arXiv:1907.02129 §3): the input in NHWC, and for
/// each output pixel (n, oh, ow) and tap (kh, kw) the offset of the input pixel's IC-channel row
/// — or kZeroRow when the tap falls in the padding (then it points at a zero vector).
struct IndirectionBuffer {
    static constexpr std::int64_t kZeroRow = -1;
    std::vector<std::int64_t> rows; ///< N·OH·OW·KH·KW entries: NHWC pixel-row offsets or kZeroRow
    std::int64_t zeroEntries = 0;   ///< entries equal to kZeroRow
};
IndirectionBuffer buildIndirection(const ConvShape& s);

/// Indirect convolution: the input is transposed to NHWC once, then every output pixel reads
/// its KH·KW rows through the indirection buffer (padding taps read a zero vector of IC values:
/// real pointers, `zero.data()`), no im2col copy.
template <class T>
ConvResult<T> convIndirect(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w);

/// Spatial packing: the output plane cut into tilesH × tilesW tiles; each tile's input window
/// (its own rows plus a halo of D(KH−1)+1−S rows — KH−1 for stride 1 — and likewise columns,
/// zero padding filled in) is copied into a packed buffer, then convolved without bounds checks.
struct SpatialPackInfo {
    std::int64_t tileRows = 0, tileCols = 0;     ///< output rows/cols of a full tile
    std::int64_t packedRows = 0, packedCols = 0; ///< input rows/cols a full tile's window holds
    std::int64_t haloRows = 0, haloCols = 0;     ///< packed − S·tile
    std::int64_t tiles = 0;
};
SpatialPackInfo spatialPackInfo(const ConvShape& s, std::int64_t tilesH, std::int64_t tilesW);
template <class T>
ConvResult<T> convSpatialPack(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w,
                              std::int64_t tilesH = 2, std::int64_t tilesW = 2);

/// `count` values in [−1, 1) from `seed` (splitmix64), the same on every platform.
std::vector<double> randomValues(std::int64_t count, std::uint64_t seed);
/// Deterministic inputs in [−1, 1) for a shape (x then w, one stream), from `seed`.
void randomInputs(const ConvShape& s, std::uint64_t seed, std::vector<double>& x,
                  std::vector<double>& w);
std::vector<float> toFloat(const std::vector<double>& v);

/// Error of an f32 output against the f64 reference: max |y − ref| divided by the largest
/// output of the same convolution on |x|, |w| (the scale of the terms summed), so that the
/// figure is comparable with the unit round-off 2^−24 ≈ 6.0e-8.
double normalizedError(const std::vector<float>& y, const std::vector<double>& ref,
                       const std::vector<double>& absRef);
double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b);

} // namespace aisys::engine::conv
