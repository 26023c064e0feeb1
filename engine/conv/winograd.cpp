// Winograd F(2,3), F(2×2,3×3), F(4×4,3×3) (winograd.h).
#include "engine/conv/winograd.h"

#include <stdexcept>

namespace aisys::engine::conv {

namespace {

// Lavin & Gray 2016 (arXiv:1509.09308) §4.1: F(2,3) in matrix form, eqs. (5)–(8).
const WinogradMatrices kF23{2,
                            3,
                            4,
                            1,
                            {1, 0, -1, 0, /**/ 0, 1, 1, 0, /**/ 0, -1, 1, 0, /**/ 0, 1, 0, -1},
                            {1, 0, 0, /**/ 0.5, 0.5, 0.5, /**/ 0.5, -0.5, 0.5, /**/ 0, 0, 1},
                            {1, 1, 1, 0, /**/ 0, 1, -1, -1},
                            "Lavin & Gray 2016, arXiv:1509.09308, §4.1 (F(2,3): Bᵀ, G, Aᵀ)"};
const WinogradMatrices kF22{
    2,       3,
    4,       2,
    kF23.BT, kF23.G,
    kF23.AT, "Lavin & Gray 2016, arXiv:1509.09308, §4.1 (F(2×2,3×3) nests F(2,3))"};
// §4.3: F(4×4,3×3) nests F(4,3): α = 6.
const WinogradMatrices kF44{
    4,
    3,
    6,
    2,
    {4, 0,  -5, 0, 1, 0, /**/ 0, -4, -4, 1,  1, 0, /**/ 0, 4, -4, -1, 1, 0,
     0, -2, -1, 2, 1, 0, /**/ 0, 2,  -1, -2, 1, 0, /**/ 0, 4, 0,  -5, 0, 1},
    {1.0 / 4, 0, 0, /**/ -1.0 / 6, -1.0 / 6, -1.0 / 6, /**/ -1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 24,
     1.0 / 12, 1.0 / 6, /**/ 1.0 / 24, -1.0 / 12, 1.0 / 6, /**/ 0, 0, 1},
    {1, 1, 1, 1, 1, 0, /**/ 0, 1, -1, 2, -2, 0, /**/ 0, 1, 1, 4, 4, 0, /**/ 0, 1, -1, 8, -8, 1},
    "Lavin & Gray 2016, arXiv:1509.09308, §4.3 (F(4×4,3×3) nests F(4,3))"};

/// C (a×c) = A (a×b) · B (b×c), or · Bᵀ when B is given c×b and `bt`.
template <class T>
std::vector<T> mul(const std::vector<T>& A, const std::vector<T>& B, int a, int b, int c,
                   bool bt = false) {
    std::vector<T> C(static_cast<std::size_t>(a * c), T(0));
    for (int i = 0; i < a; ++i)
        for (int k = 0; k < b; ++k) {
            const T av = A[static_cast<std::size_t>(i * b + k)];
            for (int j = 0; j < c; ++j)
                C[static_cast<std::size_t>(i * c + j)] +=
                    av * (bt ? B[static_cast<std::size_t>(j * b + k)]
                             : B[static_cast<std::size_t>(k * c + j)]);
        }
    return C;
}

template <class T> std::vector<T> cast(const std::vector<double>& v) {
    return std::vector<T>(v.begin(), v.end());
}

} // namespace

const char* winogradName(WinogradKind k) {
    switch (k) {
    case WinogradKind::F2_3:
        return "F(2,3)";
    case WinogradKind::F2x2_3x3:
        return "F(2x2,3x3)";
    case WinogradKind::F4x4_3x3:
        return "F(4x4,3x3)";
    }
    return "?";
}

std::int64_t WinogradMatrices::multipliesPerTile() const {
    return dims == 1 ? alpha : alpha * alpha;
}
std::int64_t WinogradMatrices::directMultipliesPerTile() const {
    return dims == 1 ? m * r : m * m * r * r;
}

const WinogradMatrices& winogradMatrices(WinogradKind k) {
    switch (k) {
    case WinogradKind::F2_3:
        return kF23;
    case WinogradKind::F2x2_3x3:
        return kF22;
    case WinogradKind::F4x4_3x3:
        break;
    }
    return kF44;
}

std::string winogradApplicable(const ConvShape& s, WinogradKind k) {
    if (std::string e = s.check(); !e.empty())
        return e;
    const std::string name = winogradName(k);
    if (s.strideH != 1 || s.strideW != 1)
        return name + " needs stride 1, got " + std::to_string(s.strideH) + "," +
               std::to_string(s.strideW);
    if (s.dilH != 1 || s.dilW != 1)
        return name + " needs dilation 1, got " + std::to_string(s.dilH) + "," +
               std::to_string(s.dilW);
    if (k == WinogradKind::F2_3 ? s.kw != 3 : (s.kh != 3 || s.kw != 3))
        return name + " needs a " + (k == WinogradKind::F2_3 ? "kernel 3 wide" : "3×3 kernel") +
               ", got " + std::to_string(s.kh) + "×" + std::to_string(s.kw);
    return "";
}

template <class T>
ConvResult<T> convWinograd(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w,
                           WinogradKind k) {
    if (std::string e = winogradApplicable(s, k); !e.empty())
        throw std::invalid_argument(e);
    if (static_cast<std::int64_t>(x.size()) != s.inputSize() ||
        static_cast<std::int64_t>(w.size()) != s.weightSize())
        throw std::invalid_argument("input or weight size does not match the shape " + s.text());
    const WinogradMatrices& mx = winogradMatrices(k);
    const int m = mx.m, r = mx.r, a = mx.alpha;
    const std::vector<T> BT = cast<T>(mx.BT), G = cast<T>(mx.G), AT = cast<T>(mx.AT);
    const std::int64_t OH = s.oh(), OW = s.ow(), icg = s.icPerGroup(), ocg = s.ocPerGroup();
    const std::int64_t kRows = mx.dims == 1 ? s.kh : 1; // kernel rows done one by one (1-D)
    const std::int64_t tileH = mx.dims == 1 ? 1 : m;
    const std::int64_t tilesH = (OH + tileH - 1) / tileH, tilesW = (OW + m - 1) / m;
    const int vlen = mx.dims == 1 ? a : a * a; // values per transformed tile
    ConvResult<T> res;
    res.y.assign(static_cast<std::size_t>(s.outputSize()), T(0));
    // 1. Filter transforms U = G g Gᵀ (or G g per kernel row), once, offline in an engine.
    std::vector<std::vector<T>> U(static_cast<std::size_t>(s.oc * icg * kRows));
    for (std::int64_t o = 0; o < s.oc; ++o)
        for (std::int64_t c = 0; c < icg; ++c)
            for (std::int64_t i = 0; i < kRows; ++i) {
                const T* g = w.data() + ((o * icg + c) * s.kh + i) * s.kw;
                std::vector<T> gv(g, g + (mx.dims == 1 ? r : r * r));
                U[static_cast<std::size_t>((o * icg + c) * kRows + i)] =
                    mx.dims == 1 ? mul(G, gv, a, r, 1) : mul(mul(G, gv, a, r, r), G, a, r, a, true);
            }
    std::vector<std::vector<T>> V(static_cast<std::size_t>(icg * kRows));
    std::vector<T> d(static_cast<std::size_t>(vlen));
    for (std::int64_t b = 0; b < s.n; ++b)
        for (std::int64_t grp = 0; grp < s.groups; ++grp)
            for (std::int64_t th = 0; th < tilesH; ++th)
                for (std::int64_t tw = 0; tw < tilesW; ++tw) {
                    // 2. Input transforms V = Bᵀ d B of this tile, per channel (and kernel row).
                    for (std::int64_t c = 0; c < icg; ++c)
                        for (std::int64_t i = 0; i < kRows; ++i) {
                            const std::int64_t rows = mx.dims == 1 ? 1 : a;
                            const std::int64_t h0 = th * tileH - s.padH + i;
                            const std::int64_t v0 = tw * m - s.padW;
                            for (std::int64_t u = 0; u < rows; ++u)
                                for (std::int64_t e = 0; e < a; ++e) {
                                    const std::int64_t h = h0 + u, v = v0 + e;
                                    const bool in = h >= 0 && h < s.ih && v >= 0 && v < s.iw;
                                    d[static_cast<std::size_t>(u * a + e)] =
                                        in ? x[static_cast<std::size_t>(
                                                 ((b * s.ic + grp * icg + c) * s.ih + h) * s.iw +
                                                 v)]
                                           : T(0);
                                }
                            V[static_cast<std::size_t>(c * kRows + i)] =
                                mx.dims == 1 ? mul(BT, d, a, a, 1)
                                             : mul(mul(BT, d, a, a, a), BT, a, a, a, true);
                        }
                    for (std::int64_t oo = 0; oo < ocg; ++oo) {
                        const std::int64_t o = grp * ocg + oo;
                        // 3. Element-wise products, summed over the channels (a GEMM per
                        //    position once the tiles are batched).
                        std::vector<T> M(static_cast<std::size_t>(vlen), T(0));
                        for (std::int64_t c = 0; c < icg; ++c)
                            for (std::int64_t i = 0; i < kRows; ++i) {
                                const auto& u =
                                    U[static_cast<std::size_t>((o * icg + c) * kRows + i)];
                                const auto& v = V[static_cast<std::size_t>(c * kRows + i)];
                                for (int e = 0; e < vlen; ++e)
                                    M[static_cast<std::size_t>(e)] +=
                                        u[static_cast<std::size_t>(e)] *
                                        v[static_cast<std::size_t>(e)];
                            }
                        // 4. Output transform Y = Aᵀ M A (or Aᵀ M).
                        const std::vector<T> Y = mx.dims == 1
                                                     ? mul(AT, M, m, a, 1)
                                                     : mul(mul(AT, M, m, a, a), AT, m, a, m, true);
                        for (std::int64_t u = 0; u < tileH; ++u)
                            for (std::int64_t e = 0; e < m; ++e) {
                                const std::int64_t p = th * tileH + u, q = tw * m + e;
                                if (p < OH && q < OW)
                                    res.y[static_cast<std::size_t>(((b * s.oc + o) * OH + p) * OW +
                                                                   q)] =
                                        Y[static_cast<std::size_t>(u * m + e)];
                            }
                    }
                }
    const std::int64_t tiles = s.n * tilesH * tilesW;
    res.stats.multiplies = tiles * s.oc * icg * kRows * mx.multipliesPerTile();
    res.stats.transforms = s.oc * icg * kRows + tiles * s.ic * kRows + tiles * s.oc;
    res.stats.bufferBytes = static_cast<std::int64_t>(sizeof(T)) *
                            (s.oc * icg * kRows * vlen + icg * kRows * vlen + vlen);
    res.stats.note = std::to_string(tiles) + " tiles of " + std::to_string(tileH) + "×" +
                     std::to_string(m) + " outputs; " + std::to_string(mx.multipliesPerTile()) +
                     " multiplies per tile and channel pair" +
                     (mx.dims == 1 ? " and kernel row" : "") + " (direct " +
                     std::to_string(mx.directMultipliesPerTile()) +
                     "); transforms: " + std::to_string(s.oc * icg * kRows) + " filter, " +
                     std::to_string(tiles * s.ic * kRows) + " input, " +
                     std::to_string(tiles * s.oc) + " output";
    return res;
}

WinogradTile winogradTile(WinogradKind k, const std::vector<double>& d,
                          const std::vector<double>& g) {
    const WinogradMatrices& mx = winogradMatrices(k);
    const int m = mx.m, r = mx.r, a = mx.alpha;
    const bool one = mx.dims == 1;
    if (static_cast<int>(d.size()) != (one ? a : a * a) ||
        static_cast<int>(g.size()) != (one ? r : r * r))
        throw std::invalid_argument(std::string(winogradName(k)) + " tile: d needs " +
                                    std::to_string(one ? a : a * a) + " values and g " +
                                    std::to_string(one ? r : r * r));
    WinogradTile t;
    t.kind = k;
    t.rows = one ? 1 : a;
    t.cols = a;
    t.d = d;
    t.g = g;
    t.U = one ? mul(mx.G, g, a, r, 1) : mul(mul(mx.G, g, a, r, r), mx.G, a, r, a, true);
    t.V = one ? mul(mx.BT, d, a, a, 1) : mul(mul(mx.BT, d, a, a, a), mx.BT, a, a, a, true);
    t.M.resize(t.U.size());
    for (std::size_t e = 0; e < t.M.size(); ++e)
        t.M[e] = t.U[e] * t.V[e];
    t.Y = one ? mul(mx.AT, t.M, m, a, 1) : mul(mul(mx.AT, t.M, m, a, a), mx.AT, m, a, m, true);
    const int outRows = one ? 1 : m;
    t.direct.assign(static_cast<std::size_t>(outRows * m), 0.0);
    for (int p = 0; p < outRows; ++p)
        for (int q = 0; q < m; ++q)
            for (int i = 0; i < (one ? 1 : r); ++i)
                for (int j = 0; j < r; ++j)
                    t.direct[static_cast<std::size_t>(p * m + q)] +=
                        d[static_cast<std::size_t>((p + i) * a + q + j)] *
                        g[static_cast<std::size_t>(i * r + j)];
    return t;
}

template ConvResult<float> convWinograd<float>(const ConvShape&, const std::vector<float>&,
                                               const std::vector<float>&, WinogradKind);
template ConvResult<double> convWinograd<double>(const ConvShape&, const std::vector<double>&,
                                                 const std::vector<double>&, WinogradKind);

} // namespace aisys::engine::conv
