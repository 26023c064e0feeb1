// Sugiyama stage 4: crossing reduction (median sweeps, transposition, best order kept).
#include "viz/sugiyama_internal.h"

#include <algorithm>
#include <limits>

namespace aisys::viz {

namespace {

/// Inversions of `seq` (values in [0, m)): pairs i < j with seq[i] > seq[j], by a Fenwick tree.
long long inversions(const std::vector<int>& seq, int m, std::vector<int>& tree) {
    tree.assign(static_cast<std::size_t>(m) + 1, 0);
    long long count = 0, inserted = 0;
    for (int x : seq) {
        long long notGreater = 0;
        for (int i = x + 1; i > 0; i -= i & -i)
            notGreater += tree[i];
        count += inserted - notGreater;
        for (int i = x + 1; i <= m; i += i & -i)
            ++tree[i];
        ++inserted;
    }
    return count;
}

} // namespace

long long countCrossings(const std::vector<int>& layer, const std::vector<int>& pos,
                         const std::vector<std::pair<int, int>>& edges) {
    // Group edges by their upper layer, sort each group by (upper pos, lower pos), count
    // inversions of the lower positions: each inversion is one crossing.
    std::vector<std::pair<int, std::pair<int, int>>> keyed; // (upper layer, (pos up, pos low))
    int maxPos = 0;
    for (auto [a, b] : edges) {
        if (layer[a] > layer[b])
            std::swap(a, b);
        keyed.push_back({layer[a], {pos[a], pos[b]}});
        maxPos = std::max({maxPos, pos[a], pos[b]});
    }
    std::sort(keyed.begin(), keyed.end());
    long long total = 0;
    std::vector<int> seq, tree;
    for (std::size_t i = 0; i < keyed.size();) {
        std::size_t j = i;
        seq.clear();
        for (; j < keyed.size() && keyed[j].first == keyed[i].first; ++j)
            seq.push_back(keyed[j].second.second);
        total += inversions(seq, maxPos + 1, tree);
        i = j;
    }
    return total;
}

namespace sg {

namespace {

/// Crossings between layer L and L + 1.
long long pairCrossings(const LayeredGraph& g, int L, std::vector<int>& seq, std::vector<int>& tree,
                        std::vector<int>& tmp) {
    seq.clear();
    for (int u : g.layers[L]) {
        tmp.clear();
        for (int v : g.down[u])
            tmp.push_back(g.pos[v]);
        std::sort(tmp.begin(), tmp.end());
        seq.insert(seq.end(), tmp.begin(), tmp.end());
    }
    return inversions(seq, static_cast<int>(g.layers[L + 1].size()), tree);
}

/// Dot's weighted median of sorted neighbour positions (−1 when there are none).
double medianOf(std::vector<int>& p) {
    const std::size_t n = p.size();
    if (n == 0)
        return -1;
    std::sort(p.begin(), p.end());
    if (n % 2 == 1)
        return p[n / 2];
    if (n == 2)
        return (p[0] + p[1]) / 2.0;
    const double l = p[n / 2 - 1] - p[0], r = p[n - 1] - p[n / 2];
    if (l + r == 0)
        return (p[n / 2 - 1] + p[n / 2]) / 2.0;
    return (p[n / 2 - 1] * r + p[n / 2] * l) / (l + r);
}

/// Crossings among the edges of u and v (u left of v) towards both neighbouring layers.
long long pairCost(const LayeredGraph& g, int u, int v, std::vector<int>& a, std::vector<int>& b) {
    long long c = 0;
    for (int side = 0; side < 2; ++side) {
        const auto& nu = side ? g.down[u] : g.up[u];
        const auto& nv = side ? g.down[v] : g.up[v];
        if (nu.empty() || nv.empty())
            continue;
        a.clear();
        b.clear();
        for (int x : nu)
            a.push_back(g.pos[x]);
        for (int x : nv)
            b.push_back(g.pos[x]);
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        // Pairs (x in a, y in b) with x > y cross.
        std::size_t j = 0;
        for (int x : a) {
            while (j < b.size() && b[j] < x)
                ++j;
            c += static_cast<long long>(j);
        }
    }
    return c;
}

class Reducer {
public:
    Reducer(LayeredGraph& g, const SugiyamaOptions& opt) : m_g(g), m_opt(opt) {}

    /// One sweep: every layer sorted by the median of its neighbours in the layer before.
    void sweep(bool down) {
        const int nL = static_cast<int>(m_g.layers.size());
        for (int k = 1; k < nL; ++k)
            sortLayer(down ? k : nL - 1 - k, down);
    }

