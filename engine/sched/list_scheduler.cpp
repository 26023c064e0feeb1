// List scheduling (Graham 1966; HLFET priority by upward rank) with per-event snapshots.
#include "engine/sched/list_scheduler.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace aisys::engine {

namespace {

/// Topological order (Kahn), or throws on a cycle.
std::vector<int> topoOrder(const std::vector<SchedTask>& tasks) {
    const int n = static_cast<int>(tasks.size());
    std::vector<int> indeg(n, 0);
    std::vector<std::vector<int>> succ(n);
    for (int t = 0; t < n; ++t)
        for (int d : tasks[t].deps) {
            if (d < 0 || d >= n || d == t)
                throw std::invalid_argument(
                    "task '" + tasks[t].name +
                    "' depends on a task index out of range: " + std::to_string(d));
            succ[d].push_back(t);
            ++indeg[t];
        }
    std::vector<int> order, stack;
    for (int t = n - 1; t >= 0; --t)
        if (indeg[t] == 0)
            stack.push_back(t);
    while (!stack.empty()) {
        int t = stack.back();
        stack.pop_back();
        order.push_back(t);
        for (int s : succ[t])
            if (--indeg[s] == 0)
                stack.push_back(s);
    }
    if (static_cast<int>(order.size()) != n)
        for (int t = 0; t < n; ++t)
            if (indeg[t] > 0)
                throw std::invalid_argument("task '" + tasks[t].name + "' is on a cycle");
    return order;
}

} // namespace

Schedule listSchedule(const std::vector<SchedTask>& tasks, int workers, SchedPolicy policy,
                      double overhead) {
    if (workers < 1)
        throw std::invalid_argument("at least one worker is needed, got " +
                                    std::to_string(workers));
    if (overhead < 0)
        throw std::invalid_argument("the per-task overhead must not be negative");
    const int n = static_cast<int>(tasks.size());
    for (const auto& t : tasks)
        if (!(t.cost >= 0))
            throw std::invalid_argument("task '" + t.name + "' has a negative cost");
    const std::vector<int> order = topoOrder(tasks);
    Schedule s;
    s.slots.resize(n);
    std::vector<std::vector<int>> succ(n);
    for (int t = 0; t < n; ++t)
        for (int d : tasks[t].deps)
            succ[d].push_back(t);

    // 1. Upward rank: the longest (cost + overhead) path from a task to an exit; the critical
    //    path follows the successor with the largest rank from the best entry.
    s.upwardRank.assign(n, 0);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        double best = 0;
        for (int x : succ[*it])
            best = std::max(best, s.upwardRank[x]);
        s.upwardRank[*it] = tasks[*it].cost + overhead + best;
    }
    int cur = -1;
    for (int t = 0; t < n; ++t)
        if (tasks[t].deps.empty() && (cur < 0 || s.upwardRank[t] > s.upwardRank[cur]))
            cur = t;
    while (cur >= 0) {
        s.criticalPath.push_back(cur);
        s.criticalLength += tasks[cur].cost + overhead;
        int next = -1;
        for (int x : succ[cur])
            if (next < 0 || s.upwardRank[x] > s.upwardRank[next])
                next = x;
        cur = next;
    }
    for (const auto& t : tasks)
        s.totalWork += t.cost + overhead;

    // 2. Event loop: at each time, finish the tasks that end now, move newly ready tasks to
    //    the queue, then give idle workers the queue's best tasks; jump to the next end time.
    std::vector<int> waiting(n);
    for (int t = 0; t < n; ++t)
        waiting[t] = static_cast<int>(tasks[t].deps.size());
    std::vector<int> ready, done;
    std::vector<int> running(workers, -1);
    for (int t = 0; t < n; ++t)
        if (waiting[t] == 0)
            ready.push_back(t);
    auto before = [&](int a, int b) {
        if (policy == SchedPolicy::CriticalPathFirst && s.upwardRank[a] != s.upwardRank[b])
            return s.upwardRank[a] > s.upwardRank[b];
        return false; // FIFO: keep queue order (stable sort)
    };
    double now = 0;
    int finished = 0;
    while (true) {
        SchedSnapshot snap;
        snap.time = now;
        for (int w = 0; w < workers; ++w) {
            int t = running[w];
            if (t >= 0 && s.slots[t].end <= now) {
                running[w] = -1;
                done.push_back(t);
                ++finished;
                for (int x : succ[t])
                    if (--waiting[x] == 0)
                        ready.push_back(x);
            }
        }
        std::stable_sort(ready.begin(), ready.end(), before);
        for (int w = 0; w < workers && !ready.empty(); ++w)
            if (running[w] < 0) {
                int t = ready.front();
                ready.erase(ready.begin());
                running[w] = t;
                s.slots[t] = {t, w, now, now + tasks[t].cost + overhead};
                snap.started.push_back(t);
            }
        snap.ready = ready;
        snap.running = running;
        snap.done = done;
        s.snapshots.push_back(std::move(snap));
        if (finished == n)
            break; // the last snapshot shows every task done
        double next = std::numeric_limits<double>::infinity();
        for (int t : running)
            if (t >= 0)
                next = std::min(next, s.slots[t].end);
        if (next == std::numeric_limits<double>::infinity())
            break;
        now = next;
    }
    for (const auto& slot : s.slots)
        s.makespan = std::max(s.makespan, slot.end);
    return s;
}

} // namespace aisys::engine
