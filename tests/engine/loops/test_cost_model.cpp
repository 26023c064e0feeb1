// The cost model: instructions counted from the nest, lanes, unrolling, guards, parallel loops,
// misses × penalties; and the defaults it documents.
#include "engine/loops/cost_model.h"
#include "engine/loops/schedule_parse.h"

#include <gtest/gtest.h>

namespace {

using namespace aisys::engine::loops;

struct Estimate {
    CostEstimate cost;
    RunStats run;
    std::int64_t l1Misses = 0;
};

Estimate estimate(const ComputeDef& d, const std::string& text, const CostParams& p = {}) {
    auto nest = schedule(d, *parseSchedule(text).value);
    EXPECT_TRUE(nest) << nest.error;
    CacheSim sim({{"L1", 32768, 8, 64}, {"L2", 1 << 20, 16, 64}},
                 static_cast<int>(d.arrays.size()));
    Estimate e;
    e.run = execute(*nest.value, nullptr, &sim);
    e.cost = estimateCost(*nest.value, e.run, sim, p);
    e.l1Misses = sim.counts(0).misses();
    return e;
}

} // namespace

TEST(CostModel, CountsBodyLoopAndGuardInstructions) {
    // matmul 16×16×16, naive: 4 accesses + 2 flops per point; loops 16 + 256 + 4096 iterations.
    const Estimate e = estimate(matmul(16, 16, 16), "");
    EXPECT_EQ(e.cost.bodyInstructions, 6 * 4096);
    EXPECT_EQ(e.cost.loopInstructions, 2 * (16 + 256 + 4096));
    EXPECT_EQ(e.cost.guardInstructions, 0);
    EXPECT_EQ(e.cost.lanes, 1);
    EXPECT_DOUBLE_EQ(e.cost.computeCycles, double(e.cost.instructions()) / 2.0);
    // A tail: split(i,5) of 16 gives 4 × 5 = 20 rows, 4 of them guarded off.
    const Estimate t = estimate(matmul(16, 16, 16), "split(i,5)");
    EXPECT_EQ(t.run.bodyIterations, 4096);
    EXPECT_EQ(t.run.skipped, 4 * 16 * 16);
    EXPECT_EQ(t.cost.guardInstructions, 2 * (4096 + 4 * 16 * 16));
}

TEST(CostModel, VectorLanesUnrollingAndParallelLoopsCutTheCount) {
    const ComputeDef d = matmul(16, 16, 16);
    const Estimate naive = estimate(d, "reorder(i,k,j)");
    const Estimate vec = estimate(d, "reorder(i,k,j);vectorize(j,8)");
    EXPECT_EQ(vec.cost.lanes, 8);
    EXPECT_EQ(vec.cost.bodyInstructions * 8, naive.cost.bodyInstructions);
    EXPECT_DOUBLE_EQ(vec.cost.laneUtilization, 1.0);
    EXPECT_EQ(vec.l1Misses, naive.l1Misses); // the same lines, in groups
    // 12 columns in vectors of 8: the second vector of each row uses 4 of 8 lanes.
    const Estimate masked = estimate(matmul(4, 12, 4), "reorder(i,k,j);vectorize(j,8)");
    EXPECT_DOUBLE_EQ(masked.cost.laneUtilization, 12.0 / 16.0);
    // Unrolling removes the overhead of the unrolled loop only.
    const Estimate unrolled = estimate(d, "reorder(i,k,j);unroll(j)");
    EXPECT_EQ(unrolled.cost.loopInstructions, naive.cost.loopInstructions - 2 * 4096);
    // A parallel loop divides the compute cycles by min(extent, cores).
    CostParams four;
    four.cores = 4;
    const Estimate par = estimate(d, "parallel(i)", four);
    EXPECT_DOUBLE_EQ(par.cost.parallelSpeedup, 4.0);
    EXPECT_DOUBLE_EQ(par.cost.computeCycles, double(par.cost.instructions()) / 2.0 / 4.0);
    EXPECT_DOUBLE_EQ(estimate(d, "parallel(i)").cost.parallelSpeedup, 1.0);
}

TEST(CostModel, MissesCostTheirLevelsPenalty) {
    EXPECT_EQ(missPenalties({}, 2), (std::vector<double>{14, 200}));
    EXPECT_EQ(missPenalties({}, 3), (std::vector<double>{14, 42, 200}));
    CostParams p;
    p.missPenalty = {10};
    EXPECT_EQ(missPenalties(p, 2), (std::vector<double>{10, 200}));
    const Estimate e = estimate(matmul(64, 64, 64), "", p);
    ASSERT_EQ(e.cost.missCycles.size(), 2u);
    EXPECT_DOUBLE_EQ(e.cost.missCycles[0], 10.0 * double(e.l1Misses));
    EXPECT_DOUBLE_EQ(e.cost.cycles,
                     e.cost.computeCycles + e.cost.missCycles[0] + e.cost.missCycles[1]);
    // The ikj order misses less than ijk at 128³ and is estimated faster.
    const Estimate ijk = estimate(matmul(128, 128, 128), "");
    const Estimate ikj = estimate(matmul(128, 128, 128), "reorder(i,k,j)");
    EXPECT_LT(ikj.l1Misses * 4, ijk.l1Misses);
    EXPECT_LT(ikj.cost.cycles, ijk.cost.cycles);
}
