// Lab "eager-graph": one program run eagerly (a tape records each op), captured as a graph,
// and the dynamic-to-static pitfall — tracing bakes in a branch; a guard re-traces; Dynamo
// breaks the graph at the branch.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs the program with engine::eager::Tape, captures it, and compares with the Interpreter.
class EagerGraphLab : public Lab {
public:
    std::string id() const override { return "eager-graph"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"eager", "graph", "retrace", "guard", "graph-break"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
