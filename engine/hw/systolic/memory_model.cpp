// simulateLayer: SCALE-Sim v2's memory system (double_buffered_scratchpad_mem.py) driven by
// the demand lines its compute modules generate, one line per cycle.
#include "engine/hw/systolic/addresses.h"
#include "engine/hw/systolic/analysis.h"
#include "engine/hw/systolic/scratchpad.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine::systolic {

namespace {

// Word ids (address − offset) of the im2col'd ifmap, from per-row and per-column tables so the
// hot loops do no division: id(m, k) = rowBase[m] + colOff[k], −1 past the ifmap edge.
struct IfmapIds {
    std::vector<std::int32_t> rowBase, rowR, rowC, colOff, colR, colC;
    std::int64_t H = 0, W = 0;
    explicit IfmapIds(const OperandAddresses& ad) {
        const Layer& L = ad.layer;
        const GemmShape g = L.gemmShape();
        H = L.ifmapH;
        W = L.ifmapW;
        const std::int64_t ew = L.ofmapW();
        for (std::int64_t m = 0; m < g.M; ++m) {
            const std::int64_t r = (m / ew) * L.strideH, c = (m % ew) * L.strideW;
            rowR.push_back(std::int32_t(r));
            rowC.push_back(std::int32_t(c));
            rowBase.push_back(std::int32_t(r * L.ifmapW * L.channels + c * L.channels));
        }
        const std::int64_t fc = L.filterW * L.channels;
        for (std::int64_t k = 0; k < g.K; ++k) {
            const std::int64_t r = k / fc, rest = k % fc;
            colR.push_back(std::int32_t(r));
            colC.push_back(std::int32_t(rest / L.channels));
            colOff.push_back(std::int32_t(r * L.ifmapW * L.channels +
                                          (rest / L.channels) * L.channels + rest % L.channels));
        }
    }
    [[gnu::always_inline]] std::int32_t operator()(std::int64_t m, std::int64_t k) const {
        const auto mi = std::size_t(m), ki = std::size_t(k);
        if (rowR[mi] + colR[ki] >= H || rowC[mi] + colC[ki] >= W)
            return -1; // window past the edge (SCALE-Sim's "padded address")
        return rowBase[mi] + colOff[ki];
    }
};

// Prefetch orders (create_*_prefetch_mat). Anti-diagonal roll of a rows×cols matrix: the order
// of skewed operands ("Fixing ISSUE #15, #16" in systolic_compute_*.py).
// `groups[g]` receives the position (among valid words) where diagonal / row g starts; `ids`
// must have room for rows·cols words and is cut to the valid ones.
template <class At>
void diagonal(std::int64_t rows, std::int64_t cols, const At& at, std::vector<std::int32_t>& ids,
              std::vector<std::int64_t>& groups) {
    std::int32_t* out = ids.data();
    std::size_t n = 0;
    for (std::int64_t d = 0; d < rows + cols; ++d) {
        groups.push_back(std::int64_t(n));
        const std::int64_t hi = std::min(d, rows - 1), lo = std::max<std::int64_t>(0, d - cols + 1);
        for (std::int64_t r = hi; r >= lo; --r) {
            const std::int32_t id = at(r, d - r);
            out[n] = id;
            n += id >= 0;
        }
    }
    groups.push_back(std::int64_t(n));
    ids.resize(n);
}

template <class At>
void rowMajor(std::int64_t rows, std::int64_t cols, const At& at, std::vector<std::int32_t>& ids,
              std::vector<std::int64_t>& groups) {
    std::int32_t* out = ids.data();
    std::size_t n = 0;
    for (std::int64_t r = 0; r < rows; ++r) {
        groups.push_back(std::int64_t(n));
        for (std::int64_t c = 0; c < cols; ++c) {
            const std::int32_t id = at(r, c);
            out[n] = id;
            n += id >= 0;
        }
    }
    groups.push_back(std::int64_t(n));
    ids.resize(n);
}

struct Fold {
    std::int64_t k0 = 0, rowsUsed = 0, c0 = 0, colsUsed = 0;
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

