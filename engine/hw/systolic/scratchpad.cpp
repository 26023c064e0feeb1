// SCALE-Sim v2's double-buffered read and write scratchpads: prefetch, misses and stalls.
#include "engine/hw/systolic/scratchpad.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine::systolic::detail {

namespace {
std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}
} // namespace

// --- ReadBuffer -----------------------------------------------------------------------------

ReadBuffer::ReadBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered)
    : m_bw(bw), m_set(ceilDiv(sizeWords, 100)), m_double(doubleBuffered) {
    if (sizeWords < 2 || bw < 1)
        throw std::invalid_argument("read buffer: need ≥ 2 words and bandwidth ≥ 1");
    // read_buffer.set_params with active_buf_frac = 0.5 (single_layer_sim.py).
    m_activeSize = m_double ? ceilDiv(sizeWords, 2) : sizeWords;
    m_prefetchSize = sizeWords - m_activeSize;
}

void ReadBuffer::setFetchOrder(std::int64_t valid, std::int64_t entries) {
    // prepare_hashed_buffer: every ⌈size/100⌉ valid words form one line (a set). The set being
    // filled is always stored, so a multiple of the set size leaves one empty last line.
    // set_fetch_matrix: the DRAM side reads the matrix in rows of bw entries.
    m_numLines = valid / m_set + 1;
    m_fetchRows = std::max<std::int64_t>(1, ceilDiv(entries, m_bw));
    const std::int64_t maxActive = ceilDiv(m_activeSize, m_set);
    const std::int64_t maxPrefetch = ceilDiv(m_prefetchSize, m_set);
    m_activeLines = std::min(maxActive, m_numLines);
    m_prefetchLines = std::min(maxPrefetch, m_numLines - m_activeLines);
}

void ReadBuffer::prefetchActive(std::int64_t startCycle) {
    // The active half arrives just before the first request; the DRAM port answers one line
    // of bw words per cycle with latency 1.
    const std::int64_t n = std::min(ceilDiv(m_activeSize, m_bw), m_fetchRows);
    m_numAccess += n * m_bw;
    m_dramStart = startCycle - n;
    m_lastPrefetch = startCycle - 1;
    m_dramStop = m_lastPrefetch;
    m_winStart = 0;
    m_winEnd = m_activeLines;
    m_posStart = 0;
    m_posEnd = m_winEnd * m_set;
}

std::int64_t ReadBuffer::miss(std::int64_t cycle, std::int64_t offset, std::int64_t& rotations) {
    if (m_activeLines >= m_numLines || ++rotations > m_numLines + 2)
        throw std::logic_error("read buffer: demanded word never fetched");
    const std::int64_t now = cycle + offset;
    if (m_double) {
        // new_prefetch: the window moves by the prefetch lines; the next prefetch is issued
        // back to back after the previous one (cycles last+1 .. last+n, latency 1).
        m_winStart = (m_winStart + m_prefetchLines) % m_numLines;
        m_winEnd = (m_winStart + m_activeLines) % m_numLines;
        const std::int64_t n = ceilDiv(m_prefetchSize, m_bw);
        m_numAccess += n * m_bw;
        m_lastPrefetch += n + 1;
    } else {
        // Single buffer (our extension): the whole buffer is refilled when a word is missing,
        // starting now; nothing is fetched ahead.
        m_winStart = (m_winStart + m_activeLines) % m_numLines;
        m_winEnd = (m_winStart + m_activeLines) % m_numLines;
        const std::int64_t n = ceilDiv(m_activeSize, m_bw);
        m_numAccess += n * m_bw;
        m_lastPrefetch = std::max(now, m_lastPrefetch + 1) + n;
    }
    m_posStart = m_winStart * m_set;
    m_posEnd = m_winEnd * m_set;
    m_dramStop = std::max(m_dramStop, m_lastPrefetch);
    // read_buffer.service_reads: potential_stall_cycles = last_prefect_cycle − (cycle +
    // offset), added to the offset when positive.
    const std::int64_t stall = m_lastPrefetch - now;
    return offset + std::max<std::int64_t>(stall, 0);
}

// --- EstimateBuffer -------------------------------------------------------------------------

EstimateBuffer::EstimateBuffer(std::int64_t sizeWords, std::int64_t bw)
    : m_bw(bw), m_items(sizeWords / 100) {
    // ReadBufferEstimateBw.set_params: num_items_per_set = ⌊size/100⌋, 50 sets active
    // (active_buf_frac 0.5 · 100) and 50 prefetched, so an epoch is 50 full sets.
    if (m_items < 1 || bw < 1)
        throw std::invalid_argument("estimate buffer: need ≥ 100 words and bandwidth ≥ 1");
    m_epoch = 50 * m_items;
}

void EstimateBuffer::insert(std::int64_t id, std::int64_t cycle) {
    m_seen[std::size_t(id >> 6)] |= std::uint64_t(1) << (id & 63);
    m_inEpoch.push_back(id);
    if (std::int64_t(m_inEpoch.size()) == m_epoch)
        rotate(cycle);
}

