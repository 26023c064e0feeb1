// Sugiyama stage 4: crossing reduction (median sweeps, transposition, best order kept).
#include "viz/sugiyama_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

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

/// Crossings between two sorted position ranges in both orders: `ab` += pairs a > b (the
/// owner of `a` left of the owner of `b`), `ba` += pairs a < b.
void crossPair(const int* a, const int* aEnd, const int* b, const int* bEnd, long long& ab,
               long long& ba) {
    const std::size_t nb = static_cast<std::size_t>(bEnd - b);
    std::size_t lo = 0, hi = 0;
    for (; a != aEnd; ++a) {
        while (lo < nb && b[lo] < *a)
            ++lo;
        while (hi < nb && b[hi] <= *a)
            ++hi;
        ab += static_cast<long long>(lo);
        ba += static_cast<long long>(nb - hi);
    }
}

class Reducer {
public:
    explicit Reducer(LayeredGraph& g) : m_g(g) {
        // Neighbour lists flattened (CSR); their positions are filled per layer visit.
        auto flatten = [&](const std::vector<std::vector<int>>& nb, std::vector<int>& off,
                           std::vector<int>& idx) {
            off.assign(1, 0);
            for (const auto& l : nb) {
                idx.insert(idx.end(), l.begin(), l.end());
                off.push_back(static_cast<int>(idx.size()));
            }
        };
        flatten(g.up, m_upOff, m_upIdx);
        flatten(g.down, m_dnOff, m_dnIdx);
        m_upPos.resize(m_upIdx.size());
        m_dnPos.resize(m_dnIdx.size());
    }

    /// Sorted neighbour positions of the nodes of layer L (valid while only L changes).
    void prepare(int L) {
        for (int v : m_g.layers[L]) {
            for (int k = m_upOff[v]; k < m_upOff[v + 1]; ++k)
                m_upPos[k] = m_g.pos[m_upIdx[k]];
            if (m_upOff[v + 1] - m_upOff[v] > 1)
                std::sort(m_upPos.begin() + m_upOff[v], m_upPos.begin() + m_upOff[v + 1]);
            for (int k = m_dnOff[v]; k < m_dnOff[v + 1]; ++k)
                m_dnPos[k] = m_g.pos[m_dnIdx[k]];
            if (m_dnOff[v + 1] - m_dnOff[v] > 1)
                std::sort(m_dnPos.begin() + m_dnOff[v], m_dnPos.begin() + m_dnOff[v + 1]);
        }
    }

    /// Crossings among the edges of u and v towards both neighbouring layers: first with u
    /// left of v, second with v left of u (layer prepared).
    std::pair<long long, long long> costs(int u, int v) const {
        long long uv = 0, vu = 0;
        const int* up = m_upPos.data();
        const int* dn = m_dnPos.data();
        crossPair(up + m_upOff[u], up + m_upOff[u + 1], up + m_upOff[v], up + m_upOff[v + 1], uv,
                  vu);
        crossPair(dn + m_dnOff[u], dn + m_dnOff[u + 1], dn + m_dnOff[v], dn + m_dnOff[v + 1], uv,
                  vu);
        return {uv, vu};
    }

    /// One sweep: every layer sorted by the median of its neighbours in the layer before;
    /// `reverse` flips the order of equal medians (to leave plateaus).
    void sweep(bool down, bool reverse) {
        const int nL = static_cast<int>(m_g.layers.size());
        for (int k = 1; k < nL; ++k)
            sortLayer(down ? k : nL - 1 - k, down, reverse);
    }

