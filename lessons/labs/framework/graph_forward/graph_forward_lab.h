// Lab "graph-forward": y = act(W·x + b) as a compute graph, executed one node per step.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Builds the graph with the engine, runs it node by node and shows values appearing.
class GraphForwardLab : public Lab {
public:
    std::string id() const override { return "graph-forward"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"graph", "execute"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
