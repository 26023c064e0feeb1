// The systolic array's closed forms per fold and cycle: phases, random-access PE states (one
// formula for state() and snapshot()), activity, and the operand layout.
#include "engine/hw/systolic/array_sim.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace aisys::engine::systolic {

namespace {

std::int64_t clampI(std::int64_t v, std::int64_t lo, std::int64_t hi) {
    return std::max(lo, std::min(v, hi));
}

} // namespace

SystolicArray::SystolicArray(ArrayConfig array, Dataflow df, Matrix A, Matrix B)
    : m_array(array), m_df(df), m_A(std::move(A)), m_B(std::move(B)) {
    m_array.validate();
    if (m_A.rows() < 1 || m_A.cols() < 1 || m_B.cols() < 1)
        throw std::invalid_argument("systolic GEMM: A and B must be non-empty");
    if (m_A.cols() != m_B.rows())
        throw std::invalid_argument("systolic GEMM: A is " + std::to_string(m_A.rows()) + "x" +
                                    std::to_string(m_A.cols()) + " but B is " +
                                    std::to_string(m_B.rows()) + "x" + std::to_string(m_B.cols()) +
                                    " (A.cols must equal B.rows)");
    m_gemm = {m_A.rows(), m_A.cols(), m_B.cols()};
    m_At = m_A.transpose();
    m_st = systolic::spatioTemporal(m_gemm, m_df);
    m_addr.layer = Layer::gemm("gemm", m_gemm.M, m_gemm.K, m_gemm.N);
    m_rowFolds = (m_st.Sr + m_array.rows - 1) / m_array.rows;
    m_colFolds = (m_st.Sc + m_array.cols - 1) / m_array.cols;
}

std::int64_t SystolicArray::cyclesPerFold() const {
    const std::int64_t R = m_array.rows, C = m_array.cols;
    return m_df == Dataflow::OS ? R + C + m_st.T - 2 : 2 * R + C + m_st.T - 2;
}

std::int64_t SystolicArray::totalCycles() const {
    return foldCount() * cyclesPerFold() - 1;
}

FoldInfo SystolicArray::fold(std::int64_t f) const {
    if (f < 0 || f >= foldCount())
        throw std::out_of_range("fold " + std::to_string(f) + " out of range 0.." +
                                std::to_string(foldCount() - 1));
    FoldInfo fi;
    fi.index = f;
    fi.colFold = f / m_rowFolds; // SCALE-Sim: for fc: for fr:
    fi.rowFold = f % m_rowFolds;
    fi.rowStart = fi.rowFold * m_array.rows;
    fi.rowsUsed = std::min<std::int64_t>(m_array.rows, m_st.Sr - fi.rowStart);
    fi.colStart = fi.colFold * m_array.cols;
    fi.colsUsed = std::min<std::int64_t>(m_array.cols, m_st.Sc - fi.colStart);
    fi.cycles = cyclesPerFold();
    fi.startCycle = f * fi.cycles;
    return fi;
}

Phase SystolicArray::phase(std::int64_t f, std::int64_t t) const {
    const FoldInfo fi = fold(f);
    checkCycle(fi, t);
    const std::int64_t R = m_array.rows;
    if (m_df == Dataflow::OS)
        return t < m_st.T ? Phase::Stream : Phase::Drain;
    if (t < R)
        return Phase::Preload;
    return t < R + m_st.T ? Phase::Stream : Phase::Drain;
}

// --- element access in spatial coordinates -------------------------------------------------

namespace {

struct FoldView {
    const SystolicArray& sa;
    const FoldInfo& fi;
    // WS/IS: stationary word of spatial (row i, col c) of this fold; 0 outside the mapping.
    double stat(std::int64_t i, std::int64_t c) const {
        if (i < 0 || i >= fi.rowsUsed || c < 0 || c >= fi.colsUsed)
            return 0;
        if (sa.dataflow() == Dataflow::WS)
            return sa.B()(fi.rowStart + i, fi.colStart + c);
        return sa.A()(fi.colStart + c, fi.rowStart + i); // IS: Aᵀ block
    }
    // WS/IS: word streamed into row i at temporal index j.
    double stream(std::int64_t i, std::int64_t j) const {
        if (sa.dataflow() == Dataflow::WS)
            return sa.A()(j, fi.rowStart + i);
        return sa.B()(fi.rowStart + i, j);
    }
    // WS/IS: output element (m, n) produced by column c at temporal index j.
    std::pair<std::int64_t, std::int64_t> out(std::int64_t c, std::int64_t j) const {
        if (sa.dataflow() == Dataflow::WS)
            return {j, fi.colStart + c};
        return {fi.colStart + c, j};
    }
};

} // namespace

void SystolicArray::checkCycle(const FoldInfo& fi, std::int64_t t) const {
    if (t < 0 || t >= fi.cycles)
        throw std::out_of_range("cycle " + std::to_string(t) + " out of range 0.." +
                                std::to_string(fi.cycles - 1));
}

