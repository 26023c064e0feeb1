// Attention O = softmax(Q Kᵀ / √d) V two ways: plainly (S and P materialized, "Algorithm 0"
// of Dao et al. 2022) and FlashAttention's tiled online softmax (Dao, Fu, Ermon, Rudra, Ré,
// "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", NeurIPS 2022,
// arXiv:2205.14135, Algorithm 1), counting the elements each moves between HBM and SRAM.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::conv {

/// Q is n×d, K and V are nk×d (row-major), O is n×d.
struct AttentionShape {
    std::int64_t n = 1, nk = 1, d = 1;
    /// "" or a message naming the bad size (each ≥ 1, n·nk ≤ 2^26).
    std::string check() const;
};

/// Element traffic between HBM and on-chip memory, and one row's running max per K/V block.
struct AttentionStats {
    std::int64_t hbmReads = 0, hbmWrites = 0; ///< elements
    std::int64_t extraElements = 0;           ///< S and P (plain) or l and m (flash) in HBM
    std::int64_t blocks = 0;                  ///< (i, j) tile pairs visited (flash)
    std::vector<double> rowMax;               ///< flash: m of row `traceRow` after each K/V block
    std::vector<double> rowSum;               ///< flash: l of that row after each K/V block
    /// Set before the call to have attentionFlash keep m and l of every row after each (i, j)
    /// tile pair (for pictures; N values per pair).
    bool recordRows = false;
    std::vector<std::vector<double>> mAfter, lAfter;          ///< per tile pair, in visiting order
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs; ///< (i0, j0) of each tile pair
};

template <class T>
std::vector<T> attentionPlain(const AttentionShape& s, const std::vector<T>& q,
                              const std::vector<T>& k, const std::vector<T>& v,
                              AttentionStats* stats = nullptr);

/// Algorithm 1: K/V blocks of Bc rows in the outer loop, Q blocks of Br rows inside; per (i, j)
/// S_ij = Q_i K_jᵀ/√d, m̃ = rowmax, P̃ = exp(S − m̃), l̃ = rowsum, m_new = max(m, m̃),
/// l_new = e^{m−m_new} l + e^{m̃−m_new} l̃, O_i ← diag(l_new)⁻¹(diag(l) e^{m−m_new} O_i +
/// e^{m̃−m_new} P̃ V_j). `traceRow` picks the row whose m and l are recorded.
template <class T>
std::vector<T> attentionFlash(const AttentionShape& s, const std::vector<T>& q,
                              const std::vector<T>& k, const std::vector<T>& v, std::int64_t br,
                              std::int64_t bc, AttentionStats* stats = nullptr,
                              std::int64_t traceRow = 0);

} // namespace aisys::engine::conv
