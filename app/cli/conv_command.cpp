// `aisyslab conv` and `aisyslab layout`: engine/conv's algorithms and address maps.
#include "app/cli/conv_command.h"

#include "engine/conv/attention.h"
#include "engine/conv/conv.h"
#include "engine/conv/layout.h"
#include "engine/conv/winograd.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace aisys::app::cli {

namespace cv = engine::conv;

const char* convUsage() {
    return R"(  aisyslab conv --algo ALGO [--shape N,IC,H,W,OC,KH,KW] [--stride S[,S]] [--pad P[,P]]
                [--dilation D[,D]] [--groups G] [--tiles TH,TW] [--block BR,BC] [--seed S]
                [--json]
      Runs one convolution by ALGO — direct, im2col, winograd23 (F(2,3) along the width),
      winograd2x2 (F(2x2,3x3)), winograd43 (F(4x4,3x3)), indirect (QNNPACK's indirection
      buffer), spatial-pack (output tiles TH×TW, default 2,2, with their input halo) — in f64
      and f32 on inputs drawn in [-1, 1) from --seed (default 1), and prints the counts
      (MACs of the direct loop, the algorithm's multiplies, its buffer bytes, Winograd's
      transforms) and the errors against the f64 direct reference (f64: max |difference|;
      f32: max |difference| / max(|x| * |w|), with its bound). Default shape
      1,16,16,16,16,3,3, pad 0. --algo flash-attention takes --shape N,NK,D (query rows, key
      rows, head size; N,D for NK = N) and --block BR,BC (default 16,16) and compares the
      tiled online softmax with plain attention, printing the HBM element traffic of both.
)";
}

const char* layoutUsage() {
    return R"(  aisyslab layout --layout L --shape DIMS [--block B | --fractal M0,N0] [--json]
      The address map of one memory layout: NCHW, NHWC, NC4HW4, NC1HWC0 (--shape N,C,H,W;
      --block is C0, default 16) or Ascend's fractal orders NZ and zZ (--shape M,N;
      --fractal M0,N0, default 16,16). Prints the stored shape, the padded size, the offset
      formula, every logical element's address (per plane for 4-D, the matrix for NZ/zZ) and
      the memory order (logical index per address, "pad" for padding), up to 4096 addresses.
)";
}

namespace {

int fail(const char* cmd, const std::string& msg) {
    std::fprintf(stderr, "aisyslab %s: %s\n", cmd, msg.c_str());
    return 2;
}

/// Comma-separated integers; "" on success, else the message.
std::string parseInts(const std::string& option, const std::string& s,
                      std::vector<std::int64_t>& out) {
    out.clear();
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t comma = std::min(s.find(',', start), s.size());
        const std::string item = s.substr(start, comma - start);
        std::int64_t v = 0;
        auto r = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || r.ec != std::errc() || r.ptr != item.data() + item.size())
            return option + " expects comma-separated integers, got '" + item + "' at column " +
                   std::to_string(start + 1) + " of '" + s + "'";
        out.push_back(v);
        start = comma + 1;
    }
    return "";
}

/// One or two values: "S" → S,S; "SH,SW" → SH,SW.
std::string parsePair(const std::string& option, const std::string& s, std::int64_t& a,
                      std::int64_t& b) {
    std::vector<std::int64_t> v;
    if (std::string e = parseInts(option, s, v); !e.empty())
        return e;
    if (v.size() > 2)
        return option + " takes one value or two (H,W), got " + std::to_string(v.size());
    a = v[0];
    b = v.size() == 2 ? v[1] : v[0];
    return "";
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3g", v);
    return b;
}

std::string dimsText(const std::vector<std::int64_t>& d, const char* sep = "×") {
    std::string s;
    for (std::size_t i = 0; i < d.size(); ++i)
        s += (i ? sep : "") + std::to_string(d[i]);
    return s;
}

std::string jsonString(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\';
        o += c;
    }
    return o + "\"";
}

std::vector<double> absOf(std::vector<double> v) {
    for (double& x : v)
        x = std::abs(x);
    return v;
}

