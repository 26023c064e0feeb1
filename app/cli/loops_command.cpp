// `aisyslab loops`: schedule a loop nest, run its trace through the cache simulator, estimate.
#include "app/cli/loops_command.h"

#include "engine/loops/cache_sim.h"
#include "engine/loops/cost_model.h"
#include "engine/loops/executor.h"
#include "engine/loops/nest_print.h"
#include "engine/loops/schedule_parse.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace aisys::app::cli {

namespace lp = engine::loops;

const char* loopsUsage() {
    return R"(  aisyslab loops [--op OP] [--size A,B,...] [--schedule "PRIMITIVES"]
                 [--cache L1=32K:8:64,L2=1M:16:64] [--penalty C1,C2,...] [--ipc X]
                 [--cores N] [--per-iteration LOOP] [--json | --emit-c]
      Builds the loop nest of OP (matmul M,N,K [default 256,256,256]; conv-nchw and
      conv-nhwc N,IC,H,W,OC,KH,KW; blur3x3 H,W; elementwise M,N; accumulate N,M, the
      course's A[i] += B[j]; softmax M,N in five stages init, max, exp, sum, div, run one
      after the other — stage(NAME) picks the stage later primitives apply to, the last by
      default), applies the schedule's
      primitives one by one — split(l,f) tile(x,y,fx,fy) reorder(l1,l2,...) fuse(outer,inner)
      unroll(l[,f]) vectorize(l[,lanes]) parallel(l), separated by ';' — checking each for
      legality, prints the nest as pseudo-C, runs it and feeds every load and store to the
      cache levels (NAME=SIZE:ASSOC:LINE, LRU, write-back, write-allocate): accesses, misses
      and evictions per level and array, and the estimated cycles (instructions / IPC +
      misses × penalty per level; default penalties 14, 42 for middle levels, 200 for the
      last). --per-iteration LOOP adds the misses per level of every iteration of that loop
      (the first 4096; 64 in the text). An empty schedule is the naive nest. --emit-c prints the nest as a C program
      with the same loads and stores (bench/loops_vs_cachegrind.sh compiles it).
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab loops: %s\n", msg.c_str());
    return 2;
}

/// "column N: …" in `error` → the message plus the text with a caret under column N.
int failAt(const char* option, const std::string& text, const std::string& error) {
    std::string msg = std::string(option) + ", " + error;
    int col = 0;
    if (error.rfind("column ", 0) == 0)
        col = std::atoi(error.c_str() + 7);
    if (col > 0) {
        msg += "\n  " + text + "\n  " + std::string(static_cast<std::size_t>(col - 1), ' ') + "^";
    }
    return fail(msg);
}

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\';
        if (c == '\n') {
            o += "\\n";
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
            continue;
        }
        o += c;
    }
    return o;
}

/// Comma-separated numbers; false with `error` set on anything else.
template <class T>
bool parseList(const std::string& option, const std::string& s, std::vector<T>& out,
               std::string& error) {
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t comma = std::min(s.find(',', start), s.size());
        const std::string item = s.substr(start, comma - start);
        T v{};
        auto r = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || r.ec != std::errc() || r.ptr != item.data() + item.size()) {
            error = option + " expects comma-separated numbers, got '" + item + "' at column " +
                    std::to_string(start + 1) + " of '" + s + "'";
            return false;
        }
        out.push_back(v);
        start = comma + 1;
    }
    return true;
}

const char* kindName(lp::LoopKind k) {
    switch (k) {
    case lp::LoopKind::Serial:
        return "serial";
    case lp::LoopKind::Parallel:
        return "parallel";
    case lp::LoopKind::Unrolled:
        return "unrolled";
    case lp::LoopKind::Vectorized:
        return "vectorized";
    }
    return "?";
}