    auto used = [](std::int64_t start, std::int64_t len, std::int64_t total) {
        return std::min(len, total - start);
    };
    if (ad.ifmapSpan() >= (std::int64_t(1) << 31) || ad.filterSpan() >= (std::int64_t(1) << 31))
        throw std::invalid_argument("layer '" + layer.name +
                                    "': operands too large for the memory model (≥ 2^31 words)");
    // The model walks every demand line and holds the prefetch orders: refuse sizes that would
    // take minutes or gigabytes rather than hang (the closed forms have no such limit).
    const double lines = double(rep.folds) * double(rep.cyclesPerFold);
    const double fetchWords = std::max(
        {double(rowFolds) * double(R) * double(T), double(colFolds) * double(C) * double(T),
         double(rowFolds) * double(R) * double(Sc), double(colFolds) * double(C) * double(Sr)});
    if (lines > 3e8 || fetchWords > 4e8)
        throw std::invalid_argument(
            "layer '" + layer.name + "': too large for the memory model (" +
            std::to_string(std::int64_t(lines)) +
            " cycles to simulate); use the closed forms (--ideal-memory) or a larger array");
    const IfmapIds A(ad);
    auto B = [K](std::int64_t k, std::int64_t n) { return std::int32_t(n * K + k); };
    // Folds stacked along the rows of the prefetch matrix, −1 where the array is idle.
    auto stacked = [](std::int64_t folds, std::int64_t foldRows, std::int64_t width,
                      std::int64_t spatial, auto f) {
        std::vector<std::int64_t> base(std::size_t(folds * foldRows)), in(base.size());
        for (std::int64_t r = 0; r < folds * foldRows; ++r) {
            base[std::size_t(r)] = (r / foldRows) * width;
            in[std::size_t(r)] = r % foldRows;
        }
        return [=, base = std::move(base), in = std::move(in)](std::int64_t r,
                                                               std::int64_t c) -> std::int32_t {
            const std::int64_t s = base[std::size_t(r)] + c;
            return s < spatial ? f(in[std::size_t(r)], s) : -1;
        };
    };
    // A demand line's own words are one diagonal (skewed operands) or one row (preloaded
    // operands) of the prefetch matrix: when that stretch is in the active window the line
    // cannot miss, and the words need not be generated one by one.
    thread_local std::vector<std::int32_t> ids; // scratch kept between calls (no page faults)
    std::vector<std::int64_t> ig, fg;           // group starts of the ifmap / filter prefetch order
    auto fetch = [&](detail::ReadBuffer& buf, std::vector<std::int64_t>& groups, std::int64_t span,
                     std::int64_t rows, std::int64_t cols, bool diag, auto at) {
        ids.resize(std::size_t(rows * cols));
        groups.reserve(std::size_t(rows + cols + 1));
        if (diag)
            diagonal(rows, cols, at, ids, groups);
        else
            rowMajor(rows, cols, at, ids, groups);
        buf.setFetchOrder(span, ids, rows * cols);
    };
    switch (df) {
    case Dataflow::WS:
        fetch(ib, ig, ad.ifmapSpan(), rowFolds * M, R, true,
              stacked(rowFolds, M, R, K, [&](auto m, auto k) { return A(m, k); }));
        fetch(fb, fg, ad.filterSpan(), colFolds * K, C, false,
              stacked(colFolds, K, C, N, [&](auto k, auto n) { return B(k, n); }));
        break;
    case Dataflow::OS:
        fetch(ib, ig, ad.ifmapSpan(), rowFolds * K, R, true,
              stacked(rowFolds, K, R, M, [&](auto k, auto m) { return A(m, k); }));
        fetch(fb, fg, ad.filterSpan(), colFolds * K, C, true,
              stacked(colFolds, K, C, N, [&](auto k, auto n) { return B(k, n); }));
        break;
    case Dataflow::IS:
        fetch(ib, ig, ad.ifmapSpan(), colFolds * K, C, false,
              stacked(colFolds, K, C, M, [&](auto k, auto m) { return A(m, k); }));
        fetch(fb, fg, ad.filterSpan(), rowFolds * N, R, true,
              stacked(rowFolds, N, R, K, [&](auto n, auto k) { return B(k, n); }));
        break;
    }
    ids = {};

