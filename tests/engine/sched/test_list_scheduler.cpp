// List scheduling: dependencies, worker exclusivity, makespan bounds, critical path.
#include "engine/sched/list_scheduler.h"

#include <gtest/gtest.h>

#include <random>

using namespace aisys::engine;

namespace {

std::vector<SchedTask> randomDag(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> cost(0.0, 5.0);
    std::vector<SchedTask> t(n);
    for (int i = 0; i < n; ++i) {
        t[i].name = "t" + std::to_string(i);
        t[i].cost = i % 7 == 0 ? 0.0 : cost(rng); // some free tasks (reshapes)
        for (int j = 0; j < i; ++j)
            if (rng() % 5 == 0)
                t[i].deps.push_back(j);
    }
    return t;
}

void checkSchedule(const std::vector<SchedTask>& tasks, const Schedule& s, int workers) {
    const double eps = 1e-9;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        EXPECT_NEAR(s.slots[i].end - s.slots[i].start, tasks[i].cost, eps);
        for (int d : tasks[i].deps)
            EXPECT_GE(s.slots[i].start + eps, s.slots[d].end) << "dependency broken";
    }
    for (std::size_t a = 0; a < tasks.size(); ++a)
        for (std::size_t b = a + 1; b < tasks.size(); ++b)
            if (s.slots[a].worker == s.slots[b].worker && tasks[a].cost > 0 && tasks[b].cost > 0) {
                EXPECT_TRUE(s.slots[a].end <= s.slots[b].start + eps ||
                            s.slots[b].end <= s.slots[a].start + eps)
                    << "worker runs two tasks at once";
            }
    EXPECT_GE(s.makespan + eps, s.criticalLength);
    EXPECT_GE(s.makespan + eps, s.totalWork / workers);
    EXPECT_LE(s.makespan, s.totalWork / workers + s.criticalLength + eps); // Graham
    ASSERT_FALSE(s.snapshots.empty());
    EXPECT_EQ(s.snapshots.back().done.size(), tasks.size());
}

} // namespace

TEST(ListScheduler, RandomDagsMeetTheInvariantsForBothPolicies) {
    for (unsigned seed = 1; seed <= 40; ++seed)
        for (int workers : {1, 2, 3, 5})
            for (SchedPolicy p : {SchedPolicy::Fifo, SchedPolicy::CriticalPathFirst}) {
                auto tasks = randomDag(12 + int(seed % 9), seed);
                Schedule s = listSchedule(tasks, workers, p);
                checkSchedule(tasks, s, workers);
                if (workers == 1) {
                    EXPECT_NEAR(s.makespan, s.totalWork, 1e-9);
                }
            }
}

TEST(ListScheduler, DiamondHasTheExpectedCriticalPathAndMakespan) {
    // a(1) → b(4), a → c(2); b, c → d(1): critical path a-b-d = 6; two workers finish at 6.
    std::vector<SchedTask> t = {{"a", 1, {}}, {"b", 4, {0}}, {"c", 2, {0}}, {"d", 1, {1, 2}}};
    Schedule s = listSchedule(t, 2, SchedPolicy::CriticalPathFirst);
    EXPECT_DOUBLE_EQ(s.criticalLength, 6);
    EXPECT_EQ(s.criticalPath, (std::vector<int>{0, 1, 3}));
    EXPECT_DOUBLE_EQ(s.makespan, 6);
    Schedule one = listSchedule(t, 1, SchedPolicy::Fifo);
    EXPECT_DOUBLE_EQ(one.makespan, 8);
    // A per-task overhead (kernel launch) is paid by every task.
    Schedule withOverhead = listSchedule(t, 1, SchedPolicy::Fifo, 0.5);
    EXPECT_DOUBLE_EQ(withOverhead.makespan, 10);
}

TEST(ListScheduler, CriticalPathFirstBeatsFifoOnAClassicExample) {
    // FIFO starts the short independent tasks first and delays the long chain.
    std::vector<SchedTask> t = {
        {"s1", 1, {}}, {"s2", 1, {}}, {"long1", 3, {}}, {"long2", 3, {2}}, {"long3", 3, {3}}};
    Schedule fifo = listSchedule(t, 1 + 1, SchedPolicy::Fifo);
    Schedule cp = listSchedule(t, 2, SchedPolicy::CriticalPathFirst);
    EXPECT_DOUBLE_EQ(cp.makespan, 9);
    EXPECT_GE(fifo.makespan, cp.makespan);
}

TEST(ListScheduler, BadInputsAreClearErrors) {
    EXPECT_THROW(listSchedule({{"a", 1, {0}}}, 1, SchedPolicy::Fifo), std::invalid_argument);
    EXPECT_THROW(listSchedule({{"a", 1, {1}}, {"b", 1, {0}}}, 1, SchedPolicy::Fifo),
                 std::invalid_argument);
    EXPECT_THROW(listSchedule({{"a", -1, {}}}, 1, SchedPolicy::Fifo), std::invalid_argument);
    EXPECT_THROW(listSchedule({{"a", 1, {}}}, 0, SchedPolicy::Fifo), std::invalid_argument);
}
