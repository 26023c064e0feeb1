// Lab "scheduling": a model's graph scheduled on W workers — ready queue, Gantt chart, critical
// path.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Builds a small real graph with the engine, prices each node from its trace (a roofline
/// time on a toy device), list-schedules it and draws every scheduling event.
class SchedulingLab : public Lab {
public:
    std::string id() const override { return "scheduling"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"graph", "schedule", "done"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
