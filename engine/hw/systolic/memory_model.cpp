// simulateLayer: SCALE-Sim v2's memory system (double_buffered_scratchpad_mem.py) driven by
// the demand lines its compute modules generate, one line per cycle.
#include "engine/hw/systolic/addresses.h"
#include "engine/hw/systolic/analysis.h"
#include "engine/hw/systolic/scratchpad.h"

#include <algorithm>
#include <functional>

namespace aisys::engine::systolic {

namespace {

using Emit = std::function<void(std::int64_t)>;

// Anti-diagonal roll of a rows×cols matrix (the prefetch order of skewed operands,
// "Fixing ISSUE #15, #16" in systolic_compute_*.py).
void diagonal(std::int64_t rows, std::int64_t cols,
              const std::function<std::int64_t(std::int64_t, std::int64_t)>& at, const Emit& cb) {
    for (std::int64_t d = 0; d < rows + cols; ++d) {
        const std::int64_t hi = std::min(d, rows - 1), lo = std::max<std::int64_t>(0, d - cols + 1);
        for (std::int64_t r = hi; r >= lo; --r)
            cb(at(r, d - r));
    }
}

void rowMajor(std::int64_t rows, std::int64_t cols,
              const std::function<std::int64_t(std::int64_t, std::int64_t)>& at, const Emit& cb) {
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c)
            cb(at(r, c));
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
    // Prefetch matrices (create_*_prefetch_mat): folds stacked, −1 where the array is idle.
    using At = std::function<std::int64_t(std::int64_t, std::int64_t)>;
    auto stacked =
        [&](std::int64_t folds, std::int64_t foldRows, std::int64_t width, std::int64_t spatial,
            const std::function<std::int64_t(std::int64_t, std::int64_t, std::int64_t)>& f) {
            return At([=](std::int64_t r, std::int64_t c) -> std::int64_t {
                const std::int64_t fold = r / foldRows, row = r % foldRows;
                const std::int64_t s = fold * width + c;
                (void)folds;
                return s < spatial && c < width ? f(fold, row, s) : -1;
            });
        };
    switch (df) {
    case Dataflow::WS: {
        const At a = stacked(rowFolds, M, R, K, [&](auto, auto m, auto k) { return ad.a(m, k); });
        ib.setFetchOrder(ad.ifmapOffset, ad.ifmapSpan(),
                         [&](const Emit& cb) { diagonal(rowFolds * M, R, a, cb); });
        const At b = stacked(colFolds, K, C, N, [&](auto, auto k, auto n) { return ad.b(k, n); });
        fb.setFetchOrder(ad.filterOffset, ad.filterSpan(),
                         [&](const Emit& cb) { rowMajor(colFolds * K, C, b, cb); });
        break;
    }
    case Dataflow::OS: {
        const At a = stacked(rowFolds, K, R, M, [&](auto, auto k, auto m) { return ad.a(m, k); });
        ib.setFetchOrder(ad.ifmapOffset, ad.ifmapSpan(),
                         [&](const Emit& cb) { diagonal(rowFolds * K, R, a, cb); });
        const At b = stacked(colFolds, K, C, N, [&](auto, auto k, auto n) { return ad.b(k, n); });
        fb.setFetchOrder(ad.filterOffset, ad.filterSpan(),
                         [&](const Emit& cb) { diagonal(colFolds * K, C, b, cb); });
        break;
    }
    case Dataflow::IS: {
        const At a = stacked(colFolds, K, C, M, [&](auto, auto k, auto m) { return ad.a(m, k); });
        ib.setFetchOrder(ad.ifmapOffset, ad.ifmapSpan(),
                         [&](const Emit& cb) { rowMajor(colFolds * K, C, a, cb); });
        const At b = stacked(rowFolds, N, R, K, [&](auto, auto n, auto k) { return ad.b(k, n); });
        fb.setFetchOrder(ad.filterOffset, ad.filterSpan(),
                         [&](const Emit& cb) { diagonal(rowFolds * N, R, b, cb); });
        break;
    }
    }

    std::vector<std::int64_t> ia, fa;
    auto push = [](std::vector<std::int64_t>& v, std::int64_t addr) {
        if (addr >= 0) // null requests (−1) are skipped by the buffers
            v.push_back(addr);
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
                std::int64_t writes = 0;
                // Demand lines (create_*_demand_mat), valid words in column order.
                if (df == Dataflow::WS) {
                    for (std::int64_t c = std::max<std::int64_t>(0, t - R - T + 1);
                         c <= std::min(f.rowsUsed - 1, t - R); ++c)
                        push(ia, ad.a(t - c - R, f.k0 + c));
                    if (t < R && R - 1 - t < f.rowsUsed)
                        for (std::int64_t c = 0; c < f.colsUsed; ++c)
                            fa.push_back(ad.b(f.k0 + R - 1 - t, f.c0 + c));
                    const std::int64_t lo = std::max<std::int64_t>(0, t - 2 * R + 2 - T);
                    const std::int64_t hi = std::min(f.colsUsed - 1, t - 2 * R + 1);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                } else if (df == Dataflow::OS) {
                    for (std::int64_t r = std::max<std::int64_t>(0, t - T + 1);
                         r <= std::min(f.rowsUsed - 1, t); ++r)
                        push(ia, ad.a(f.k0 + r, t - r));
                    for (std::int64_t c = std::max<std::int64_t>(0, t - T + 1);
                         c <= std::min(f.colsUsed - 1, t); ++c)
                        fa.push_back(ad.b(t - c, f.c0 + c));
                    // Flipped R×C output block after T−1 idle rows, skewed by column.
                    for (std::int64_t c = 0; c < f.colsUsed; ++c) {
                        const std::int64_t i = t - c - (T - 1);
                        if (i >= 0 && i < R && R - 1 - i < f.rowsUsed)
                            ++writes;
                    }
                } else {
                    if (t < R && R - 1 - t < f.rowsUsed)
                        for (std::int64_t c = 0; c < f.colsUsed; ++c)
                            push(ia, ad.a(f.c0 + c, f.k0 + R - 1 - t));
                    for (std::int64_t r = std::max<std::int64_t>(0, t - R - T + 1);
                         r <= std::min(f.rowsUsed - 1, t - R); ++r)
                        fa.push_back(ad.b(f.k0 + r, t - r - R));
                    const std::int64_t lo = std::max<std::int64_t>(0, t - 2 * R + 2 - T);
                    const std::int64_t hi = std::min(f.colsUsed - 1, t - 2 * R + 1);
                    writes = std::max<std::int64_t>(0, hi - lo + 1);
                }
                // service_memory_requests: the line's stall is the worst of the three.
                std::int64_t si = 0, sf = 0, so = 0;
                if (!ia.empty() || line == 0)
                    si = ib.serviceLine(ia, cycle) - cycle - 1;
                if (!fa.empty() || line == 0)
                    sf = fb.serviceLine(fa, cycle) - cycle - 1;
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
                mark(!ia.empty(), iSeen, rep.ifmapSramStart, rep.ifmapSramStop, cycle + 1 + si);
                mark(!fa.empty(), fSeen, rep.filterSramStart, rep.filterSramStop, cycle + 1 + sf);
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
    (void)N;
    return rep;
}

} // namespace aisys::engine::systolic
