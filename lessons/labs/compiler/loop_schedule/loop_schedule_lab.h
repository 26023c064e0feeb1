// Lab "loop-schedule": the course's loop for i < n, j < m: A[i] += B[j] under a schedule — the
// iteration space lit in execution order with the current tile outlined, the cache lines of A
// and B entering and leaving a fully associative cache, and the misses against the formulas.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::loops (the nest, its schedule, the executor's trace, the cache simulator).
class LoopScheduleLab : public Lab {
public:
    std::string id() const override { return "loop-schedule"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"run", "summary"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
