// Loop-nest trace speed: the 256³ matmul (16.8 M points, 67 M loads and stores) under four
// schedules — executor alone, with a sink that only counts, and through a two-level cache
// (L1=32K:8:64, L2=1M:16:64). Prints figures (plain main); `bench_loops [N] [RUNS]`.
#include "engine/loops/cache_sim.h"
#include "engine/loops/executor.h"
#include "engine/loops/schedule_parse.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

namespace lp = aisys::engine::loops;

namespace {

struct Count : lp::TraceSink {
    std::int64_t n = 0;
    void consume(std::span<const lp::TraceEvent> e) override { n += std::ssize(e); }
};

/// Median seconds of `runs` calls.
template <class F> double median(int runs, F&& f) {
    std::vector<double> t;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 256;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    const lp::ComputeDef def = lp::matmul(n, n, n);
    const auto levels = lp::parseCacheSpec("L1=32K:8:64,L2=1M:16:64");
    std::printf("matmul %lld³, L1=32K:8:64 L2=1M:16:64, median of %d runs\n",
                static_cast<long long>(n), runs);
    std::printf("%-58s %10s %9s %9s %9s %10s\n", "schedule", "accesses", "exec s", "+count s",
                "+cache s", "M acc/s");
    for (const char* s : {"", "reorder(i,k,j)", "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i)",
                          "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)"}) {
        auto prims = lp::parseSchedule(s);
        auto nest = lp::schedule(def, *prims.value);
        if (!nest) {
            std::fprintf(stderr, "bench_loops: %s\n", nest.error.c_str());
            return 2;
        }
        std::int64_t acc = 0;
        const double exec = median(runs, [&] { lp::execute(*nest.value, nullptr, nullptr); });
        const double count = median(runs, [&] {
            Count c;
            lp::execute(*nest.value, nullptr, &c);
            acc = c.n;
        });
        const double cache = median(runs, [&] {
            lp::CacheSim sim(*levels.value, 3);
            lp::execute(*nest.value, nullptr, &sim);
        });
        std::printf("%-58s %10lld %9.3f %9.3f %9.3f %10.1f\n", *s ? s : "(naive ijk)",
                    static_cast<long long>(acc), exec, count, cache, double(acc) / cache / 1e6);
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("peak resident memory: %.1f MB (the trace is streamed, never stored)\n",
                double(ru.ru_maxrss) / 1024.0);
    return 0;
}
