// simulateLayer: SCALE-Sim v2's memory system (double_buffered_scratchpad_mem.py) driven by
// the demand lines its compute modules generate, one line per cycle. USER bandwidth: fetch
// positions are closed forms (fetch_order.h) and only lines near a window edge look at their
// words; CALC: reads never stall and only operands larger than an estimate epoch look at their
// words (README.md, "How the memory model is computed fast").
#include "engine/hw/systolic/addresses.h"
#include "engine/hw/systolic/analysis.h"
#include "engine/hw/systolic/fetch_order.h"
#include "engine/hw/systolic/scratchpad.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace aisys::engine::systolic {

namespace {

// Whether im2col'd ifmap element (m, k) is a real word or lies past the ifmap edge (SCALE-Sim's
// "padded address" −1), from per-row and per-column tables so the hot loops do no division:
// window origin (rowR[m], rowC[m]) plus filter offset (colR[k], colC[k]) must be inside.
// The address of a real word is base[m] + off[k] (window origin + filter offset, offset-free).
struct IfmapEdge {
    std::vector<std::int32_t> rowR, rowC, colR, colC;
    std::vector<std::int64_t> base, off;
    std::int64_t H = 0, W = 0;
    explicit IfmapEdge(const Layer& L) : H(L.ifmapH), W(L.ifmapW) {
        const GemmShape g = L.gemmShape();
        const std::int64_t ew = L.ofmapW(), fc = L.filterW * L.channels, Ch = L.channels;
        for (std::int64_t m = 0; m < g.M; ++m) {
            rowR.push_back(std::int32_t((m / ew) * L.strideH));
            rowC.push_back(std::int32_t((m % ew) * L.strideW));
            base.push_back((rowR.back() * W + rowC.back()) * Ch);
        }
        for (std::int64_t k = 0; k < g.K; ++k) {
            colR.push_back(std::int32_t(k / fc));
            colC.push_back(std::int32_t((k % fc) / Ch));
            off.push_back((colR.back() * W + colC.back()) * Ch + k % Ch);
        }
    }
    bool valid(std::int64_t m, std::int64_t k) const {
        const auto mi = std::size_t(m), ki = std::size_t(k);
        return rowR[mi] + colR[ki] < H && rowC[mi] + colC[ki] < W;
    }
    std::int64_t address(std::int64_t m, std::int64_t k) const {
        return base[std::size_t(m)] + off[std::size_t(k)];
    }
};

// Distinct ifmap words some window reads: the covered rows × covered columns × channels.
std::int64_t distinctIfmapWords(const Layer& L) {
    auto covered = [](std::int64_t size, std::int64_t windows, std::int64_t f, std::int64_t st) {
        std::vector<bool> hit(std::size_t(size), false);
        for (std::int64_t w = 0; w < windows; ++w)
            for (std::int64_t x = w * st; x < std::min(size, w * st + f); ++x)
                hit[std::size_t(x)] = true;
        return std::int64_t(std::count(hit.begin(), hit.end(), true));
    };
    return covered(L.ifmapH, L.ofmapH(), L.filterH, L.strideH) *
           covered(L.ifmapW, L.ofmapW(), L.filterW, L.strideW) * L.channels;
}

// The padded elements (address −1) of the im2col'd ifmap as (i, s) pairs of a prefetch matrix
// (sIsK: s = k, i = m as in WS; otherwise s = m, i = k). Only a window in the last ofmap row
// or column can run past the edge (see Layer::ofmapH), so only those rows m are scanned.
std::vector<std::pair<std::int64_t, std::int64_t>> paddedElements(const Layer& L,
                                                                  const IfmapEdge& A, bool sIsK) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    const std::int64_t eh = L.ofmapH(), ew = L.ofmapW(), K = L.gemmShape().K;
    const bool rowPad = (eh - 1) * L.strideH + L.filterH > L.ifmapH;
    const bool colPad = (ew - 1) * L.strideW + L.filterW > L.ifmapW;
    auto scan = [&](std::int64_t m) {
        for (std::int64_t k = 0; k < K; ++k)
            if (!A.valid(m, k))
                out.push_back(sIsK ? std::pair{m, k} : std::pair{k, m});
    };
    if (rowPad)
        for (std::int64_t ox = 0; ox < ew; ++ox)
            scan((eh - 1) * ew + ox);
    if (colPad)
        for (std::int64_t oy = 0; oy < eh - (rowPad ? 1 : 0); ++oy)
            scan(oy * ew + ew - 1);
    return out;
}

