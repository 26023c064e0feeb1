// The small real graphs the scheduling Lab runs (built with the engine's graph API).
#pragma once

#include "engine/graph/graph.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// Names of the graphs: "inception", "residual", "attention".
std::vector<std::string> schedulingGraphNames();
/// Builds one with seeded weights; throws std::invalid_argument for an unknown name.
engine::Graph buildSchedulingGraph(const std::string& name);

} // namespace aisys::lessons
