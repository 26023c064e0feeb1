// One transfer between two ranks of a topology: the simulator's route (hops, the bottleneck
// bandwidth along it, the latency α summed over it, time α + n/B) and the bandwidth of all
// paths together (the maximum flow between the two ranks, what a transfer striped over every
// link — as NCCL's channels do — can reach).
#pragma once

#include "engine/dist/topology.h"

#include <string>
#include <vector>

namespace aisys::engine::dist {

struct PathReport {
    int from = 0, to = 0;
    std::vector<int> nodes; ///< from … to along the route
    int hops = 0;           ///< links on the route
    int gpuHops = 0;        ///< intermediate ranks the route passes through
    double alpha = 0;       ///< Σ α over the route (s)
    double bottleneck = 0;  ///< min bandwidth over the route (B/s)
    double maxFlow = 0;     ///< max-flow bandwidth from → to (B/s)
    double bytes = 0;
    double time = 0;        ///< α + bytes / bottleneck (s)
    double stripedTime = 0; ///< α + bytes / maxFlow (s)
};

/// The path from rank `from` to rank `to` for `bytes` bytes. Throws std::invalid_argument when
/// a rank is out of range or the topology is invalid.
PathReport pathBetween(const Topology& t, int from, int to, double bytes);

/// The maximum flow (B/s) from node `s` to node `t`, link bandwidths as capacities.
double maxFlowBandwidth(const Topology& t, int s, int d);

} // namespace aisys::engine::dist
