#include "engine/hw/gpu/latency.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::engine::hw::gpu {

LatencyHiding latencyHiding(double bandwidthGBs, double latencyNs, double bytesPerRequest,
                            int requestsPerThread, int units, int threadsPerUnit) {
    LatencyHiding r;
    r.bandwidthGBs = bandwidthGBs;
    r.latencyNs = latencyNs;
    r.bytesPerRequest = bytesPerRequest;
    if (!(bandwidthGBs > 0) || !std::isfinite(bandwidthGBs))
        r.error = "bandwidth must be a positive number of GB/s";
    else if (!(latencyNs > 0) || !std::isfinite(latencyNs))
        r.error = "latency must be a positive number of ns";
    else if (!(bytesPerRequest > 0) || !std::isfinite(bytesPerRequest))
        r.error = "bytes per request must be positive";
    else if (requestsPerThread < 1)
        r.error = "requests per thread must be at least 1";
    else if (units < 0 || threadsPerUnit < 0)
        r.error = "units and threads per unit must not be negative";
    if (!r.ok())
        return r;
    // GB/s × ns = B (10⁹ × 10⁻⁹).
    r.bytesInFlight = bandwidthGBs * latencyNs;
    r.threadsNeeded = std::ceil(r.bytesInFlight / (bytesPerRequest * requestsPerThread) - 1e-9);
    r.warpsNeeded = std::ceil(r.threadsNeeded / 32.0);
    r.threadsAvailable = double(units) * threadsPerUnit;
    r.ratio = r.threadsAvailable > 0 ? r.threadsAvailable / r.threadsNeeded : 0;
    return r;
}

double achievedBandwidthGBs(double bandwidthGBs, double latencyNs, double warps,
                            double bytesPerRequest, int requestsPerThread) {
    if (!(latencyNs > 0) || warps < 0)
        return 0;
    return std::min(bandwidthGBs, warps * 32.0 * bytesPerRequest * requestsPerThread / latencyNs);
}

const char* warpStateName(WarpState s) {
    switch (s) {
    case WarpState::Issue:
        return "issue";
    case WarpState::Waiting:
        return "waiting";
    case WarpState::Ready:
        return "ready";
    }
    return "?";
}

SchedulerTrace simulateScheduler(int warps, int latency, int cycles) {
    if (warps < 1)
        throw std::invalid_argument("warps must be at least 1, got " + std::to_string(warps));
    if (latency < 0)
        throw std::invalid_argument("latency must be ≥ 0 cycles, got " + std::to_string(latency));
    if (cycles < 1)
        throw std::invalid_argument("cycles must be at least 1, got " + std::to_string(cycles));
    SchedulerTrace t;
    t.warps = warps;
    t.latency = latency;
    t.cycles = cycles;
    std::vector<int> returnsAt(warps, 0); // first cycle the warp is ready again
    std::vector<int> readySince(warps, 0);
    for (int c = 0; c < cycles; ++c) {
        int pick = -1;
        for (int w = 0; w < warps; ++w)
            if (returnsAt[w] <= c && (pick < 0 || readySince[w] < readySince[pick]))
                pick = w;
        std::vector<WarpState> row(warps);
        for (int w = 0; w < warps; ++w)
            row[w] = w == pick           ? WarpState::Issue
                     : returnsAt[w] <= c ? WarpState::Ready
                                         : WarpState::Waiting;
        if (pick >= 0) {
            ++t.issues;
            returnsAt[pick] = c + 1 + latency;
            readySince[pick] = c + 1 + latency;
        }
        t.state.push_back(std::move(row));
        t.issuedWarp.push_back(pick);
    }
    const int window = std::min(cycles, latency + 1);
    int tail = 0;
    for (int c = cycles - window; c < cycles; ++c)
        tail += t.issuedWarp[c] >= 0;
    t.steadyIssueRate = double(tail) / window;
    return t;
}

} // namespace aisys::engine::hw::gpu
