// Plain attention and FlashAttention's Algorithm 1 (attention.h).
#include "engine/conv/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aisys::engine::conv {

std::string AttentionShape::check() const {
    const std::pair<const char*, std::int64_t> f[] = {
        {"N (query rows)", n}, {"N_k (key rows)", nk}, {"d (head size)", d}};
    for (const auto& [name, v] : f)
        if (v < 1)
            return std::string(name) + " must be at least 1, got " + std::to_string(v);
    if (double(n) * double(nk) > double(1 << 26) || double(n) * d > double(1 << 26) ||
        double(nk) * d > double(1 << 26))
        return "attention of " + std::to_string(n) + "×" + std::to_string(nk) + "×" +
               std::to_string(d) + " is too large (at most 2^26 scores and values)";
    return "";
}

namespace {

template <class T>
void checkAll(const AttentionShape& s, const std::vector<T>& q, const std::vector<T>& k,
              const std::vector<T>& v) {
    if (std::string e = s.check(); !e.empty())
        throw std::invalid_argument(e);
    if (static_cast<std::int64_t>(q.size()) != s.n * s.d ||
        static_cast<std::int64_t>(k.size()) != s.nk * s.d ||
        static_cast<std::int64_t>(v.size()) != s.nk * s.d)
        throw std::invalid_argument("attention: Q must hold N·d = " + std::to_string(s.n * s.d) +
                                    " values and K, V N_k·d = " + std::to_string(s.nk * s.d));
}

} // namespace

template <class T>
std::vector<T> attentionPlain(const AttentionShape& s, const std::vector<T>& q,
                              const std::vector<T>& k, const std::vector<T>& v,
                              AttentionStats* stats) {
    checkAll(s, q, k, v);
    const T scale = T(1) / std::sqrt(T(s.d));
    std::vector<T> S(static_cast<std::size_t>(s.n * s.nk));
    for (std::int64_t i = 0; i < s.n; ++i)
        for (std::int64_t j = 0; j < s.nk; ++j) {
            T acc = T(0);
            for (std::int64_t e = 0; e < s.d; ++e)
                acc += q[static_cast<std::size_t>(i * s.d + e)] *
                       k[static_cast<std::size_t>(j * s.d + e)];
            S[static_cast<std::size_t>(i * s.nk + j)] = acc * scale;
        }
    for (std::int64_t i = 0; i < s.n; ++i) { // P = softmax(S), row by row (max subtracted)
        T* row = S.data() + i * s.nk;
        const T mx = *std::max_element(row, row + s.nk);
        T sum = T(0);
        for (std::int64_t j = 0; j < s.nk; ++j)
            sum += (row[j] = std::exp(row[j] - mx));
        for (std::int64_t j = 0; j < s.nk; ++j)
            row[j] /= sum;
    }
    std::vector<T> o(static_cast<std::size_t>(s.n * s.d), T(0));
    for (std::int64_t i = 0; i < s.n; ++i)
        for (std::int64_t j = 0; j < s.nk; ++j) {
            const T p = S[static_cast<std::size_t>(i * s.nk + j)];
            for (std::int64_t e = 0; e < s.d; ++e)
                o[static_cast<std::size_t>(i * s.d + e)] +=
                    p * v[static_cast<std::size_t>(j * s.d + e)];
        }
    if (stats) {
        const std::int64_t nn = s.n * s.nk;
        *stats = AttentionStats{};
        // Algorithm 0: read Q, K, write S; read S, write P; read P, V, write O.
        stats->hbmReads = s.n * s.d + s.nk * s.d + nn + nn + s.nk * s.d;
        stats->hbmWrites = nn + nn + s.n * s.d;
        stats->extraElements = 2 * nn;
    }
    return o;
}

