// `aisyslab tune`: search a matmul's schedule space, print the best schedules and the curve.
#include "app/cli/tune_command.h"

#include "engine/loops/tune.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace aisys::app::cli {

namespace lp = engine::loops;

const char* tuneUsage() {
    return R"(  aisyslab tune [--op matmul] [--size M,N,K] [--search grid|random|genetic|model]
                [--budget N] [--seed S] [--space small|full] [--top K]
                [--cache L1=32K:8:64,L2=1M:16:64] [--measure] [--runs R] [--json]
      Searches matmul schedules split(i,ti);split(j,tj);split(k,tk);reorder(outer .o loops,
      inner .i loops);unroll(…,u);vectorize(innermost,8) — tiles the powers of two 4…64
      dividing the extent and the extent itself, the 6 × 6 loop orders, unroll 1, 2, 4, 8,
      vectorize off/on (--space full, 18,432 candidates at 32³; --space small: 2 tiles per
      axis, orders ijk and ikj, unroll 1 and 4: 128) — each checked for legality (illegal
      ones are counted, not scored) and costed by running its trace through the cache levels
      (the estimate of `aisyslab loops`). grid walks the space in order (default space small);
      random draws distinct candidates; genetic evolves a population of 16 (tournament
      selection, uniform crossover of the genes, mutation 0.2 per gene, 2 elites); model
      measures a quarter of the budget at random, then fits a ridge regression of log cycles
      on schedule features and simulates the 8 candidates it ranks best out of 256 per round
      (its rank correlation on those held-out picks is printed). --budget (default 64) counts
      distinct schedules simulated; --seed (default 1) makes random, genetic and model
      repeatable. Prints the best --top (default 5) schedules, the best-so-far curve and the
      statistics. --measure compiles the best schedules' C kernels with the system compiler
      (cc, gcc, clang, c++ or g++ on PATH; AISYS_NO_COMPILER=1 hides it) at -O2, runs each
      --runs (default 5) times and prints the median time and whether the output equals
      the reference; without a compiler it says so and keeps the estimates.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab tune: %s\n", msg.c_str());
    return 2;
}

bool parseInt(const std::string& s, long long& v) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string num(double v) {
    char b[64];
    auto r = std::to_chars(b, b + sizeof b, v);
    return std::string(b, r.ptr);
}

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\';
        o += c;
    }
    return o;
}

/// The curve at about `rows` evenly spaced evaluations, each point where the best improved
/// always kept.
std::vector<lp::CurvePoint> compact(const std::vector<lp::CurvePoint>& c, std::size_t rows) {
    std::vector<lp::CurvePoint> out;
    const std::size_t step = std::max<std::size_t>(1, c.size() / rows);
    for (std::size_t i = 0; i < c.size(); ++i) {
        const bool improved = i == 0 || c[i].best < c[i - 1].best;
        if (improved || i % step == step - 1 || i + 1 == c.size())
            out.push_back(c[i]);
    }
    return out;
}

} // namespace

