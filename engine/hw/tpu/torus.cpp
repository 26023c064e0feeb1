// k-ary n-dimensional tori and meshes: links, hop distances, bisection and fault-avoiding BFS.
#include "engine/hw/tpu/torus.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>

namespace aisys::engine::tpu {

Torus::Torus(std::vector<int> dims, bool wrap) : m_dims(std::move(dims)), m_wrap(wrap) {
    if (m_dims.empty() || m_dims.size() > 4)
        throw std::invalid_argument("torus: expected 1 to 4 dimensions, got " +
                                    std::to_string(m_dims.size()));
    std::int64_t n = 1;
    for (int k : m_dims) {
        if (k < 2 || k > 64)
            throw std::invalid_argument("torus: every dimension must be 2…64 nodes, got " +
                                        std::to_string(k));
        n *= k;
    }
    if (n > 65536)
        throw std::invalid_argument("torus: at most 65536 nodes, got " + std::to_string(n));
    m_nodes = static_cast<int>(n);
    m_stride.assign(m_dims.size(), 1);
    for (int d = static_cast<int>(m_dims.size()) - 2; d >= 0; --d)
        m_stride[d] = m_stride[d + 1] * m_dims[d + 1];
    // Links: from every node to its +1 neighbour in every dimension; the wraparound link
    // (last → first) only on a torus and only when the ring has more than two nodes.
    for (int id = 0; id < m_nodes; ++id) {
        auto c = coord(id);
        for (int d = 0; d < static_cast<int>(m_dims.size()); ++d) {
            const int k = m_dims[d];
            if (c[d] + 1 < k) {
                m_links.push_back({id, id + m_stride[d], d, false});
            } else if (m_wrap && k > 2) {
                const int first = id - c[d] * m_stride[d];
                m_links.push_back({std::min(id, first), std::max(id, first), d, true});
            }
        }
    }
}

std::vector<int> Torus::coord(int id) const {
    std::vector<int> c(m_dims.size());
    for (std::size_t d = 0; d < m_dims.size(); ++d)
        c[d] = (id / m_stride[d]) % m_dims[d];
    return c;
}

int Torus::index(const std::vector<int>& c) const {
    int id = 0;
    for (std::size_t d = 0; d < m_dims.size(); ++d)
        id += c[d] * m_stride[d];
    return id;
}

int Torus::hopDistance(int a, int b) const {
    int hops = 0;
    for (std::size_t d = 0; d < m_dims.size(); ++d) {
        const int k = m_dims[d];
        const int delta = std::abs((a / m_stride[d]) % k - (b / m_stride[d]) % k);
        hops += m_wrap ? std::min(delta, k - delta) : delta;
    }
    return hops;
}

std::vector<int> Torus::neighbours(int id) const {
    std::vector<int> out;
    auto c = coord(id);
    for (std::size_t d = 0; d < m_dims.size(); ++d) {
        const int k = m_dims[d];
        for (int step : {-1, 1}) {
            int x = c[d] + step;
            if (x < 0 || x >= k) {
                if (!m_wrap)
                    continue;
                x = (x + k) % k;
            }
            const int nb = id + (x - c[d]) * m_stride[d];
            if (std::find(out.begin(), out.end(), nb) == out.end())
                out.push_back(nb);
        }
    }
    return out;
}

int Torus::diameter() const {
    int d = 0;
    for (int k : m_dims)
        d += m_wrap ? k / 2 : k - 1;
    return d;
}

double Torus::averageHops() const {
    // Per dimension, the mean distance between two uniformly chosen coordinates (equal ones
    // included): ring k/4 (k even) or (k²−1)/(4k) (k odd); line (k²−1)/(3k). Dimensions add.
    // Self pairs contribute 0, so the mean over distinct pairs is that times N/(N−1).
    double mean = 0;
    for (int k : m_dims) {
        const double kk = k;
        if (m_wrap)
            mean += (k % 2 == 0) ? kk / 4 : (kk * kk - 1) / (4 * kk);
        else
            mean += (kk * kk - 1) / (3 * kk);
    }
    return mean * m_nodes / (m_nodes - 1.0);
}

int Torus::cutLinks(int dim) const {
    const int half = m_dims[dim] / 2;
    int cut = 0;
    for (const auto& l : m_links) {
        const bool sa = (l.a / m_stride[dim]) % m_dims[dim] < half;
        const bool sb = (l.b / m_stride[dim]) % m_dims[dim] < half;
        cut += sa != sb;
    }
    return cut;
}

int Torus::bisectionLinks() const {
    bool anyEven = false;
    for (int k : m_dims)
        anyEven |= k % 2 == 0;
    int best = std::numeric_limits<int>::max();
    for (int d = 0; d < static_cast<int>(m_dims.size()); ++d)
        if (!anyEven || m_dims[d] % 2 == 0)
            best = std::min(best, cutLinks(d));
    return best;
}

std::int64_t Torus::closedFormBisection(int k, int n) {
    std::int64_t p = 2;
    for (int i = 0; i < n - 1; ++i)
        p *= k;
    return p;
}

std::vector<int> Torus::routeDistances(int src, const std::vector<bool>& failed) const {
    std::vector<int> dist(m_nodes, -1);
    auto isFailed = [&](int id) { return id < static_cast<int>(failed.size()) && failed[id]; };
    if (src < 0 || src >= m_nodes || isFailed(src))
        return dist;
    std::deque<int> q{src};
    dist[src] = 0;
    while (!q.empty()) {
        const int u = q.front();
        q.pop_front();
        for (int v : neighbours(u))
            if (dist[v] < 0 && !isFailed(v)) {
                dist[v] = dist[u] + 1;
                q.push_back(v);
            }
    }
    return dist;
}

} // namespace aisys::engine::tpu
