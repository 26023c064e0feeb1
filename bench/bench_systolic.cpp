// Systolic-array model speed: the ResNet-18 topology (assets/topologies/resnet18.csv) on
// 32×32 and 128×128 arrays in WS, OS and IS, closed form and with SCALE-Sim's memory model.
// Prints figures (plain main); `bench_systolic [TOPOLOGY.csv] [CONFIG.cfg]`.
#include "engine/hw/systolic/systolic.h"

#include <chrono>
#include <cstdio>
#include <ctime>
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
    const std::clock_t cpu0 = std::clock();
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
    const double cpuMs = double(std::clock() - cpu0) * 1000.0 / CLOCKS_PER_SEC;

    // Scrubbing: a whole-array snapshot at an arbitrary (fold, cycle), no replay.
    const GemmShape g = Layer::conv("c", 16, 16, 3, 3, 256, 256, 1).gemmShape(); // K = 2304
    const Matrix A = Matrix::Random(g.M, g.K), B = Matrix::Random(g.K, g.N);
    for (Dataflow df : {Dataflow::WS, Dataflow::OS, Dataflow::IS}) {
        const SystolicArray sa({128, 128}, df, A, B);
        const std::int64_t fold = sa.foldCount() / 2, cycle = sa.cyclesPerFold() / 2;
        auto s0 = Clock::now();
        const auto with = sa.snapshot(fold, cycle, true);
        auto s1 = Clock::now();
        const auto without = sa.snapshot(fold, cycle, false);
        auto s2 = Clock::now();
        std::printf("snapshot 128x128 %s (M=%lld K=%lld N=%lld): %.2f ms with partial sums, "
                    "%.3f ms without (%zu PEs)\n",
                    dataflowName(df), (long long)g.M, (long long)g.K, (long long)g.N,
                    std::chrono::duration<double, std::milli>(s1 - s0).count(),
                    std::chrono::duration<double, std::milli>(s2 - s1).count(),
                    with.size() + 0 * without.size());
    }
    std::printf("all 6 runs: closed form %.3f ms, memory model %.1f ms, total %.1f ms wall "
                "(%.1f ms CPU)\n",
                closedTotal, memTotal, closedTotal + memTotal, cpuMs);
    return 0;
}
