#include "engine/dist/path.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <stdexcept>

namespace aisys::engine::dist {

double maxFlowBandwidth(const Topology& t, int s, int d) {
    if (s == d)
        return INFINITY;
    // Edmonds–Karp over the directed links (capacities in B/s) with a residual reverse edge each.
    const int n = t.nodeCount();
    struct E {
        int to;
        double cap;
        int rev;
    };
    std::vector<std::vector<E>> g(n);
    for (const Link& l : t.links()) {
        g[l.from].push_back({l.to, l.bandwidth, static_cast<int>(g[l.to].size())});
        g[l.to].push_back({l.from, 0, static_cast<int>(g[l.from].size()) - 1});
    }
    double flow = 0;
    for (;;) {
        std::vector<std::pair<int, int>> prev(n, {-1, -1});
        prev[s] = {s, -1};
        std::queue<int> q;
        q.push(s);
        while (!q.empty() && prev[d].first < 0) {
            const int u = q.front();
            q.pop();
            for (int i = 0; i < static_cast<int>(g[u].size()); ++i) {
                const E& e = g[u][i];
                if (e.cap > 1e-9 * std::max(1.0, flow) && prev[e.to].first < 0) {
                    prev[e.to] = {u, i};
                    q.push(e.to);
                }
            }
        }
        if (prev[d].first < 0)
            break;
        double push = INFINITY;
        for (int v = d; v != s; v = prev[v].first)
            push = std::min(push, g[prev[v].first][prev[v].second].cap);
        for (int v = d; v != s; v = prev[v].first) {
            E& e = g[prev[v].first][prev[v].second];
            e.cap -= push;
            g[v][e.rev].cap += push;
        }
        flow += push;
    }
    return flow;
}

PathReport pathBetween(const Topology& t, int from, int to, double bytes) {
    if (std::string e = t.validate(); !e.empty())
        throw std::invalid_argument("topology: " + e);
    const int p = t.rankCount();
    for (int r : {from, to})
        if (r < 0 || r >= p)
            throw std::invalid_argument("rank " + std::to_string(r) + " is not in the topology: " +
                                        "expected 0.." + std::to_string(p - 1));
    if (!(bytes >= 0) || !std::isfinite(bytes))
        throw std::invalid_argument("bytes must be a finite number ≥ 0");
    PathReport r;
    r.from = from;
    r.to = to;
    r.bytes = bytes;
    r.nodes.push_back(from);
    if (from == to)
        return r;
    Routing routing(t);
    const std::vector<int>& links = routing.route(from, to);
    r.bottleneck = INFINITY;
    for (int l : links) {
        const Link& k = t.link(l);
        r.alpha += k.alpha;
        r.bottleneck = std::min(r.bottleneck, k.bandwidth);
        r.nodes.push_back(k.to);
        if (k.to != to && k.to < p)
            ++r.gpuHops;
    }
    r.hops = static_cast<int>(links.size());
    r.maxFlow = maxFlowBandwidth(t, from, to);
    r.time = r.alpha + bytes / r.bottleneck;
    r.stripedTime = r.alpha + bytes / r.maxFlow;
    return r;
}

} // namespace aisys::engine::dist
