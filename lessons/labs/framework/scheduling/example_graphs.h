// The scheduling Lab's graphs: the model zoo's graphs with parallel branches
// (engine/models/zoo.h) under the names the parameter panel lists.
#pragma once

#include "engine/graph/graph.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// Names of the graphs: "inception", "residual" (models::residualBlock), "attention"
/// (models::selfAttention).
std::vector<std::string> schedulingGraphNames();
/// Builds one from the zoo; throws std::invalid_argument for an unknown name.
engine::Graph buildSchedulingGraph(const std::string& name);

} // namespace aisys::lessons