    std::vector<std::int32_t> ia, fa;
    auto push = [](std::vector<std::int32_t>& v, std::int32_t id) {
        if (id >= 0) // null requests (−1) are skipped by the buffers
            v.push_back(id);
    };
    std::int64_t stalls = 0, line = 0, lastOut = 0;
    bool iSeen = false, fSeen = false, oSeen = false;
    for (std::int64_t fc = 0; fc < colFolds; ++fc)
        for (std::int64_t fr = 0; fr < rowFolds; ++fr) {
            const Fold f{fr * R, used(fr * R, R, Sr), fc * C, used(fc * C, C, Sc)};
            for (std::int64_t t = 0; t < rep.cyclesPerFold; ++t, ++line) {
                const std::int64_t cycle = line + stalls;
                ia.clear();
                fa.clear();
                std::int64_t writes = 0, gi = -1, gf = -1; // demand groups (−1: none)
                bool ifmapDemand = false, filterDemand = false;
                // Demand lines (create_*_demand_mat), valid words in column order; generated
                // only when the line might miss.
                if (df == Dataflow::WS) {
                    const std::int64_t clo = std::max<std::int64_t>(0, t - R - T + 1);
                    const std::int64_t chi = std::min(f.rowsUsed - 1, t - R);
                    if (clo <= chi) {
                        ifmapDemand = true;
                        gi = fr * M + t - R;
                        if (!ib.rangeInWindow(ig[std::size_t(gi)], ig[std::size_t(gi) + 1]))
                            for (std::int64_t c = clo; c <= chi; ++c)
                                push(ia, A(t - c - R, f.k0 + c));
                    }
                    if (t < R && R - 1 - t < f.rowsUsed) {
                        filterDemand = true;
                        gf = fc * K + f.k0 + R - 1 - t;
                        if (!fb.rangeInWindow(fg[std::size_t(gf)], fg[std::size_t(gf) + 1]))
                            for (std::int64_t c = 0; c < f.colsUsed; ++c)
                                fa.push_back(B(f.k0 + R - 1 - t, f.c0 + c));
                    }
                    const std::int64_t lo = std::max<std::int64_t>(0, t - 2 * R + 2 - T);
                    const std::int64_t hi = std::min(f.colsUsed - 1, t - 2 * R + 1);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                } else if (df == Dataflow::OS) {
                    const std::int64_t rlo = std::max<std::int64_t>(0, t - T + 1);
                    const std::int64_t rhi = std::min(f.rowsUsed - 1, t);
                    if (rlo <= rhi) {
                        ifmapDemand = true;
                        gi = fr * K + t;
                        if (!ib.rangeInWindow(ig[std::size_t(gi)], ig[std::size_t(gi) + 1]))
                            for (std::int64_t r = rlo; r <= rhi; ++r)
                                push(ia, A(f.k0 + r, t - r));
                    }
                    const std::int64_t clo = std::max<std::int64_t>(0, t - T + 1);
                    const std::int64_t chi = std::min(f.colsUsed - 1, t);
                    if (clo <= chi) {
                        filterDemand = true;
                        gf = fc * K + t;
                        if (!fb.rangeInWindow(fg[std::size_t(gf)], fg[std::size_t(gf) + 1]))
                            for (std::int64_t c = clo; c <= chi; ++c)
                                fa.push_back(B(t - c, f.c0 + c));
                    }
                    // Flipped R×C output block after T−1 idle rows, skewed by column.
                    for (std::int64_t c = 0; c < f.colsUsed; ++c) {
                        const std::int64_t i = t - c - (T - 1);
                        if (i >= 0 && i < R && R - 1 - i < f.rowsUsed)
                            ++writes;
                    }
                } else {
                    if (t < R && R - 1 - t < f.rowsUsed) {
                        ifmapDemand = true;
                        gi = fc * K + f.k0 + R - 1 - t;
                        if (!ib.rangeInWindow(ig[std::size_t(gi)], ig[std::size_t(gi) + 1]))
                            for (std::int64_t c = 0; c < f.colsUsed; ++c)
                                push(ia, A(f.c0 + c, f.k0 + R - 1 - t));
                    }
                    const std::int64_t rlo = std::max<std::int64_t>(0, t - R - T + 1);
                    const std::int64_t rhi = std::min(f.rowsUsed - 1, t - R);
                    if (rlo <= rhi) {
                        filterDemand = true;
                        gf = fr * N + t - R;
                        if (!fb.rangeInWindow(fg[std::size_t(gf)], fg[std::size_t(gf) + 1]))
                            for (std::int64_t r = rlo; r <= rhi; ++r)
                                fa.push_back(B(f.k0 + r, t - r - R));
                    }
                    const std::int64_t lo = std::max<std::int64_t>(0, t - 2 * R + 2 - T);
                    const std::int64_t hi = std::min(f.colsUsed - 1, t - 2 * R + 1);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                }
                // service_memory_requests: the line's stall is the worst of the three. A line
                // whose words are all in the window is served at cycle + 1 (no stall).
                std::int64_t si = 0, sf = 0, so = 0;
                if (!ia.empty() || line == 0)
                    si = ib.serviceLine(ia.data(), ia.size(), cycle) - cycle - 1;
                if (!fa.empty() || line == 0)
                    sf = fb.serviceLine(fa.data(), fa.size(), cycle) - cycle - 1;
                if (writes > 0)
                    so = ob.serviceLine(writes, cycle) - cycle;
                auto mark = [&](bool any, bool& seen, std::int64_t& start, std::int64_t& stop,
                                std::int64_t at) {
                    if (!any)
                        return;
                    if (!seen)
                        start = at;
                    seen = true;
                    stop = at;
                };
                mark(ifmapDemand, iSeen, rep.ifmapSramStart, rep.ifmapSramStop, cycle + 1 + si);
                mark(filterDemand, fSeen, rep.filterSramStart, rep.filterSramStop, cycle + 1 + sf);
                mark(writes > 0, oSeen, rep.ofmapSramStart, rep.ofmapSramStop, cycle + so);
                lastOut = cycle + so;
                stalls += std::max({si, sf, so});
            }
        }
    ob.flush(lastOut);
    rep.stallCycles = stalls;
    rep.totalCycles = lastOut; // int(ofmap_serviced_cycles[-1])
    rep.computeCycles = rep.folds * rep.cyclesPerFold - 1;
    rep.overallUtilization =
        double(rep.macs) * 100.0 / (double(rep.totalCycles) * double(R) * double(C));
    rep.ifmapDramReads = ib.dramReads();
    rep.ifmapDramStart = ib.dramStart();
    rep.ifmapDramStop = ib.dramStop();
    rep.filterDramReads = fb.dramReads();
    rep.filterDramStart = fb.dramStart();
    rep.filterDramStop = fb.dramStop();
    rep.ofmapDramWrites = ob.dramWrites();
    rep.ofmapDramStart = ob.dramStart();
    rep.ofmapDramStop = ob.dramStop();
    return rep;
}

} // namespace aisys::engine::systolic
