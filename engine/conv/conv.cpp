// Direct, im2col + GEMM, indirect and spatial-pack convolution (conv.h).
#include "engine/conv/conv.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::engine::conv {

namespace {

std::int64_t outExtent(std::int64_t in, std::int64_t pad, std::int64_t k, std::int64_t d,
                       std::int64_t s) {
    const std::int64_t span = d * (k - 1) + 1;
    if (in + 2 * pad < span || s < 1)
        return 0;
    return (in + 2 * pad - span) / s + 1;
}

template <class T>
void checkInputs(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w) {
    if (std::string e = s.check(); !e.empty())
        throw std::invalid_argument(e);
    if (static_cast<std::int64_t>(x.size()) != s.inputSize())
        throw std::invalid_argument(
            "input has " + std::to_string(x.size()) +
            " values, the shape needs N·IC·IH·IW = " + std::to_string(s.inputSize()));
    if (static_cast<std::int64_t>(w.size()) != s.weightSize())
        throw std::invalid_argument(
            "weights have " + std::to_string(w.size()) +
            " values, the shape needs OC·(IC/G)·KH·KW = " + std::to_string(s.weightSize()));
}

/// Accumulates in T, as a kernel in that precision would.
template <class T>
T wAt(const ConvShape& s, const std::vector<T>& w, std::int64_t o, std::int64_t c, std::int64_t i,
      std::int64_t j) {
    return w[static_cast<std::size_t>(((o * s.icPerGroup() + c) * s.kh + i) * s.kw + j)];
}

} // namespace

std::int64_t ConvShape::oh() const {
    return outExtent(ih, padH, kh, dilH, strideH);
}
std::int64_t ConvShape::ow() const {
    return outExtent(iw, padW, kw, dilW, strideW);
}

std::string ConvShape::check() const {
    const std::pair<const char*, std::int64_t> positive[] = {{"N", n},
                                                             {"IC", ic},
                                                             {"IH", ih},
                                                             {"IW", iw},
                                                             {"OC", oc},
                                                             {"KH", kh},
                                                             {"KW", kw},
                                                             {"stride H", strideH},
                                                             {"stride W", strideW},
                                                             {"dilation H", dilH},
                                                             {"dilation W", dilW},
                                                             {"groups", groups}};
    for (const auto& [name, v] : positive)
        if (v < 1)
            return std::string(name) + " must be at least 1, got " + std::to_string(v);
    if (padH < 0 || padW < 0)
        return "padding must be ≥ 0, got " + std::to_string(padH) + "," + std::to_string(padW);
    if (ic % groups != 0 || oc % groups != 0)
        return "groups = " + std::to_string(groups) + " must divide IC = " + std::to_string(ic) +
               " and OC = " + std::to_string(oc);
    if (oh() < 1 || ow() < 1)
        return "the dilated kernel " + std::to_string(dilH * (kh - 1) + 1) + "×" +
               std::to_string(dilW * (kw - 1) + 1) + " does not fit the padded input " +
               std::to_string(ih + 2 * padH) + "×" + std::to_string(iw + 2 * padW);
    const double big = double(n) * ic * ih * iw + double(n) * oc * oh() * ow() +
                       double(oc) * (ic / groups) * kh * kw;
    if (big > double(1 << 28))
        return "the tensors would hold " + std::to_string(static_cast<long long>(big)) +
               " values; at most 2^28 are allowed";
    return "";
}

std::string ConvShape::text() const {
    auto s = [](std::int64_t v) { return std::to_string(v); };
    return "N=" + s(n) + " IC=" + s(ic) + " IH=" + s(ih) + " IW=" + s(iw) + " OC=" + s(oc) +
           " KH=" + s(kh) + " KW=" + s(kw) + " stride=" + s(strideH) + "," + s(strideW) +
           " pad=" + s(padH) + "," + s(padW) + " dilation=" + s(dilH) + "," + s(dilW) +
           " groups=" + s(groups);
}