void EstimateBuffer::rotate(std::int64_t cycle) {
    // manage_prefetches when current_set_id reaches read_buffer_set_end_id + 1.
    m_reads += m_epoch;
    if (m_rotations == 0) { // the active buffer's prefetch ends just before the first request
        m_lastEnd = m_firstRequest - 2;
        const std::int64_t n = ceilDiv(m_epoch, m_bw);
        m_lastStart = m_lastEnd - n + 1;
        m_dramStart = m_lastStart + 1; // read_port latency 1
    }
    m_dramStop = std::max(m_dramStop, m_lastEnd + 1);
    m_lastStart = m_lastEnd + 1;
    m_lastEnd = cycle;
    ++m_rotations;
    for (std::int64_t id : m_inEpoch)
        m_seen[std::size_t(id >> 6)] &= ~(std::uint64_t(1) << (id & 63));
    m_inEpoch.clear();
}

void EstimateBuffer::complete(std::int64_t n) {
    // complete_all_prefetches: the addresses of the unfinished epoch are fetched too.
    m_reads += n;
    if (m_rotations == 0) {
        // Nothing was prefetched yet: ⌈n/items⌉ sets at the default bandwidth, ending at −2.
        const std::int64_t cycles = ceilDiv(ceilDiv(n, m_items) * m_items, m_bw);
        m_dramStart = -cycles;
        m_dramStop = -1;
    } else {
        m_dramStop = std::max(m_dramStop, m_lastEnd + 1);
    }
}

// --- WriteBuffer ----------------------------------------------------------------------------

WriteBuffer::WriteBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered)
    : m_bw(bw), m_total(sizeWords), m_double(doubleBuffered), m_free(sizeWords) {
    if (sizeWords < 2 || bw < 1)
        throw std::invalid_argument("write buffer: need ≥ 2 words and bandwidth ≥ 1");
    m_drainSize = m_double ? sizeWords - ceilDiv(sizeWords, 2) : sizeWords;
}

void WriteBuffer::forceLine() {
    if (m_lineIdx != 0) {
        m_partial.emplace_back(m_lines++, m_lineIdx);
        m_lineIdx = 0;
    }
}

std::int64_t WriteBuffer::lineWords(std::int64_t line) {
    // Lines are asked for in increasing order: skip the short lines drained before.
    while (m_partialNext < m_partial.size() && m_partial[m_partialNext].first < line)
        ++m_partialNext;
    if (m_partialNext < m_partial.size() && m_partial[m_partialNext].first == line)
        return m_partial[m_partialNext].second;
    return m_bw;
}

std::int64_t WriteBuffer::drain(std::int64_t startCycle, std::int64_t maxLines) {
    // empty_drain_buf: one staged line per cycle (write port latency 0); only the last line's
    // padding is subtracted from the count, exactly as SCALE-Sim does.
    const std::int64_t end = std::min(m_drainLine + maxLines, m_lines);
    const std::int64_t n = end - m_drainLine;
    if (n <= 0)
        return startCycle;
    const std::int64_t data = (n - 1) * m_bw + lineWords(end - 1);
    m_numAccess += data;
    // get_external_access_start_stop_cycles: the first and the last row of the drain trace
    // (the final flush may start before a drain in flight ends: its rows still come last).
    if (!m_drained)
        m_dramStart = startCycle;
    m_dramStop = startCycle + n - 1;
    m_drained = true;
    m_free += data;
    m_drainLine = end;
    return startCycle + n - 1;
}

std::int64_t WriteBuffer::serviceLineSlow(std::int64_t count, std::int64_t cycle) {
    std::int64_t current = cycle;
    const std::int64_t drainLines = ceilDiv(m_drainSize, m_bw);
    const std::int64_t active = m_total - m_drainSize;
    while (count > 0) {
        // Words that can be stored before the per-word check of service_writes fires:
        //  drain in flight → it fires when the buffer is full (free ≤ 0);
        //  no drain        → when the occupancy passes the active part (free < active).
        std::int64_t k = 1;
        if (!m_double)
            k = std::max<std::int64_t>(1, m_free);
        else if (current < m_drainEnd)
            k = std::max<std::int64_t>(1, m_free);
        else
            k = std::max<std::int64_t>(1, m_free - active + 1);
        const std::int64_t n = std::min(k, count);
        // Stage n words: full lines of bw words go to the trace.
        stage(n);
        count -= n;
        if (!m_double) { // single buffer: drain everything when full; the array waits
            if (m_free <= 0) {
                forceLine();
                current = drain(current, m_lines) + 1;
            }
            continue;
        }
        if (current < m_drainEnd) {
            if (m_free <= 0)
                current = m_drainEnd;
        } else if (m_free < active) {
            forceLine();
            m_drainEnd = drain(current, drainLines);
        }
    }
    return current;
}

void WriteBuffer::flush(std::int64_t cycle) {
    forceLine();
    const std::int64_t lines = m_double ? ceilDiv(m_drainSize, m_bw) : m_lines;
    while (m_drainLine < m_lines) {
        m_drainEnd = drain(cycle, lines);
        cycle = m_drainEnd + 1;
    }
}

} // namespace aisys::engine::systolic::detail
