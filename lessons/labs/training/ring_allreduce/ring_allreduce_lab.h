// Lab "ring-allreduce": p ranks reduce a vector around a ring (reduce-scatter, all-gather).
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::RingAllReduce on real vectors and draws each communication round.
class RingAllReduceLab : public Lab {
public:
    std::string id() const override { return "ring-allreduce"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"init", "reduce-scatter", "all-gather", "done"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