template <class T>
ConvResult<T> convDirect(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w) {
    checkInputs(s, x, w);
    const std::int64_t OH = s.oh(), OW = s.ow(), icg = s.icPerGroup(), ocg = s.ocPerGroup();
    ConvResult<T> r;
    r.y.assign(static_cast<std::size_t>(s.outputSize()), T(0));
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t o = 0; o < s.oc; ++o) {
            const std::int64_t g = o / ocg;
            for (std::int64_t p = 0; p < OH; ++p)
                for (std::int64_t q = 0; q < OW; ++q) {
                    T acc = T(0);
                    for (std::int64_t c = 0; c < icg; ++c)
                        for (std::int64_t i = 0; i < s.kh; ++i) {
                            const std::int64_t h = p * s.strideH - s.padH + i * s.dilH;
                            if (h < 0 || h >= s.ih)
                                continue;
                            for (std::int64_t j = 0; j < s.kw; ++j) {
                                const std::int64_t v = q * s.strideW - s.padW + j * s.dilW;
                                if (v < 0 || v >= s.iw)
                                    continue;
                                acc += x[static_cast<std::size_t>(
                                           ((b * s.ic + g * icg + c) * s.ih + h) * s.iw + v)] *
                                       wAt(s, w, o, c, i, j);
                            }
                        }
                    r.y[static_cast<std::size_t>(((b * s.oc + o) * OH + p) * OW + q)] = acc;
                }
        }
    r.stats.multiplies = s.macs();
    r.stats.note = "six nested loops over N, OC, OH, OW, IC/G, KH·KW; padding taps skipped";
    return r;
}

namespace {

template <class T>
std::vector<T> im2colOf(const ConvShape& s, const std::vector<T>& x, std::int64_t g) {
    const std::int64_t OH = s.oh(), OW = s.ow(), icg = s.icPerGroup();
    const std::int64_t cols = s.kh * s.kw * icg;
    std::vector<T> m(static_cast<std::size_t>(s.n * OH * OW * cols), T(0));
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t p = 0; p < OH; ++p)
            for (std::int64_t q = 0; q < OW; ++q) {
                T* row = m.data() + ((b * OH + p) * OW + q) * cols;
                for (std::int64_t i = 0; i < s.kh; ++i) {
                    const std::int64_t h = p * s.strideH - s.padH + i * s.dilH;
                    for (std::int64_t j = 0; j < s.kw; ++j) {
                        const std::int64_t v = q * s.strideW - s.padW + j * s.dilW;
                        if (h < 0 || h >= s.ih || v < 0 || v >= s.iw)
                            continue;
                        for (std::int64_t c = 0; c < icg; ++c)
                            row[(i * s.kw + j) * icg + c] = x[static_cast<std::size_t>(
                                ((b * s.ic + g * icg + c) * s.ih + h) * s.iw + v)];
                    }
                }
            }
    return m;
}

} // namespace

std::vector<double> im2colMatrix(const ConvShape& s, const std::vector<double>& x,
                                 std::int64_t group) {
    if (std::string e = s.check(); !e.empty())
        throw std::invalid_argument(e);
    if (static_cast<std::int64_t>(x.size()) != s.inputSize())
        throw std::invalid_argument("input size does not match the shape");
    if (group < 0 || group >= s.groups)
        throw std::invalid_argument("group " + std::to_string(group) + " outside 0…" +
                                    std::to_string(s.groups - 1));
    return im2colOf(s, x, group);
}