/// The documented f32 bounds (engine/conv/README.md): (K + 2)·u, ×4 for F(2,3)/F(2×2,3×3),
/// ×64 for F(4×4,3×3).
double f32Bound(const cv::ConvShape& s, const std::string& algo) {
    const double direct = double(s.icPerGroup() * s.kh * s.kw + 2) * std::ldexp(1.0, -24);
    if (algo == "winograd43")
        return 64 * direct;
    if (algo == "winograd23" || algo == "winograd2x2")
        return 4 * direct;
    return direct;
}

int runAttention(const std::vector<std::int64_t>& dims, const std::string& blockText,
                 std::uint64_t seed, bool json) {
    if (dims.size() != 2 && dims.size() != 3)
        return fail("conv", "--algo flash-attention: --shape takes N,NK,D or N,D, got " +
                                std::to_string(dims.size()) + " sizes");
    cv::AttentionShape s{dims[0], dims.size() == 3 ? dims[1] : dims[0], dims.back()};
    if (std::string e = s.check(); !e.empty())
        return fail("conv", "--shape: " + e);
    std::int64_t br = 16, bc = 16;
    if (!blockText.empty())
        if (std::string e = parsePair("--block", blockText, br, bc); !e.empty())
            return fail("conv", e);
    if (br < 1 || bc < 1)
        return fail("conv", "--block: Br and Bc must be at least 1, got " + std::to_string(br) +
                                "," + std::to_string(bc));
    const std::vector<double> all = cv::randomValues(s.n * s.d + 2 * s.nk * s.d, seed);
    const auto at = [&all](std::int64_t from, std::int64_t count) {
        return std::vector<double>(all.begin() + from, all.begin() + from + count);
    };
    const auto q = at(0, s.n * s.d), k = at(s.n * s.d, s.nk * s.d),
               v = at(s.n * s.d + s.nk * s.d, s.nk * s.d);
    cv::AttentionStats plainStats, flashStats;
    const auto ref = cv::attentionPlain(s, q, k, v, &plainStats);
    const auto f64 = cv::attentionFlash(s, q, k, v, br, bc, &flashStats);
    auto fl = [](const std::vector<double>& x) { return std::vector<float>(x.begin(), x.end()); };
    const auto f32 = cv::attentionFlash(s, fl(q), fl(k), fl(v), br, bc);
    double e64 = cv::maxAbsDiff(f64, ref), e32 = 0;
    for (std::size_t i = 0; i < ref.size(); ++i)
        e32 = std::max(e32, std::abs(double(f32[i]) - ref[i]));
    if (json) {
        std::printf("{\"algo\":\"flash-attention\",\"shape\":{\"n\":%lld,\"nk\":%lld,\"d\":%lld},"
                    "\"block\":[%lld,%lld],\"blocks\":%lld,"
                    "\"flash\":{\"hbm_reads\":%lld,\"hbm_writes\":%lld,\"extra_elements\":%lld},"
                    "\"plain\":{\"hbm_reads\":%lld,\"hbm_writes\":%lld,\"extra_elements\":%lld},"
                    "\"error_f64\":%.17g,\"error_f32\":%.17g,\"bound_f32\":1e-5,"
                    "\"row0_max\":[",
                    (long long)s.n, (long long)s.nk, (long long)s.d, (long long)br, (long long)bc,
                    (long long)flashStats.blocks, (long long)flashStats.hbmReads,
                    (long long)flashStats.hbmWrites, (long long)flashStats.extraElements,
                    (long long)plainStats.hbmReads, (long long)plainStats.hbmWrites,
                    (long long)plainStats.extraElements, e64, e32);
        for (std::size_t i = 0; i < flashStats.rowMax.size(); ++i)
            std::printf("%s%.17g", i ? "," : "", flashStats.rowMax[i]);
        std::printf("]}\n");
        return 0;
    }
    std::printf("conv: flash-attention  N=%lld NK=%lld d=%lld  blocks Br=%lld Bc=%lld\n",
                (long long)s.n, (long long)s.nk, (long long)s.d, (long long)br, (long long)bc);
    std::printf("  (Dao et al. 2022, arXiv:2205.14135, Algorithm 1 against Algorithm 0)\n");
    std::printf("tile pairs (i, j): %lld\n", (long long)flashStats.blocks);
    std::printf("HBM elements      read      written   extra in HBM\n");
    std::printf("  plain       %9lld  %9lld  %9lld (S and P, 2·N·NK)\n",
                (long long)plainStats.hbmReads, (long long)plainStats.hbmWrites,
                (long long)plainStats.extraElements);
    std::printf("  flash       %9lld  %9lld  %9lld (l and m, 2·N)\n",
                (long long)flashStats.hbmReads, (long long)flashStats.hbmWrites,
                (long long)flashStats.extraElements);
    std::printf("row 0 running max after each K/V block:");
    for (std::size_t i = 0; i < flashStats.rowMax.size() && i < 16; ++i)
        std::printf(" %.4g", flashStats.rowMax[i]);
    std::printf("%s\n", flashStats.rowMax.size() > 16 ? " …" : "");
    std::printf("error vs plain attention in f64: f64 flash %s, f32 flash %s (bound 1e-5)\n",
                num(e64).c_str(), num(e32).c_str());
    return 0;
}

} // namespace

