// Latency hiding on a GPU: Little's law (bytes in flight = bandwidth × latency), the threads and
// warps it takes to keep a memory level busy, the bandwidth N warps achieve, and one warp
// scheduler cycle by cycle (each warp: issue → wait for memory → ready).
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::hw::gpu {

/// Little's law for one memory level.
struct LatencyHiding {
    double bandwidthGBs = 0;     ///< GB/s (10⁹ B/s)
    double latencyNs = 0;        ///< ns
    double bytesPerRequest = 16; ///< bytes one thread has in flight per request (AXPY: 16)
    double bytesInFlight = 0;    ///< bandwidth × latency
    double threadsNeeded = 0; ///< ⌈bytes in flight / (bytes per request × requests per thread)⌉
    double warpsNeeded = 0;   ///< ⌈threads needed / 32⌉
    double threadsAvailable = 0; ///< units × resident threads per unit (0 when not given)
    double ratio = 0;            ///< available / needed (0 when not given)
    std::string error;           ///< "" or what is wrong with the input
    bool ok() const { return error.empty(); }
};

/// Bytes in flight, threads and warps needed to keep a level of `bandwidthGBs` and `latencyNs`
/// busy when each thread keeps `requestsPerThread` requests of `bytesPerRequest` bytes in
/// flight (ILP / unrolling); `units × threadsPerUnit` threads are resident (0 = not given).
/// A100 HBM2: 1555 GB/s × 404 ns = 628,220 B → 39,264 threads of 16 B; 108 × 2048 = 221,184
/// resident, 5.6×.
LatencyHiding latencyHiding(double bandwidthGBs, double latencyNs, double bytesPerRequest = 16,
                            int requestsPerThread = 1, int units = 0, int threadsPerUnit = 0);

/// Bandwidth `warps` warps achieve (GB/s): min(peak, warps × 32 × bytes × requests / latency).
double achievedBandwidthGBs(double bandwidthGBs, double latencyNs, double warps,
                            double bytesPerRequest = 16, int requestsPerThread = 1);

/// What a warp is doing in one cycle of `simulateScheduler`.
enum class WarpState { Issue, Waiting, Ready };
const char* warpStateName(WarpState s);

/// One warp scheduler with `warps` resident warps, each running a loop of one memory request
/// that takes `latency` cycles to return: a warp issues (1 cycle), waits `latency` cycles,
/// then is ready; each cycle the scheduler issues the ready warp that has waited longest
/// (ties: lowest id). All warps start ready.
struct SchedulerTrace {
    int warps = 0, latency = 0, cycles = 0;
    /// state[c][w]: warp w in cycle c.
    std::vector<std::vector<WarpState>> state;
    /// issuedWarp[c]: the warp issued in cycle c, or -1 (a stall: no warp was ready).
    std::vector<int> issuedWarp;
    int issues = 0;
    /// Issues per cycle over the last `latency + 1` cycles (the steady state); → min(1, warps
    /// / (latency + 1)).
    double steadyIssueRate = 0;
};
/// Throws std::invalid_argument on warps < 1, latency < 0 or cycles < 1.
SchedulerTrace simulateScheduler(int warps, int latency, int cycles);

} // namespace aisys::engine::hw::gpu
