// The cost model's steps, as written in cost_model.h.
#include "engine/loops/cost_model.h"

#include <algorithm>

namespace aisys::engine::loops {

std::vector<double> missPenalties(const CostParams& p, int levels) {
    std::vector<double> out;
    for (int i = 0; i < levels; ++i) {
        if (i < static_cast<int>(p.missPenalty.size()))
            out.push_back(p.missPenalty[i]);
        else
            out.push_back(i == levels - 1 ? 200.0 : i == 0 ? 14.0 : 42.0);
    }
    return out;
}

CostEstimate estimateCost(const LoopNest& nest, const RunStats& run, const CacheSim& cache,
                          const CostParams& params) {
    CostEstimate c;
    const ComputeDef& def = nest.def();
    const std::vector<Loop>& loops = nest.loops();
    const std::vector<LoopVar>& vars = nest.vars();
    // 1. The body, once per vector group.
    const std::int64_t perGroup = static_cast<std::int64_t>(def.loads.size()) +
                                  (def.accumulate ? 1 : 0) + 1 + def.flopsPerIteration();
    c.bodyInstructions = perGroup * run.vectorGroups;
    // 2. Loop overhead: iterations of loop d = product of the extents down to d.
    std::int64_t iters = 1;
    for (const Loop& l : loops) {
        if (l.kind == LoopKind::Vectorized) {
            c.lanes = static_cast<int>(vars[l.var].extent);
            continue;
        }
        iters *= vars[l.var].extent;
        if (l.kind != LoopKind::Unrolled)
            c.loopInstructions += 2 * iters;
    }
    // 3. Guards.
    const bool guarded = std::any_of(nest.relations().begin(), nest.relations().end(),
                                     [](const VarRelation& r) { return r.guarded; });
    if (guarded)
        c.guardInstructions = 2 * (run.vectorGroups + (c.lanes > 1 ? 0 : run.skipped));
    c.laneUtilization = run.lanesOffered ? double(run.lanesUsed) / double(run.lanesOffered) : 1.0;
    // 4. Compute.
    for (const Loop& l : loops)
        if (l.kind == LoopKind::Parallel)
            c.parallelSpeedup *= double(std::min<std::int64_t>(vars[l.var].extent, params.cores));
    c.parallelSpeedup = std::min(c.parallelSpeedup, double(std::max(params.cores, 1)));
    c.computeCycles = double(c.instructions()) / params.instructionsPerCycle / c.parallelSpeedup;
    addMissCycles(c, cache, params);
    return c;
}

CostEstimate estimateCost(const std::vector<LoopNest>& stages, const std::vector<RunStats>& runs,
                          const CacheSim& cache, const CostParams& params) {
    // Each stage's compute estimate (the misses are the whole run's), summed.
    CostEstimate all;
    std::int64_t used = 0, offered = 0;
    for (std::size_t s = 0; s < stages.size(); ++s) {
        const CostEstimate c = estimateCost(stages[s], runs[s], cache, params);
        all.bodyInstructions += c.bodyInstructions;
        all.loopInstructions += c.loopInstructions;
        all.guardInstructions += c.guardInstructions;
        all.computeCycles += c.computeCycles;
        all.lanes = std::max(all.lanes, c.lanes);
        used += runs[s].lanesUsed;
        offered += runs[s].lanesOffered;
    }
    all.laneUtilization = offered ? double(used) / double(offered) : 1.0;
    all.parallelSpeedup =
        all.computeCycles > 0
            ? double(all.instructions()) / params.instructionsPerCycle / all.computeCycles
            : 1.0;
    addMissCycles(all, cache, params);
    return all;
}

void addMissCycles(CostEstimate& c, const CacheSim& cache, const CostParams& params) {
    // 5. Memory.
    const std::vector<double> pen = missPenalties(params, cache.levelCount());
    c.cycles = c.computeCycles;
    c.missCycles.clear();
    for (int i = 0; i < cache.levelCount(); ++i) {
        c.missCycles.push_back(double(cache.counts(i).misses()) * pen[i]);
        c.cycles += c.missCycles.back();
    }
}

} // namespace aisys::engine::loops
