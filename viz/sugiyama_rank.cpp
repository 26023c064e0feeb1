// Sugiyama stages 1–2: collapsed groups to units, cycle removal, layer assignment.
#include "viz/sugiyama_rank.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::viz::sg {

namespace {

/// Units: one per node, except that the members of a collapsed group share one.
void buildUnits(Ranking& r, const std::vector<SugiyamaNode>& nodes, const SugiyamaOptions& opt) {
    const int n = static_cast<int>(nodes.size());
    std::vector<int> collapsedOf(n, -1), expandedOf(n, -1);
    for (std::size_t gi = 0; gi < opt.groups.size(); ++gi)
        for (int m : opt.groups[gi].members) {
            if (m < 0 || m >= n)
                throw std::invalid_argument("layout group '" + opt.groups[gi].name + "': member " +
                                            std::to_string(m) + " is not a node index (0.." +
                                            std::to_string(n - 1) + ")");
            // A node in several groups belongs to the first.
            if (collapsedOf[m] >= 0 || expandedOf[m] >= 0)
                continue;
            (opt.groups[gi].collapsed ? collapsedOf : expandedOf)[m] = static_cast<int>(gi);
        }
    std::vector<int> unitOfGroup(opt.groups.size(), -1);
    r.unitOf.assign(n, -1);
    auto addUnit = [&](float w, float h, int expanded, int collapsed, const std::string& name,
                       bool side) {
        r.unitSide.push_back(side ? 1 : 0);
        r.unitW.push_back(w);
        r.unitH.push_back(h);
        r.unitGroup.push_back(expanded);
        r.unitCollapsed.push_back(collapsed);
        r.prev.push_back(nullptr);
        if (opt.previous && !name.empty()) {
            auto it = opt.previous->nodes.find(name);
            if (it != opt.previous->nodes.end())
                r.prev.back() = &it->second;
        }
        return static_cast<int>(r.unitW.size()) - 1;
    };
    for (int v = 0; v < n; ++v) {
        const int cg = collapsedOf[v];
        if (cg < 0) {
            r.unitOf[v] =
                addUnit(nodes[v].w, nodes[v].h, expandedOf[v], -1, nodes[v].name, nodes[v].side);
            continue;
        }
        if (unitOfGroup[cg] < 0) {
            const SugiyamaGroup& gr = opt.groups[cg];
            unitOfGroup[cg] = addUnit(gr.collapsedW, gr.collapsedH, -1, cg, gr.name, false);
        }
        r.unitOf[v] = unitOfGroup[cg];
        // A collapsed group without a place of its own takes its first placed member's.
        const int u = unitOfGroup[cg];
        if (!r.prev[u] && opt.previous && !nodes[v].name.empty()) {
            auto it = opt.previous->nodes.find(nodes[v].name);
            if (it != opt.previous->nodes.end())
                r.prev[u] = &it->second;
        }
    }
}

} // namespace

