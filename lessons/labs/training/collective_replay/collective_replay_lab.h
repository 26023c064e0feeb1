// Lab "collective-replay": a real collective run (aisyslab-mpi's trace) replayed step by step
// beside the same algorithm on the collective simulator, on one time axis.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Reads a trace (engine/dist/collective_trace.h), simulates the same schedule with the trace's
/// ping-pong α, β (or the ones given) and draws both timelines, one step per frame.
class CollectiveReplayLab : public Lab {
public:
    std::string id() const override { return "collective-replay"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"overview", "step", "summary"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