template <class T>
std::vector<T> attentionFlash(const AttentionShape& s, const std::vector<T>& q,
                              const std::vector<T>& k, const std::vector<T>& v, std::int64_t br,
                              std::int64_t bc, AttentionStats* stats, std::int64_t traceRow) {
    checkAll(s, q, k, v);
    if (br < 1 || bc < 1)
        throw std::invalid_argument("FlashAttention: block sizes Br and Bc must be ≥ 1, got " +
                                    std::to_string(br) + "," + std::to_string(bc));
    if (traceRow < 0 || traceRow >= s.n)
        throw std::invalid_argument("FlashAttention: traced row " + std::to_string(traceRow) +
                                    " outside 0…" + std::to_string(s.n - 1));
    const T scale = T(1) / std::sqrt(T(s.d));
    // Step 2: O = 0, l = 0, m = −∞ in HBM.
    std::vector<T> o(static_cast<std::size_t>(s.n * s.d), T(0));
    std::vector<T> l(static_cast<std::size_t>(s.n), T(0));
    std::vector<T> m(static_cast<std::size_t>(s.n), -std::numeric_limits<T>::infinity());
    AttentionStats st;
    st.recordRows = stats && stats->recordRows;
    st.hbmWrites = s.n * s.d + 2 * s.n;
    st.extraElements = 2 * s.n;
    std::vector<T> P(static_cast<std::size_t>(br * bc));
    for (std::int64_t j0 = 0; j0 < s.nk; j0 += bc) { // step 5: outer loop over K_j, V_j
        const std::int64_t cj = std::min(bc, s.nk - j0);
        st.hbmReads += 2 * cj * s.d;
        for (std::int64_t i0 = 0; i0 < s.n; i0 += br) { // step 7: inner loop over Q_i
            const std::int64_t ri = std::min(br, s.n - i0);
            st.hbmReads += 2 * ri * s.d + 2 * ri; // Q_i, O_i, l_i, m_i
            ++st.blocks;
            for (std::int64_t a = 0; a < ri; ++a) {
                const std::int64_t i = i0 + a;
                T mt = -std::numeric_limits<T>::infinity(); // step 9: S_ij, m̃, P̃, l̃
                for (std::int64_t b = 0; b < cj; ++b) {
                    T acc = T(0);
                    for (std::int64_t e = 0; e < s.d; ++e)
                        acc += q[static_cast<std::size_t>(i * s.d + e)] *
                               k[static_cast<std::size_t>((j0 + b) * s.d + e)];
                    P[static_cast<std::size_t>(a * bc + b)] = acc * scale;
                    mt = std::max(mt, acc * scale);
                }
                T lt = T(0);
                for (std::int64_t b = 0; b < cj; ++b)
                    lt += (P[static_cast<std::size_t>(a * bc + b)] =
                               std::exp(P[static_cast<std::size_t>(a * bc + b)] - mt));
                const T mOld = m[static_cast<std::size_t>(i)],
                        lOld = l[static_cast<std::size_t>(i)];
                const T mNew = std::max(mOld, mt); // step 11
                const T fOld = std::exp(mOld - mNew), fNew = std::exp(mt - mNew);
                const T lNew = fOld * lOld + fNew * lt;
                for (std::int64_t e = 0; e < s.d; ++e) { // step 12
                    T pv = T(0);
                    for (std::int64_t b = 0; b < cj; ++b)
                        pv += P[static_cast<std::size_t>(a * bc + b)] *
                              v[static_cast<std::size_t>((j0 + b) * s.d + e)];
                    T& oe = o[static_cast<std::size_t>(i * s.d + e)];
                    oe = (lOld * fOld * oe + fNew * pv) / lNew;
                }
                l[static_cast<std::size_t>(i)] = lNew; // step 13
                m[static_cast<std::size_t>(i)] = mNew;
                if (i == traceRow) {
                    st.rowMax.push_back(static_cast<double>(mNew));
                    st.rowSum.push_back(static_cast<double>(lNew));
                }
            }
            st.hbmWrites += ri * s.d + 2 * ri; // O_i, l_i, m_i back to HBM
            if (st.recordRows) {
                st.mAfter.emplace_back(m.begin(), m.end());
                st.lAfter.emplace_back(l.begin(), l.end());
                st.pairs.emplace_back(i0, j0);
            }
        }
    }
    if (stats)
        *stats = st;
    return o;
}

template std::vector<float> attentionPlain<float>(const AttentionShape&, const std::vector<float>&,
                                                  const std::vector<float>&,
                                                  const std::vector<float>&, AttentionStats*);
template std::vector<double> attentionPlain<double>(const AttentionShape&,
                                                    const std::vector<double>&,
                                                    const std::vector<double>&,
                                                    const std::vector<double>&, AttentionStats*);
template std::vector<float> attentionFlash<float>(const AttentionShape&, const std::vector<float>&,
                                                  const std::vector<float>&,
                                                  const std::vector<float>&, std::int64_t,
                                                  std::int64_t, AttentionStats*, std::int64_t);
template std::vector<double> attentionFlash<double>(const AttentionShape&,
                                                    const std::vector<double>&,
                                                    const std::vector<double>&,
                                                    const std::vector<double>&, std::int64_t,
                                                    std::int64_t, AttentionStats*, std::int64_t);

} // namespace aisys::engine::conv
