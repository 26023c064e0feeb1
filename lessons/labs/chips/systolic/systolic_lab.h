// Lab "systolic": an R×C systolic array running a GEMM or convolution layer in the weight-,
// output- or input-stationary dataflow (or all three side by side), cycle by cycle.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Draws engine::systolic's cycle-level model: PEs, skewed wavefronts, SRAM words, counters.
class SystolicLab : public Lab {
public:
    std::string id() const override { return "systolic"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"setup", "run", "activity", "done"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
