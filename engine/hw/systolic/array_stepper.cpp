// SystolicArray's edge feed, SRAM addresses and cycle-stepped run; SystolicStepper.
#include "engine/hw/systolic/array_sim.h"

#include <stdexcept>
#include <string>

namespace aisys::engine::systolic {

void SystolicArray::setLayer(const Layer& layer, std::int64_t ifmapOffset,
                             std::int64_t filterOffset, std::int64_t ofmapOffset) {
    layer.validate();
    const GemmShape g = layer.gemmShape();
    if (g.M != m_gemm.M || g.K != m_gemm.K || g.N != m_gemm.N)
        throw std::invalid_argument("layer '" + layer.name + "' maps to GEMM " +
                                    std::to_string(g.M) + "x" + std::to_string(g.K) + "x" +
                                    std::to_string(g.N) + " but the matrices are " +
                                    std::to_string(m_gemm.M) + "x" + std::to_string(m_gemm.K) +
                                    "x" + std::to_string(m_gemm.N));
    m_addr = OperandAddresses{layer, ifmapOffset, filterOffset, ofmapOffset};
}

std::int64_t SystolicArray::addressA(std::int64_t m, std::int64_t k) const {
    return m_addr.a(m, k);
}

std::int64_t SystolicArray::addressB(std::int64_t k, std::int64_t n) const {
    return m_addr.b(k, n);
}

std::int64_t SystolicArray::addressC(std::int64_t m, std::int64_t n) const {
    return m_addr.c(m, n);
}

EdgeFeed SystolicArray::feed(std::int64_t f, std::int64_t t) const {
    const FoldInfo fi = fold(f);
    if (t < 0 || t >= fi.cycles)
        throw std::out_of_range("cycle " + std::to_string(t) + " out of range");
    const std::int64_t R = m_array.rows, C = m_array.cols, T = m_st.T;
    EdgeFeed e;
    e.left.resize(std::size_t(R));
    e.top.resize(std::size_t(C));
    e.bottom.resize(std::size_t(C));
    auto wordA = [&](std::int64_t m, std::int64_t k) {
        return EdgeWord{true, m, k, m_A(m, k), addressA(m, k)};
    };
    auto wordB = [&](std::int64_t k, std::int64_t n) {
        return EdgeWord{true, k, n, m_B(k, n), addressB(k, n)};
    };
    if (m_df == Dataflow::OS) {
        for (std::int64_t r = 0; r < fi.rowsUsed; ++r)
            if (const std::int64_t k = t - r; k >= 0 && k < T)
                e.left[std::size_t(r)] = wordA(fi.rowStart + r, k);
        for (std::int64_t c = 0; c < fi.colsUsed; ++c) {
            if (const std::int64_t k = t - c; k >= 0 && k < T)
                e.top[std::size_t(c)] = wordB(k, fi.colStart + c);
            const std::int64_t r = t - (T - 1) - c; // PE finishing its last MAC now
            if (r >= 0 && r < fi.rowsUsed) {
                const std::int64_t m = fi.rowStart + r, n = fi.colStart + c;
                e.bottom[std::size_t(c)] =
                    EdgeWord{true, m, n, m_At.col(m).dot(m_B.col(n)), addressC(m, n)};
            }
        }
        return e;
    }
    const bool ws = m_df == Dataflow::WS;
    if (t < R) { // preload: the word for spatial row R−1−t enters at the top
        const std::int64_t i = R - 1 - t;
        if (i < fi.rowsUsed)
            for (std::int64_t c = 0; c < fi.colsUsed; ++c)
                e.top[std::size_t(c)] = ws ? wordB(fi.rowStart + i, fi.colStart + c)
                                           : wordA(fi.colStart + c, fi.rowStart + i);
    }
    for (std::int64_t r = 0; r < fi.rowsUsed; ++r)
        if (const std::int64_t j = t - R - r; j >= 0 && j < T)
            e.left[std::size_t(r)] = ws ? wordA(j, fi.rowStart + r) : wordB(fi.rowStart + r, j);
    for (std::int64_t c = 0; c < fi.colsUsed; ++c) {
        const std::int64_t j = t - 2 * R + 1 - c;
        if (j < 0 || j >= T)
            continue;
        const std::int64_t m = ws ? j : fi.colStart + c;
        const std::int64_t n = ws ? fi.colStart + c : j;
        const std::int64_t k0 = fi.rowStart, len = fi.rowsUsed;
        const double v = m_At.col(m).segment(k0, len).dot(m_B.col(n).segment(k0, len));
        e.bottom[std::size_t(c)] = EdgeWord{true, m, n, v, addressC(m, n)};
    }
    return e;
}

Matrix SystolicArray::run() const {
    Matrix C = Matrix::Zero(m_gemm.M, m_gemm.N);
    for (std::int64_t f = 0; f < foldCount(); ++f) {
        SystolicStepper st(*this, f);
        while (!st.done())
            st.step();
        for (const auto& [mn, v] : st.outputs())
            C(mn.first, mn.second) += v;
    }
    return C;
}

// --- SystolicStepper ------------------------------------------------------------------------

SystolicStepper::SystolicStepper(const SystolicArray& sa, std::int64_t fold)
    : m_sa(sa), m_fold(sa.fold(fold)), m_R(sa.array().rows), m_C(sa.array().cols) {
    const std::size_t n = std::size_t(m_R) * std::size_t(m_C);
    m_pe.assign(n, PeState{});
    m_hReg.assign(n, 0);
    m_vReg.assign(n, 0);
    m_hTag.assign(n, -1);
    m_vTag.assign(n, -1);
    m_stat.assign(n, 0);
    m_statTag.assign(n, -1);
}

bool SystolicStepper::done() const {
    return m_cycle + 1 >= m_fold.cycles;
}

PeState SystolicStepper::state(int row, int col) const {
    if (row < 0 || row >= m_R || col < 0 || col >= m_C)
        throw std::out_of_range("PE outside the array");
    return m_pe[std::size_t(row) * std::size_t(m_C) + std::size_t(col)];
}

void SystolicStepper::step() {
    if (done())
        throw std::logic_error("SystolicStepper::step past the end of the fold");
    const std::int64_t t = ++m_cycle;
    const std::int64_t R = m_R, C = m_C, T = m_sa.spatioTemporal().T;
    const FoldInfo& fi = m_fold;
    const Matrix& A = m_sa.A();
    const Matrix& B = m_sa.B();
    auto at = [&](std::int64_t r, std::int64_t c) { return std::size_t(r * C + c); };
    auto used = [&](std::int64_t r, std::int64_t c) { return r < fi.rowsUsed && c < fi.colsUsed; };

    // Horizontal registers shift one PE to the right; a new word enters at column 0.
    for (std::int64_t r = 0; r < R; ++r) {
        for (std::int64_t c = C - 1; c > 0; --c) {
            m_hReg[at(r, c)] = m_hReg[at(r, c - 1)];
            m_hTag[at(r, c)] = m_hTag[at(r, c - 1)];
        }
        const std::int64_t j = m_sa.dataflow() == Dataflow::OS ? t - r : t - R - r;
        const bool valid = r < fi.rowsUsed && j >= 0 && j < T;
        double v = 0;
        if (valid) {
            const std::int64_t i = fi.rowStart + r;
            v = m_sa.dataflow() == Dataflow::WS   ? A(j, i)
                : m_sa.dataflow() == Dataflow::IS ? B(i, j)
                                                  : A(i, j);
        }
        m_hReg[at(r, 0)] = v;
        m_hTag[at(r, 0)] = valid ? j : -1;
    }

    if (m_sa.dataflow() == Dataflow::OS) {
        // Vertical registers carry B down; each PE accumulates in place.
        for (std::int64_t c = 0; c < C; ++c) {
            for (std::int64_t r = R - 1; r > 0; --r) {
                m_vReg[at(r, c)] = m_vReg[at(r - 1, c)];
                m_vTag[at(r, c)] = m_vTag[at(r - 1, c)];
            }
            const std::int64_t k = t - c;
            const bool valid = c < fi.colsUsed && k >= 0 && k < T;
            m_vReg[at(0, c)] = valid ? B(k, fi.colStart + c) : 0;
            m_vTag[at(0, c)] = valid ? k : -1;
        }
        for (std::int64_t r = 0; r < R; ++r)
            for (std::int64_t c = 0; c < C; ++c) {
                PeState& s = m_pe[at(r, c)];
                s.used = used(r, c);
                s.stationaryLoaded = s.used;
                s.m = s.used ? fi.rowStart + r : -1;
                s.n = s.used ? fi.colStart + c : -1;
                const std::int64_t kh = m_hTag[at(r, c)], kv = m_vTag[at(r, c)];
                s.active = kh >= 0 && kv >= 0;
                if (s.active && kh != kv)
                    throw std::logic_error("systolic OS: operands out of step");
                s.k = s.active ? kh : -1;
                s.a = s.active ? m_hReg[at(r, c)] : 0;
                s.b = s.active ? m_vReg[at(r, c)] : 0;
                if (s.active) {
                    s.psum += s.a * s.b;
                    ++s.macsDone;
                    if (s.k == T - 1)
                        m_out.push_back({{s.m, s.n}, s.psum});
                }
                s.stationary = s.psum;
            }
        return;
    }

    // WS / IS. Preload: stationary words shift down one row per cycle.
    if (t < R) {
        FoldInfo f2 = fi;
        for (std::int64_t c = 0; c < C; ++c) {
            for (std::int64_t r = R - 1; r > 0; --r) {
                m_stat[at(r, c)] = m_stat[at(r - 1, c)];
                m_statTag[at(r, c)] = m_statTag[at(r - 1, c)];
            }
            const std::int64_t i = R - 1 - t;
            double v = 0;
            if (i < f2.rowsUsed && c < f2.colsUsed)
                v = m_sa.dataflow() == Dataflow::WS ? B(f2.rowStart + i, f2.colStart + c)
                                                    : A(f2.colStart + c, f2.rowStart + i);
            m_stat[at(0, c)] = v;
            m_statTag[at(0, c)] = i;
        }
    }
    // Partial sums move down: new psum(r) = old psum(r−1) + stationary(r) · streamed(r).
    for (std::int64_t c = 0; c < C; ++c)
        for (std::int64_t r = R - 1; r >= 0; --r) {
            const double above = r > 0 ? m_vReg[at(r - 1, c)] : 0;
            const std::int64_t tag = r > 0 ? m_vTag[at(r - 1, c)] : m_hTag[at(0, c)];
            const std::size_t p = at(r, c);
            PeState& s = m_pe[p];
            s.used = used(r, c);
            s.stationary = m_stat[p];
            s.stationaryLoaded = s.used && t >= R - 1;
            const std::int64_t jh = m_hTag[p];
            s.active = s.used && jh >= 0;
            if (s.active && jh != tag)
                throw std::logic_error("systolic WS/IS: operand and partial sum out of step");
            m_vReg[p] = above + m_stat[p] * m_hReg[p];
            m_vTag[p] = tag;
            s.psum = m_vReg[p];
            if (tag >= 0 && c < fi.colsUsed) {
                const bool ws = m_sa.dataflow() == Dataflow::WS;
                s.m = ws ? tag : fi.colStart + c;
                s.n = ws ? fi.colStart + c : tag;
            } else {
                s.m = s.n = -1;
            }
            s.k = s.active ? fi.rowStart + r : -1;
            s.a = s.b = 0;
            if (s.active) {
                ++s.macsDone;
                const bool ws = m_sa.dataflow() == Dataflow::WS;
                s.a = ws ? m_hReg[p] : m_stat[p];
                s.b = ws ? m_stat[p] : m_hReg[p];
            }
            if (r == R - 1 && tag >= 0 && c < fi.colsUsed)
                m_out.push_back({{s.m, s.n}, s.psum});
        }
}

} // namespace aisys::engine::systolic
