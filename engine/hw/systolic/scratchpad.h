// SCALE-Sim v2's double-buffered scratchpad (read_buffer.py, write_buffer.py), re-implemented
// with the same semantics and fast look-ups. Internal to engine/hw/systolic; see README.md.
#pragma once

#include <cstdint>
#include <vector>

namespace aisys::engine::systolic::detail {

/// ifmap / filter SRAM in front of DRAM. The fetch order (SCALE-Sim's prefetch matrix) is
/// chopped into lines of `bw` valid words; the active window holds ⌈active/bw⌉ lines; a miss
/// rotates the window by the prefetch lines and issues the next DRAM prefetch.
class ReadBuffer {
public:
    /// sizeWords: SRAM words; bw: DRAM words per cycle (≥ 1); doubleBuffered: half active
    /// (SCALE-Sim's active_buf_frac = 0.5) or the whole buffer refilled on demand.
    ReadBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered);
    ~ReadBuffer(); ///< hands its tables back to a per-thread pool (no page faults next layer)
    ReadBuffer(const ReadBuffer&) = delete;
    ReadBuffer& operator=(const ReadBuffer&) = delete;
    /// The prefetch matrix in order: `ids` are its valid words (address − offset, in
    /// [0, span)), `entries` counts all its entries including the −1 (idle) ones.
    void setFetchOrder(std::int64_t span, const std::vector<std::int32_t>& ids,
                       std::int64_t entries);
    /// Services one demand line (valid words only) arriving at `cycle`; returns the cycle it
    /// is served (cycle + hit latency 1 when every word hits).
    std::int64_t serviceLine(const std::int32_t* ids, std::size_t n, std::int64_t cycle);

    /// True when every word of fetch positions [a, b) (indices among the valid words) is in
    /// the active window, i.e. a demand line made of those words cannot miss.
    bool rangeInWindow(std::int64_t a, std::int64_t b) const {
        if (!m_activeFull)
            return false;
        if (a >= b)
            return true;
        const std::int64_t la = a / m_bw, lb = (b - 1) / m_bw;
        if (m_winStart < m_winEnd)
            return la >= m_winStart && lb < m_winEnd;
        return (la >= m_winStart && lb >= m_winStart) || (la < m_winEnd && lb < m_winEnd);
    }
    std::int64_t dramReads() const { return m_numAccess; }
    std::int64_t dramStart() const { return m_dramStart; }
    std::int64_t dramStop() const { return m_dramStop; }
    bool touched() const { return m_activeFull; }

private:
    bool hit(std::int32_t id) const {
        if (m_unique) { // every word occurs once in the prefetch order
            const std::int32_t l = m_lineOf[std::size_t(id)];
            if (l < 0)
                return false;
            return m_winStart < m_winEnd ? (l >= m_winStart && l < m_winEnd)
                                         : (l >= m_winStart || l < m_winEnd);
        }
        const std::int32_t* b = m_lines.data() + m_first[std::size_t(id)];
        const std::int32_t* e = m_lines.data() + m_first[std::size_t(id) + 1];
        if (b == e)
            return false;
        if (m_winStart < m_winEnd) {
            while (b != e && *b < m_winStart) // lists are short: a linear scan beats bisection
                ++b;
            return b != e && *b < m_winEnd;
        }
        return *(e - 1) >= m_winStart || *b < m_winEnd; // the window wraps around
    }
    void buildLineLists(const std::vector<std::int32_t>& ids);
    void finishSetup(std::int64_t valid, std::int64_t entries);
    void prefetchActive(std::int64_t startCycle);
    void newPrefetch(std::int64_t now);

    std::int64_t m_bw, m_activeSize, m_prefetchSize;
    bool m_double;
    std::int64_t m_span = 0;
    std::vector<std::int32_t> m_first; // CSR: word id → line ids holding it (ascending)
    std::vector<std::int32_t> m_lines;
    bool m_unique = false;              // no duplicates: m_lineOf replaces the CSR
    std::vector<std::int32_t> m_lineOf; // word id → its line (−1: not fetched)
    std::int64_t m_numLines = 1, m_fetchRows = 1, m_activeLines = 1, m_prefetchLines = 0;
    bool m_activeFull = false;
    std::int64_t m_winStart = 0, m_winEnd = 0;
    std::int64_t m_lastPrefetch = 0, m_numAccess = 0, m_dramStart = 0, m_dramStop = 0;
};

/// ofmap SRAM: words are staged in lines of `bw`; when more than the active half is occupied
/// a drain of the drain half starts (one line per cycle); the array stalls only when the
/// buffer is full while a drain is in flight.
class WriteBuffer {
public:
    WriteBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered);
    /// `count` valid words written at `cycle`; returns the cycle the line is accepted.
    std::int64_t serviceLine(std::int64_t count, std::int64_t cycle);
    /// Drains everything left after the last line (SCALE-Sim's empty_all_buffers).
    void flush(std::int64_t cycle);

    std::int64_t dramWrites() const { return m_numAccess; }
    std::int64_t dramStart() const { return m_dramStart; }
    std::int64_t dramStop() const { return m_dramStop; }
    bool touched() const { return m_drained; }

private:
    void forceLine();
    std::int64_t drain(std::int64_t startCycle, std::int64_t maxLines);

    std::int64_t m_bw, m_total, m_drainSize;
    bool m_double;
    std::int64_t m_free;
    std::int64_t m_lineIdx = 0;            // words in the line being filled
    std::vector<std::int32_t> m_lineWords; // words per staged line (trace matrix rows)
    std::int64_t m_drainLine = 0;          // next line to drain
    std::int64_t m_drainEnd = 0;
    std::int64_t m_numAccess = 0, m_dramStart = 0, m_dramStop = 0;
    bool m_drained = false;
};

} // namespace aisys::engine::systolic::detail
