#include "engine/hw/systolic/scratchpad.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine::systolic::detail {

namespace {
std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// Large tables are reused between layers: freshly allocated ones cost page faults.
thread_local std::vector<std::vector<std::int32_t>> g_pool;

std::vector<std::int32_t> acquire() {
    if (g_pool.empty())
        return {};
    std::vector<std::int32_t> v = std::move(g_pool.back());
    g_pool.pop_back();
    return v;
}

void release(std::vector<std::int32_t>& v) {
    if (v.capacity() == 0 || g_pool.size() >= 8)
        return;
    v.clear();
    g_pool.push_back(std::move(v));
}
} // namespace

// --- ReadBuffer -----------------------------------------------------------------------------

ReadBuffer::ReadBuffer(std::int64_t sizeWords, std::int64_t bw, bool doubleBuffered)
    : m_bw(bw), m_double(doubleBuffered) {
    if (sizeWords < 2 || bw < 1)
        throw std::invalid_argument("read buffer: need ≥ 2 words and bandwidth ≥ 1");
    // read_buffer.set_params with active_buf_frac = 0.5 (single_layer_sim.py).
    m_activeSize = m_double ? ceilDiv(sizeWords, 2) : sizeWords;
    m_prefetchSize = sizeWords - m_activeSize;
    m_first = acquire();
    m_lines = acquire();
    m_lineOf = acquire();
}

ReadBuffer::~ReadBuffer() {
    release(m_first);
    release(m_lines);
    release(m_lineOf);
}

void ReadBuffer::setFetchOrder(std::int64_t span, const std::vector<std::int32_t>& ids,
                               std::int64_t entries) {
    m_span = span;
    if (ids.size() >= (std::size_t(1) << 31))
        throw std::invalid_argument("read buffer: prefetch matrix too large (≥ 2^31 words)");
    // prepare_hashed_buffer: every `bw` valid words form one line (a set of addresses).
    // Usually each word occurs once (GEMM operands, filters): one table gives its line.
    m_unique = true;
    m_lineOf.assign(std::size_t(span), -1);
    for (std::size_t j = 0; j < ids.size() && m_unique; ++j) {
        const std::int32_t id = ids[j];
        if (id < 0 || id >= span)
            throw std::logic_error("read buffer: address outside its operand");
        if (m_lineOf[std::size_t(id)] >= 0)
            m_unique = false;
        else
            m_lineOf[std::size_t(id)] = std::int32_t(std::int64_t(j) / m_bw);
    }
    m_first.clear();
    m_lines.clear();
    const std::int64_t valid = std::int64_t(ids.size());
    if (!m_unique)
        buildLineLists(ids);
    finishSetup(valid, entries);
}

void ReadBuffer::buildLineLists(const std::vector<std::int32_t>& ids) {
    const std::int64_t span = m_span;
    m_first.assign(std::size_t(span) + 1, 0);
    for (std::int32_t id : ids) {
        if (id < 0 || id >= span)
            throw std::logic_error("read buffer: address outside its operand");
        ++m_first[std::size_t(id) + 1];
    }
    for (std::int64_t i = 0; i < span; ++i)
        m_first[std::size_t(i) + 1] += m_first[std::size_t(i)];
    m_lines.assign(ids.size(), 0);
    std::vector<std::int32_t> fill(m_first.begin(), m_first.end() - 1);
    for (std::size_t j = 0; j < ids.size(); ++j)
        m_lines[std::size_t(fill[std::size_t(ids[j])]++)] = std::int32_t(std::int64_t(j) / m_bw);
}

void ReadBuffer::finishSetup(std::int64_t valid, std::int64_t entries) {
    // The set being filled is always stored, so a multiple of bw leaves one empty last line.
    m_numLines = valid / m_bw + 1;
    m_fetchRows = std::max<std::int64_t>(1, ceilDiv(entries, m_bw));
    const std::int64_t maxActive = ceilDiv(m_activeSize, m_bw);
    const std::int64_t maxPrefetch = ceilDiv(m_prefetchSize, m_bw);
    m_activeLines = std::min(maxActive, m_numLines);
    m_prefetchLines = std::min(maxPrefetch, m_numLines - m_activeLines);
}

void ReadBuffer::prefetchActive(std::int64_t startCycle) {
    // prefetch_active_buffer: the active half arrives just before the first request; the
    // DRAM port answers one line of bw words per cycle with latency 1.
    const std::int64_t n = std::min(ceilDiv(m_activeSize, m_bw), m_fetchRows);
    m_numAccess += n * m_bw;
    m_dramStart = startCycle - n;
    m_lastPrefetch = startCycle - 1;
    m_dramStop = m_lastPrefetch;
    m_winStart = 0;
    m_winEnd = m_activeLines;
    m_activeFull = true;
}

void ReadBuffer::newPrefetch(std::int64_t now) {
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
    m_dramStop = std::max(m_dramStop, m_lastPrefetch);
}

std::int64_t ReadBuffer::serviceLine(const std::int32_t* ids, std::size_t n, std::int64_t cycle) {
    if (!m_activeFull)
        prefetchActive(cycle);
    std::int64_t offset = 1; // hit latency
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t guard = 0;
        while (!hit(ids[i])) {
            if (m_activeLines >= m_numLines || ++guard > m_numLines + 2)
                throw std::logic_error("read buffer: demanded word never fetched");
            newPrefetch(cycle + offset);
            const std::int64_t stall = m_lastPrefetch - (cycle + offset);
            if (m_double) {
                // read_buffer.service_reads adds the difference, and once more when positive.
                offset += stall;
                if (stall > 0)
                    offset += stall;
            } else if (stall > 0) {
                offset += stall;
            }
        }
    }
    return cycle + offset;
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
        m_lineWords.push_back(std::int32_t(m_lineIdx));
        m_lineIdx = 0;
    }
}

std::int64_t WriteBuffer::drain(std::int64_t startCycle, std::int64_t maxLines) {
    // empty_drain_buf: one staged line per cycle (write port latency 0); only the last line's
    // padding is subtracted from the count, exactly as SCALE-Sim does.
    const std::int64_t end =
        std::min<std::int64_t>(m_drainLine + maxLines, std::int64_t(m_lineWords.size()));
    const std::int64_t n = end - m_drainLine;
    if (n <= 0)
        return startCycle;
    const std::int64_t data = (n - 1) * m_bw + m_lineWords[std::size_t(end - 1)];
    m_numAccess += data;
    if (!m_drained)
        m_dramStart = startCycle;
    m_dramStart = std::min(m_dramStart, startCycle);
    m_dramStop = std::max(m_dramStop, startCycle + n - 1);
    m_drained = true;
    m_free += data;
    m_drainLine = end;
    return startCycle + n - 1;
}

std::int64_t WriteBuffer::serviceLine(std::int64_t count, std::int64_t cycle) {
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
        m_free -= n;
        count -= n;
        std::int64_t idx = m_lineIdx + n;
        while (idx >= m_bw) {
            m_lineWords.push_back(std::int32_t(m_bw));
            idx -= m_bw;
        }
        m_lineIdx = idx;
        if (!m_double) { // single buffer: drain everything when full; the array waits
            if (m_free <= 0) {
                forceLine();
                current = drain(current, std::int64_t(m_lineWords.size())) + 1;
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
    const std::int64_t lines =
        m_double ? ceilDiv(m_drainSize, m_bw) : std::int64_t(m_lineWords.size());
    while (m_drainLine < std::int64_t(m_lineWords.size())) {
        m_drainEnd = drain(cycle, lines);
        cycle = m_drainEnd + 1;
    }
}

} // namespace aisys::engine::systolic::detail