Ranking rankUnits(const std::vector<SugiyamaNode>& nodes, const std::vector<SugiyamaEdge>& edges,
                  const SugiyamaOptions& opt) {
    const int n = static_cast<int>(nodes.size());
    Ranking r;
    buildUnits(r, nodes, opt);
    const int U = static_cast<int>(r.unitW.size());
    // Edges between units; self-loops and edges inside a collapsed group are not laid out.
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const auto& ed = edges[e];
        if (ed.from < 0 || ed.from >= n || ed.to < 0 || ed.to >= n)
            throw std::invalid_argument("layout edge " + std::to_string(e) + " (" +
                                        std::to_string(ed.from) + " → " + std::to_string(ed.to) +
                                        ") names a node outside 0.." + std::to_string(n - 1));
        const int a = r.unitOf[ed.from], b = r.unitOf[ed.to];
        if (a != b)
            r.uedges.push_back({a, b, static_cast<int>(e), false});
    }
    // 1. Cycle removal: iterative DFS from units in index order; an edge to a unit still on the
    //    stack closes a cycle and is reversed.
    std::vector<std::vector<int>> outE(U);
    for (std::size_t i = 0; i < r.uedges.size(); ++i)
        outE[r.uedges[i].tail].push_back(static_cast<int>(i));
    std::vector<char> state(U, 0); // 0 new, 1 on stack, 2 done
    std::vector<std::pair<int, std::size_t>> stack;
    for (int s = 0; s < U; ++s) {
        if (state[s])
            continue;
        stack.push_back({s, 0});
        state[s] = 1;
        while (!stack.empty()) {
            auto& [v, next] = stack.back();
            if (next == outE[v].size()) {
                state[v] = 2;
                stack.pop_back();
                continue;
            }
            UnitEdge& e = r.uedges[outE[v][next++]];
            if (state[e.head] == 1) {
                e.reversed = true;
            } else if (state[e.head] == 0) {
                state[e.head] = 1;
                stack.push_back({e.head, 0});
            }
        }
    }
    for (auto& e : r.uedges)
        if (e.reversed) {
            std::swap(e.tail, e.head);
            ++r.reversed;
        }
    // 2. Longest path in Kahn order; a unit kept from a previous picture starts no higher than
    //    its previous layer.
    std::vector<std::vector<int>> succ(U), pred(U);
    std::vector<int> indeg(U, 0);
    for (const auto& e : r.uedges) {
        succ[e.tail].push_back(e.head);
        pred[e.head].push_back(e.tail);
        ++indeg[e.head];
    }
    std::vector<int> topo;
    for (int v = 0; v < U; ++v)
        if (indeg[v] == 0)
            topo.push_back(v);
    for (std::size_t i = 0; i < topo.size(); ++i)
        for (int w : succ[topo[i]])
            if (--indeg[w] == 0)
                topo.push_back(w);
    r.rank.assign(U, 0);
    for (int v : topo) {
        if (r.prev[v])
            r.rank[v] = std::max(r.rank[v], r.prev[v]->layer);
        for (int w : succ[v])
            r.rank[w] = std::max(r.rank[w], r.rank[v] + 1);
    }
    // 3. Shorten edges (a fast stand-in for network simplex): a unit with more edges below than
    //    above moves down as far as its successors allow, one with more above moves up; repeat
    //    until nothing moves. Total edge length never grows, so this ends. Units placed by a
    //    previous picture stay put.
    for (int pass = 0; pass < 16; ++pass) {
        bool moved = false;
        for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
            const int v = *it;
            if (r.prev[v] || succ[v].empty() || succ[v].size() <= pred[v].size())
                continue;
            int hi = 1 << 30;
            for (int w : succ[v])
                hi = std::min(hi, r.rank[w] - 1);
            if (hi > r.rank[v]) {
                r.rank[v] = hi;
                moved = true;
            }
        }
        for (int v : topo) {
            if (r.prev[v] || pred[v].empty() || pred[v].size() <= succ[v].size())
                continue;
            int lo = 0;
            for (int w : pred[v])
                lo = std::max(lo, r.rank[w] + 1);
            if (lo < r.rank[v]) {
                r.rank[v] = lo;
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    // 4. Balance (as dot's TB_balance): a unit with as many edges above as below may sit on
    //    any layer between its neighbours at no cost; it takes the least crowded one.
    if (U > 0) {
        std::vector<int> width(*std::max_element(r.rank.begin(), r.rank.end()) + 1, 0);
        for (int v = 0; v < U; ++v)
            ++width[r.rank[v]];
        for (int v : topo) {
            if (r.prev[v] || pred[v].empty() || succ[v].size() != pred[v].size())
                continue;
            int lo = 0, hi = 1 << 30;
            for (int w : pred[v])
                lo = std::max(lo, r.rank[w] + 1);
            for (int w : succ[v])
                hi = std::min(hi, r.rank[w] - 1);
            int bestRank = r.rank[v];
            for (int k = lo; k <= hi; ++k)
                if (width[k] < width[bestRank])
                    bestRank = k;
            --width[r.rank[v]];
            ++width[bestRank];
            r.rank[v] = bestRank;
        }
    }
    const int mn = U ? *std::min_element(r.rank.begin(), r.rank.end()) : 0;
    for (int& x : r.rank)
        x -= mn;
    return r;
}

} // namespace aisys::viz::sg
