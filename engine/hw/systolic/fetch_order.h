// SCALE-Sim's prefetch matrix of one operand, described arithmetically instead of stored: the
// position of any entry in the fetch order is a closed form (see README.md, "How the memory
// model is computed fast").
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace aisys::engine::systolic::detail {

/// The prefetch matrix of create_*_prefetch_mat: `folds` blocks of `foldRows` rows stacked
/// along the rows, `width` columns (array rows or columns). Entry (row, c) is the operand
/// element (i, s) with i = row % foldRows, s = (row / foldRows)·width + c. It is read
/// anti-diagonally (`diag`: group d holds the entries with row + c = d, column ascending) or
/// row by row (group = row). Idle entries (s ≥ spatial) and padded ifmap words (address −1)
/// are skipped; the position of an entry is the number of valid entries read before it.
class FetchOrder {
public:
    /// `padded`: the (i, s) elements with address −1 (past the ifmap edge), any order.
    FetchOrder(std::int64_t folds, std::int64_t foldRows, std::int64_t width, std::int64_t spatial,
               bool diag, const std::vector<std::pair<std::int64_t, std::int64_t>>& padded);

    std::int64_t rows() const { return m_rows; }
    std::int64_t width() const { return m_width; }
    bool diagonal() const { return m_diag; }
    /// All entries of the matrix, idle and padded ones included (SCALE-Sim's matrix size).
    std::int64_t entries() const { return m_rows * m_width; }
    /// Valid entries = words in the fetch order.
    std::int64_t valid() const { return m_start.back(); }
    /// Group (diagonal or row) holding entry (row, c).
    std::int64_t group(std::int64_t row, std::int64_t c) const { return m_diag ? row + c : row; }
    /// Position of group g's first valid entry; groupStart(g + 1) is one past its last.
    std::int64_t groupStart(std::int64_t g) const { return m_start[std::size_t(g)]; }
    /// Valid entries read before entry (row, c): its position when it is valid.
    std::int64_t position(std::int64_t row, std::int64_t c) const;
    /// Entry of element (i, s).
    std::pair<std::int64_t, std::int64_t> entry(std::int64_t i, std::int64_t s) const {
        return {m_sRow[std::size_t(s)] + i, m_sCol[std::size_t(s)]};
    }

private:
    std::int64_t firstCol(std::int64_t g) const {
        return m_diag ? std::max<std::int64_t>(0, g - m_rows + 1) : 0;
    }
    std::int64_t lastCol(std::int64_t g) const {
        return m_diag ? std::min(g, m_width - 1) : m_width - 1;
    }
    /// Idle entries (s ≥ spatial: last fold, columns ≥ m_capLast) of group g with column < end.
    std::int64_t idleBefore(std::int64_t g, std::int64_t end) const;

    std::int64_t m_rows, m_width, m_foldRows;
    bool m_diag;
    std::int64_t m_lastFoldRow;               ///< first row of the last fold
    std::int64_t m_capLast;                   ///< columns of the last fold holding data
    std::vector<std::int64_t> m_sRow, m_sCol; ///< s → (s / width)·foldRows, s % width
    std::vector<std::int64_t> m_start;        ///< group → position of its first valid entry
    std::vector<std::int32_t> m_padFirst; ///< group → first of its padded columns in m_padCols
    std::vector<std::int32_t> m_padCols;  ///< padded columns, by group, ascending
};

inline FetchOrder::FetchOrder(std::int64_t folds, std::int64_t foldRows, std::int64_t width,
                              std::int64_t spatial, bool diag,
                              const std::vector<std::pair<std::int64_t, std::int64_t>>& padded)
    : m_rows(folds * foldRows), m_width(width), m_foldRows(foldRows), m_diag(diag),
      m_lastFoldRow((folds - 1) * foldRows), m_capLast(spatial - (folds - 1) * width) {
    // Groups as SCALE-Sim reads them: rows + width anti-diagonals (the last one empty, as in
    // the stored version) or one group per row.
    const std::int64_t groups = diag ? m_rows + m_width : m_rows;
    m_sRow.resize(std::size_t(spatial));
    m_sCol.resize(std::size_t(spatial));
    for (std::int64_t s = 0; s < spatial; ++s) {
        m_sRow[std::size_t(s)] = (s / width) * foldRows;
        m_sCol[std::size_t(s)] = s % width;
    }
    // Padded columns bucketed by group (counting sort), ascending within each group.
    m_padFirst.assign(std::size_t(groups) + 1, 0);
    for (const auto& [i, s] : padded) {
        const auto [row, c] = entry(i, s);
        ++m_padFirst[std::size_t(group(row, c)) + 1];
    }
    for (std::int64_t g = 0; g < groups; ++g)
        m_padFirst[std::size_t(g) + 1] += m_padFirst[std::size_t(g)];
    m_padCols.assign(padded.size(), 0);
    if (!padded.empty()) {
        std::vector<std::int32_t> fill(m_padFirst.begin(), m_padFirst.end() - 1);
        for (const auto& [i, s] : padded) {
            const auto [row, c] = entry(i, s);
            m_padCols[std::size_t(fill[std::size_t(group(row, c))]++)] = std::int32_t(c);
        }
        for (std::int64_t g = 0; g < groups; ++g)
            std::sort(m_padCols.begin() + m_padFirst[std::size_t(g)],
                      m_padCols.begin() + m_padFirst[std::size_t(g) + 1]);
    }
    m_start.assign(std::size_t(groups) + 1, 0);
    for (std::int64_t g = 0; g < groups; ++g) {
        const std::int64_t pad = m_padFirst[std::size_t(g) + 1] - m_padFirst[std::size_t(g)];
        const std::int64_t all = std::max<std::int64_t>(0, lastCol(g) - firstCol(g) + 1);
        m_start[std::size_t(g) + 1] =
            m_start[std::size_t(g)] + all - idleBefore(g, lastCol(g) + 1) - pad;
    }
}

inline std::int64_t FetchOrder::idleBefore(std::int64_t g, std::int64_t end) const {
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

inline std::int64_t FetchOrder::position(std::int64_t row, std::int64_t c) const {
    const std::int64_t g = group(row, c);
    std::int64_t n = c - firstCol(g) - idleBefore(g, c);
    for (std::int32_t p = m_padFirst[std::size_t(g)]; p < m_padFirst[std::size_t(g) + 1]; ++p)
        n -= m_padCols[std::size_t(p)] < c;
    return m_start[std::size_t(g)] + n;
}

} // namespace aisys::engine::systolic::detail
