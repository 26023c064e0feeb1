// Auto-tuning a matmul's schedule: a space of schedule strings (tiles, loop orders, unroll,
// vectorize), searches over it (grid, random, genetic, model-guided), a learned cost model,
// and timing the generated C kernel of the best schedules with the system compiler.
#pragma once

#include "engine/loops/cache_sim.h"
#include "engine/loops/compute.h"
#include "engine/loops/cost_model.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::loops {

/// The genes of a matmul schedule; each an index into the option lists of a `TuneSpace`.
/// 0 tile of i, 1 tile of j, 2 tile of k, 3 order of the outer (tile) loops, 4 order of the
/// inner loops, 5 unroll factor, 6 vectorize off/on.
inline constexpr int kGenes = 7;
using Genome = std::vector<int>;

/// The options per gene. A tile equal to the extent leaves the axis whole (its `.o` loop has
/// one iteration); an order is a permutation of "ijk"; unroll 1 = none.
struct TuneSpace {
    std::vector<std::int64_t> tileI, tileJ, tileK;
    std::vector<std::string> outerOrders, innerOrders;
    std::vector<int> unrolls;
    std::vector<int> vectorize; ///< 0 and/or 1
    int lanes = 8;              ///< lanes when vectorized
    std::int64_t options(int gene) const;
    std::int64_t size() const; ///< candidates: the product of the options
};

/// The tiles of an extent: the powers of two 4…min(E, 64) that divide E, and E itself.
std::vector<std::int64_t> tileOptions(std::int64_t extent);
/// matmul M,N,K: tiles per `tileOptions`, all 6 outer × 6 inner orders, unroll 1, 2, 4, 8,
/// vectorize off and on (`full`); or 2 tiles per axis (the smallest and largest of
/// tileOptions), orders ijk and ikj, unroll 1 and 4, vectorize off and on (128 candidates).
TuneSpace matmulSpace(std::int64_t m, std::int64_t n, std::int64_t k, bool full);

/// The schedule string of a genome: split(i,ti);split(j,tj);split(k,tk);reorder(outer .o
/// loops, inner .i loops); unroll(the loop above the innermost when vectorized, else the
/// innermost, u); vectorize(innermost, lanes). Whether it is legal is `LoopNest::apply`'s
/// business (vectorizing the reduction loop k.i is not).
std::string scheduleText(const TuneSpace& s, const Genome& g);
/// The i-th candidate in the grid's order (the last gene fastest).
Genome genomeAt(const TuneSpace& s, std::int64_t index);

/// One scored (or rejected) schedule.
struct Evaluation {
    std::string schedule;
    Genome genome;
    bool legal = false;
    std::string error;                ///< why not, when illegal
    double cycles = 0;                ///< the cost model's estimate
    std::vector<std::int64_t> misses; ///< per cache level
    std::int64_t instructions = 0;
};

/// Simulates schedules of one compute definition through one cache; remembers every result
/// by its schedule string (a repeated schedule is not simulated again).
class Evaluator {
public:
    Evaluator(ComputeDef def, std::vector<CacheGeometry> cache, CostParams params = {});
    const Evaluation& evaluate(const TuneSpace& s, const Genome& g);
    /// Schedules simulated (legal or not), cache hits.
    std::int64_t simulated() const { return m_simulated; }
    std::int64_t cacheHits() const { return m_hits; }
    const ComputeDef& def() const { return m_def; }
    const std::vector<CacheGeometry>& cache() const { return m_cache; }

private:
    ComputeDef m_def;
    std::vector<CacheGeometry> m_cache;
    CostParams m_params;
    std::map<std::string, Evaluation> m_done;
    std::int64_t m_simulated = 0, m_hits = 0;
};

enum class SearchKind { Grid, Random, Genetic, Model };
/// "grid", "random", "genetic", "model"; nullopt otherwise.
std::optional<SearchKind> searchKind(const std::string& name);