int runConv(int argc, char** argv) {
    std::string algo, shapeText, blockText, tilesText;
    std::int64_t sH = 1, sW = 1, pH = 0, pW = 0, dH = 1, dW = 1, groups = 1;
    std::uint64_t seed = 1;
    bool json = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a != "--algo" && a != "--shape" && a != "--stride" && a != "--pad" &&
            a != "--dilation" && a != "--groups" && a != "--tiles" && a != "--block" &&
            a != "--seed")
            return fail("conv", "unknown option '" + a + "' (see aisyslab conv --help)");
        if (i + 1 >= argc)
            return fail("conv", a + " needs a value");
        const std::string v = argv[++i];
        std::string e;
        if (a == "--algo")
            algo = v;
        else if (a == "--shape")
            shapeText = v;
        else if (a == "--block")
            blockText = v;
        else if (a == "--tiles")
            tilesText = v;
        else if (a == "--stride")
            e = parsePair(a, v, sH, sW);
        else if (a == "--pad")
            e = parsePair(a, v, pH, pW);
        else if (a == "--dilation")
            e = parsePair(a, v, dH, dW);
        else {
            std::vector<std::int64_t> x;
            e = parseInts(a, v, x);
            if (e.empty() && x.size() != 1)
                e = a + " takes one integer, got '" + v + "'";
            else if (e.empty() && a == "--groups")
                groups = x[0];
            else if (e.empty())
                seed = static_cast<std::uint64_t>(x[0]);
        }
        if (!e.empty())
            return fail("conv", e);
    }
    static const char* kAlgos[] = {"direct",     "im2col",   "winograd23",   "winograd2x2",
                                   "winograd43", "indirect", "spatial-pack", "flash-attention"};
    bool known = false;
    for (const char* k : kAlgos)
        known = known || algo == k;
    if (!known)
        return fail("conv", (algo.empty() ? std::string("--algo is required")
                                          : "unknown --algo '" + algo + "'") +
                                "; expected direct, im2col, winograd23, winograd2x2, winograd43, "
                                "indirect, spatial-pack or flash-attention");
    std::vector<std::int64_t> dims;
    if (!shapeText.empty())
        if (std::string e = parseInts("--shape", shapeText, dims); !e.empty())
            return fail("conv", e);
    if (algo == "flash-attention") {
        if (shapeText.empty())
            dims = {64, 64, 16};
        return runAttention(dims, blockText, seed, json);
    }
    if (!blockText.empty())
        return fail("conv", "--block is for --algo flash-attention; use --tiles for spatial-pack");
    if (shapeText.empty())
        dims = {1, 16, 16, 16, 16, 3, 3};
    if (dims.size() != 7)
        return fail("conv", "--shape takes N,IC,H,W,OC,KH,KW (7 sizes), got " +
                                std::to_string(dims.size()));
    cv::ConvShape s;
    s.n = dims[0], s.ic = dims[1], s.ih = dims[2], s.iw = dims[3], s.oc = dims[4], s.kh = dims[5],
    s.kw = dims[6];
    s.strideH = sH, s.strideW = sW, s.padH = pH, s.padW = pW, s.dilH = dH, s.dilW = dW;
    s.groups = groups;
    if (std::string e = s.check(); !e.empty())
        return fail("conv", e);
    // Five convolutions run (f64 and f32 reference, |x|∗|w|, the algorithm twice) in plain loops.
    if (s.macs() > (std::int64_t(1) << 30))
        return fail("conv", "--shape " + shapeText + " needs " + std::to_string(s.macs()) +
                                " multiply-accumulates per run; at most 2^30 are run here (make "
                                "the layer smaller)");
    std::int64_t tH = 2, tW = 2;
    if (!tilesText.empty()) {
        if (algo != "spatial-pack")
            return fail("conv", "--tiles is for --algo spatial-pack");
        if (std::string e = parsePair("--tiles", tilesText, tH, tW); !e.empty())
            return fail("conv", e);
    } else if (algo == "spatial-pack") {
        tH = std::min<std::int64_t>(2, s.oh());
        tW = std::min<std::int64_t>(2, s.ow());
    }
    const std::map<std::string, cv::WinogradKind> wino{{"winograd23", cv::WinogradKind::F2_3},
                                                       {"winograd2x2", cv::WinogradKind::F2x2_3x3},
                                                       {"winograd43", cv::WinogradKind::F4x4_3x3}};
    if (auto it = wino.find(algo); it != wino.end())
        if (std::string e = cv::winogradApplicable(s, it->second); !e.empty())
            return fail("conv", "--algo " + algo + ": " + e);
    std::vector<double> x, w;
    cv::randomInputs(s, seed, x, w);
    const auto ref = cv::convDirect(s, x, w).y;
    const auto absRef = cv::convDirect(s, absOf(x), absOf(w)).y;
    const auto xf = cv::toFloat(x), wf = cv::toFloat(w);
    cv::ConvResult<double> r64;
    cv::ConvResult<float> r32;
    cv::SpatialPackInfo pack;
    try {
        if (algo == "direct") {
            r64 = cv::convDirect(s, x, w), r32 = cv::convDirect(s, xf, wf);
        } else if (algo == "im2col") {
            r64 = cv::convIm2col(s, x, w), r32 = cv::convIm2col(s, xf, wf);
        } else if (algo == "indirect") {
            r64 = cv::convIndirect(s, x, w), r32 = cv::convIndirect(s, xf, wf);
        } else if (algo == "spatial-pack") {
            pack = cv::spatialPackInfo(s, tH, tW);
            r64 = cv::convSpatialPack(s, x, w, tH, tW),
            r32 = cv::convSpatialPack(s, xf, wf, tH, tW);
        } else {
            const cv::WinogradKind k = wino.at(algo);
            r64 = cv::convWinograd(s, x, w, k), r32 = cv::convWinograd(s, xf, wf, k);
        }
    } catch (const std::invalid_argument& e) {
        return fail("conv", std::string(algo == "spatial-pack" ? "--tiles: " : "") + e.what());
    }
    const double e64 = cv::maxAbsDiff(r64.y, ref);
    const double e32 = cv::normalizedError(r32.y, ref, absRef);
    const double bound = f32Bound(s, algo);
    const cv::ConvStats& st = r64.stats;
    if (json) {
        std::printf(
            "{\"algo\":%s,\"shape\":{\"n\":%lld,\"ic\":%lld,\"ih\":%lld,\"iw\":%lld,"
            "\"oc\":%lld,\"kh\":%lld,\"kw\":%lld,\"stride\":[%lld,%lld],\"pad\":[%lld,%lld],"
            "\"dilation\":[%lld,%lld],\"groups\":%lld},\"output\":[%lld,%lld,%lld,%lld],"
            "\"macs\":%lld,\"multiplies\":%lld,\"buffer_bytes_f64\":%lld,"
            "\"buffer_bytes_f32\":%lld,\"transforms\":%lld,\"note\":%s,"
            "\"error_f64\":%.17g,\"error_f32\":%.17g,\"bound_f32\":%.17g",
            jsonString(algo).c_str(), (long long)s.n, (long long)s.ic, (long long)s.ih,
            (long long)s.iw, (long long)s.oc, (long long)s.kh, (long long)s.kw, (long long)sH,
            (long long)sW, (long long)pH, (long long)pW, (long long)dH, (long long)dW,
            (long long)groups, (long long)s.n, (long long)s.oc, (long long)s.oh(),
            (long long)s.ow(), (long long)s.macs(), (long long)st.multiplies,
            (long long)st.bufferBytes, (long long)r32.stats.bufferBytes, (long long)st.transforms,
            jsonString(st.note).c_str(), e64, e32, bound);
        if (algo == "spatial-pack")
            std::printf(",\"tiles\":%lld,\"halo_rows\":%lld,\"halo_cols\":%lld",
                        (long long)pack.tiles, (long long)pack.haloRows, (long long)pack.haloCols);
        std::printf("}\n");
        return 0;
    }
    std::printf("conv: %s  %s\n", algo.c_str(), s.text().c_str());
    std::printf("output: %lld×%lld×%lld×%lld (NCHW)\n", (long long)s.n, (long long)s.oc,
                (long long)s.oh(), (long long)s.ow());
    std::printf("MACs of the direct loop: %lld\n", (long long)s.macs());
    std::printf("multiplies: %lld (%.3g× the direct loop's)\n", (long long)st.multiplies,
                double(st.multiplies) / double(s.macs()));
    if (auto it = wino.find(algo); it != wino.end()) {
        const auto& m = cv::winogradMatrices(it->second);
        std::printf("per tile: %lld multiplies, direct %lld  (%s)\n",
                    (long long)m.multipliesPerTile(), (long long)m.directMultipliesPerTile(),
                    m.source);
        std::printf("transforms: %lld\n", (long long)st.transforms);
    }
    std::printf("extra buffer: %lld bytes in f64, %lld in f32\n", (long long)st.bufferBytes,
                (long long)r32.stats.bufferBytes);
    std::printf("  %s\n", st.note.c_str());
    std::printf("error vs the f64 direct reference: f64 max |Δ| %s; f32 %s of max(|x|∗|w|) "
                "(bound %s)\n",
                num(e64).c_str(), num(e32).c_str(), num(bound).c_str());
    return 0;
}

