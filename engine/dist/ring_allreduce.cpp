// Ring all-reduce simulation (Patarasuk & Yuan's bandwidth-optimal ring).
#include "engine/dist/ring_allreduce.h"

#include "engine/dist/schedule_kit.h"
#include "engine/dist/simulate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace aisys::engine {

RingAllReduce::RingAllReduce(std::vector<std::vector<float>> inputs, int elemBytes, double alpha,
                             double bandwidth)
    : m_p(static_cast<int>(inputs.size())), m_elemBytes(elemBytes), m_inputs(std::move(inputs)) {
    if (m_p < 2 || m_p > 32)
        throw std::invalid_argument("ring all-reduce needs 2 to 32 ranks, got " +
                                    std::to_string(m_p));
    m_n = static_cast<std::int64_t>(m_inputs[0].size());
    if (m_n < 1)
        throw std::invalid_argument("ring all-reduce needs a vector of at least 1 element");
    for (int r = 0; r < m_p; ++r)
        if (static_cast<std::int64_t>(m_inputs[r].size()) != m_n)
            throw std::invalid_argument("rank " + std::to_string(r) + " holds " +
                                        std::to_string(m_inputs[r].size()) +
                                        " elements, expected " + std::to_string(m_n));

    // 1. Each rank starts with its own vector; chunk c of rank r holds only r's data.
    // 2. Reduce-scatter round s: rank r sends chunk (r - s) mod p to r+1, which adds it.
    //    After p-1 rounds rank r owns the complete sum of chunk (r + 1) mod p.
    // 3. All-gather round s: rank r sends chunk (r + 1 - s) mod p to r+1, which copies it.
    //    After p-1 more rounds every rank holds every complete chunk.
    // The transfers, contributor sets and bytes follow from the rule; the buffers and times
    // come from running the rule as a schedule on the collective simulator.
    namespace dist = engine::dist;
    std::vector<std::vector<std::uint32_t>> contrib(m_p, std::vector<std::uint32_t>(m_p));
    for (int r = 0; r < m_p; ++r)
        for (int c = 0; c < m_p; ++c)
            contrib[r][c] = 1u << r;
    std::vector<std::int64_t> sent(m_p, 0);
    const int p = m_p;
    auto mod = [p](int x) { return ((x % p) + p) % p; };
    auto chunkOf = [mod, p](int r, int k) {
        const int s = k % (p - 1);
        return k < p - 1 ? mod(r - s) : mod(r + 1 - s);
    };
    for (int k = 0; k < 2 * (m_p - 1); ++k) {
        RingRound round;
        const bool rs = k < m_p - 1;
        round.kind = rs ? RingRound::Kind::ReduceScatter : RingRound::Kind::AllGather;
        round.index = k % (m_p - 1);
        const auto contribBefore = contrib;
        for (int r = 0; r < m_p; ++r) {
            const int dst = mod(r + 1), c = chunkOf(r, k);
            contrib[dst][c] = rs ? contrib[dst][c] | contribBefore[r][c] : contribBefore[r][c];
            sent[r] += (chunkEnd(c) - chunkBegin(c)) * m_elemBytes;
            round.transfers.push_back({r, dst, c, chunkEnd(c) - chunkBegin(c)});
        }
        round.contributors = contrib;
        round.bytesSent = sent;
        round.buffers.resize(m_p);
        m_rounds.push_back(std::move(round));
    }
    std::vector<std::int64_t> begins(m_p + 1);
    for (int c = 0; c <= m_p; ++c)
        begins[c] = chunkBegin(c);
    const dist::FnSchedule schedule(2 * (m_p - 1), [=](int r, int k, dist::RoundPlan& out) {
        const int c = chunkOf(r, k);
        out.sendRange(mod(r + 1), k < p - 1 ? dist::Combine::Reduce : dist::Combine::Copy,
                      begins[c], begins[c + 1]);
        out.receives = 1;
    });
    dist::ShapeParams sp;
    sp.ranks = m_p;
    sp.alpha = alpha;
    sp.bandwidth = bandwidth;
    std::string err;
    auto topo = dist::makeTopology("ring", sp, err);
    if (!topo)
        throw std::invalid_argument("ring all-reduce: " + err);
    const dist::RoundObserver observe = [this](int r, int k, double t,
                                               const std::vector<float>& b) {
        m_rounds[k].buffers[r] = b;
        m_rounds[k].time = std::max(m_rounds[k].time, t);
    };
    if (!dist::runSchedule(*topo, schedule, m_inputs, m_elemBytes, 0, observe, err))
        throw std::invalid_argument("ring all-reduce: " + err);
}

std::int64_t RingAllReduce::chunkBegin(int c) const {
    // Chunks differ by at most one element; the first n mod p chunks are one longer.
    std::int64_t base = m_n / m_p, extra = m_n % m_p;
    return c * base + std::min<std::int64_t>(c, extra);
}

std::int64_t RingAllReduce::chunkEnd(int c) const {
    return chunkBegin(c + 1);
}

std::vector<float> RingAllReduce::expectedSum() const {
    std::vector<float> s(m_n, 0.0f);
    // Sum in the order the ring adds (rank c+1.. wraps) is not needed for integers; for
    // floats tests compare with a tolerance.
    for (const auto& v : m_inputs)
        for (std::int64_t i = 0; i < m_n; ++i)
            s[i] += v[i];
    return s;
}

double RingAllReduce::closedFormBytesPerRank(int p, std::int64_t n, int elemBytes) {
    return 2.0 * (p - 1) / p * static_cast<double>(n) * elemBytes;
}

double RingAllReduce::alphaBetaTime(int p, std::int64_t n, int elemBytes, double alphaSeconds,
                                    double bytesPerSecond) {
    double chunk = std::ceil(static_cast<double>(n) / p) * elemBytes;
    return 2.0 * (p - 1) * (alphaSeconds + chunk / bytesPerSecond);
}

} // namespace aisys::engine
