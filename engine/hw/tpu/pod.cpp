// A TPUv4 pod: OCS wiring counts, slice allocation with and without OCS, success probabilities.
#include "engine/hw/tpu/pod.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace aisys::engine::tpu {

OcsWiring ocsWiring(int cubes, int edge) {
    OcsWiring w;
    w.linksPerCube = 6 * edge * edge;
    w.ocsCount = 3 * edge * edge;
    w.portsPerOcs = 2 * cubes;
    w.totalFibres = cubes * w.linksPerCube;
    return w;
}

Pod::Pod(int cubes, int edge) : m_cubes(cubes), m_edge(edge), m_side(0) {
    if (edge < 2 || edge > 8)
        throw std::invalid_argument("pod: cube edge must be 2…8 chips, got " +
                                    std::to_string(edge));
    for (int s = 1; s * s * s <= cubes; ++s)
        if (s * s * s == cubes)
            m_side = s;
    if (cubes < 1 || cubes > 512 || m_side == 0)
        throw std::invalid_argument("pod: the number of cubes must be a perfect cube 1…512, got " +
                                    std::to_string(cubes));
}

std::vector<bool> Pod::randomFailures(int count, unsigned seed) const {
    if (count < 0 || count > chips())
        throw std::invalid_argument("pod: failed chips must be 0…" + std::to_string(chips()) +
                                    ", got " + std::to_string(count));
    std::vector<int> ids(chips());
    std::iota(ids.begin(), ids.end(), 0);
    std::mt19937 rng(seed);
    // Partial Fisher–Yates: the first `count` positions are a uniform sample.
    for (int i = 0; i < count; ++i) {
        std::uniform_int_distribution<int> pick(i, chips() - 1);
        std::swap(ids[i], ids[pick(rng)]);
    }
    std::vector<bool> failed(chips(), false);
    for (int i = 0; i < count; ++i)
        failed[ids[i]] = true;
    return failed;
}

std::vector<bool> Pod::healthyCubes(const std::vector<bool>& failedChips) const {
    std::vector<bool> ok(m_cubes, true);
    for (int c = 0; c < chips() && c < static_cast<int>(failedChips.size()); ++c)
        if (failedChips[c])
            ok[c / chipsPerCube()] = false;
    return ok;
}

std::string Pod::checkShape(const SliceShape& s) const {
    for (int v : {s.x, s.y, s.z})
        if (v < m_edge || v % m_edge != 0)
            return "slice sides must be positive multiples of the cube edge " +
                   std::to_string(m_edge) + ", got " + std::to_string(s.x) + "×" +
                   std::to_string(s.y) + "×" + std::to_string(s.z);
    const std::int64_t n = std::int64_t(s.x / m_edge) * (s.y / m_edge) * (s.z / m_edge);
    if (n > m_cubes)
        return "the slice needs " + std::to_string(n) + " cubes but the pod has " +
               std::to_string(m_cubes);
    return {};
}

SliceAllocation Pod::allocateWithOcs(const SliceShape& s, const std::vector<bool>& failed) const {
    SliceAllocation a;
    a.reason = checkShape(s);
    if (!a.reason.empty())
        return a;
    a.cubeGrid = {s.x / m_edge, s.y / m_edge, s.z / m_edge};
    const int need = a.cubeGrid[0] * a.cubeGrid[1] * a.cubeGrid[2];
    const auto ok = healthyCubes(failed);
    for (int c = 0; c < m_cubes && static_cast<int>(a.cubes.size()) < need; ++c)
        if (ok[c])
            a.cubes.push_back(c);
    a.ok = static_cast<int>(a.cubes.size()) == need;
    if (!a.ok) {
        a.reason = "only " + std::to_string(a.cubes.size()) + " healthy cubes, the slice needs " +
                   std::to_string(need);
        a.cubes.clear();
    }
    return a;
}

SliceAllocation Pod::allocateStatic(const SliceShape& s, const std::vector<bool>& failed) const {
    SliceAllocation a;
    a.reason = checkShape(s);
    if (!a.reason.empty())
        return a;
    const auto ok = healthyCubes(failed);
    std::array<int, 3> g{s.x / m_edge, s.y / m_edge, s.z / m_edge};
    std::sort(g.begin(), g.end());
    // 1. Every orientation of the shape (distinct permutations), 2. every offset where it fits
    //    in the side³ grid, 3. the first block whose cubes are all healthy wins.
    do {
        if (g[0] > m_side || g[1] > m_side || g[2] > m_side)
            continue;
        for (int ox = 0; ox + g[0] <= m_side; ++ox)
            for (int oy = 0; oy + g[1] <= m_side; ++oy)
                for (int oz = 0; oz + g[2] <= m_side; ++oz) {
                    std::vector<int> block;
                    bool good = true;
                    for (int i = 0; i < g[0] && good; ++i)
                        for (int j = 0; j < g[1] && good; ++j)
                            for (int k = 0; k < g[2] && good; ++k) {
                                const int c = ((ox + i) * m_side + oy + j) * m_side + oz + k;
                                good = ok[c];
                                block.push_back(c);
                            }
                    if (good) {
                        a.ok = true;
                        a.cubeGrid = g;
                        a.cubes = std::move(block);
                        return a;
                    }
                }
    } while (std::next_permutation(g.begin(), g.end()));
    a.cubeGrid = {s.x / m_edge, s.y / m_edge, s.z / m_edge};
    a.reason = "no block of healthy, physically adjacent cubes of that shape";
    return a;
}

double Pod::ocsSuccessProbability(int cubesNeeded, double chipAvailability) const {
    // X ~ Binomial(cubes, q), q = a^(chips per cube); P[X ≥ n] summed term by term in logs.
    const double q = std::pow(chipAvailability, chipsPerCube());
    if (cubesNeeded <= 0)
        return 1.0;
    if (q <= 0)
        return 0.0;
    if (q >= 1)
        return cubesNeeded <= m_cubes ? 1.0 : 0.0;
    double p = 0;
    for (int j = cubesNeeded; j <= m_cubes; ++j) {
        const double logC =
            std::lgamma(m_cubes + 1.0) - std::lgamma(j + 1.0) - std::lgamma(m_cubes - j + 1.0);
        p += std::exp(logC + j * std::log(q) + (m_cubes - j) * std::log1p(-q));
    }
    return std::min(1.0, p);
}

double Pod::monteCarloSuccess(const SliceShape& s, double chipAvailability, bool withOcs,
                              int trials, unsigned seed) const {
    std::mt19937 rng(seed);
    std::bernoulli_distribution fails(1.0 - chipAvailability);
    int good = 0;
    std::vector<bool> failed(chips());
    for (int t = 0; t < trials; ++t) {
        for (int c = 0; c < chips(); ++c)
            failed[c] = fails(rng);
        good += (withOcs ? allocateWithOcs(s, failed) : allocateStatic(s, failed)).ok;
    }
    return trials > 0 ? double(good) / trials : 0.0;
}

} // namespace aisys::engine::tpu
