// Topology: nodes and links, its checks, the built-in shapes and deterministic shortest routes.
#include "engine/dist/topology.h"

#include <cmath>
#include <queue>
#include <stdexcept>

namespace aisys::engine::dist {

int Topology::addNode(std::string name, bool isRank) {
    if (isRank && m_ranks != nodeCount())
        throw std::logic_error("Topology: ranks must be added before switches");
    const int id = nodeCount();
    m_byName[name] = id;
    m_names.push_back(std::move(name));
    m_out.emplace_back();
    if (isRank)
        ++m_ranks;
    return id;
}

int Topology::addLink(int from, int to, double alpha, double bandwidth) {
    const int id = linkCount();
    m_links.push_back({from, to, alpha, bandwidth});
    m_out[from].push_back(id);
    return id;
}

void Topology::addCable(int a, int b, double alpha, double bandwidth) {
    addLink(a, b, alpha, bandwidth);
    addLink(b, a, alpha, bandwidth);
}

int Topology::findNode(const std::string& name) const {
    auto it = m_byName.find(name);
    return it == m_byName.end() ? -1 : it->second;
}

std::string Topology::validate() const {
    if (m_ranks < 1)
        return "the topology has no ranks";
    for (const Link& l : m_links) {
        const std::string where = "link " + m_names[l.from] + " -> " + m_names[l.to];
        if (!(l.bandwidth > 0) || !std::isfinite(l.bandwidth))
            return where + ": bandwidth must be positive and finite";
        if (!(l.alpha >= 0) || !std::isfinite(l.alpha))
            return where + ": latency must be finite and >= 0";
    }
    // Every rank reaches every rank: rank 0 reaches all, and all reach rank 0 (reverse search).
    for (int dir = 0; dir < 2; ++dir) {
        std::vector<std::vector<int>> adj(nodeCount());
        for (const Link& l : m_links)
            adj[dir == 0 ? l.from : l.to].push_back(dir == 0 ? l.to : l.from);
        std::vector<char> seen(nodeCount(), 0);
        std::vector<int> stack{0};
        seen[0] = 1;
        while (!stack.empty()) {
            const int n = stack.back();
            stack.pop_back();
            for (int m : adj[n])
                if (!seen[m]) {
                    seen[m] = 1;
                    stack.push_back(m);
                }
        }
        for (int r = 0; r < m_ranks; ++r)
            if (!seen[r])
                return "rank " + m_names[r] +
                       (dir == 0 ? " cannot be reached from rank " : " cannot reach rank ") +
                       m_names[0] + " (disconnected)";
    }
    return "";
}

const char* topologyNames() {
    return "ring, full, switch, fat-tree, torus2d, torus3d, multinode";
}

namespace {

std::string rankName(int i) {
    return "gpu" + std::to_string(i);
}

/// The most square factorisation of p into n factors (largest first), e.g. 12 → {4, 3}.
std::vector<int> squareFactors(int p, int n) {
    if (n == 1)
        return {p};
    int best = 1;
    for (int f = 1; f <= p; ++f) {
        if (p % f)
            continue;
        if (std::pow(double(f), n) <= double(p) + 1e-9)
            best = f;
    }
    std::vector<int> rest = squareFactors(p / best, n - 1);
    rest.push_back(best);
    return rest;
}

void addRanks(Topology& t, int p) {
    for (int i = 0; i < p; ++i)
        t.addNode(rankName(i), true);
}

} // namespace

std::optional<Topology> makeTopology(const std::string& shape, const ShapeParams& s,
                                     std::string& error) {
    const int p = s.ranks;
    if (p < 1) {
        error = "ranks must be at least 1, got " + std::to_string(p);
        return std::nullopt;
    }
    Topology t;
    t.setName(shape);
    if (shape == "ring") {
        addRanks(t, p);
        if (p == 2)
            t.addCable(0, 1, s.alpha, s.bandwidth);
        else if (p > 2)
            for (int i = 0; i < p; ++i)
                t.addCable(i, (i + 1) % p, s.alpha, s.bandwidth);
    } else if (shape == "full") {
        addRanks(t, p);
        for (int i = 0; i < p; ++i)
            for (int j = i + 1; j < p; ++j)
                t.addCable(i, j, s.alpha, s.bandwidth);
    } else if (shape == "switch") {
        addRanks(t, p);
        const int sw = t.addNode("switch", false);
        for (int i = 0; i < p; ++i)
            t.addCable(i, sw, s.alpha / 2, s.bandwidth);
    } else if (shape == "fat-tree") {
        const int k = s.fatTreeRadix;
        if (k < 1 || p % k != 0) {
            error = "fat-tree: " + std::to_string(p) + " ranks do not fill leaf switches of " +
                    std::to_string(k) + " ranks (ranks must be a multiple of the radix)";
            return std::nullopt;
        }
        if (!(s.oversubscription >= 1)) {
            error = "fat-tree: oversubscription must be >= 1";
            return std::nullopt;
        }
        addRanks(t, p);
        const int leaves = p / k, spines = k;
        std::vector<int> leaf(leaves), spine(spines);
        for (int l = 0; l < leaves; ++l)
            leaf[l] = t.addNode("leaf" + std::to_string(l), false);
        for (int q = 0; q < spines; ++q)
            spine[q] = t.addNode("spine" + std::to_string(q), false);
        for (int i = 0; i < p; ++i)
            t.addCable(i, leaf[i / k], s.alpha / 2, s.bandwidth);
        const double up = s.bandwidth * k / (spines * s.oversubscription);
        if (leaves > 1)
            for (int l = 0; l < leaves; ++l)
                for (int q = 0; q < spines; ++q)
                    t.addCable(leaf[l], spine[q], s.alpha / 2, up);
    } else if (shape == "torus2d" || shape == "torus3d") {
        const int n = shape == "torus2d" ? 2 : 3;
        std::vector<int> dims = s.torusDims.empty() ? squareFactors(p, n) : s.torusDims;
        int prod = 1;
        for (int d : dims)
            prod *= d;
        if (int(dims.size()) != n || prod != p) {
            error = shape + ": dimensions do not multiply to " + std::to_string(p) + " ranks";
            return std::nullopt;
        }
        addRanks(t, p);
        // Rank i has coordinates (i mod d0, i / d0 mod d1, ...); one cable to +1 in each
        // dimension with wrap (a dimension of 2 has one cable, of 1 none).
        int stride = 1;
        for (int d : dims) {
            for (int i = 0; i < p; ++i) {
                const int c = (i / stride) % d;
                const int j = i + (((c + 1) % d) - c) * stride;
                if (d > 2 || (d == 2 && c == 0))
                    t.addCable(i, j, s.alpha, s.bandwidth);
            }
            stride *= d;
        }
    } else if (shape == "multinode") {
        const int g = s.gpusPerNode;
        if (g < 1 || p % g != 0) {
            error = "multinode: " + std::to_string(p) + " ranks do not fill nodes of " +
                    std::to_string(g) + " GPUs (ranks must be a multiple of --gpus-per-node)";
            return std::nullopt;
        }
        addRanks(t, p);
        const int nodes = p / g;
        std::vector<int> nvsw(nodes);
        for (int m = 0; m < nodes; ++m)
            nvsw[m] = t.addNode("node" + std::to_string(m) + ".nvswitch", false);
        const int fabric = nodes > 1 ? t.addNode("fabric", false) : -1;
        for (int i = 0; i < p; ++i)
            t.addCable(i, nvsw[i / g], s.alpha / 2, s.bandwidth);
        if (fabric >= 0) {
            if (s.nicPerGpu)
                for (int i = 0; i < p; ++i)
                    t.addCable(i, fabric, s.interAlpha / 2, s.interBandwidth);
            else
                for (int m = 0; m < nodes; ++m)
                    t.addCable(nvsw[m], fabric, s.interAlpha / 2, s.interBandwidth);
        }
        t.setRanksPerNode(g);
    } else {
        error = "unknown topology '" + shape + "' (expected " + topologyNames() + " or a file)";
        return std::nullopt;
    }
    if (std::string v = t.validate(); !v.empty()) {
        error = shape + ": " + v;
        return std::nullopt;
    }
    return t;
}

const std::vector<int>& Routing::route(int src, int dst) {
    if (m_recent.empty())
        m_recent.resize(m_topo->nodeCount());
    for (const auto& [d, r] : m_recent[src])
        if (d == dst)
            return *r;
    const std::uint64_t key = (std::uint64_t(std::uint32_t(src)) << 32) | std::uint32_t(dst);
    auto it = m_routes.find(key);
    if (it != m_routes.end())
        return it->second;
    // 1. Dijkstra from src until dst is settled; cost of a link = α + 1 MiB / β.
    // 2. Ties: a node keeps the first link that reached it at its cost (strict < to replace),
    //    and nodes of equal cost leave the queue in id order — the route is deterministic.
    const Topology& t = *m_topo;
    const int n = t.nodeCount();
    m_dist.assign(n, INFINITY);
    m_viaLink.assign(n, -1);
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
    m_dist[src] = 0;
    queue.push({0, src});
    while (!queue.empty()) {
        auto [d, u] = queue.top();
        queue.pop();
        if (d > m_dist[u])
            continue;
        if (u == dst)
            break;
        for (int l : t.outLinks(u)) {
            const Link& link = t.link(l);
            const double nd = d + link.alpha + 1048576.0 / link.bandwidth;
            if (nd < m_dist[link.to]) {
                m_dist[link.to] = nd;
                m_viaLink[link.to] = l;
                queue.push({nd, link.to});
            }
        }
    }
    if (src != dst && m_viaLink[dst] < 0)
        throw std::logic_error("Routing: no route from " + t.nodeName(src) + " to " +
                               t.nodeName(dst) + " (validate() was not called)");
    // 3. Walk back from dst.
    std::vector<int> path;
    for (int v = dst; v != src; v = t.link(m_viaLink[v]).from)
        path.push_back(m_viaLink[v]);
    std::vector<int> forward(path.rbegin(), path.rend());
    const std::vector<int>& kept = m_routes.emplace(key, std::move(forward)).first->second;
    if (m_recent[src].size() < 4)
        m_recent[src].push_back({dst, &kept});
    return kept;
}

} // namespace aisys::engine::dist
