// The cache simulator: impossible geometries, the spec parser, a plain reference simulator on
// random traces, the course's A[i] += B[j] miss formulas, write-backs.
#include "engine/loops/cache_sim.h"
#include "engine/loops/schedule_parse.h"

#include <gtest/gtest.h>
#include <list>
#include <random>

namespace {

using namespace aisys::engine::loops;

CacheGeometry geo(std::int64_t size, std::int64_t assoc, std::int64_t line) {
    return {"L1", size, assoc, line};
}

/// A plain LRU cache of one level: a list per set, most recent first.
struct PlainLru {
    CacheGeometry g;
    std::vector<std::list<std::uint64_t>> sets;
    std::int64_t misses = 0;
    explicit PlainLru(CacheGeometry geom) : g(geom), sets(geom.sets()) {}
    void access(std::uint64_t addr) {
        const std::uint64_t line = addr / g.line;
        auto& s = sets[line % sets.size()];
        for (auto it = s.begin(); it != s.end(); ++it)
            if (*it == line) {
                s.erase(it);
                s.push_front(line);
                return;
            }
        ++misses;
        s.push_front(line);
        if (static_cast<std::int64_t>(s.size()) > g.assoc)
            s.pop_back();
    }
};

} // namespace

TEST(CacheGeometry, ImpossibleGeometriesAreRejectedPrecisely) {
    EXPECT_EQ(checkGeometry(geo(32768, 8, 64)), "");
    EXPECT_EQ(checkGeometry(geo(0, 8, 64)),
              "L1: size, associativity and line must all be positive (got size 0, assoc 8, line "
              "64)");
    EXPECT_EQ(checkGeometry(geo(32768, 8, 48)),
              "L1: the line size 48 is not a power of two (the line offset is a field of address "
              "bits)");
    EXPECT_EQ(checkGeometry(geo(30000, 8, 64)),
              "L1: the size 30000 is not a multiple of line × assoc = 64 × 8 = 512 (sets = size "
              "/ (line × assoc) must be whole)");
    EXPECT_EQ(checkGeometry(geo(3 * 512, 8, 64)),
              "L1: 3 sets (size / (line × assoc)) is not a power of two (the set index is a "
              "field of address bits)");
    EXPECT_EQ(checkGeometry(geo(49152, 12, 64)), "") << "48K 12-way: 64 sets";
}

TEST(CacheSpec, ParsesLevelsAndNamesTheColumnOfAnError) {
    auto s = parseCacheSpec("L1=32K:8:64,L2=1M:16:64");
    ASSERT_TRUE(s) << s.error;
    ASSERT_EQ(s.value->size(), 2u);
    EXPECT_EQ((*s.value)[0].size, 32768);
    EXPECT_EQ((*s.value)[1].size, 1 << 20);
    EXPECT_EQ((*s.value)[1].sets(), 1024);
    struct Case {
        const char* text;
        const char* error;
    };
    for (const Case& c : {
             Case{"L1=32K:8", "column 9: expected ':' in L1=SIZE:ASSOC:LINE"},
             Case{"L1=32K:8:64,L2=1M:16:48", "column 13: L2: the line size 48 is not a power"},
             Case{"L1=32K:8:64;L2=1M:16:64", "column 12: expected ',' between levels"},
             Case{"L1:32K:8:64", "column 3: expected '=' after L1"},
             Case{"L1=:8:64", "column 4: expected a size in bytes (K or M allowed) for L1"},
             Case{"L1=32K:8:64,L1=1M:16:64", "column 13: level L1 is given twice"},
             Case{"L1=32K:8:128,L2=1M:16:64", "column 14: L2's line (64) is smaller than L1's"},
             Case{"", "column 1: no cache level given"},
             Case{"L1=32K:8:64,", "column 13: expected a level after ','"},
         }) {
        auto r = parseCacheSpec(c.text);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error.rfind(c.error, 0), 0u) << c.text << " → " << r.error;
    }
}

TEST(CacheSim, AgreesWithAPlainLruOnRandomTraces) {
    std::mt19937_64 rng(5);
    for (const CacheGeometry& g :
         {geo(4096, 4, 64), geo(2048, 1, 32), geo(8192, 16, 128), geo(1024, 16, 64)}) {
        CacheSim sim({g}, 1);
        PlainLru plain(g);
        for (int i = 0; i < 200000; ++i) {
            // A mix of a hot region and far addresses.
            const std::uint64_t a = (rng() % 4 == 0) ? rng() % (1 << 20) : rng() % 6000;
            const bool w = rng() % 3 == 0;
            sim.access(a, 0, w);
            plain.access(a);
        }
        EXPECT_EQ(sim.counts(0).misses(), plain.misses) << g.size << "/" << g.assoc;
        EXPECT_EQ(sim.counts(0).accesses(), 200000);
        EXPECT_EQ(sim.counts(0).evictions, plain.misses - g.size / g.line);
    }
}

