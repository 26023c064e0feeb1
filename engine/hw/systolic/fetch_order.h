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
        return {(s / m_width) * m_foldRows + i, s % m_width};
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
    std::int64_t m_lastFoldRow;           ///< first row of the last fold
    std::int64_t m_capLast;               ///< columns of the last fold holding data
    std::vector<std::int64_t> m_start;    ///< group → position of its first valid entry
    std::vector<std::int32_t> m_padFirst; ///< group → first of its padded columns in m_padCols
    std::vector<std::int32_t> m_padCols;  ///< padded columns, by group, ascending
};

} // namespace aisys::engine::systolic::detail