// The other copies of ifmap element (m, k) in the im2col'd matrix: the same ifmap word seen
// from every window that covers it (overlapping windows duplicate words). Window (oy + d,
// ox + e) sees the word at filter offset (ky − d·Sh, kx − e·Sw), which must lie in the
// filter. f(m', k') returns true to stop; forEachCopy returns whether it stopped. Tables
// replace the divisions: (oy, ox) per m, (ky, kx) per k, the d and e ranges per ky and kx.
struct IfmapCopies {
    std::int64_t eh, ew, stepY, stepX; // k decreases by stepY per window row, stepX per column
    std::vector<std::int32_t> oy, ox, ky, kx, dLo, dHi, eLo, eHi;
    IfmapCopies(const Layer& L, bool enabled) : eh(L.ofmapH()), ew(L.ofmapW()) {
        stepY = L.strideH * L.filterW * L.channels;
        stepX = L.strideW * L.channels;
        if (!enabled)
            return;
        const GemmShape g = L.gemmShape();
        for (std::int64_t m = 0; m < g.M; ++m) {
            oy.push_back(std::int32_t(m / ew));
            ox.push_back(std::int32_t(m % ew));
        }
        for (std::int64_t k = 0; k < g.K; ++k) {
            ky.push_back(std::int32_t(k / (L.filterW * L.channels)));
            kx.push_back(std::int32_t((k % (L.filterW * L.channels)) / L.channels));
        }
        for (std::int64_t y = 0; y < L.filterH; ++y) {
            dLo.push_back(std::int32_t(-((L.filterH - 1 - y) / L.strideH)));
            dHi.push_back(std::int32_t(y / L.strideH));
        }
        for (std::int64_t x = 0; x < L.filterW; ++x) {
            eLo.push_back(std::int32_t(-((L.filterW - 1 - x) / L.strideW)));
            eHi.push_back(std::int32_t(x / L.strideW));
        }
    }
    /// `hint` (d, e): the copy that answered last time, tried first (neighbouring words of a
    /// demand line usually find their copies at the same window offset); updated on success.
    template <class F>
    bool forEachCopy(std::int64_t m, std::int64_t k, std::pair<std::int64_t, std::int64_t>& hint,
                     F&& f) const {
        const std::int64_t y = oy[std::size_t(m)], x = ox[std::size_t(m)];
        const std::int64_t fy = ky[std::size_t(k)], fx = kx[std::size_t(k)];
        const std::int64_t d0 = std::max<std::int64_t>(dLo[std::size_t(fy)], -y);
        const std::int64_t d1 = std::min<std::int64_t>(dHi[std::size_t(fy)], eh - 1 - y);
        const std::int64_t e0 = std::max<std::int64_t>(eLo[std::size_t(fx)], -x);
        const std::int64_t e1 = std::min<std::int64_t>(eHi[std::size_t(fx)], ew - 1 - x);
        auto tryCopy = [&](std::int64_t d, std::int64_t e) {
            return f(m + d * ew + e, k - d * stepY - e * stepX);
        };
        const auto [hd, he] = hint;
        const bool hinted = (hd != 0 || he != 0) && hd >= d0 && hd <= d1 && he >= e0 && he <= e1;
        if (hinted && tryCopy(hd, he))
            return true;
        for (std::int64_t d = d0; d <= d1; ++d)
            for (std::int64_t e = e0; e <= e1; ++e)
                if ((d != 0 || e != 0) && !(hinted && d == hd && e == he) && tryCopy(d, e)) {
                    hint = {d, e};
                    return true;
                }
        return false;
    }
};

} // namespace