int runTune(int argc, char** argv) {
    std::string op = "matmul", sizeText = "256,256,256", searchText = "random", spaceText;
    std::string cacheText = "L1=32K:8:64,L2=1M:16:64";
    long long budget = 64, seed = 1, top = 5, runs = 5;
    bool json = false, measure = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a == "--measure") {
            measure = true;
            continue;
        }
        if (a != "--op" && a != "--size" && a != "--search" && a != "--budget" && a != "--seed" &&
            a != "--space" && a != "--top" && a != "--cache" && a != "--runs")
            return fail("unknown option '" + a + "' (see aisyslab tune --help)");
        if (i + 1 >= argc)
            return fail(a + " needs a value");
        const std::string v = argv[++i];
        long long* target = a == "--budget" ? &budget
                            : a == "--seed" ? &seed
                            : a == "--top"  ? &top
                            : a == "--runs" ? &runs
                                            : nullptr;
        if (target) {
            if (!parseInt(v, *target))
                return fail(a + " expects an integer, got '" + v + "'");
        } else if (a == "--op") {
            op = v;
        } else if (a == "--size") {
            sizeText = v;
        } else if (a == "--search") {
            searchText = v;
        } else if (a == "--space") {
            spaceText = v;
        } else {
            cacheText = v;
        }
    }
    if (op != "matmul")
        return fail("--op: the tuner's schedule space is matmul's (i, j, k); got '" + op + "'");
    const auto kind = lp::searchKind(searchText);
    if (!kind)
        return fail("--search expects grid, random, genetic or model, got '" + searchText + "'");
    if (budget < 1 || budget > 100000)
        return fail("--budget expects a count of schedules 1…100000, got " +
                    std::to_string(budget));
    if (seed < 0 || seed > 4294967295LL)
        return fail("--seed expects 0…4294967295, got " + std::to_string(seed));
    if (top < 1 || top > 100)
        return fail("--top expects 1…100, got " + std::to_string(top));
    if (runs < 1 || runs > 1000)
        return fail("--runs expects 1…1000, got " + std::to_string(runs));
    if (spaceText.empty())
        spaceText = *kind == lp::SearchKind::Grid ? "small" : "full";
    if (spaceText != "small" && spaceText != "full")
        return fail("--space expects small or full, got '" + spaceText + "'");
    std::vector<std::int64_t> sizes;
    for (std::size_t start = 0; start <= sizeText.size();) {
        const std::size_t comma = std::min(sizeText.find(',', start), sizeText.size());
        long long v = 0;
        if (!parseInt(sizeText.substr(start, comma - start), v))
            return fail("--size expects M,N,K (positive integers), got '" + sizeText + "'");
        sizes.push_back(v);
        start = comma + 1;
    }
    if (sizes.size() != 3)
        return fail("--size expects three extents M,N,K for matmul, got " +
                    std::to_string(sizes.size()) + " in '" + sizeText + "'");
    auto def = lp::makeCompute("matmul", sizes);
    if (!def)
        return fail("--size " + sizeText + ": " + def.error);
    constexpr double kMaxPoints = double(1 << 28);
    const double points = double(sizes[0]) * double(sizes[1]) * double(sizes[2]);
    if (points > kMaxPoints)
        return fail("--size " + sizeText + ": " + num(points) +
                    " points per schedule; the tuner simulates at most 2^28 per candidate "
                    "(use a smaller size)");
    auto levels = lp::parseCacheSpec(cacheText);
    if (!levels)
        return fail("--cache, " + levels.error);

    const lp::TuneSpace space = lp::matmulSpace(sizes[0], sizes[1], sizes[2], spaceText == "full");
    lp::Evaluator ev(*def.value, *levels.value);
    lp::SearchOptions o;
    o.kind = *kind;
    o.budget = static_cast<int>(budget);
    o.seed = static_cast<std::uint32_t>(seed);
    o.topK = static_cast<int>(top);
    const auto t0 = std::chrono::steady_clock::now();
    const lp::SearchResult r = lp::search(ev, space, o);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r.top.empty())
        return fail("no legal schedule among the " + std::to_string(r.evaluated) +
                    " simulated (raise --budget)");
    std::string compiler;
    std::vector<lp::Measurement> measured;
    if (measure) {
        compiler = lp::findCompiler();
        if (!compiler.empty())
            for (std::size_t i = 0; i < std::min<std::size_t>(r.top.size(), 3); ++i)
                measured.push_back(
                    lp::measureKernel(*def.value, r.top[i].schedule, compiler, int(runs)));
    }
    const std::vector<lp::CurvePoint> curve = compact(r.curve, 16);

    if (json) {
        std::string j =
            "{\"op\":\"matmul\",\"sizes\":\"" + def.value->signature + "\",\"search\":\"" +
            searchText + "\",\"space\":\"" + spaceText +
            "\",\"space_size\":" + std::to_string(r.spaceSize) +
            ",\"budget\":" + std::to_string(budget) + ",\"seed\":" + std::to_string(seed) +
            ",\"evaluated\":" + std::to_string(r.evaluated) +
            ",\"illegal\":" + std::to_string(r.illegal) +
            ",\"repeats\":" + std::to_string(r.repeats) +
            ",\"exhausted\":" + (r.exhausted ? "true" : "false") +
            ",\"generations\":" + std::to_string(r.generations) + ",\"seconds\":" + num(seconds);
        if (r.modelRankCorrelation)
            j += ",\"model_rank_correlation\":" + num(*r.modelRankCorrelation);
        j += ",\"top\":[";
        for (std::size_t i = 0; i < r.top.size(); ++i) {
            const lp::Evaluation& e = r.top[i];
            j += std::string(i ? "," : "") + "{\"schedule\":\"" + jsonEscape(e.schedule) +
                 "\",\"cycles\":" + num(e.cycles) +
                 ",\"instructions\":" + std::to_string(e.instructions) + ",\"misses\":[";
            for (std::size_t l = 0; l < e.misses.size(); ++l)
                j += (l ? "," : "") + std::to_string(e.misses[l]);
            j += "]";
            if (i < measured.size()) {
                const lp::Measurement& m = measured[i];
                j += m.ok ? ",\"measured_ms\":" + num(m.medianMs) +
                                ",\"matches_reference\":" + (m.matchesReference ? "true" : "false")
                          : ",\"measure_error\":\"" + jsonEscape(m.error) + "\"";
            }
            j += "}";
        }
        j += "],\"curve\":[";
        for (std::size_t i = 0; i < r.curve.size(); ++i)
            j += std::string(i ? "," : "") + "[" + std::to_string(r.curve[i].evaluation) + "," +
                 num(r.curve[i].best) + "]";
        j += "]";
        if (measure)
            j += ",\"compiler\":\"" + jsonEscape(compiler) + "\"";
        j += "}\n";
        std::fputs(j.c_str(), stdout);
        return 0;
    }

    std::printf("tune matmul %s: %s search, %s space (%lld candidates), budget %lld, seed %lld\n",
                def.value->signature.c_str(), searchText.c_str(), spaceText.c_str(),
                static_cast<long long>(r.spaceSize), budget, seed);
    std::printf("cache %s\n\n", cacheText.c_str());
    std::printf("%-4s %14s %12s", "rank", "est. cycles", "instr.");
    for (const lp::CacheGeometry& g : *levels.value)
        std::printf(" %10s", (g.name + " miss").c_str());
    if (!measured.empty())
        std::printf(" %11s %6s", "measured ms", "output");
    std::printf("  schedule\n");
    for (std::size_t i = 0; i < r.top.size(); ++i) {
        const lp::Evaluation& e = r.top[i];
        std::printf("%-4zu %14.6g %12lld", i + 1, e.cycles, static_cast<long long>(e.instructions));
        for (std::int64_t m : e.misses)
            std::printf(" %10lld", static_cast<long long>(m));
        if (!measured.empty()) {
            if (i < measured.size() && measured[i].ok)
                std::printf(" %11.3f %6s", measured[i].medianMs,
                            measured[i].matchesReference ? "ok" : "WRONG");
            else
                std::printf(" %11s %6s", i < measured.size() ? "failed" : "-", "");
        }
        std::printf("  %s\n", e.schedule.c_str());
    }
    for (const lp::Measurement& m : measured)
        if (!m.ok)
            std::printf("  measuring failed: %s\n", m.error.c_str());
    if (measure && compiler.empty())
        std::printf("\nno C compiler on PATH (looked for cc, gcc, clang, c++, g++%s): the "
                    "estimates above are not measured\n",
                    std::getenv("AISYS_NO_COMPILER") ? "; AISYS_NO_COMPILER is set" : "");
    else if (measure)
        std::printf("\nmeasured: %s -O2, median of %lld runs of the kernel (the same loads and "
                    "stores as the estimate, volatile arrays)\n",
                    compiler.c_str(), runs);
    std::printf("\nbest so far (evaluation → estimated cycles):\n");
    for (const lp::CurvePoint& p : curve)
        std::printf("  %6d  %14.6g\n", p.evaluation, p.best);
    std::printf("\n%d schedules simulated (%d illegal, not scored), %d repeated proposals "
                "not simulated again, %s%.2f s",
                r.evaluated, r.illegal, r.repeats, r.exhausted ? "the whole space, " : "", seconds);
    if (r.generations)
        std::printf(", %d generations", r.generations);
    std::printf("\n");
    if (r.modelRankCorrelation)
        std::printf("model: Spearman rank correlation %.3f between its predictions and the "
                    "simulated cost of the schedules it picked (each held out of its fit)\n",
                    *r.modelRankCorrelation);
    return 0;
}

} // namespace aisys::app::cli