TEST(CacheSim, TheCoursesTilingExampleMatchesItsMissFormulas) {
    // for i < n, j < m: A[i] += B[j] (reads A[i], B[j], writes A[i]) with b = 16 floats per
    // line, in a fully associative cache of 64 lines (one set) that holds neither array whole.
    const std::int64_t n = 1024, m = 2048, b = 16, lines = 64;
    const std::uint64_t A = 0, B = 1 << 20;
    // j tiled by T: for j0 (step T), for i, for j in the tile.
    auto run = [&](std::int64_t T) {
        CacheSim sim({{"L1", lines * 64, lines, 64}}, 2);
        for (std::int64_t j0 = 0; j0 < m; j0 += T)
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t j = j0; j < j0 + T; ++j) {
                    sim.access(A + 4 * i, 0, false);
                    sim.access(B + 4 * j, 1, false);
                    sim.access(A + 4 * i, 0, true);
                }
        return std::pair{sim.arrayCounts(0, 0).misses, sim.arrayCounts(0, 1).misses};
    };
    // Untiled (T = m): A misses n/b, B misses n·m/b.
    auto [a0, b0] = run(m);
    EXPECT_EQ(a0, n / b);
    EXPECT_EQ(b0, n * m / b);
    // Tile j by T = 256 (16 lines of B stay): B misses m/b, but A misses n·m/(T·b).
    const std::int64_t T = 256;
    auto [a1, b1] = run(T);
    EXPECT_EQ(b1, m / b);
    EXPECT_EQ(a1, n * m / (T * b));
}

TEST(CacheSim, TheTilingExampleThroughTheEnginesNestAndExecutor) {
    // The same example as a compute definition, its schedules applied by the engine.
    const std::int64_t n = 1024, m = 2048, b = 16, T = 256;
    auto misses = [&](const std::string& text) {
        auto nest = schedule(accumulate(n, m), *parseSchedule(text).value);
        EXPECT_TRUE(nest) << nest.error;
        CacheSim sim({{"L1", 64 * 64, 64, 64}}, 2); // 64 lines, fully associative
        execute(*nest.value, nullptr, &sim);
        return std::pair{sim.arrayCounts(0, 0).misses, sim.arrayCounts(0, 1).misses};
    };
    EXPECT_EQ(misses(""), std::pair(n / b, n * m / b));
    EXPECT_EQ(misses("split(j,256);reorder(j.o,i,j.i)"), std::pair(n * m / (T * b), m / b));
}

TEST(CacheSim, DirtyLinesAreWrittenBackOnceAndReadsAreNot) {
    // A direct-mapped 2-line L1 over a 4-line L2: write line 0, then evict it by lines 2 and 4.
    CacheSim sim({{"L1", 128, 1, 64}, {"L2", 512, 2, 64}}, 2);
    sim.access(0, 0, true);    // L1 write miss → L2 write miss → memory read
    sim.access(128, 1, false); // same L1 set: evicts the dirty line 0 → written back into L2
    sim.access(256, 1, false); // evicts a clean line: no write-back
    EXPECT_EQ(sim.counts(0).writeMisses, 1);
    EXPECT_EQ(sim.counts(0).readMisses, 2);
    EXPECT_EQ(sim.counts(0).evictions, 2);
    EXPECT_EQ(sim.counts(0).dirtyEvictions, 1);
    EXPECT_EQ(sim.arrayCounts(0, 0).evictions, 1);
    EXPECT_EQ(sim.counts(1).writebacksIn, 1);
    EXPECT_EQ(sim.counts(1).writebackMisses, 0); // line 0 is still in L2
    EXPECT_EQ(sim.counts(1).writeMisses, 1);
    EXPECT_EQ(sim.memoryReads(), 3);
    EXPECT_EQ(sim.memoryWrites(), 0);
    // Lines 0, 4 and 8 share L2 set 0 (2 ways): line 8 pushes the dirty line 0 to memory.
    for (std::uint64_t a : {384u, 512u, 640u, 768u, 1024u})
        sim.access(a, 1, false);
    EXPECT_EQ(sim.memoryWrites(), 1);
    EXPECT_EQ(sim.counts(1).dirtyEvictions, 1);
}
