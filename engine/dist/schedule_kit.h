// What the schedule builders share: a schedule made of a function, and each family's builder.
#pragma once

#include "engine/dist/collective.h"

#include <functional>

namespace aisys::engine::dist {

/// A schedule whose plan() is a function of (rank, round, out).
class FnSchedule : public Schedule {
public:
    using Fn = std::function<void(int, int, RoundPlan&)>;
    FnSchedule(int rounds, Fn fn, int regions = 1)
        : m_rounds(rounds), m_regions(regions), m_fn(std::move(fn)) {}
    int rounds() const override { return m_rounds; }
    int regions() const override { return m_regions; }
    void plan(int rank, int round, RoundPlan& out) const override {
        out.clear();
        m_fn(rank, round, out);
    }

private:
    int m_rounds;
    int m_regions;
    Fn m_fn;
};

/// ⌈log₂ p⌉.
int ceilLog2(int p);
/// 2^⌊log₂ p⌋.
int floorPow2(int p);

/// Each family returns nullptr with `error` set when it does not implement spec.op or cannot
/// run it for these ranks/count. schedules_basic.cpp:
std::unique_ptr<Schedule> linearSchedule(const ScheduleSpec& s, std::string& error);
std::unique_ptr<Schedule> ringSchedule(const ScheduleSpec& s, std::string& error);
std::unique_ptr<Schedule> binomialSchedule(const ScheduleSpec& s, std::string& error);
/// schedules_butterfly.cpp:
std::unique_ptr<Schedule> recursiveDoublingSchedule(const ScheduleSpec& s, std::string& error);
std::unique_ptr<Schedule> rabenseifnerSchedule(const ScheduleSpec& s, std::string& error);
std::unique_ptr<Schedule> bruckSchedule(const ScheduleSpec& s, std::string& error);
/// schedules_tree.cpp:
std::unique_ptr<Schedule> doubleBinaryTreeSchedule(const ScheduleSpec& s, std::string& error);
std::unique_ptr<Schedule> hierarchicalSchedule(const ScheduleSpec& s, std::string& error);

/// Rank `self`'s part of step `step` (0 ≤ step < n−1) of a ring reduce-scatter (reduce) or
/// all-gather over n ranks, self being ring position i and rankAt(j) the rank at position j.
/// `count` elements at `base` split into n blocks; the reduce-scatter leaves position j with
/// block j summed, the all-gather starts from position j holding block j.
/// Step k: position i sends block i−k−1 (reduce-scatter) or i−k (all-gather) to i+1 and
/// receives one message from i−1.
template <class RankAt>
void ringStep(int n, int i, RankAt rankAt, int step, bool reduce, std::int64_t base,
              std::int64_t count, RoundPlan& out) {
    const int b = (((reduce ? i - step - 1 : i - step) % n) + n) % n;
    out.sendRange(rankAt((i + 1) % n), reduce ? Combine::Reduce : Combine::Copy,
                  base + blockBegin(count, n, b), base + blockBegin(count, n, b + 1));
    out.receives += 1;
}

} // namespace aisys::engine::dist