    /// Adjacent swaps that lower crossings, until none does (or a pass limit); a layer is looked
    /// at again only when it or a neighbouring layer changed.
    void transpose() {
        const int nL = static_cast<int>(m_g.layers.size());
        std::vector<char> dirty(nL, 1), next(nL, 0);
        for (int pass = 0; pass < 8; ++pass) {
            bool any = false;
            std::fill(next.begin(), next.end(), 0);
            for (int L = 0; L < nL; ++L) {
                if (!dirty[L])
                    continue;
                auto& lay = m_g.layers[L];
                bool changed = false;
                for (std::size_t i = 0; i + 1 < lay.size(); ++i) {
                    const int u = lay[i], v = lay[i + 1];
                    if (m_g.group[u] != m_g.group[v] ||
                        (m_g.fixedRank[u] >= 0 && m_g.fixedRank[v] >= 0))
                        continue;
                    if (pairCost(m_g, v, u, m_a, m_b) < pairCost(m_g, u, v, m_a, m_b)) {
                        std::swap(lay[i], lay[i + 1]);
                        m_g.pos[lay[i]] = static_cast<int>(i);
                        m_g.pos[lay[i + 1]] = static_cast<int>(i + 1);
                        changed = true;
                    }
                }
                if (changed) {
                    any = true;
                    for (int d = -1; d <= 1; ++d)
                        if (L + d >= 0 && L + d < nL)
                            next[L + d] = 1;
                }
            }
            if (!any)
                break;
            dirty.swap(next);
        }
    }

private:
    void sortLayer(int L, bool down) {
        auto& lay = m_g.layers[L];
        const int other = down ? L - 1 : L + 1;
        const double scale =
            lay.size() > 1 ? double(m_g.layers[other].size()) / double(lay.size()) : 1.0;
        m_key.resize(m_g.size());
        for (int v : lay) {
            m_a.clear();
            for (int w : down ? m_g.up[v] : m_g.down[v])
                m_a.push_back(m_g.pos[w]);
            const double med = medianOf(m_a);
            // No neighbour there: keep roughly where it is.
            m_key[v] = med >= 0 ? med : m_g.pos[v] * scale;
        }
        // Members of a group sort by their group's mean key first, so they stay side by side.
        std::vector<double> groupKey;
        bool grouped = false;
        for (int v : lay)
            grouped |= m_g.group[v] >= 0;
        if (grouped) {
            std::vector<std::pair<double, int>> acc;
            for (int v : lay) {
                const int gi = m_g.group[v];
                if (gi < 0)
                    continue;
                if (static_cast<int>(acc.size()) <= gi)
                    acc.resize(gi + 1, {0.0, 0});
                acc[gi].first += m_key[v];
                acc[gi].second += 1;
            }
            groupKey.resize(acc.size());
            for (std::size_t gi = 0; gi < acc.size(); ++gi)
                groupKey[gi] = acc[gi].second ? acc[gi].first / acc[gi].second : 0;
        }
        auto outer = [&](int v) { return m_g.group[v] >= 0 ? groupKey[m_g.group[v]] : m_key[v]; };
        auto less = [&](int a, int b) {
            const double ga = grouped ? outer(a) : 0, gb = grouped ? outer(b) : 0;
            if (ga != gb)
                return ga < gb;
            if (m_g.group[a] != m_g.group[b])
                return m_g.group[a] < m_g.group[b];
            if (m_key[a] != m_key[b])
                return m_key[a] < m_key[b];
            return m_g.pos[a] < m_g.pos[b];
        };
        // Stable mode: nodes kept from the previous picture keep their relative order; the
        // others are merged in by key.
        std::vector<int> fixed, free;
        for (int v : lay)
            (m_g.fixedRank[v] >= 0 ? fixed : free).push_back(v);
        std::sort(free.begin(), free.end(), less);
        if (fixed.empty()) {
            lay = free;
        } else {
            std::sort(fixed.begin(), fixed.end(),
                      [&](int a, int b) { return m_g.fixedRank[a] < m_g.fixedRank[b]; });
            lay.clear();
            std::size_t i = 0, j = 0;
            while (i < fixed.size() || j < free.size())
                if (j < free.size() && (i == fixed.size() || m_key[free[j]] < m_key[fixed[i]]))
                    lay.push_back(free[j++]);
                else
                    lay.push_back(fixed[i++]);
        }
        for (std::size_t k = 0; k < lay.size(); ++k)
            m_g.pos[lay[k]] = static_cast<int>(k);
    }

    LayeredGraph& m_g;
    const SugiyamaOptions& m_opt;
    std::vector<double> m_key;
    std::vector<int> m_a, m_b;
};

} // namespace

long long crossingsOf(const LayeredGraph& g) {
    std::vector<int> seq, tree, tmp;
    long long total = 0;
    for (int L = 0; L + 1 < static_cast<int>(g.layers.size()); ++L)
        total += pairCrossings(g, L, seq, tree, tmp);
    return total;
}

long long reduceCrossings(LayeredGraph& g, const SugiyamaOptions& opt) {
    // 1. The initial order counts as a candidate unless groups must first be made contiguous.
    // 2. Sweep down, then up, alternately; after each sweep run transposition; count crossings.
    // 3. Keep the best order seen; stop after 6 sweeps without improvement or at zero.
    g.reindex();
    bool grouped = false;
    for (int x : g.group)
        grouped |= x >= 0;
    long long best = std::numeric_limits<long long>::max();
    std::vector<std::vector<int>> bestOrder = g.layers;
    if (!grouped)
        best = crossingsOf(g);
    Reducer r(g, opt);
    int sinceBest = 0;
    for (int it = 0; it < opt.maxSweeps && best > 0; ++it) {
        r.sweep(it % 2 == 0);
        if (opt.transpose)
            r.transpose();
        const long long c = crossingsOf(g);
        if (c < best) {
            best = c;
            bestOrder = g.layers;
            sinceBest = 0;
        } else if (++sinceBest >= 6) {
            break;
        }
    }
    g.layers = std::move(bestOrder);
    g.reindex();
    return best == std::numeric_limits<long long>::max() ? crossingsOf(g) : best;
}

} // namespace sg

} // namespace aisys::viz
