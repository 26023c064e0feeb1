// Lab "autodiff": forward and reverse mode as trace tables, the backward graph, finite differences.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// The course's example f(x1, x2) = ln x1 + x1·x2 − sin x2 through the engine's autodiff:
/// dual-number tangents row by row, adjoints row by row, the explicit backward graph, and the
/// error of finite differences against the exact derivative as the step size shrinks.
class AutodiffLab : public Lab {
public:
    std::string id() const override { return "autodiff"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"forward", "reverse", "backward-graph", "finite-diff"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