template <class T>
ConvResult<T> convIm2col(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w) {
    checkInputs(s, x, w);
    const std::int64_t OH = s.oh(), OW = s.ow(), icg = s.icPerGroup(), ocg = s.ocPerGroup();
    const std::int64_t rows = s.n * OH * OW, k = s.kh * s.kw * icg;
    ConvResult<T> r;
    r.y.assign(static_cast<std::size_t>(s.outputSize()), T(0));
    std::vector<T> wm(static_cast<std::size_t>(k * ocg));
    for (std::int64_t g = 0; g < s.groups; ++g) {
        const std::vector<T> a = im2colOf(s, x, g);
        // The weight matrix B: (KH·KW·IC/G) × (OC/G), rows in the columns' (kh, kw, ic) order.
        for (std::int64_t o = 0; o < ocg; ++o)
            for (std::int64_t c = 0; c < icg; ++c)
                for (std::int64_t i = 0; i < s.kh; ++i)
                    for (std::int64_t j = 0; j < s.kw; ++j)
                        wm[static_cast<std::size_t>(((i * s.kw + j) * icg + c) * ocg + o)] =
                            wAt(s, w, g * ocg + o, c, i, j);
        // C = A·B, row by row (C's row is one output pixel's OC/G channels: NHWC already).
        std::vector<T> crow(static_cast<std::size_t>(ocg));
        for (std::int64_t rr = 0; rr < rows; ++rr) {
            std::fill(crow.begin(), crow.end(), T(0));
            for (std::int64_t kk = 0; kk < k; ++kk) {
                const T av = a[static_cast<std::size_t>(rr * k + kk)];
                const T* brow = wm.data() + kk * ocg;
                for (std::int64_t o = 0; o < ocg; ++o)
                    crow[static_cast<std::size_t>(o)] += av * brow[o];
            }
            const std::int64_t b = rr / (OH * OW), pq = rr % (OH * OW);
            for (std::int64_t o = 0; o < ocg; ++o)
                r.y[static_cast<std::size_t>((b * s.oc + g * ocg + o) * OH * OW + pq)] =
                    crow[static_cast<std::size_t>(o)];
        }
    }
    r.stats.multiplies = s.groups * rows * k * ocg;
    r.stats.bufferBytes = static_cast<std::int64_t>(sizeof(T)) * (rows * k + k * ocg);
    r.stats.note = "im2col matrix " + std::to_string(rows) + " × " + std::to_string(k) +
                   " (N·OH·OW × KH·KW·IC/G) per group, weights " + std::to_string(k) + " × " +
                   std::to_string(ocg);
    return r;
}

IndirectionBuffer buildIndirection(const ConvShape& s) {
    if (std::string e = s.check(); !e.empty())
        throw std::invalid_argument(e);
    const std::int64_t OH = s.oh(), OW = s.ow();
    IndirectionBuffer ib;
    ib.rows.reserve(static_cast<std::size_t>(s.n * OH * OW * s.kh * s.kw));
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t p = 0; p < OH; ++p)
            for (std::int64_t q = 0; q < OW; ++q)
                for (std::int64_t i = 0; i < s.kh; ++i)
                    for (std::int64_t j = 0; j < s.kw; ++j) {
                        const std::int64_t h = p * s.strideH - s.padH + i * s.dilH;
                        const std::int64_t v = q * s.strideW - s.padW + j * s.dilW;
                        if (h < 0 || h >= s.ih || v < 0 || v >= s.iw) {
                            ib.rows.push_back(IndirectionBuffer::kZeroRow);
                            ++ib.zeroEntries;
                        } else {
                            ib.rows.push_back(((b * s.ih + h) * s.iw + v) * s.ic);
                        }
                    }
    return ib;
}

