// SCALE-Sim v2's double-buffered scratchpad (read_buffer.py, write_buffer.py), re-implemented
// with the same semantics; which fetch position a word has is the caller's business
// (fetch_order.h). Internal to engine/hw/systolic; see README.md.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace aisys::engine::systolic::detail {

/// ifmap / filter SRAM in front of DRAM (USER bandwidth). The fetch order (SCALE-Sim's prefetch
/// matrix) is chopped into lines (sets) of ⌈size/100⌉ valid words; the active window holds
/// ⌈active/set⌉ lines; a miss rotates the window by the prefetch lines and issues the next
/// DRAM prefetch of ⌈prefetch/bw⌉ rows of bw words.
class ReadBuffer {
public:
    /// sizeWords: SRAM words; bw: DRAM words per cycle (≥ 1); doubleBuffered: half active
    /// (SCALE-Sim's active_buf_frac = 0.5) or the whole buffer refilled on demand.
    ReadBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered);
    /// The fetch order: `valid` words (SCALE-Sim's prefetch matrix without its −1 entries),
    /// `entries` entries in all (the matrix size, idle entries included).
    void setFetchOrder(std::int64_t valid, std::int64_t entries);
    /// prefetch_active_buffer: fills the active window just before `cycle` (the first request).
    void prefetchActive(std::int64_t cycle);

    // The window is kept as fetch positions [m_posStart, m_posEnd) (line bounds × set size), so
    // a position or range is tested without dividing: line(p) ≥ s ⟺ p ≥ s·set and
    // line(p) < e ⟺ p < e·set. When the window wraps round the ring, m_posEnd < m_posStart.

    /// The line holding fetch position p is in the active window.
    bool positionInWindow(std::int64_t p) const {
        return m_posStart < m_posEnd ? (p >= m_posStart && p < m_posEnd)
                                     : (p >= m_posStart || p < m_posEnd);
    }
    /// True when every fetch position in [a, b) is in the active window, i.e. a demand line
    /// made of those words cannot miss.
    bool rangeInWindow(std::int64_t a, std::int64_t b) const {
        if (a >= b)
            return true;
        return m_posStart < m_posEnd ? (a >= m_posStart && b <= m_posEnd)
                                     : (a >= m_posStart || b <= m_posEnd);
    }
    /// True when no fetch position in [a, b) is in the active window.
    bool rangeOutsideWindow(std::int64_t a, std::int64_t b) const {
        if (a >= b)
            return true;
        return m_posStart < m_posEnd ? (b <= m_posStart || a >= m_posEnd)
                                     : (a >= m_posEnd && b <= m_posStart);
    }
    /// A demanded word is not in the window (read_buffer.service_reads): the window rotates,
    /// the next prefetch is issued, and the line's service offset (cycles after `cycle`,
    /// starting at the hit latency 1) grows by SCALE-Sim's stall arithmetic. `rotations` counts
    /// the rotations for this word: a word never found throws instead of looping.
    std::int64_t miss(std::int64_t cycle, std::int64_t offset, std::int64_t& rotations);

    std::int64_t dramReads() const { return m_numAccess; }
    std::int64_t dramStart() const { return m_dramStart; }
    std::int64_t dramStop() const { return m_dramStop; }

private:
    std::int64_t m_bw, m_set, m_activeSize = 0, m_prefetchSize = 0; ///< m_set: words per line
    bool m_double;
    std::int64_t m_numLines = 1, m_fetchRows = 1, m_activeLines = 1, m_prefetchLines = 0;
    std::int64_t m_winStart = 0, m_winEnd = 0; ///< window lines [start, end) on the ring
    std::int64_t m_posStart = 0, m_posEnd = 0; ///< the same in fetch positions
    std::int64_t m_lastPrefetch = 0, m_numAccess = 0, m_dramStart = 0, m_dramStop = 0;
};