/// Feeds the cache and keeps the misses per level at the start of each marked iteration.
struct PerIteration : lp::TraceSink {
    static constexpr std::size_t kMax = 4096;
    lp::CacheSim& sim;
    std::vector<std::int64_t> counters;               ///< the loop's value per iteration
    std::vector<std::vector<std::int64_t>> startMiss; ///< per iteration, per level
    std::int64_t iterations = 0;
    explicit PerIteration(lp::CacheSim& s) : sim(s) {}
    void consume(std::span<const lp::TraceEvent> e) override { sim.consume(e); }
    void iteration(std::int64_t, std::int64_t counter) override {
        ++iterations;
        if (counters.size() > kMax)
            return;
        counters.push_back(counter);
        std::vector<std::int64_t> m;
        for (int l = 0; l < sim.levelCount(); ++l)
            m.push_back(sim.counts(l).misses());
        startMiss.push_back(std::move(m));
    }
    /// Misses of level l during iteration i (i < recorded() ).
    std::int64_t misses(std::size_t i, int l) const {
        const std::int64_t end =
            i + 1 < startMiss.size() ? startMiss[i + 1][l] : sim.counts(l).misses();
        return end - startMiss[i][l];
    }
    /// Iterations with complete counts: all when the run ended within kMax, else kMax.
    std::size_t recorded() const {
        return iterations <= static_cast<std::int64_t>(kMax) ? counters.size() : kMax;
    }
};

/// The shortest text that reads back as `v`.
std::string num(double v) {
    char b[64];
    auto r = std::to_chars(b, b + sizeof b, v);
    return std::string(b, r.ptr);
}

} // namespace