template <class T>
ConvResult<T> convIndirect(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w) {
    checkInputs(s, x, w);
    const std::int64_t OH = s.oh(), OW = s.ow(), icg = s.icPerGroup(), ocg = s.ocPerGroup();
    const std::int64_t taps = s.kh * s.kw;
    // The input as NHWC: each pixel's IC channels contiguous (QNNPACK's input layout).
    std::vector<T> nhwc(x.size());
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t c = 0; c < s.ic; ++c)
            for (std::int64_t h = 0; h < s.ih; ++h)
                for (std::int64_t v = 0; v < s.iw; ++v)
                    nhwc[static_cast<std::size_t>(((b * s.ih + h) * s.iw + v) * s.ic + c)] =
                        x[static_cast<std::size_t>(((b * s.ic + c) * s.ih + h) * s.iw + v)];
    const std::vector<T> zero(static_cast<std::size_t>(s.ic), T(0));
    const IndirectionBuffer ib = buildIndirection(s);
    // The buffer of real pointers the micro-kernel reads.
    std::vector<const T*> ptr(ib.rows.size());
    for (std::size_t e = 0; e < ib.rows.size(); ++e)
        ptr[e] = ib.rows[e] == IndirectionBuffer::kZeroRow ? zero.data() : nhwc.data() + ib.rows[e];
    ConvResult<T> r;
    r.y.assign(static_cast<std::size_t>(s.outputSize()), T(0));
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t pq = 0; pq < OH * OW; ++pq) {
            const T* const* rowPtrs = ptr.data() + (b * OH * OW + pq) * taps;
            for (std::int64_t o = 0; o < s.oc; ++o) {
                const std::int64_t g = o / ocg;
                T acc = T(0);
                for (std::int64_t t = 0; t < taps; ++t) {
                    const T* px = rowPtrs[t] + g * icg;
                    const std::int64_t i = t / s.kw, j = t % s.kw;
                    for (std::int64_t c = 0; c < icg; ++c)
                        acc += px[c] * wAt(s, w, o, c, i, j);
                }
                r.y[static_cast<std::size_t>((b * s.oc + o) * OH * OW + pq)] = acc;
            }
        }
    r.stats.multiplies = s.macs();
    r.stats.bufferBytes =
        static_cast<std::int64_t>(ptr.size() * sizeof(const T*) + zero.size() * sizeof(T));
    r.stats.note = std::to_string(ptr.size()) + " pointers (N·OH·OW·KH·KW), " +
                   std::to_string(ib.zeroEntries) + " of them at the zero vector of " +
                   std::to_string(s.ic) + " values";
    return r;
}

SpatialPackInfo spatialPackInfo(const ConvShape& s, std::int64_t tilesH, std::int64_t tilesW) {
    if (std::string e = s.check(); !e.empty())
        throw std::invalid_argument(e);
    if (tilesH < 1 || tilesW < 1 || tilesH > s.oh() || tilesW > s.ow())
        throw std::invalid_argument("spatial pack: tiles " + std::to_string(tilesH) + "×" +
                                    std::to_string(tilesW) + " must be between 1×1 and the " +
                                    "output's " + std::to_string(s.oh()) + "×" +
                                    std::to_string(s.ow()));
    SpatialPackInfo info;
    info.tileRows = (s.oh() + tilesH - 1) / tilesH;
    info.tileCols = (s.ow() + tilesW - 1) / tilesW;
    info.packedRows = (info.tileRows - 1) * s.strideH + s.dilH * (s.kh - 1) + 1;
    info.packedCols = (info.tileCols - 1) * s.strideW + s.dilW * (s.kw - 1) + 1;
    info.haloRows = info.packedRows - s.strideH * info.tileRows;
    info.haloCols = info.packedCols - s.strideW * info.tileCols;
    info.tiles = ((s.oh() + info.tileRows - 1) / info.tileRows) *
                 ((s.ow() + info.tileCols - 1) / info.tileCols);
    return info;
}

