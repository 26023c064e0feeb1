#include "engine/hw/systolic/fetch_order.h"

namespace aisys::engine::systolic::detail {

FetchOrder::FetchOrder(std::int64_t folds, std::int64_t foldRows, std::int64_t width,
                       std::int64_t spatial, bool diag,
                       const std::vector<std::pair<std::int64_t, std::int64_t>>& padded)
    : m_rows(folds * foldRows), m_width(width), m_foldRows(foldRows), m_diag(diag),
      m_lastFoldRow((folds - 1) * foldRows), m_capLast(spatial - (folds - 1) * width) {
    // Groups as SCALE-Sim reads them: rows + width anti-diagonals (the last one empty, as in
    // the stored version) or one group per row.
    const std::int64_t groups = diag ? m_rows + m_width : m_rows;
    std::vector<std::pair<std::int64_t, std::int64_t>> pads; // (group, column)
    pads.reserve(padded.size());
    for (const auto& [i, s] : padded) {
        const auto [row, c] = entry(i, s);
        pads.emplace_back(group(row, c), c);
    }
    std::sort(pads.begin(), pads.end());
    m_padFirst.assign(std::size_t(groups) + 1, 0);
    m_padCols.clear();
    for (const auto& [g, c] : pads) {
        ++m_padFirst[std::size_t(g) + 1];
        m_padCols.push_back(std::int32_t(c));
    }
    m_start.assign(std::size_t(groups) + 1, 0);
    for (std::int64_t g = 0; g < groups; ++g) {
        m_padFirst[std::size_t(g) + 1] += m_padFirst[std::size_t(g)];
        const std::int64_t pad = m_padFirst[std::size_t(g) + 1] - m_padFirst[std::size_t(g)];
        const std::int64_t all = std::max<std::int64_t>(0, lastCol(g) - firstCol(g) + 1);
        m_start[std::size_t(g) + 1] =
            m_start[std::size_t(g)] + all - idleBefore(g, lastCol(g) + 1) - pad;
    }
}

std::int64_t FetchOrder::idleBefore(std::int64_t g, std::int64_t end) const {
    // Idle entries are the last fold's columns c ≥ m_capLast. In a row group that is the whole
    // tail of a last-fold row; on anti-diagonal g the entry (g − c, c) is in the last fold
    // while c ≤ g − m_lastFoldRow.
    if (!m_diag)
        return g < m_lastFoldRow ? 0
                                 : std::max<std::int64_t>(0, std::min(end, m_width) - m_capLast);
    const std::int64_t lo = std::max(firstCol(g), m_capLast);
    const std::int64_t hi = std::min({end - 1, g - m_lastFoldRow, lastCol(g)});
    return std::max<std::int64_t>(0, hi - lo + 1);
}

std::int64_t FetchOrder::position(std::int64_t row, std::int64_t c) const {
    const std::int64_t g = group(row, c);
    std::int64_t n = c - firstCol(g) - idleBefore(g, c);
    for (std::int32_t p = m_padFirst[std::size_t(g)]; p < m_padFirst[std::size_t(g) + 1]; ++p)
        n -= m_padCols[std::size_t(p)] < c;
    return m_start[std::size_t(g)] + n;
}

} // namespace aisys::engine::systolic::detail