int runLayout(int argc, char** argv) {
    std::string layoutText, shapeText, blockText, fractalText;
    bool json = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a != "--layout" && a != "--shape" && a != "--block" && a != "--fractal")
            return fail("layout", "unknown option '" + a + "' (see aisyslab layout --help)");
        if (i + 1 >= argc)
            return fail("layout", a + " needs a value");
        (a == "--layout"  ? layoutText
         : a == "--shape" ? shapeText
         : a == "--block" ? blockText
                          : fractalText) = argv[++i];
    }
    cv::Layout l;
    if (layoutText.empty())
        return fail("layout", "--layout is required: one of " + cv::layoutNames());
    if (!cv::parseLayout(layoutText, l))
        return fail("layout", "unknown --layout '" + layoutText + "'; expected one of " +
                                  cv::layoutNames() + " (NZ and zZ are case-sensitive)");
    std::vector<std::int64_t> dims;
    if (shapeText.empty())
        return fail("layout",
                    std::string("--shape is required: ") + (cv::isFractal(l) ? "M,N" : "N,C,H,W"));
    if (std::string e = parseInts("--shape", shapeText, dims); !e.empty())
        return fail("layout", e);
    std::int64_t b1 = 0, b2 = 0;
    if (!blockText.empty()) {
        std::vector<std::int64_t> v;
        if (std::string e = parseInts("--block", blockText, v); !e.empty())
            return fail("layout", e);
        if (l != cv::Layout::NC1HWC0 || v.size() != 1 || v[0] < 1)
            return fail("layout", "--block is NC1HWC0's C0 (one integer ≥ 1), got '" + blockText +
                                      "' for " + layoutText);
        b1 = v[0];
    }
    if (!fractalText.empty()) {
        if (!cv::isFractal(l))
            return fail("layout", "--fractal is for NZ and zZ, not " + layoutText);
        if (std::string e = parsePair("--fractal", fractalText, b1, b2); !e.empty())
            return fail("layout", e);
        if (b1 < 1 || b2 < 1)
            return fail("layout", "--fractal: M0 and N0 must be at least 1, got " + fractalText);
    }
    cv::AddressMap m;
    try {
        m = cv::makeAddressMap(l, dims, b1, b2);
    } catch (const std::invalid_argument& e) {
        return fail("layout", e.what());
    }
    const std::int64_t padded = m.paddedSize();
    constexpr std::int64_t kMaxList = 4096;
    std::vector<std::string> order; // logical index per address
    for (std::int64_t off = 0; off < std::min(padded, kMaxList); ++off) {
        std::vector<std::int64_t> idx;
        order.push_back(m.indexOf(off, idx) ? dimsText(idx, ",") : "pad");
    }
    if (json) {
        std::printf("{\"layout\":%s,\"dims\":[%s],\"stored_shape\":[%s],\"padded_size\":%lld,"
                    "\"padding\":%lld,\"formula\":%s,\"memory_order\":[",
                    jsonString(layoutText).c_str(), dimsText(m.dims, ",").c_str(),
                    dimsText(m.storedShape, ",").c_str(), (long long)padded,
                    (long long)(padded - m.logicalSize()), jsonString(m.formula).c_str());
        for (std::size_t i = 0; i < order.size(); ++i)
            std::printf("%s%s", i ? "," : "",
                        order[i] == "pad" ? "null" : ("[" + order[i] + "]").c_str());
        std::printf("],\"listed\":%zu}\n", order.size());
        return 0;
    }
    std::string names;
    for (std::size_t i = 0; i < m.storedNames.size(); ++i)
        names += (i ? "," : "") + m.storedNames[i];
    std::printf("layout: %s  logical %s = %s\n", layoutText.c_str(),
                (cv::isFractal(l) ? std::string("M×N") : std::string("N×C×H×W")).c_str(),
                dimsText(m.dims).c_str());
    std::printf("stored shape [%s] = [%s]\n", names.c_str(), dimsText(m.storedShape, ",").c_str());
    std::printf("padded size %lld elements, %lld of them padding (%.1f %%)\n", (long long)padded,
                (long long)(padded - m.logicalSize()),
                100.0 * double(padded - m.logicalSize()) / double(padded));
    std::printf("offset = %s\n", m.formula.c_str());
    if (padded > kMaxList) {
        std::printf("(%lld addresses: the map is listed up to %lld; use a smaller --shape)\n",
                    (long long)padded, (long long)kMaxList);
        return 0;
    }
    // Every logical element's address: a grid per (n, c) plane, or the matrix.
    const int width = static_cast<int>(std::to_string(padded - 1).size());
    if (cv::isFractal(l)) {
        std::printf("address of each element (rows m, columns n):\n");
        for (std::int64_t r = 0; r < m.dims[0]; ++r) {
            std::printf(" ");
            for (std::int64_t c = 0; c < m.dims[1]; ++c)
                std::printf(" %*lld", width, (long long)m.offset({r, c}));
            std::printf("\n");
        }
    } else {
        std::printf("address of each element, plane by plane (rows h, columns w):\n");
        for (std::int64_t n = 0; n < m.dims[0]; ++n)
            for (std::int64_t c = 0; c < m.dims[1]; ++c) {
                std::printf("  n=%lld c=%lld\n", (long long)n, (long long)c);
                for (std::int64_t h = 0; h < m.dims[2]; ++h) {
                    std::printf("   ");
                    for (std::int64_t w = 0; w < m.dims[3]; ++w)
                        std::printf(" %*lld", width, (long long)m.offset({n, c, h, w}));
                    std::printf("\n");
                }
            }
    }
    std::printf("memory order (address: %s):\n", cv::isFractal(l) ? "m,n" : "n,c,h,w");
    for (std::size_t i = 0; i < order.size(); ++i)
        std::printf("%s%*zu: %s%s", i % 8 == 0 ? "  " : "", width, i, order[i].c_str(),
                    (i % 8 == 7 || i + 1 == order.size()) ? "\n" : "  ");
    return 0;
}

} // namespace aisys::app::cli
