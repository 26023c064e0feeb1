// Sugiyama stage 5: coordinates across the layers by Brandes–Köpf (2001), with the block-graph
// compaction of the 2020 erratum (as dagre does it) and per-node left/right extents.
#include "viz/sugiyama_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace aisys::viz::sg {

namespace {

using Conflicts = std::unordered_set<std::uint64_t>;

std::uint64_t pairKey(int a, int b) {
    if (a > b)
        std::swap(a, b);
    return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b);
}

/// Type-1 conflicts: a non-inner segment crossing an inner one (dummy → dummy). Inner segments
/// win, so long edges come out straight.
Conflicts typeOneConflicts(const LayeredGraph& g) {
    Conflicts c;
    for (std::size_t i = 1; i < g.layers.size(); ++i) {
        const auto& prev = g.layers[i - 1];
        const auto& cur = g.layers[i];
        int k0 = 0;
        std::size_t scan = 0;
        for (std::size_t l1 = 0; l1 < cur.size(); ++l1) {
            const int v = cur[l1];
            int w = -1;
            if (g.dummy[v])
                for (int u : g.up[v])
                    if (g.dummy[u])
                        w = u;
            if (w < 0 && l1 + 1 != cur.size())
                continue;
            const int k1 = w >= 0 ? g.pos[w] : static_cast<int>(prev.size());
            for (; scan <= l1; ++scan) {
                const int s = cur[scan];
                for (int u : g.up[s])
                    if ((g.pos[u] < k0 || g.pos[u] > k1) && !(g.dummy[u] && g.dummy[s]))
                        c.insert(pairKey(u, s));
            }
            k0 = k1;
        }
    }
    return c;
}

/// One of the four alignments: `fromBelow` aligns with lower neighbours (layers walked bottom
/// up), `fromRight` walks each layer right to left. Returns x of every node.
std::vector<float> alignAndCompact(const LayeredGraph& g, const Conflicts& conflicts,
                                   bool fromBelow, bool fromRight, float nodeGap, float edgeGap) {
    const int n = g.size();
    const int nL = static_cast<int>(g.layers.size());
    // Transformed order: position within the layer as walked.
    auto tpos = [&](int v) {
        return fromRight ? static_cast<int>(g.layers[g.layer[v]].size()) - 1 - g.pos[v] : g.pos[v];
    };
    auto layerAt = [&](int k) -> const std::vector<int>& {
        return g.layers[fromBelow ? nL - 1 - k : k];
    };
    auto walk = [&](const std::vector<int>& lay, auto&& f) {
        if (fromRight)
            for (auto it = lay.rbegin(); it != lay.rend(); ++it)
                f(*it);
        else
            for (int v : lay)
                f(v);
    };
    // 1. Vertical alignment: each node joins the block of its median neighbour when that
    //    neighbour lies right of the last one aligned in this layer and no conflict forbids it.
    std::vector<int> root(n), align(n);
    for (int v = 0; v < n; ++v)
        root[v] = align[v] = v;
    //    A side input (a weight read by one consumer) does not pull its consumer away from
    //    the consumer's other inputs: those are preferred, both ways.
    std::vector<char> leaf(n, 0), dataParent(n, 0);
    for (int v = 0; v < n; ++v)
        leaf[v] = g.side[v] && g.down[v].size() == 1;
    for (int v = 0; v < n; ++v)
        for (int u : g.up[v])
            dataParent[v] |= !leaf[u];
    std::vector<int> ws;
    for (int k = 0; k < nL; ++k) {
        int r = -1;
        walk(layerAt(k), [&](int v) {
            const auto& nb = fromBelow ? g.down[v] : g.up[v];
            if (nb.empty() || (fromBelow && leaf[v] && dataParent[nb[0]]))
                return;
            ws.clear();
            for (int w : nb)
                if (fromBelow || !dataParent[v] || !leaf[w])
                    ws.push_back(w);
            std::sort(ws.begin(), ws.end(), [&](int a, int b) { return tpos(a) < tpos(b); });
            const int d = static_cast<int>(ws.size());
            const int lo = (d - 1) / 2, hi = d / 2;
            for (int m = lo; m <= hi; ++m) {
                if (align[v] != v)
                    break;
                const int w = ws[m];
                if (r < tpos(w) && !conflicts.count(pairKey(v, w))) {
                    align[w] = v;
                    align[v] = root[v] = root[w];
                    r = tpos(w);
                }
            }
        });
    }
    // 2. Block graph: root(u) → root(v) for neighbours u, v in a layer (walk order), weighted by
    //    the separation they need.
    std::vector<std::vector<std::pair<int, float>>> out(n);
    std::vector<int> indeg(n, 0);
    for (int k = 0; k < nL; ++k) {
        int prev = -1;
        walk(layerAt(k), [&](int v) {
            if (prev >= 0) {
                const float gap = (g.dummy[prev] || g.dummy[v]) ? edgeGap : nodeGap;
                const float sep =
                    fromRight ? g.left[prev] + g.right[v] + gap : g.right[prev] + g.left[v] + gap;
                out[root[prev]].push_back({root[v], sep});
                ++indeg[root[v]];
            }
            prev = v;
        });
    }
    // 3. Longest path from the left (Kahn order), then pull blocks right towards their
    //    successors as far as the constraints allow.
    std::vector<int> topo;
    for (int v = 0; v < n; ++v)
        if (root[v] == v && indeg[v] == 0)
            topo.push_back(v);
    for (std::size_t i = 0; i < topo.size(); ++i)
        for (auto [w, s] : out[topo[i]])
            if (--indeg[w] == 0)
                topo.push_back(w);
    std::vector<float> xs(n, 0);
    for (int v : topo)
        for (auto [w, s] : out[v])
            xs[w] = std::max(xs[w], xs[v] + s);
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
        float m = std::numeric_limits<float>::infinity();
        for (auto [w, s] : out[*it])
            m = std::min(m, xs[w] - s);
        if (std::isfinite(m))
            xs[*it] = std::max(xs[*it], m);
    }
    std::vector<float> x(n);
    for (int v = 0; v < n; ++v)
        x[v] = fromRight ? -xs[root[v]] : xs[root[v]];
    return x;
}

} // namespace