struct SearchOptions {
    SearchKind kind = SearchKind::Random;
    int budget = 64; ///< distinct schedules simulated (legal or not)
    std::uint32_t seed = 1;
    int topK = 5;
    // Genetic: population, elites kept unchanged, mutation probability per gene.
    int population = 16;
    int elites = 2;
    double mutation = 0.2;
    // Model: random points measured first, candidates ranked per round, measured per round.
    int modelWarmup = 0; ///< 0 = budget / 4 (at least 8)
    int modelPool = 256;
    int modelBatch = 8;
};

struct CurvePoint {
    int evaluation = 0; ///< 1-based index of the simulated schedule
    double best = 0;    ///< the lowest cycles of any legal schedule so far
};

struct SearchResult {
    std::vector<Evaluation> top;   ///< the best legal schedules, lowest cycles first
    std::vector<CurvePoint> curve; ///< one point per simulated schedule after the first legal
    int evaluated = 0, illegal = 0;
    int repeats = 0; ///< proposals of a schedule already simulated (not simulated again)
    std::int64_t spaceSize = 0;
    int generations = 0;    ///< genetic
    bool exhausted = false; ///< every candidate of the space was simulated
    /// Model: Spearman's rank correlation between the model's prediction (fitted before the
    /// round) and the simulated cost, over every schedule a round picked (held out of its fit).
    std::optional<double> modelRankCorrelation;
};

/// Runs the search. Grid walks the space in `genomeAt` order until the budget or the end.
SearchResult search(Evaluator& ev, const TuneSpace& space, const SearchOptions& o);

/// Ridge regression of log(cycles) on schedule features (log2 tiles, the log2 footprint of a
/// tile of A, B and C against each cache level, one-hot orders, log2 unroll, vectorize, and
/// a bias), as AutoTVM ranks candidates with a learned model before measuring them (Chen et
/// al., "Learning to Optimize Tensor Programs", NeurIPS 2018, §3–4; they use gradient
/// boosted trees and a rank loss, this is the least-squares stand-in).
class CostModel {
public:
    explicit CostModel(const TuneSpace& s, const ComputeDef& def,
                       const std::vector<CacheGeometry>& cache, double lambda = 1e-2);
    std::vector<double> features(const Genome& g) const;
    /// Fits on the legal evaluations; false when fewer than two.
    bool fit(const std::vector<Evaluation>& measured);
    double predictLogCycles(const Genome& g) const;

private:
    const TuneSpace& m_space;
    std::vector<double> m_cacheLog2;
    double m_lambda;
    std::vector<double> m_w;
};

/// Spearman's ρ (ties share their mean rank); 0 when either side is constant.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

/// Fits the model on `train` random legal candidates and returns ρ on `test` others.
double heldOutRankCorrelation(Evaluator& ev, const TuneSpace& s, int train, int test,
                              std::uint32_t seed);

// ---- Measuring the generated kernel ----

/// The C compiler the lab would use: the first of cc, gcc, clang, c++, g++ on PATH, or "" when
/// none is there or AISYS_NO_COMPILER is set (non-empty).
std::string findCompiler();

struct Measurement {
    bool ok = false;
    std::string error;   ///< the compiler's or the run's failure
    double medianMs = 0; ///< median wall time of one kernel call
    std::vector<double> runsMs;
    bool matchesReference = false; ///< the output array equals `reference(def, seed)` exactly
    double maxAbsError = 0;
};

/// Writes `cProgram` of the schedule with a harness main (inputs from `seededData(def, seed)`,
/// the output zeroed before each of `runs` timed calls, CLOCK_MONOTONIC), compiles it with
/// `compiler -x c -O2`, runs it, and compares the output with the reference.
Measurement measureKernel(const ComputeDef& def, const std::string& schedule,
                          const std::string& compiler, int runs, std::uint32_t seed = 7);

} // namespace aisys::engine::loops
