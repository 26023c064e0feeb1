// List scheduling of a task DAG on W identical workers, recorded event by event.
#pragma once

#include <string>
#include <vector>

namespace aisys::engine {

/// One unit of work: its cost (time units) and the tasks it waits for.
struct SchedTask {
    std::string name;
    double cost = 1;
    std::vector<int> deps; ///< indices of tasks that must finish first
};

/// How the ready queue is ordered.
enum class SchedPolicy {
    Fifo,             ///< first become ready, first run (ties by index)
    CriticalPathFirst ///< longest remaining path to an exit first (HLFET)
};

/// Where and when one task ran.
struct SchedSlot {
    int task = -1;
    int worker = -1;
    double start = 0, end = 0;
};

/// The state right after one event (a batch of tasks finishing and/or starting at `time`).
struct SchedSnapshot {
    double time = 0;
    std::vector<int> ready;   ///< waiting for a worker, in queue order
    std::vector<int> running; ///< per worker: task index or -1
    std::vector<int> done;    ///< finished so far
    std::vector<int> started; ///< tasks that started at this event
};

/// A complete schedule.
struct Schedule {
    std::vector<SchedSlot> slots;         ///< one per task, by task index
    std::vector<SchedSnapshot> snapshots; ///< one per event time, in order
    double makespan = 0;
    double totalWork = 0;           ///< sum of costs
    std::vector<int> criticalPath;  ///< task indices, entry to exit
    double criticalLength = 0;      ///< cost along it
    std::vector<double> upwardRank; ///< per task: longest path from it to an exit
};

/// Event-driven list scheduling. Throws std::invalid_argument on a cycle, a bad dependency
/// index, a negative cost or fewer than one worker.
///
/// Invariants (tested): dependencies are respected; no worker runs two tasks at once;
/// makespan ≥ max(criticalLength, totalWork / workers); makespan ≤ totalWork / workers +
/// criticalLength (Graham's bound for any list schedule); one worker gives makespan = totalWork.
Schedule listSchedule(const std::vector<SchedTask>& tasks, int workers, SchedPolicy policy,
                      double overheadPerTask = 0);

} // namespace aisys::engine
