// Ring all-reduce simulation (Patarasuk & Yuan's bandwidth-optimal ring).
#include "engine/dist/ring_allreduce.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace aisys::engine {

RingAllReduce::RingAllReduce(std::vector<std::vector<float>> inputs, int elemBytes)
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
    std::vector<std::vector<float>> buf = m_inputs;
    std::vector<std::vector<std::uint32_t>> contrib(m_p, std::vector<std::uint32_t>(m_p));
    for (int r = 0; r < m_p; ++r)
        for (int c = 0; c < m_p; ++c)
            contrib[r][c] = 1u << r;
    std::vector<std::int64_t> sent(m_p, 0);
    auto mod = [this](int x) { return ((x % m_p) + m_p) % m_p; };

    for (int phase = 0; phase < 2; ++phase) {
        for (int s = 0; s < m_p - 1; ++s) {
            RingRound round;
            round.kind = phase == 0 ? RingRound::Kind::ReduceScatter : RingRound::Kind::AllGather;
            round.index = s;
            // All sends of a round happen simultaneously: read from the pre-round state.
            const auto before = buf;
            const auto contribBefore = contrib;
            for (int r = 0; r < m_p; ++r) {
                int dst = mod(r + 1);
                int c = phase == 0 ? mod(r - s) : mod(r + 1 - s);
                std::int64_t b = chunkBegin(c), e = chunkEnd(c);
                for (std::int64_t i = b; i < e; ++i)
                    buf[dst][i] = phase == 0 ? buf[dst][i] + before[r][i] : before[r][i];
                contrib[dst][c] =
                    phase == 0 ? contrib[dst][c] | contribBefore[r][c] : contribBefore[r][c];
                sent[r] += (e - b) * m_elemBytes;
                round.transfers.push_back({r, dst, c, e - b});
            }
            round.buffers = buf;
            round.contributors = contrib;
            round.bytesSent = sent;
            m_rounds.push_back(std::move(round));
        }
    }
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
