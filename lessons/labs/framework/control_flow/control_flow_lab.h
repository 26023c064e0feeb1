// Lab "control-flow": cond and while as dataflow (Switch, Merge, Enter, Exit, NextIteration).
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::DataflowMachine on the course's cond or while example and draws every firing:
/// tokens on the edges with their frame/iteration tags, dead tokens on untaken branches.
class ControlFlowLab : public Lab {
public:
    std::string id() const override { return "control-flow"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"graph", "run", "done"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