    /// Adjacent swaps that lower crossings, until none does (or a pass limit); a layer is looked
    /// at again only when it or a neighbouring layer changed.
    void transpose(bool reverse) {
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
                prepare(L);
                for (std::size_t i = 0; i + 1 < lay.size(); ++i) {
                    const int u = lay[i], v = lay[i + 1];
                    if (m_g.group[u] != m_g.group[v] ||
                        (m_g.fixedRank[u] >= 0 && m_g.fixedRank[v] >= 0))
                        continue;
                    const auto [c0, c1] = costs(u, v);
                    if (c1 < c0 || (reverse && c0 > 0 && c1 == c0)) {
                        std::swap(lay[i], lay[i + 1]);
                        m_g.pos[lay[i]] = static_cast<int>(i);
                        m_g.pos[lay[i + 1]] = static_cast<int>(i + 1);
                        changed = true;
                    }
                }
                if (changed) {
                    any = true; // (equal swaps count once per pass: the pass limit ends them)
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

    /// Sifting: each node of each layer tries every slot of its layer and takes the one with
    /// the fewest crossings towards both neighbouring layers (its current slot on ties).
    /// Returns the crossings removed.
    long long sift() {
        long long gain = 0;
        for (std::size_t L = 0; L < m_g.layers.size(); ++L) {
            auto& lay = m_g.layers[L];
            if (lay.size() < 2)
                continue;
            prepare(static_cast<int>(L));
            const std::vector<int> todo = lay;
            for (int v : todo) {
                // Move v to the far left, then walk it right past each other node w; the
                // running sum is the change against the far-left slot.
                std::vector<int> others;
                for (int w : lay)
                    if (w != v)
                        others.push_back(w);
                const int cur = m_g.pos[v];
                long long run = 0, best = 0, atCur = 0;
                int bestSlot = 0;
                for (std::size_t k = 0; k < others.size(); ++k) {
                    const int w = others[k];
                    const auto [vw, wv] = costs(v, w);
                    run += wv - vw;
                    if (static_cast<int>(k) + 1 == cur)
                        atCur = run;
                    if (run < best) {
                        best = run;
                        bestSlot = static_cast<int>(k) + 1;
                    }
                }
                if (cur == 0)
                    atCur = 0;
                if (best >= atCur)
                    continue;
                gain += atCur - best;
                others.insert(others.begin() + bestSlot, v);
                lay = others;
                for (std::size_t k = 0; k < lay.size(); ++k)
                    m_g.pos[lay[k]] = static_cast<int>(k);
            }
        }
        return gain;
    }

private:
    void sortLayer(int L, bool down, bool reverse) {
        auto& lay = m_g.layers[L];
        const int other = down ? L - 1 : L + 1;
        const double scale =
            lay.size() > 1 ? double(m_g.layers[other].size()) / double(lay.size()) : 1.0;
        m_key.resize(m_g.size());
        m_none.resize(m_g.size());
        for (int v : lay) {
            m_a.clear();
            for (int w : down ? m_g.up[v] : m_g.down[v])
                m_a.push_back(m_g.pos[w]);
            const double med = medianOf(m_a);
            // No neighbour there: keep roughly where it is.
            m_key[v] = med >= 0 ? med : m_g.pos[v] * scale;
            m_none[v] = med < 0;
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
            return reverse ? m_g.pos[a] > m_g.pos[b] : m_g.pos[a] < m_g.pos[b];
        };
        // Stable mode: nodes kept from the previous picture keep their relative order; the
        // others are merged in by key.
        std::vector<int>& fixed = m_fixed;
        std::vector<int>& free = m_free;
        fixed.clear();
        free.clear();
        for (int v : lay)
            (m_g.fixedRank[v] >= 0 ? fixed : free).push_back(v);
        if (fixed.empty() && !grouped) {
            // As dot: nodes without a neighbour there keep their slot, the others are sorted.
            std::vector<int>& movable = m_movable;
            movable.clear();
            for (int v : lay)
                if (!m_none[v])
                    movable.push_back(v);
            std::sort(movable.begin(), movable.end(), less);
            std::size_t j = 0;
            for (int& v : lay)
                if (!m_none[v])
                    v = movable[j++];
        } else if (fixed.empty()) {
            std::sort(free.begin(), free.end(), less);
            lay = free;
        } else {
            std::sort(free.begin(), free.end(), less);
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
    std::vector<double> m_key;
    std::vector<char> m_none;
    std::vector<int> m_a, m_fixed, m_free, m_movable;
    std::vector<int> m_upOff, m_upIdx, m_upPos, m_dnOff, m_dnIdx, m_dnPos;
};

} // namespace

/// Initial order: depth-first from the top (or bottom) layers, each node appended
/// to its layer when first reached. In stable mode, nodes with a previous place come first in
/// their previous order (and keep it: fixedRank), the others after them.
void initialOrder(LayeredGraph& g, const std::vector<float>& prevAcross, bool fromBottom,
                  bool breadth) {
    const int n = g.size();
    g.layers.assign(g.layers.size(), {});
    std::vector<std::pair<float, int>> fixed;
    for (int v = 0; v < n; ++v)
        if (!std::isnan(prevAcross[v]))
            fixed.push_back({prevAcross[v], v});
    std::stable_sort(fixed.begin(), fixed.end());
    std::vector<char> seen(n, 0);
    for (auto [a, v] : fixed) {
        g.fixedRank[v] = static_cast<int>(g.layers[g.layer[v]].size());
        g.layers[g.layer[v]].push_back(v);
        seen[v] = 1;
    }
    std::vector<int> starts(n);
    for (int v = 0; v < n; ++v)
        starts[v] = v;
    std::stable_sort(starts.begin(), starts.end(), [&](int a, int b) {
        return fromBottom ? g.layer[a] > g.layer[b] : g.layer[a] < g.layer[b];
    });
    std::vector<int> stack;
    for (int s : starts) {
        if (seen[s])
            continue;
        if (breadth) {
            // Breadth first: a queue; a node is placed when first reached.
            std::size_t head = stack.size();
            stack.push_back(s);
            seen[s] = 1;
            for (; head < stack.size(); ++head) {
                const int v = stack[head];
                g.layers[g.layer[v]].push_back(v);
                for (int w : fromBottom ? g.up[v] : g.down[v])
                    if (!seen[w]) {
                        seen[w] = 1;
                        stack.push_back(w);
                    }
            }
            continue;
        }
        stack.push_back(s);
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            if (seen[v])
                continue;
            seen[v] = 1;
            g.layers[g.layer[v]].push_back(v);
            const auto& next = fromBottom ? g.up[v] : g.down[v];
            for (auto it = next.rbegin(); it != next.rend(); ++it)
                if (!seen[*it])
                    stack.push_back(*it);
        }
    }
    g.reindex();
}

long long crossingsOf(const LayeredGraph& g) {
    std::vector<int> seq, tree, tmp;
    long long total = 0;
    for (int L = 0; L + 1 < static_cast<int>(g.layers.size()); ++L)
        total += pairCrossings(g, L, seq, tree, tmp);
    return total;
}

long long reduceCrossings(LayeredGraph& g, const SugiyamaOptions& opt) {
    // As dot's mincross: pass 0 from the depth-first order from the top, passes 1–3 from the
    // one from the bottom and the breadth-first ones (4 iterations each; skipped in stable
    // mode), pass 4 from the best so far
    // (up to maxSweeps iterations). An iteration is a median sweep (down on even, up on odd
    // iterations; equal medians flipped on iterations 0, 1 mod 4) and transposition; an order
    // at most as crossed as the best is kept, and 8 iterations without a 0.5 % gain end a pass.
    // With groups, an order counts only after one sweep has made the groups contiguous.
    g.reindex();
    bool grouped = false, stable = false;
    for (int v = 0; v < g.size(); ++v) {
        grouped |= g.group[v] >= 0;
        stable |= g.fixedRank[v] >= 0;
    }
    long long best = std::numeric_limits<long long>::max();
    // The best order, flat (layer sizes never change): saving is a copy, no allocation.
    std::vector<int> bestFlat;
    bestFlat.reserve(g.size());
    auto save = [&] {
        bestFlat.clear();
        for (const auto& l : g.layers)
            bestFlat.insert(bestFlat.end(), l.begin(), l.end());
    };
    auto restore = [&] {
        std::size_t k = 0;
        for (auto& l : g.layers)
            for (int& v : l)
                v = bestFlat[k++];
        g.reindex();
    };
    save();
    Reducer r(g);
    auto run = [&](int maxIter) {
        long long cur = crossingsOf(g);
        int trying = 0;
        for (int iter = 0; iter < maxIter && cur > 0 && trying++ < 8; ++iter) {
            const bool reverse = iter % 4 < 2;
            r.sweep(iter % 2 == 0, reverse);
            if (opt.transpose)
                r.transpose(!reverse);
            cur = crossingsOf(g);
            if (cur <= best) {
                save();
                if (double(cur) < 0.995 * double(best))
                    trying = 0;
                best = cur;
            }
        }
    };
    // Passes 1–3: depth first from the bottom, breadth first from either end; then, while the
    // graph is small (restartBudget), seeded random orders.
    const int restarts = std::max(0, opt.restartBudget / std::max(1, g.size()));
    const int last = 4 + restarts;
    std::mt19937 rng(12345);
    for (int pass = 0; pass <= last && best > 0; ++pass) {
        if (pass > 0 && pass < 4) {
            if (stable)
                continue;
            initialOrder(g, std::vector<float>(g.size(), std::nanf("")), pass % 2 == 1, pass >= 2);
        } else if (pass >= 4 && pass < last) {
            if (stable || grouped)
                continue;
            for (auto& lay : g.layers)
                std::shuffle(lay.begin(), lay.end(), rng);
            g.reindex();
        } else if (pass == last) {
            restore();
        }
        if (pass < last && !grouped) {
            const long long c = crossingsOf(g);
            if (c <= best) {
                best = c;
                save();
            }
        }
        run(pass < last ? std::min(4, opt.maxSweeps) : opt.maxSweeps);
    }
    restore();
    // Finally sift the best order (not with groups or kept places: it moves single nodes
    // anywhere in their layer), then transpose once more.
    if (!grouped && !stable && best > 0) {
        for (int round = 0; round < 4; ++round)
            if (r.sift() == 0)
                break;
        if (opt.transpose)
            r.transpose(false);
    }
    return crossingsOf(g);
}

} // namespace sg

} // namespace aisys::viz