/// ifmap / filter SRAM in CALC mode (SCALE-Sim's ReadBufferEstimateBw): every read hits, so
/// the array never waits for it; the buffer only counts DRAM traffic. Demanded addresses not
/// seen in the current epoch are collected; when 50 sets of ⌊size/100⌋ of them are full the
/// epoch ends (a prefetch of those words, timed from the previous one) and nothing of it is
/// remembered any more. The DRAM start is the first prefetch, ending just before the first
/// request; the stop is one cycle after the last epoch's end.
class EstimateBuffer {
public:
    /// sizeWords: SRAM words (≥ 100); bw: default DRAM words per cycle.
    EstimateBuffer(std::int64_t sizeWords, std::int64_t bw);
    /// Before the first `add`: addresses will be 0 … span − 1 (offset removed).
    void trackAddresses(std::int64_t span) { m_seen.assign(std::size_t((span + 63) / 64), 0); }
    /// The first demand line with a real word arrives at `cycle`.
    void firstRequest(std::int64_t cycle) {
        if (!m_requested) {
            m_firstRequest = cycle;
            m_requested = true;
        }
    }
    /// One demanded word (address without offset) at `cycle` (manage_prefetches).
    void add(std::int64_t id, std::int64_t cycle) {
        if (!(m_seen[std::size_t(id >> 6)] & (std::uint64_t(1) << (id & 63))))
            insert(id, cycle); // otherwise a hit: it is in a set of this epoch
    }
    /// complete_all_prefetches, after the last line.
    void finish() { complete(std::int64_t(m_inEpoch.size())); }
    /// Whether an operand of `distinct` different addresses can end an epoch at all; when it
    /// cannot, `finishDistinct` gives the whole result without any `add`.
    bool canRotate(std::int64_t distinct) const { return distinct >= m_epoch; }
    /// complete_all_prefetches when no epoch ended: every distinct address fetched once.
    void finishDistinct(std::int64_t distinct) { complete(distinct); }

    std::int64_t dramReads() const { return m_reads; }
    std::int64_t dramStart() const { return m_dramStart; }
    std::int64_t dramStop() const { return m_dramStop; }

private:
    void insert(std::int64_t id, std::int64_t cycle); ///< a new address of this epoch
    void rotate(std::int64_t cycle);
    void complete(std::int64_t n); ///< the last prefetch: n words of the unfinished epoch
    std::int64_t m_bw, m_items, m_epoch = 0;
    std::vector<std::uint64_t> m_seen;   ///< addresses in the current epoch (bit per address)
    std::vector<std::int64_t> m_inEpoch; ///< the same as a list, to clear them
    bool m_requested = false;
    std::int64_t m_firstRequest = 0, m_rotations = 0, m_lastStart = 0, m_lastEnd = 0;
    std::int64_t m_reads = 0, m_dramStart = 0, m_dramStop = 0;
};

/// ofmap SRAM: words are staged in lines of `bw`; when more than the active half is occupied
/// a drain of the drain half starts (one line per cycle); the array stalls only when the
/// buffer is full while a drain is in flight.
class WriteBuffer {
public:
    WriteBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered);
    /// `count` valid words written at `cycle`; returns the cycle the line is accepted.
    std::int64_t serviceLine(std::int64_t count, std::int64_t cycle) {
        // Most lines fit without any per-word check of service_writes firing: a drain in
        // flight (or a single buffer) fires at free ≤ 0, otherwise at free < active.
        const std::int64_t room =
            (!m_double || cycle < m_drainEnd) ? m_free - 1 : m_free - (m_total - m_drainSize);
        if (count > room)
            return serviceLineSlow(count, cycle);
        stage(count);
        return cycle;
    }
    /// Drains everything left after the last line (SCALE-Sim's empty_all_buffers).
    void flush(std::int64_t cycle);

    std::int64_t dramWrites() const { return m_numAccess; }
    std::int64_t dramStart() const { return m_dramStart; }
    std::int64_t dramStop() const { return m_dramStop; }
    bool touched() const { return m_drained; }

private:
    std::int64_t serviceLineSlow(std::int64_t count, std::int64_t cycle);
    void stage(std::int64_t n) { // n words into the staged lines
        m_free -= n;
        m_lineIdx += n;
        if (m_lineIdx >= m_bw) {
            m_lines += m_lineIdx / m_bw;
            m_lineIdx %= m_bw;
        }
    }
    void forceLine();
    std::int64_t drain(std::int64_t startCycle, std::int64_t maxLines);

    std::int64_t m_bw, m_total, m_drainSize;
    bool m_double;
    std::int64_t m_free;
    std::int64_t m_lineIdx = 0; // words in the line being filled
    // Staged lines (trace matrix rows) hold bw words except the ones cut short by a drain;
    // only those are listed (line index, words), so nothing grows with the layer.
    std::int64_t m_lines = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> m_partial;
    std::size_t m_partialNext = 0; // first entry of m_partial not yet drained
    std::int64_t lineWords(std::int64_t line);
    std::int64_t m_drainLine = 0; // next line to drain
    std::int64_t m_drainEnd = 0;
    std::int64_t m_numAccess = 0, m_dramStart = 0, m_dramStop = 0;
    bool m_drained = false;
};

} // namespace aisys::engine::systolic::detail