LayerReport simulateLayer(const Layer& layer, const ArrayConfig& array, Dataflow df,
                          const MemoryConfig& mem) {
    LayerReport rep = analyzeLayer(layer, array, df);
    mem.validate();
    const OperandAddresses ad{layer, mem.ifmapOffset, mem.filterOffset, mem.ofmapOffset};
    const std::int64_t R = array.rows, C = array.cols;
    const std::int64_t M = rep.gemm.M, K = rep.gemm.K, N = rep.gemm.N, T = rep.st.T;
    const std::int64_t Sr = rep.st.Sr, Sc = rep.st.Sc;
    const std::int64_t rowFolds = rep.rowFolds, colFolds = rep.colFolds;
    const std::int64_t bwRead = mem.userBandwidth ? std::int64_t(mem.bandwidth) : 10;
    const std::int64_t bwWrite = mem.userBandwidth ? std::int64_t(mem.bandwidth) : C;
    detail::ReadBuffer ib(mem.ifmapSramKB * 1024, bwRead, mem.doubleBuffered);
    detail::ReadBuffer fb(mem.filterSramKB * 1024, bwRead, mem.doubleBuffered);
    detail::WriteBuffer ob(mem.ofmapSramKB * 1024, bwWrite, mem.doubleBuffered);

    if (ad.ifmapSpan() >= (std::int64_t(1) << 31) || ad.filterSpan() >= (std::int64_t(1) << 31))
        throw std::invalid_argument("layer '" + layer.name +
                                    "': operands too large for the memory model (≥ 2^31 words)");
    // The model walks every demand line: refuse sizes that would take minutes rather than hang
    // (the closed forms have no such limit). The prefetch-matrix bound is the one of the
    // version that stored those matrices, kept so that the same layers are accepted.
    const double lines = double(rep.folds) * double(rep.cyclesPerFold);
    const double fetchWords = std::max(
        {double(rowFolds) * double(R) * double(T), double(colFolds) * double(C) * double(T),
         double(rowFolds) * double(R) * double(Sc), double(colFolds) * double(C) * double(Sr)});
    if (lines > 3e8 || fetchWords > 4e8)
        throw std::invalid_argument(
            "layer '" + layer.name + "': too large for the memory model (" +
            std::to_string(std::int64_t(lines)) +
            " cycles to simulate); use the closed forms (--ideal-memory) or a larger array");
    const IfmapEdge A(layer);
    // Overlapping windows duplicate ifmap words: a word may then hit through another copy.
    const bool dup = layer.filterH > layer.strideH || layer.filterW > layer.strideW;
    const IfmapCopies copies(layer, dup);
    // Prefetch matrices (create_*_prefetch_mat): folds stacked along the rows, read
    // anti-diagonally for skewed operands. ifmapSIsK: the ifmap matrix's s axis is k (WS).
    const bool ifmapSIsK = df == Dataflow::WS;
    const auto pads = paddedElements(layer, A, ifmapSIsK);
    const std::vector<std::pair<std::int64_t, std::int64_t>> none;
    const detail::FetchOrder io =
        df == Dataflow::WS   ? detail::FetchOrder(rowFolds, M, R, K, true, pads)
        : df == Dataflow::OS ? detail::FetchOrder(rowFolds, K, R, M, true, pads)
                             : detail::FetchOrder(colFolds, K, C, M, false, pads);
    const detail::FetchOrder fo =
        df == Dataflow::WS   ? detail::FetchOrder(colFolds, K, C, N, false, none)
        : df == Dataflow::OS ? detail::FetchOrder(colFolds, K, C, N, true, none)
                             : detail::FetchOrder(rowFolds, N, R, K, true, none);
    ib.setFetchOrder(io.valid(), io.entries());
    fb.setFetchOrder(fo.valid(), fo.entries());
    // Both buffers are first asked at line 0 (cycle 0), with or without demand.
    ib.prefetchActive(0);
    fb.prefetchActive(0);
    // CALC mode (single_layer_sim.py: estimate_bandwidth_mode): the read buffers are
    // ReadBufferEstimateBw, which never stall; they only count DRAM reads at 10 words/cycle.
    // An operand with fewer distinct words than an epoch needs no word-by-word walk.
    const bool calc = !mem.userBandwidth;
    detail::EstimateBuffer ie(mem.ifmapSramKB * 1024, 10), fe(mem.filterSramKB * 1024, 10);
    const std::int64_t ifmapDistinct = distinctIfmapWords(layer);
    const bool ifmapWords = calc && ie.canRotate(ifmapDistinct);
    const bool filterWords = calc && fe.canRotate(K * N);
    if (ifmapWords) // only then are addresses remembered (a bit per ifmap word)
        ie.trackAddresses(ad.ifmapSpan());
    if (filterWords)
        fe.trackAddresses(ad.filterSpan());

    // Services one operand's demand line: columns [cLo, cHi] of group g of its prefetch
    // matrix, in column order (that is the order of SCALE-Sim's demand line). elem(c) gives
    // the operand element (i, s) of column c and whether it is a real word (not padding);
    // hitElsewhere(i, s) whether another copy of it is in the window. Returns the cycles
    // after `cycle` at which the line is served (1 when every word hits).
    auto serve = [](detail::ReadBuffer& buf, const detail::FetchOrder& ord, std::int64_t g,
                    std::int64_t cLo, std::int64_t cHi, std::int64_t cycle, auto elem,
                    auto hitElsewhere) {
        std::int64_t offset = 1;
        // The line's words are the valid entries of its columns: consecutive positions.
        if (buf.rangeInWindow(ord.groupStart(g), ord.groupStart(g + 1)))
            return offset; // the whole group is in the window: no word can miss
        std::int64_t p = ord.position(ord.diagonal() ? g - cLo : g, cLo);
        for (std::int64_t c = cLo; c <= cHi; ++c) {
            const auto [valid, i, s] = elem(c);
            if (!valid)
                continue;
            std::int64_t rotations = 0;
            while (!buf.positionInWindow(p) && !hitElsewhere(i, s))
                offset = buf.miss(cycle, offset, rotations);
            ++p;
        }
        return offset;
    };
    auto noCopies = [](std::int64_t, std::int64_t) { return false; };
    // Another copy of ifmap element (i, s) in the window (overlapping conv windows only).
    std::pair<std::int64_t, std::int64_t> copyHint{0, 0};
    auto ifmapCopyHit = [&](std::int64_t i, std::int64_t s) {
        if (!dup)
            return false;
        const std::int64_t m = ifmapSIsK ? i : s, k = ifmapSIsK ? s : i;
        return copies.forEachCopy(m, k, copyHint, [&](std::int64_t m2, std::int64_t k2) {
            const auto [row, c] = ifmapSIsK ? io.entry(m2, k2) : io.entry(k2, m2);
            // Its group decides without the exact position unless it straddles an edge.
            const std::int64_t g = io.group(row, c);
            const std::int64_t a = io.groupStart(g), b = io.groupStart(g + 1);
            if (ib.rangeInWindow(a, b))
                return true;
            if (ib.rangeOutsideWindow(a, b))
                return false;
            return ib.positionInWindow(io.position(row, c));
        });
    };
    struct Elem {
        bool valid;
        std::int64_t i, s;
    };
    // One operand's demand line: columns [cLo, cHi] of group g of its prefetch order. Returns
    // its stall and whether it holds a real word (a line of padded ifmap words only is no
    // demand: SCALE-Sim's SRAM start/stop cycles skip it). USER: the read buffer serves it;
    // CALC: every word hits and the estimate buffer sees each address.
    auto read = [&](bool ifmap, std::int64_t g, std::int64_t cLo, std::int64_t cHi,
                    std::int64_t cycle, auto elem) -> std::pair<std::int64_t, bool> {
        if (ifmap && !pads.empty()) {
            auto pos = [&](std::int64_t c) { return io.position(io.diagonal() ? g - c : g, c); };
            if (pos(cHi) - pos(cLo) + (elem(cHi).valid ? 1 : 0) == 0)
                return {0, false};
        }
        if (!calc)
            return {(ifmap ? serve(ib, io, g, cLo, cHi, cycle, elem, ifmapCopyHit)
                           : serve(fb, fo, g, cLo, cHi, cycle, elem, noCopies)) -
                        1,
                    true};
        detail::EstimateBuffer& eb = ifmap ? ie : fe;
        eb.firstRequest(cycle);
        if (!(ifmap ? ifmapWords : filterWords))
            return {0, true};
        for (std::int64_t c = cLo; c <= cHi; ++c) {
            const auto [valid, i, s] = elem(c);
            if (!valid)
                continue;
            if (ifmap)
                eb.add(ifmapSIsK ? A.address(i, s) : A.address(s, i), cycle);
            else // filter (i, s) is (k, n), or (n, k) in IS; B[k][n] is at n·K + k
                eb.add(df == Dataflow::IS ? i * K + s : s * K + i, cycle);
        }
        return {0, true};
    };

    std::int64_t stalls = 0, line = 0, lastOut = 0;
    // A served cycle can be negative (SCALE-Sim's offset arithmetic), so "not yet" is kNone.
    constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
    std::int64_t iStart = kNone, iStop = 0, fStart = kNone, fStop = 0, oStart = kNone, oStop = 0;
    for (std::int64_t fc = 0; fc < colFolds; ++fc)
        for (std::int64_t fr = 0; fr < rowFolds; ++fr) {
            const std::int64_t k0 = fr * R, c0 = fc * C;
            const std::int64_t rowsUsed = std::min(R, Sr - k0), colsUsed = std::min(C, Sc - c0);
            for (std::int64_t t = 0; t < rep.cyclesPerFold; ++t, ++line) {
                const std::int64_t cycle = line + stalls;
                std::int64_t writes = 0, si = 0, sf = 0, so = 0;
                bool ifmapDemand = false, filterDemand = false;
                // Demand lines (create_*_demand_mat) as column ranges of the prefetch groups.
                if (df == Dataflow::WS) {
                    const std::int64_t clo = std::max<std::int64_t>(0, t - R - T + 1);
                    const std::int64_t chi = std::min(rowsUsed - 1, t - R);
                    if (clo <= chi) { // ifmap rows m = t − R − c, k = k0 + c: diagonal
                        std::tie(si, ifmapDemand) =
                            read(true, fr * M + t - R, clo, chi, cycle, [&](std::int64_t c) {
                                const std::int64_t m = t - c - R, k = k0 + c;
                                return Elem{A.valid(m, k), m, k};
                            });
                    }
                    if (t < R && R - 1 - t < rowsUsed) { // filter row k = k0 + R − 1 − t
                        const std::int64_t k = k0 + R - 1 - t;
                        std::tie(sf, filterDemand) =
                            read(false, fc * K + k, 0, colsUsed - 1, cycle, [&](std::int64_t c) {
                                return Elem{true, k, c0 + c};
                            });
                    }
                    const std::int64_t lo = std::max<std::int64_t>(0, t - 2 * R + 2 - T);
                    const std::int64_t hi = std::min(colsUsed - 1, t - 2 * R + 1);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                } else if (df == Dataflow::OS) {
                    const std::int64_t rlo = std::max<std::int64_t>(0, t - T + 1);
                    const std::int64_t rhi = std::min(rowsUsed - 1, t);
                    if (rlo <= rhi) { // ifmap m = k0 + r, k = t − r
                        std::tie(si, ifmapDemand) =
                            read(true, fr * K + t, rlo, rhi, cycle, [&](std::int64_t r) {
                                const std::int64_t m = k0 + r, k = t - r;
                                return Elem{A.valid(m, k), k, m};
                            });
                    }
                    const std::int64_t clo = std::max<std::int64_t>(0, t - T + 1);
                    const std::int64_t chi = std::min(colsUsed - 1, t);
                    if (clo <= chi) { // filter k = t − c, n = c0 + c
                        std::tie(sf, filterDemand) =
                            read(false, fc * K + t, clo, chi, cycle, [&](std::int64_t c) {
                                return Elem{true, t - c, c0 + c};
                            });
                    }
                    // Flipped R×C output block after T−1 idle rows, skewed by column: column c
                    // writes when i = t − c − (T − 1) is in [R − rowsUsed, R − 1].
                    const std::int64_t lo = std::max<std::int64_t>(0, t - T - R + 2);
                    const std::int64_t hi = std::min(colsUsed - 1, t - T + 1 - R + rowsUsed);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                } else {
                    if (t < R && R - 1 - t < rowsUsed) { // ifmap k = k0 + R − 1 − t, m = c0 + c
                        const std::int64_t k = k0 + R - 1 - t;
                        std::tie(si, ifmapDemand) =
                            read(true, fc * K + k, 0, colsUsed - 1, cycle, [&](std::int64_t c) {
                                return Elem{A.valid(c0 + c, k), k, c0 + c};
                            });
                    }
                    const std::int64_t rlo = std::max<std::int64_t>(0, t - R - T + 1);
                    const std::int64_t rhi = std::min(rowsUsed - 1, t - R);
                    if (rlo <= rhi) { // filter k = k0 + r, n = t − r − R: diagonal
                        std::tie(sf, filterDemand) =
                            read(false, fr * N + t - R, rlo, rhi, cycle, [&](std::int64_t r) {
                                return Elem{true, t - r - R, k0 + r};
                            });
                    }
                    const std::int64_t lo = std::max<std::int64_t>(0, t - 2 * R + 2 - T);
                    const std::int64_t hi = std::min(colsUsed - 1, t - 2 * R + 1);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                }
                // service_memory_requests: the line's stall is the worst of the three.
                if (writes > 0)
                    so = ob.serviceLine(writes, cycle) - cycle;
                // First and last cycle a line with demand was served (kept in locals).
                if (ifmapDemand) {
                    iStop = cycle + 1 + si;
                    iStart = iStart == kNone ? iStop : iStart;
                }
                if (filterDemand) {
                    fStop = cycle + 1 + sf;
                    fStart = fStart == kNone ? fStop : fStart;
                }
                if (writes > 0) {
                    oStop = cycle + so;
                    oStart = oStart == kNone ? oStop : oStart;
                }
                lastOut = cycle + so;
                stalls += std::max({si, sf, so});
            }
        }
    ob.flush(lastOut);
    if (calc) { // complete_all_prefetches
        ifmapWords ? ie.finish() : ie.finishDistinct(ifmapDistinct);
        filterWords ? fe.finish() : fe.finishDistinct(K * N);
    }
    const detail::EstimateBuffer* ce = calc ? &ie : nullptr;
    const detail::EstimateBuffer* cf = calc ? &fe : nullptr;
    rep.ifmapSramStart = iStart == kNone ? 0 : iStart;
    rep.ifmapSramStop = iStop;
    rep.filterSramStart = fStart == kNone ? 0 : fStart;
    rep.filterSramStop = fStop;
    rep.ofmapSramStart = oStart == kNone ? 0 : oStart;
    rep.ofmapSramStop = oStop;
    rep.stallCycles = stalls;
    rep.totalCycles = lastOut; // int(ofmap_serviced_cycles[-1])
    rep.computeCycles = rep.folds * rep.cyclesPerFold - 1;
    rep.overallUtilization = overallUtilizationPercent(rep.macs, rep.totalCycles, array);
    rep.ifmapDramReads = ce ? ce->dramReads() : ib.dramReads();
    rep.ifmapDramStart = ce ? ce->dramStart() : ib.dramStart();
    rep.ifmapDramStop = ce ? ce->dramStop() : ib.dramStop();
    rep.filterDramReads = cf ? cf->dramReads() : fb.dramReads();
    rep.filterDramStart = cf ? cf->dramStart() : fb.dramStart();
    rep.filterDramStop = cf ? cf->dramStop() : fb.dramStop();
    rep.ofmapDramWrites = ob.dramWrites();
    rep.ofmapDramStart = ob.dramStart();
    rep.ofmapDramStop = ob.dramStop();
    return rep;
}

} // namespace aisys::engine::systolic
