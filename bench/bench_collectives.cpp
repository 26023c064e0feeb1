// Collective simulator speed at cluster scale: a 1,024-rank ring all-reduce of 1 GiB in 4 MiB
// chunks and a 4,096-rank hierarchical all-reduce, both on multi-node topologies (8 GPUs per
// NVSwitch, one NIC per GPU into a fabric). Prints events, wall time and peak memory (plain
// main); `bench_collectives [RANKS_RING] [RANKS_HIER]`.
#include "engine/dist/simulate.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

using namespace aisys::engine::dist;

namespace {

/// The process's peak resident memory (VmHWM) in MiB, or −1.
double peakMiB() {
    std::ifstream f("/proc/self/status");
    for (std::string line; std::getline(f, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atof(line.c_str() + 6) / 1024.0;
    return -1;
}

int runOne(const char* label, int ranks, Algo algo, std::int64_t bytes, std::int64_t chunk) {
    ShapeParams sp;
    sp.ranks = ranks;
    sp.gpusPerNode = 8;
    sp.alpha = 1e-6;          // NVLink through the NVSwitch
    sp.bandwidth = 450e9;     // per direction per GPU (NVLink4)
    sp.interAlpha = 5e-6;     // NIC → fabric → NIC
    sp.interBandwidth = 50e9; // 400 Gb/s per GPU
    std::string err;
    auto topo = makeTopology("multinode", sp, err);
    if (!topo) {
        std::fprintf(stderr, "bench_collectives: %s\n", err.c_str());
        return 2;
    }
    CollectiveConfig c;
    c.op = Op::AllReduce;
    c.algo = algo;
    c.bytes = bytes;
    c.chunkBytes = chunk;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    auto r = simulateCollective(*topo, c, err);
    const double cpu = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
        std::fprintf(stderr, "bench_collectives: %s\n", err.c_str());
        return 2;
    }
    std::printf("%s: %d ranks (%d nodes, %d links), %s all-reduce of %lld MiB, chunk %lld MiB\n",
                label, ranks, topo->nodeCount(), topo->linkCount(), algoName(algo),
                (long long)(bytes >> 20), (long long)(chunk >> 20));
    std::printf("  simulated %.3f ms (busbw %.1f GB/s), %s; %d rounds, %lld messages, %lld "
                "chunk-hops, %lld events, peak %zu in flight, queue %zu\n",
                r->time * 1e3, r->busbw, r->verified ? "verified" : "WRONG", r->rounds,
                (long long)r->stats.messages, (long long)r->stats.hopTransfers,
                (long long)r->stats.events, r->stats.peakInFlight, r->stats.peakQueue);
    std::printf("  wall %.3f s (CPU %.3f s), %.2f M events/s, payload %lld floats per rank, peak "
                "RSS %.0f MiB\n",
                wall, cpu, r->stats.events / cpu / 1e6, (long long)r->payload, peakMiB());
    return r->verified ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    const int ringRanks = argc > 1 ? std::atoi(argv[1]) : 1024;
    const int hierRanks = argc > 2 ? std::atoi(argv[2]) : 4096;
    const std::int64_t GiB = std::int64_t(1) << 30, MiB = std::int64_t(1) << 20;
    int rc = runOne("ring", ringRanks, Algo::Ring, GiB, 4 * MiB);
    rc |= runOne("hierarchical", hierRanks, Algo::Hierarchical, GiB, 4 * MiB);
    return rc;
}
