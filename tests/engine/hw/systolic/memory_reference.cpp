// The literal per-line, per-word memory model (see the header). Kept deliberately simple: it
// materialises SCALE-Sim's prefetch matrices, maps every word to the lines holding it, and
// services every demand line word by word (read_buffer.py / write_buffer.py semantics).
#include "tests/engine/hw/systolic/memory_reference.h"

#include "engine/hw/systolic/addresses.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <vector>

namespace aisys::test::systolic_reference {

using namespace aisys::engine::systolic;

namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// read_buffer.py: the prefetch order (valid words) cut into lines of bw words; the active
// window holds ⌈active/bw⌉ lines; a missing word rotates it by the prefetch lines.
class ReadBufferRef {
public:
    ReadBufferRef(std::int64_t size, std::int64_t bw, bool dbl)
        : m_bw(bw), m_set((size + 99) / 100), m_double(dbl) {
        m_activeSize = dbl ? ceilDiv(size, 2) : size;
        m_prefetchSize = size - m_activeSize;
    }
    void setFetchOrder(std::int64_t span, const std::vector<std::int32_t>& ids,
                       std::int64_t entries) {
        m_linesOf.assign(std::size_t(span), {});
        for (std::size_t j = 0; j < ids.size(); ++j)
            m_linesOf[std::size_t(ids[j])].push_back(std::int64_t(j) / m_set);
        m_numLines = std::int64_t(ids.size()) / m_set + 1;
        m_fetchRows = std::max<std::int64_t>(1, ceilDiv(entries, m_bw));
        m_activeLines = std::min(ceilDiv(m_activeSize, m_set), m_numLines);
        m_prefetchLines = std::min(ceilDiv(m_prefetchSize, m_set), m_numLines - m_activeLines);
    }
    std::int64_t serviceLine(const std::vector<std::int32_t>& ids, std::int64_t cycle) {
        if (!m_full) { // prefetch_active_buffer
            const std::int64_t n = std::min(ceilDiv(m_activeSize, m_bw), m_fetchRows);
            m_reads += n * m_bw;
            m_start = cycle - n;
            m_last = cycle - 1;
            m_stop = m_last;
            m_winStart = 0;
            m_winEnd = m_activeLines;
            m_full = true;
        }
        std::int64_t offset = 1;
        for (std::int32_t id : ids)
            for (std::int64_t guard = 0; !hit(id); ++guard) {
                if (m_activeLines >= m_numLines || guard > m_numLines + 2)
                    throw std::logic_error("reference: demanded word never fetched");
                const std::int64_t now = cycle + offset;
                if (m_double) {
                    m_winStart = (m_winStart + m_prefetchLines) % m_numLines;
                    m_reads += ceilDiv(m_prefetchSize, m_bw) * m_bw;
                    m_last += ceilDiv(m_prefetchSize, m_bw) + 1;
                } else {
                    m_winStart = (m_winStart + m_activeLines) % m_numLines;
                    m_reads += ceilDiv(m_activeSize, m_bw) * m_bw;
                    m_last = std::max(now, m_last + 1) + ceilDiv(m_activeSize, m_bw);
                }
                m_winEnd = (m_winStart + m_activeLines) % m_numLines;
                m_stop = std::max(m_stop, m_last);
                if (const std::int64_t stall = m_last - now; stall > 0)
                    offset += stall;
            }
        return cycle + offset;
    }
    std::int64_t dramReads() const { return m_reads; }
    std::int64_t dramStart() const { return m_start; }
    std::int64_t dramStop() const { return m_stop; }

private:
    bool hit(std::int32_t id) const {
        for (std::int64_t l : m_linesOf[std::size_t(id)])
            if (m_winStart < m_winEnd ? (l >= m_winStart && l < m_winEnd)
                                      : (l >= m_winStart || l < m_winEnd))
                return true;
        return false;
    }
    std::int64_t m_bw, m_set, m_activeSize = 0, m_prefetchSize = 0;
    bool m_double;
    std::vector<std::vector<std::int64_t>> m_linesOf;
    std::int64_t m_numLines = 1, m_fetchRows = 1, m_activeLines = 1, m_prefetchLines = 0;
    bool m_full = false;
    std::int64_t m_winStart = 0, m_winEnd = 0, m_last = 0, m_reads = 0, m_start = 0, m_stop = 0;
};

// read_buffer_estimate_bw.py (CALC mode), literally: sets of ⌊size/100⌋ new addresses, a hit
// when the address is in a set of the active window or in the set being filled; when the
// 50th set after the window's start is full, the window moves by 50 sets and a prefetch is
// timed from the previous one. Reads never stall.
class EstimateBufferRef {
public:
    EstimateBufferRef(std::int64_t size, std::int64_t bw) : m_bw(bw), m_items(size / 100) {}
    void serviceLine(const std::vector<std::int32_t>& ids, std::int64_t cycle) {
        if (!m_firstSeen && !ids.empty()) {
            m_first = cycle;
            m_firstSeen = true;
        }
        for (std::int32_t id : ids) {
            bool hit = m_current.count(id) > 0;
            for (std::size_t s = m_windowStart; !hit && s < m_sets.size(); ++s)
                hit = m_sets[s].count(id) > 0;
            if (hit)
                continue;
            m_current.insert(id);
            if (std::int64_t(m_current.size()) < m_items)
                continue;
            m_sets.push_back(std::move(m_current));
            m_current.clear();
            if (std::int64_t(m_sets.size() - m_windowStart) < 50)
                continue;
            if (!m_prefetched) { // the active buffer: ends just before the first request
                m_lastEnd = m_first - 1 - 1;
                m_lastStart = m_lastEnd - ceilDiv(50 * m_items, m_bw) + 1;
                m_prefetched = true;
            }
            prefetch(50 * m_items);
            m_windowStart = m_sets.size(); // the old sets are dropped
            m_lastStart = m_lastEnd + 1;
            m_lastEnd = cycle;
        }
    }
    void finish() { // complete_all_prefetches
        std::int64_t words = std::int64_t(m_current.size());
        for (std::size_t s = m_windowStart; s < m_sets.size(); ++s)
            words += std::int64_t(m_sets[s].size());
        if (!m_prefetched) {
            const std::int64_t sets = std::int64_t(m_sets.size()) + (m_current.empty() ? 0 : 1);
            m_lastEnd = -1 - 1;
            m_lastStart = m_lastEnd - ceilDiv(sets * m_items, m_bw) + 1;
        }
        prefetch(words);
    }
    std::int64_t reads = 0, start = 0, stop = 0;

private:
    void prefetch(std::int64_t words) { // rows m_lastStart … m_lastEnd, answered 1 cycle later
        reads += words;
        if (!m_traced)
            start = m_lastStart + 1;
        m_traced = true;
        stop = m_lastEnd + 1;
    }
    std::int64_t m_bw, m_items;
    std::vector<std::set<std::int32_t>> m_sets;
    std::set<std::int32_t> m_current;
    std::size_t m_windowStart = 0;
    bool m_firstSeen = false, m_prefetched = false, m_traced = false;
    std::int64_t m_first = 0, m_lastStart = 0, m_lastEnd = 0;
};

// write_buffer.py, one word at a time.
class WriteBufferRef {
public:
    WriteBufferRef(std::int64_t size, std::int64_t bw, bool dbl)
        : m_bw(bw), m_total(size), m_double(dbl), m_free(size) {
        m_drainSize = dbl ? size - ceilDiv(size, 2) : size;
    }
    std::int64_t serviceLine(std::int64_t count, std::int64_t cycle) {
        const std::int64_t active = m_total - m_drainSize;
        for (std::int64_t w = 0; w < count; ++w) {
            --m_free;
            if (++m_lineIdx == m_bw) {
                m_lines.push_back(m_bw);
                m_lineIdx = 0;
            }
            if (!m_double) {
                if (m_free <= 0) {
                    forceLine();
                    cycle = drain(cycle, std::int64_t(m_lines.size())) + 1;
                }
            } else if (cycle < m_drainEnd) {
                if (m_free <= 0)
                    cycle = m_drainEnd;
            } else if (m_free < active) {
                forceLine();
                m_drainEnd = drain(cycle, ceilDiv(m_drainSize, m_bw));
            }
        }
        return cycle;
    }
    void flush(std::int64_t cycle) {
        forceLine();
        const std::int64_t n = m_double ? ceilDiv(m_drainSize, m_bw) : std::int64_t(m_lines.size());
        while (m_next < std::int64_t(m_lines.size())) {
            m_drainEnd = drain(cycle, n);
            cycle = m_drainEnd + 1;
        }
    }
    std::int64_t writes = 0, start = 0, stop = 0;

private:
    void forceLine() {
        if (m_lineIdx != 0)
            m_lines.push_back(m_lineIdx);
        m_lineIdx = 0;
    }
    std::int64_t drain(std::int64_t at, std::int64_t maxLines) {
        const std::int64_t end = std::min(m_next + maxLines, std::int64_t(m_lines.size()));
        const std::int64_t n = end - m_next;
        if (n <= 0)
            return at;
        const std::int64_t data = (n - 1) * m_bw + m_lines[std::size_t(end - 1)];
        writes += data;
        start = m_drained ? start : at;
        stop = at + n - 1; // the last row of the drain trace
        m_drained = true;
        m_free += data;
        m_next = end;
        return at + n - 1;
    }
    std::int64_t m_bw, m_total, m_drainSize = 0;
    bool m_double;
    std::int64_t m_free, m_lineIdx = 0, m_next = 0, m_drainEnd = 0;
    std::vector<std::int64_t> m_lines;
    bool m_drained = false;
};

// create_*_prefetch_mat: the folds stacked along the rows (−1 where the array is idle), read
// anti-diagonally (skewed operands) or row by row; only the valid words are kept.
template <class At>
std::vector<std::int32_t> prefetchOrder(std::int64_t folds, std::int64_t foldRows,
                                        std::int64_t width, std::int64_t spatial, bool diag,
                                        const At& at) {
    const std::int64_t rows = folds * foldRows;
    auto entry = [&](std::int64_t r, std::int64_t c) -> std::int64_t {
        const std::int64_t s = (r / foldRows) * width + c;
        return s < spatial ? at(r % foldRows, s) : -1;
    };
    std::vector<std::int32_t> ids;
    if (diag) {
        for (std::int64_t d = 0; d < rows + width; ++d)
            for (std::int64_t r = std::min(d, rows - 1);
                 r >= std::max<std::int64_t>(0, d - width + 1); --r)
                if (const std::int64_t id = entry(r, d - r); id >= 0)
                    ids.push_back(std::int32_t(id));
    } else {
        for (std::int64_t r = 0; r < rows; ++r)
            for (std::int64_t c = 0; c < width; ++c)
                if (const std::int64_t id = entry(r, c); id >= 0)
                    ids.push_back(std::int32_t(id));
    }
    return ids;
}

} // namespace

