// Ring all-reduce on p ranks: reduce-scatter then all-gather, round by round on the collective
// simulator.
#pragma once

#include <cstdint>
#include <vector>

namespace aisys::engine {

/// One message of one round: `src` sends its chunk `chunk` to `dst` (= src+1 mod p).
struct RingTransfer {
    int src = 0;
    int dst = 0;
    int chunk = 0;
    std::int64_t elems = 0;
};

/// State after one communication round.
struct RingRound {
    enum class Kind { ReduceScatter, AllGather } kind = Kind::ReduceScatter;
    int index = 0;                           ///< round within its phase (0-based)
    std::vector<RingTransfer> transfers;     ///< one per rank
    std::vector<std::vector<float>> buffers; ///< every rank's buffer after the round
    /// contributors[rank][chunk]: bit r set when rank r's input is summed into that chunk.
    std::vector<std::vector<std::uint32_t>> contributors;
    std::vector<std::int64_t> bytesSent; ///< cumulative bytes each rank has sent
    double time = 0; ///< seconds from the start until the last rank finished the round
};

/// The whole collective: the initial state and 2(p-1) rounds.
class RingAllReduce {
public:
    /// `inputs[r]` is rank r's vector; all the same length ≥ 1; 2 ≤ p ≤ 32.
    /// Throws std::invalid_argument otherwise. The rounds run on the collective simulator
    /// (engine/dist/simulate.h) over a ring of links with latency `alpha` seconds and
    /// `bandwidth` bytes/s: the buffers after each round are the simulator's, and so is `time`.
    explicit RingAllReduce(std::vector<std::vector<float>> inputs, int elemBytes = 4,
                           double alpha = 5e-6, double bandwidth = 100e9);

    int ranks() const { return m_p; }
    std::int64_t length() const { return m_n; }
    /// [begin, end) of chunk c: the vector split into p nearly equal chunks.
    std::int64_t chunkBegin(int c) const;
    std::int64_t chunkEnd(int c) const;
    const std::vector<std::vector<float>>& inputs() const { return m_inputs; }
    /// Round k (0 ≤ k < 2(p-1)); rounds 0..p-2 reduce-scatter, then all-gather.
    const RingRound& round(int k) const { return m_rounds[k]; }
    int roundCount() const { return static_cast<int>(m_rounds.size()); }
    /// Seconds until the last rank finished the last round.
    double totalTime() const { return m_rounds.empty() ? 0.0 : m_rounds.back().time; }
    /// The element-wise sum every rank must end with.
    std::vector<float> expectedSum() const;
    /// Closed form of the bytes one rank sends: 2(p-1)/p · n · elemBytes when p divides n.
    static double closedFormBytesPerRank(int p, std::int64_t n, int elemBytes);
    /// Alpha-beta time of the ring: 2(p-1)·(α + ⌈n/p⌉·elemBytes/β) seconds.
    static double alphaBetaTime(int p, std::int64_t n, int elemBytes, double alphaSeconds,
                                double bytesPerSecond);

private:
    int m_p;
    std::int64_t m_n;
    int m_elemBytes;
    std::vector<std::vector<float>> m_inputs;
    std::vector<RingRound> m_rounds;
};

} // namespace aisys::engine