std::vector<float> assignCoordinates(const LayeredGraph& g, float nodeGap, float edgeGap) {
    // 1. Mark type-1 conflicts. 2. Four alignments (up/down × left/right), each compacted.
    // 3. Align them to the narrowest (left ones by their left edge, right ones by their right
    //    edge). 4. Each node takes the mean of its two median candidates; separation holds
    //    because order statistics of pointwise-separated layouts stay separated.
    const int n = g.size();
    if (n == 0)
        return {};
    const Conflicts conflicts = typeOneConflicts(g);
    std::vector<float> xs[4];
    float lo[4], hi[4];
    int narrow = 0;
    for (int k = 0; k < 4; ++k) {
        xs[k] = alignAndCompact(g, conflicts, k / 2 == 1, k % 2 == 1, nodeGap, edgeGap);
        lo[k] = std::numeric_limits<float>::infinity();
        hi[k] = -lo[k];
        for (int v = 0; v < n; ++v) {
            lo[k] = std::min(lo[k], xs[k][v] - g.left[v]);
            hi[k] = std::max(hi[k], xs[k][v] + g.right[v]);
        }
        if (hi[k] - lo[k] < hi[narrow] - lo[narrow])
            narrow = k;
    }
    for (int k = 0; k < 4; ++k) {
        const float shift = k % 2 == 1 ? hi[narrow] - hi[k] : lo[narrow] - lo[k];
        for (float& x : xs[k])
            x += shift;
    }
    std::vector<float> x(n);
    for (int v = 0; v < n; ++v) {
        float c[4] = {xs[0][v], xs[1][v], xs[2][v], xs[3][v]};
        std::sort(c, c + 4);
        x[v] = (c[1] + c[2]) / 2;
    }
    return x;
}

} // namespace aisys::viz::sg
