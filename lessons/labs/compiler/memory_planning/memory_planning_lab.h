// Lab "memory-planning": the lifetime chart of a small network's activations and the buffers
// the compiler's memory planner (liveness, in-place, best-fit reuse) assigns them.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::compiler::planMemory (branch compiler-backend's memory-planning pass) on a
/// built-in inference graph and draws lifetimes, buffers and the peak memory.
class MemoryPlanningLab : public Lab {
public:
    std::string id() const override { return "memory-planning"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"lifetimes", "buffers", "peak"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