LayerReport simulateLayerReference(const Layer& layer, const ArrayConfig& array, Dataflow df,
                                   const MemoryConfig& mem) {
    LayerReport rep = analyzeLayer(layer, array, df);
    mem.validate();
    const OperandAddresses ad{layer, 0, 0, 0};
    const std::int64_t R = array.rows, C = array.cols;
    const std::int64_t M = rep.gemm.M, K = rep.gemm.K, N = rep.gemm.N, T = rep.st.T;
    const std::int64_t Sr = rep.st.Sr, Sc = rep.st.Sc, FR = rep.rowFolds, FC = rep.colFolds;
    const std::int64_t bwRead = mem.userBandwidth ? std::int64_t(mem.bandwidth) : 10;
    const std::int64_t bwWrite = mem.userBandwidth ? std::int64_t(mem.bandwidth) : C;
    ReadBufferRef ib(mem.ifmapSramKB * 1024, bwRead, mem.doubleBuffered);
    ReadBufferRef fb(mem.filterSramKB * 1024, bwRead, mem.doubleBuffered);
    EstimateBufferRef ie(mem.ifmapSramKB * 1024, 10), fe(mem.filterSramKB * 1024, 10);
    const bool calc = !mem.userBandwidth;
    WriteBufferRef ob(mem.ofmapSramKB * 1024, bwWrite, mem.doubleBuffered);
    auto A = [&](std::int64_t m, std::int64_t k) { return ad.a(m, k); };
    auto B = [&](std::int64_t k, std::int64_t n) { return ad.b(k, n); };
    switch (df) {
    case Dataflow::WS:
        ib.setFetchOrder(ad.ifmapSpan(), prefetchOrder(FR, M, R, K, true, A), FR * M * R);
        fb.setFetchOrder(ad.filterSpan(), prefetchOrder(FC, K, C, N, false, B), FC * K * C);
        break;
    case Dataflow::OS:
        ib.setFetchOrder(ad.ifmapSpan(),
                         prefetchOrder(FR, K, R, M, true, [&](auto k, auto m) { return A(m, k); }),
                         FR * K * R);
        fb.setFetchOrder(ad.filterSpan(), prefetchOrder(FC, K, C, N, true, B), FC * K * C);
        break;
    case Dataflow::IS:
        ib.setFetchOrder(ad.ifmapSpan(),
                         prefetchOrder(FC, K, C, M, false, [&](auto k, auto m) { return A(m, k); }),
                         FC * K * C);
        fb.setFetchOrder(ad.filterSpan(),
                         prefetchOrder(FR, N, R, K, true, [&](auto n, auto k) { return B(k, n); }),
                         FR * N * R);
        break;
    }
    std::vector<std::int32_t> ia, fa;
    auto push = [](std::vector<std::int32_t>& v, std::int64_t id) {
        if (id >= 0)
            v.push_back(std::int32_t(id));
    };
    std::int64_t stalls = 0, line = 0, lastOut = 0;
    bool iSeen = false, fSeen = false, oSeen = false;
    for (std::int64_t fc = 0; fc < FC; ++fc)
        for (std::int64_t fr = 0; fr < FR; ++fr) {
            const std::int64_t k0 = fr * R, c0 = fc * C;
            const std::int64_t rowsUsed = std::min(R, Sr - k0), colsUsed = std::min(C, Sc - c0);
            for (std::int64_t t = 0; t < rep.cyclesPerFold; ++t, ++line) {
                const std::int64_t cycle = line + stalls;
                ia.clear();
                fa.clear();
                std::int64_t writes = 0;
                bool iDemand = false, fDemand = false;
                if (df == Dataflow::WS) {
                    for (std::int64_t c = std::max<std::int64_t>(0, t - R - T + 1);
                         c <= std::min(rowsUsed - 1, t - R); ++c, iDemand = true)
                        push(ia, A(t - c - R, k0 + c));
                    if (t < R && R - 1 - t < rowsUsed)
                        for (std::int64_t c = 0; c < colsUsed; ++c, fDemand = true)
                            push(fa, B(k0 + R - 1 - t, c0 + c));
                    writes = std::max<std::int64_t>(
                        0, std::min(colsUsed - 1, t - 2 * R + 1) -
                               std::max<std::int64_t>(0, t - 2 * R + 2 - T) + 1);
                } else if (df == Dataflow::OS) {
                    for (std::int64_t r = std::max<std::int64_t>(0, t - T + 1);
                         r <= std::min(rowsUsed - 1, t); ++r, iDemand = true)
                        push(ia, A(k0 + r, t - r));
                    for (std::int64_t c = std::max<std::int64_t>(0, t - T + 1);
                         c <= std::min(colsUsed - 1, t); ++c, fDemand = true)
                        push(fa, B(t - c, c0 + c));
                    for (std::int64_t c = 0; c < colsUsed; ++c) {
                        const std::int64_t i = t - c - (T - 1);
                        writes += i >= 0 && i < R && R - 1 - i < rowsUsed;
                    }
                } else {
                    if (t < R && R - 1 - t < rowsUsed)
                        for (std::int64_t c = 0; c < colsUsed; ++c, iDemand = true)
                            push(ia, A(c0 + c, k0 + R - 1 - t));
                    for (std::int64_t r = std::max<std::int64_t>(0, t - R - T + 1);
                         r <= std::min(rowsUsed - 1, t - R); ++r, fDemand = true)
                        push(fa, B(k0 + r, t - r - R));
                    writes = std::max<std::int64_t>(
                        0, std::min(colsUsed - 1, t - 2 * R + 1) -
                               std::max<std::int64_t>(0, t - 2 * R + 2 - T) + 1);
                }
                std::int64_t si = 0, sf = 0, so = 0;
                if (calc) {
                    ie.serviceLine(ia, cycle);
                    fe.serviceLine(fa, cycle);
                } else {
                    if (!ia.empty() || line == 0)
                        si = ib.serviceLine(ia, cycle) - cycle - 1;
                    if (!fa.empty() || line == 0)
                        sf = fb.serviceLine(fa, cycle) - cycle - 1;
                }
                // A line of padded ifmap words only (−1) is no demand for the SRAM cycles.
                iDemand = !ia.empty();
                if (writes > 0)
                    so = ob.serviceLine(writes, cycle) - cycle;
                auto mark = [](bool any, bool& seen, std::int64_t& start, std::int64_t& stop,
                               std::int64_t at) {
                    if (any) {
                        start = seen ? start : at;
                        seen = true;
                        stop = at;
                    }
                };
                mark(iDemand, iSeen, rep.ifmapSramStart, rep.ifmapSramStop, cycle + 1 + si);
                mark(fDemand, fSeen, rep.filterSramStart, rep.filterSramStop, cycle + 1 + sf);
                mark(writes > 0, oSeen, rep.ofmapSramStart, rep.ofmapSramStop, cycle + so);
                lastOut = cycle + so;
                stalls += std::max({si, sf, so});
            }
        }
    ob.flush(lastOut);
    ie.finish();
    fe.finish();
    rep.stallCycles = stalls;
    rep.totalCycles = lastOut;
    rep.overallUtilization = overallUtilizationPercent(rep.macs, rep.totalCycles, array);
    rep.ifmapDramReads = calc ? ie.reads : ib.dramReads();
    rep.ifmapDramStart = calc ? ie.start : ib.dramStart();
    rep.ifmapDramStop = calc ? ie.stop : ib.dramStop();
    rep.filterDramReads = calc ? fe.reads : fb.dramReads();
    rep.filterDramStart = calc ? fe.start : fb.dramStart();
    rep.filterDramStop = calc ? fe.stop : fb.dramStop();
    rep.ofmapDramWrites = ob.writes;
    rep.ofmapDramStart = ob.start;
    rep.ofmapDramStop = ob.stop;
    return rep;
}

} // namespace aisys::test::systolic_reference