std::int64_t SystolicArray::firstMacCycle(std::int64_t r, std::int64_t c) const {
    // OS: operands enter at the array's edges skewed by row and column; WS/IS stream only
    // after the R-cycle preload of the stationary operand.
    return m_df == Dataflow::OS ? r + c : m_array.rows + r + c;
}

PeState SystolicArray::peState(const FoldInfo& fi, std::int64_t t, std::int64_t r, std::int64_t c,
                               bool withPsum) const {
    // 1. The MAC index this PE works on at cycle t: t − firstMacCycle(r, c) (the temporal
    //    index k for OS, j for WS/IS); MACs done so far clamp it + 1 to [0, T].
    // 2. OS: the stationary word is the psum of C(m, n) = A(m, 0..k)·B(0..k, n).
    // 3. WS/IS: during preload (t < R − 1) the stationary words travel down the column; then
    //    PE (r, c) holds its word, multiplies it with the word streamed into row r and adds the
    //    psum arriving from above (the psum is the dot product over rows 0..r).
    const std::int64_t R = m_array.rows, T = m_st.T;
    PeState s;
    s.used = r < fi.rowsUsed && c < fi.colsUsed;
    const std::int64_t j = t - firstMacCycle(r, c);
    if (m_df == Dataflow::OS) {
        if (!s.used)
            return s;
        s.stationaryLoaded = true;
        s.m = fi.rowStart + r;
        s.n = fi.colStart + c;
        s.macsDone = clampI(j + 1, 0, T);
        if (j >= 0 && j < T) {
            s.active = true;
            s.k = j;
            s.a = m_A(s.m, j);
            s.b = m_B(j, s.n);
        }
        if (withPsum && s.macsDone > 0)
            s.psum = m_At.col(s.m).head(s.macsDone).dot(m_B.col(s.n).head(s.macsDone));
        s.stationary = s.psum;
        return s;
    }
    const FoldView v{*this, fi};
    if (t < R - 1) {
        if (t >= r)
            s.stationary = v.stat(r + R - 1 - t, c);
    } else {
        s.stationary = v.stat(r, c);
        s.stationaryLoaded = s.used;
    }
    if (s.used)
        s.macsDone = clampI(j + 1, 0, T);
    if (j >= 0 && j < T && c < fi.colsUsed) {
        const auto [m, n] = v.out(c, j);
        s.m = m;
        s.n = n;
        if (withPsum) {
            const std::int64_t depth = std::min<std::int64_t>(r + 1, fi.rowsUsed);
            double sum = 0;
            for (std::int64_t i = 0; i < depth; ++i)
                sum += v.stat(i, c) * v.stream(i, j);
            s.psum = sum;
        }
        if (s.used) {
            s.active = true;
            s.k = fi.rowStart + r;
            const double streamed = v.stream(r, j);
            s.a = m_df == Dataflow::WS ? streamed : s.stationary;
            s.b = m_df == Dataflow::WS ? s.stationary : streamed;
        }
    }
    return s;
}

PeState SystolicArray::state(std::int64_t f, std::int64_t t, int row, int col) const {
    const FoldInfo fi = fold(f);
    checkCycle(fi, t);
    if (row < 0 || row >= m_array.rows || col < 0 || col >= m_array.cols)
        throw std::out_of_range("PE (" + std::to_string(row) + "," + std::to_string(col) +
                                ") outside the " + std::to_string(m_array.rows) + "x" +
                                std::to_string(m_array.cols) + " array");
    return peState(fi, t, row, col, true);
}

std::vector<PeState> SystolicArray::snapshot(std::int64_t f, std::int64_t t, bool withPsum) const {
    const FoldInfo fi = fold(f);
    checkCycle(fi, t);
    std::vector<PeState> out;
    out.reserve(std::size_t(m_array.rows) * std::size_t(m_array.cols));
    for (int r = 0; r < m_array.rows; ++r)
        for (int c = 0; c < m_array.cols; ++c)
            out.push_back(peState(fi, t, r, c, withPsum));
    return out;
}

Eigen::MatrixXi SystolicArray::activity(std::int64_t f, std::int64_t t) const {
    const FoldInfo fi = fold(f);
    if (t < 0)
        t = fi.cycles - 1;
    if (t >= fi.cycles)
        throw std::out_of_range("cycle " + std::to_string(t) + " out of range");
    const std::int64_t T = m_st.T;
    Eigen::MatrixXi a = Eigen::MatrixXi::Zero(m_array.rows, m_array.cols);
    for (std::int64_t r = 0; r < fi.rowsUsed; ++r)
        for (std::int64_t c = 0; c < fi.colsUsed; ++c) {
            a(r, c) = static_cast<int>(clampI(t - firstMacCycle(r, c) + 1, 0, T));
        }
    return a;
}

} // namespace aisys::engine::systolic
