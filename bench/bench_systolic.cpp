// Systolic-array model speed: the ResNet-18 topology (assets/topologies/resnet18.csv) on
// 32×32 and 128×128 arrays in WS, OS and IS, closed form and with SCALE-Sim's memory model.
// Prints figures (plain main); `bench_systolic [TOPOLOGY.csv] [CONFIG.cfg]`.
#include "engine/hw/systolic/systolic.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace aisys::engine::systolic;

int main(int argc, char** argv) {
    const std::string topo =
        argc > 1 ? argv[1] : std::string(AISYS_SOURCE_DIR) + "/assets/topologies/resnet18.csv";
    const std::string cfgPath =
        argc > 2 ? argv[2] : std::string(AISYS_SOURCE_DIR) + "/assets/topologies/scale.cfg";
    std::vector<Layer> layers;
    ScaleConfig cfg;
    try {
        layers = loadTopology(topo);
        cfg = loadScaleConfig(cfgPath);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_systolic: %s\n", e.what());
        return 2;
    }
    using Clock = std::chrono::steady_clock;
    double closedTotal = 0, memTotal = 0;
    std::printf("%zu layers of %s; memory: %lld/%lld/%lld KB, %g words/cycle\n", layers.size(),
                topo.c_str(), (long long)cfg.memory.ifmapSramKB, (long long)cfg.memory.filterSramKB,
                (long long)cfg.memory.ofmapSramKB, cfg.memory.bandwidth);
    std::printf("%-9s %-3s %14s %14s %12s %14s %12s\n", "array", "df", "compute cyc", "total cyc",
                "closed ms", "stall cyc", "memory ms");
    for (int size : {32, 128})
        for (Dataflow df : {Dataflow::WS, Dataflow::OS, Dataflow::IS}) {
            const ArrayConfig ac{size, size};
            std::int64_t compute = 0, total = 0, stalls = 0;
            auto t0 = Clock::now();
            for (const Layer& l : layers)
                compute += analyzeLayer(l, ac, df).computeCycles;
            auto t1 = Clock::now();
            for (const Layer& l : layers) {
                const LayerReport r = simulateLayer(l, ac, df, cfg.memory);
                total += r.totalCycles;
                stalls += r.stallCycles;
            }
            auto t2 = Clock::now();
            const double closed = std::chrono::duration<double, std::milli>(t1 - t0).count();
            const double mem = std::chrono::duration<double, std::milli>(t2 - t1).count();
            closedTotal += closed;
            memTotal += mem;
            std::printf("%4dx%-4d %-3s %14lld %14lld %12.3f %14lld %12.1f\n", size, size,
                        dataflowName(df), (long long)compute, (long long)total, closed,
                        (long long)stalls, mem);
        }
    std::printf("all 6 runs: closed form %.3f ms, memory model %.1f ms, total %.1f ms\n",
                closedTotal, memTotal, closedTotal + memTotal);
    return 0;
}