template <class T>
ConvResult<T> convSpatialPack(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w,
                              std::int64_t tilesH, std::int64_t tilesW) {
    checkInputs(s, x, w);
    const SpatialPackInfo info = spatialPackInfo(s, tilesH, tilesW);
    const std::int64_t OH = s.oh(), OW = s.ow(), icg = s.icPerGroup(), ocg = s.ocPerGroup();
    const std::int64_t PR = info.packedRows, PC = info.packedCols;
    std::vector<T> pack(static_cast<std::size_t>(s.ic * PR * PC));
    ConvResult<T> r;
    r.y.assign(static_cast<std::size_t>(s.outputSize()), T(0));
    std::int64_t copied = 0;
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t p0 = 0; p0 < OH; p0 += info.tileRows)
            for (std::int64_t q0 = 0; q0 < OW; q0 += info.tileCols) {
                const std::int64_t h0 = p0 * s.strideH - s.padH, v0 = q0 * s.strideW - s.padW;
                // Pack the window: the tile's rows plus the halo, zeros outside the input.
                for (std::int64_t c = 0; c < s.ic; ++c)
                    for (std::int64_t a = 0; a < PR; ++a)
                        for (std::int64_t e = 0; e < PC; ++e) {
                            const std::int64_t h = h0 + a, v = v0 + e;
                            const bool in = h >= 0 && h < s.ih && v >= 0 && v < s.iw;
                            pack[static_cast<std::size_t>((c * PR + a) * PC + e)] =
                                in ? x[static_cast<std::size_t>(((b * s.ic + c) * s.ih + h) * s.iw +
                                                                v)]
                                   : T(0);
                        }
                copied += s.ic * PR * PC;
                const std::int64_t rowsHere = std::min(info.tileRows, OH - p0);
                const std::int64_t colsHere = std::min(info.tileCols, OW - q0);
                for (std::int64_t o = 0; o < s.oc; ++o) {
                    const std::int64_t g = o / ocg;
                    for (std::int64_t p = 0; p < rowsHere; ++p)
                        for (std::int64_t q = 0; q < colsHere; ++q) {
                            T acc = T(0);
                            for (std::int64_t c = 0; c < icg; ++c) {
                                const T* plane = pack.data() + (g * icg + c) * PR * PC;
                                for (std::int64_t i = 0; i < s.kh; ++i)
                                    for (std::int64_t j = 0; j < s.kw; ++j)
                                        acc += plane[(p * s.strideH + i * s.dilH) * PC +
                                                     q * s.strideW + j * s.dilW] *
                                               wAt(s, w, o, c, i, j);
                            }
                            r.y[static_cast<std::size_t>(((b * s.oc + o) * OH + p0 + p) * OW + q0 +
                                                         q)] = acc;
                        }
                }
            }
    r.stats.multiplies = s.macs();
    r.stats.bufferBytes = static_cast<std::int64_t>(pack.size() * sizeof(T));
    r.stats.note = std::to_string(info.tiles) + " tiles of " + std::to_string(info.tileRows) + "×" +
                   std::to_string(info.tileCols) + " outputs, each packs " + std::to_string(PR) +
                   "×" + std::to_string(PC) + " inputs per channel (halo " +
                   std::to_string(info.haloRows) + " rows, " + std::to_string(info.haloCols) +
                   " cols); " + std::to_string(copied) + " values copied in all";
    return r;
}

std::vector<double> randomValues(std::int64_t count, std::uint64_t seed) {
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
    std::vector<double> v(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
    for (double& x : v) {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        x = static_cast<double>(z >> 11) / 9007199254740992.0 * 2.0 - 1.0;
    }
    return v;
}

void randomInputs(const ConvShape& s, std::uint64_t seed, std::vector<double>& x,
                  std::vector<double>& w) {
    const std::vector<double> all = randomValues(s.inputSize() + s.weightSize(), seed);
    x.assign(all.begin(), all.begin() + s.inputSize());
    w.assign(all.begin() + s.inputSize(), all.end());
}

std::vector<float> toFloat(const std::vector<double>& v) {
    return std::vector<float>(v.begin(), v.end());
}

double normalizedError(const std::vector<float>& y, const std::vector<double>& ref,
                       const std::vector<double>& absRef) {
    if (y.size() != ref.size() || ref.size() != absRef.size())
        throw std::invalid_argument("normalizedError: sizes differ");
    double err = 0, scale = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        err = std::max(err, std::abs(static_cast<double>(y[i]) - ref[i]));
        scale = std::max(scale, std::abs(absRef[i]));
    }
    return scale > 0 ? err / scale : err;
}

double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        throw std::invalid_argument("maxAbsDiff: sizes differ");
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

#define AISYS_CONV_INSTANTIATE(T)                                                                  \
    template ConvResult<T> convDirect<T>(const ConvShape&, const std::vector<T>&,                  \
                                         const std::vector<T>&);                                   \
    template ConvResult<T> convIm2col<T>(const ConvShape&, const std::vector<T>&,                  \
                                         const std::vector<T>&);                                   \
    template ConvResult<T> convIndirect<T>(const ConvShape&, const std::vector<T>&,                \
                                           const std::vector<T>&);                                 \
    template ConvResult<T> convSpatialPack<T>(const ConvShape&, const std::vector<T>&,             \
                                              const std::vector<T>&, std::int64_t, std::int64_t);
AISYS_CONV_INSTANTIATE(float)
AISYS_CONV_INSTANTIATE(double)
#undef AISYS_CONV_INSTANTIATE

} // namespace aisys::engine::conv
