// Lab "pipeline-schedule": GPipe, 1F1B, interleaved 1F1B and ZB-H1 as timelines, stepped
// through time, with each stage's activations in flight as a gauge.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::dist::simulatePipeline and draws its Gantt chart up to each moment.
class PipelineScheduleLab : public Lab {
public:
    std::string id() const override { return "pipeline-schedule"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"timeline", "summary"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