int runLoops(int argc, char** argv) {
    std::string op = "matmul", sizeText, scheduleText, cacheText = "L1=32K:8:64,L2=1M:16:64";
    std::string perLoop;
    bool json = false, emitC = false;
    lp::CostParams cost;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a == "--emit-c") {
            emitC = true;
            continue;
        }
        if (a != "--op" && a != "--size" && a != "--schedule" && a != "--cache" &&
            a != "--penalty" && a != "--ipc" && a != "--cores" && a != "--per-iteration")
            return fail("unknown option '" + a + "' (see aisyslab loops --help)");
        if (i + 1 >= argc)
            return fail(a + " needs a value");
        const std::string v = argv[++i];
        std::string err;
        if (a == "--op") {
            op = v;
        } else if (a == "--size") {
            sizeText = v;
        } else if (a == "--schedule") {
            scheduleText = v;
        } else if (a == "--cache") {
            cacheText = v;
        } else if (a == "--per-iteration") {
            perLoop = v;
        } else if (a == "--penalty") {
            if (!parseList(a, v, cost.missPenalty, err))
                return fail(err);
            for (double p : cost.missPenalty)
                if (p < 0)
                    return fail("--penalty: a miss penalty cannot be negative, got " + num(p));
        } else if (a == "--ipc") {
            std::vector<double> x;
            if (!parseList(a, v, x, err) || x.size() != 1 || !(x[0] > 0))
                return fail("--ipc expects one positive number, got '" + v + "'");
            cost.instructionsPerCycle = x[0];
        } else if (a == "--cores") {
            std::vector<int> x;
            if (!parseList(a, v, x, err) || x.size() != 1 || x[0] < 1 || x[0] > 1024)
                return fail("--cores expects a count 1…1024, got '" + v + "'");
            cost.cores = x[0];
        }
    }
    if (json && emitC)
        return fail("--json and --emit-c exclude each other");
    // 1. The compute definition.
    std::vector<std::int64_t> sizes;
    if (sizeText.empty()) {
        if (op == "matmul")
            sizes = {256, 256, 256};
        else if (op == "conv-nchw" || op == "conv-nhwc")
            sizes = {1, 16, 34, 34, 16, 3, 3};
        else if (op == "blur3x3")
            sizes = {256, 256};
        else if (op == "elementwise")
            sizes = {256, 256};
        else if (op == "accumulate")
            sizes = {1024, 2048};
        else if (op == "softmax")
            sizes = {256, 256};
    } else if (std::string err; !parseList("--size", sizeText, sizes, err)) {
        return fail(err);
    }
    auto pipe = lp::makePipeline(op, sizes);
    if (!pipe)
        return fail(pipe.error);
    // 2. The schedule: parsed, then applied primitive by primitive.
    auto prims = lp::parseSchedule(scheduleText);
    if (!prims)
        return failAt("--schedule", scheduleText, prims.error);
    auto scheduled = lp::schedule(*pipe.value, *prims.value);
    if (!scheduled)
        return failAt("--schedule: illegal", scheduleText, scheduled.error);
    const std::vector<lp::LoopNest>& nests = *scheduled.value;
    const lp::LoopNest& n = nests.back(); // the one nest of a one-stage op
    if (emitC) {
        std::fputs(lp::cProgram(nests, scheduleText).c_str(), stdout);
        return 0;
    }
    constexpr std::int64_t kMaxPoints = std::int64_t{1} << 31;
    std::int64_t points = 0;
    for (const lp::LoopNest& s : nests)
        points = std::min(points + s.boxIterations(), std::int64_t{1} << 62);
    if (points > kMaxPoints)
        return fail("the nest has " + std::to_string(points) +
                    " iteration points; at most 2^31 are simulated (use a smaller --size)");
    // 3. The cache levels, the run, the estimate.
    auto levels = lp::parseCacheSpec(cacheText);
    if (!levels)
        return failAt("--cache", cacheText, levels.error);
    int markLoop = -1;
    if (!perLoop.empty() && nests.size() > 1)
        return fail("--per-iteration: " + op +
                    " runs several stages one after the other; name a loop of a one-stage op");
    if (!perLoop.empty()) {
        markLoop = n.loopIndex(perLoop);
        std::string names;
        for (const lp::Loop& l : n.loops())
            names += (names.empty() ? "" : ", ") + n.vars()[l.var].name;
        if (markLoop < 0)
            return fail("--per-iteration: no loop named '" + perLoop +
                        "' in the nest (its loops: " + names + ")");
        if (n.loops()[markLoop].kind == lp::LoopKind::Vectorized)
            return fail("--per-iteration: loop " + perLoop +
                        " is vectorized: its lanes run as one group (name a loop outside it)");
    }
    const lp::ComputeDef& d = n.def();
    lp::CacheSim sim(*levels.value, static_cast<int>(d.arrays.size()));
    PerIteration per(sim);
    const auto t0 = std::chrono::steady_clock::now();
    // Each stage's run after the previous one's, through the same cache.
    std::vector<lp::RunStats> runs;
    lp::RunStats st;
    for (const lp::LoopNest& s : nests) {
        runs.push_back(markLoop >= 0 ? lp::execute(s, nullptr, &per, markLoop)
                                     : lp::execute(s, nullptr, &sim));
        st.bodyIterations += runs.back().bodyIterations;
        st.loads += runs.back().loads;
        st.stores += runs.back().stores;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const lp::CostEstimate c = lp::estimateCost(nests, runs, sim, cost);
    const std::vector<double> pen = lp::missPenalties(cost, sim.levelCount());
    std::vector<std::string> notes;
    for (const lp::LoopNest& s : nests)
        for (const std::string& note : s.notes())
            notes.push_back((nests.size() > 1 ? "stage " + s.def().stage + ": " : "") + note);

    if (json) {
        std::string o = "{\"op\":\"" + d.op + "\",\"sizes\":\"" + d.signature +
                        "\",\"schedule\":\"" + jsonEscape(scheduleText) + "\",\"legal\":true";
        o += ",\"notes\":[";
        for (std::size_t i = 0; i < notes.size(); ++i)
            o += (i ? ",\"" : "\"") + jsonEscape(notes[i]) + "\"";
        if (nests.size() > 1) {
            o += "],\"stages\":[";
            for (std::size_t i = 0; i < nests.size(); ++i)
                o += (i ? ",\"" : "\"") + nests[i].def().stage + "\"";
        }
        o += "],\"loops\":[";
        for (std::size_t i = 0; i < n.loops().size(); ++i) {
            const lp::LoopVar& v = n.vars()[n.loops()[i].var];
            o += std::string(i ? "," : "") + "{\"name\":\"" + v.name +
                 "\",\"extent\":" + std::to_string(v.extent) + ",\"kind\":\"" +
                 kindName(n.loops()[i].kind) +
                 "\",\"reduction\":" + (v.reduction ? "true" : "false") + "}";
        }
        o += "],\"nest\":\"" + jsonEscape(lp::nestText(nests)) + "\"";
        o += ",\"trace\":{\"points\":" + std::to_string(st.bodyIterations) +
             ",\"loads\":" + std::to_string(st.loads) + ",\"stores\":" + std::to_string(st.stores) +
             ",\"seconds\":" + num(seconds) + "}";
        o += ",\"cache\":[";
        for (int l = 0; l < sim.levelCount(); ++l) {
            const lp::LevelCounts& k = sim.counts(l);
            const lp::CacheGeometry& g = sim.geometry(l);
            o += std::string(l ? "," : "") + "{\"level\":\"" + g.name +
                 "\",\"size\":" + std::to_string(g.size) + ",\"assoc\":" + std::to_string(g.assoc) +
                 ",\"line\":" + std::to_string(g.line) + ",\"reads\":" + std::to_string(k.reads) +
                 ",\"writes\":" + std::to_string(k.writes) +
                 ",\"read_misses\":" + std::to_string(k.readMisses) +
                 ",\"write_misses\":" + std::to_string(k.writeMisses) +
                 ",\"misses\":" + std::to_string(k.misses()) +
                 ",\"evictions\":" + std::to_string(k.evictions) +
                 ",\"writebacks_out\":" + std::to_string(k.dirtyEvictions) +
                 ",\"writebacks_in\":" + std::to_string(k.writebacksIn) + ",\"arrays\":{";
            for (std::size_t a = 0; a < d.arrays.size(); ++a) {
                const lp::ArrayCounts& ac = sim.arrayCounts(l, static_cast<int>(a));
                o += std::string(a ? "," : "") + "\"" + d.arrays[a].name +
                     "\":{\"accesses\":" + std::to_string(ac.accesses) +
                     ",\"misses\":" + std::to_string(ac.misses) +
                     ",\"evictions\":" + std::to_string(ac.evictions) + "}";
            }
            o += "}}";
        }
        o += "],\"memory\":{\"line_reads\":" + std::to_string(sim.memoryReads()) +
             ",\"line_writes\":" + std::to_string(sim.memoryWrites()) + "}";
        o += ",\"cost\":{\"instructions\":" + std::to_string(c.instructions()) +
             ",\"body_instructions\":" + std::to_string(c.bodyInstructions) +
             ",\"loop_instructions\":" + std::to_string(c.loopInstructions) +
             ",\"guard_instructions\":" + std::to_string(c.guardInstructions) +
             ",\"lanes\":" + std::to_string(c.lanes) +
             ",\"lane_utilization\":" + num(c.laneUtilization) +
             ",\"parallel_speedup\":" + num(c.parallelSpeedup) +
             ",\"compute_cycles\":" + num(c.computeCycles) + ",\"miss_cycles\":[";
        for (std::size_t l = 0; l < c.missCycles.size(); ++l)
            o += (l ? "," : "") + num(c.missCycles[l]);
        o += "],\"cycles\":" + num(c.cycles) + "}";
        if (markLoop >= 0) {
            o += ",\"per_iteration\":{\"loop\":\"" + perLoop +
                 "\",\"iterations\":" + std::to_string(per.iterations) + ",\"misses\":[";
            for (std::size_t i = 0; i < per.recorded(); ++i) {
                o += std::string(i ? "," : "") + "[" + std::to_string(per.counters[i]);
                for (int l = 0; l < sim.levelCount(); ++l)
                    o += "," + std::to_string(per.misses(i, l));
                o += "]";
            }
            o += "]}";
        }
        o += "}\n";
        std::fputs(o.c_str(), stdout);
        return 0;
    }

    std::printf("%s %s, schedule \"%s\"\n", d.op.c_str(), d.signature.c_str(),
                scheduleText.c_str());
    std::printf("legality: %s\n", prims.value->empty()
                                      ? "the naive nest"
                                      : ("legal (" + std::to_string(prims.value->size()) +
                                         " primitive" + (prims.value->size() == 1 ? "" : "s") + ")")
                                            .c_str());
    for (const std::string& note : notes)
        std::printf("  note: %s\n", note.c_str());
    std::printf("\n%s\n", lp::nestText(nests).c_str());
    std::printf("trace: %lld points, %lld loads, %lld stores, simulated in %.2f s\n",
                static_cast<long long>(st.bodyIterations), static_cast<long long>(st.loads),
                static_cast<long long>(st.stores), seconds);
    std::printf("\n%-6s %9s %5s %5s %12s %12s %7s %12s %12s\n", "level", "size", "assoc", "line",
                "accesses", "misses", "miss %", "evictions", "writebacks");
    for (int l = 0; l < sim.levelCount(); ++l) {
        const lp::LevelCounts& k = sim.counts(l);
        const lp::CacheGeometry& g = sim.geometry(l);
        std::printf("%-6s %9lld %5lld %5lld %12lld %12lld %7.2f %12lld %12lld\n", g.name.c_str(),
                    static_cast<long long>(g.size), static_cast<long long>(g.assoc),
                    static_cast<long long>(g.line), static_cast<long long>(k.accesses()),
                    static_cast<long long>(k.misses()),
                    k.accesses() ? 100.0 * double(k.misses()) / double(k.accesses()) : 0.0,
                    static_cast<long long>(k.evictions), static_cast<long long>(k.dirtyEvictions));
        for (std::size_t a = 0; a < d.arrays.size(); ++a) {
            const lp::ArrayCounts& ac = sim.arrayCounts(l, static_cast<int>(a));
            std::printf("  %-14s %17s %12lld %12lld %7s %12lld\n", d.arrays[a].name.c_str(), "",
                        static_cast<long long>(ac.accesses), static_cast<long long>(ac.misses), "",
                        static_cast<long long>(ac.evictions));
        }
    }
    if (markLoop >= 0) {
        const std::size_t shown = std::min<std::size_t>(per.recorded(), 64);
        std::printf("\nmisses per iteration of loop %s (%lld iterations):\n%10s %12s",
                    perLoop.c_str(), static_cast<long long>(per.iterations), "iteration",
                    perLoop.c_str());
        for (int l = 0; l < sim.levelCount(); ++l)
            std::printf(" %12s", sim.geometry(l).name.c_str());
        std::printf("\n");
        for (std::size_t i = 0; i < shown; ++i) {
            std::printf("%10zu %12lld", i, static_cast<long long>(per.counters[i]));
            for (int l = 0; l < sim.levelCount(); ++l)
                std::printf(" %12lld", static_cast<long long>(per.misses(i, l)));
            std::printf("\n");
        }
        if (static_cast<std::int64_t>(shown) < per.iterations)
            std::printf("  … %lld more (--json lists the first %zu)\n",
                        static_cast<long long>(per.iterations - std::int64_t(shown)),
                        PerIteration::kMax);
    }
    std::printf("memory: %lld lines read, %lld written back\n",
                static_cast<long long>(sim.memoryReads()),
                static_cast<long long>(sim.memoryWrites()));
    std::printf(
        "\ncost estimate: %lld instructions (body %lld, loops %lld, guards %lld)",
        static_cast<long long>(c.instructions()), static_cast<long long>(c.bodyInstructions),
        static_cast<long long>(c.loopInstructions), static_cast<long long>(c.guardInstructions));
    if (c.lanes > 1)
        std::printf(", %d lanes (%.1f %% used)", c.lanes, 100.0 * c.laneUtilization);
    std::printf("\n  compute %.4g cycles (IPC %s", c.computeCycles,
                num(cost.instructionsPerCycle).c_str());
    if (c.parallelSpeedup > 1)
        std::printf(", parallel ×%s", num(c.parallelSpeedup).c_str());
    std::printf(")\n");
    for (int l = 0; l < sim.levelCount(); ++l)
        std::printf("  + %s misses %lld × %s = %.4g cycles\n", sim.geometry(l).name.c_str(),
                    static_cast<long long>(sim.counts(l).misses()), num(pen[l]).c_str(),
                    c.missCycles[l]);
    std::printf("  = %.4g cycles\n", c.cycles);
    return 0;
}

} // namespace aisys::app::cli
