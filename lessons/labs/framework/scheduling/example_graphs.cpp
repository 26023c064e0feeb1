// The scheduling Lab's graph names mapped to the model zoo.
#include "lessons/labs/framework/scheduling/example_graphs.h"

#include "engine/models/zoo.h"

#include <stdexcept>

namespace aisys::lessons {

std::vector<std::string> schedulingGraphNames() {
    return {"inception", "residual", "attention"};
}

engine::Graph buildSchedulingGraph(const std::string& name) {
    if (name == "inception")
        return engine::models::inceptionBranches();
    if (name == "residual")
        return engine::models::residualBlock();
    if (name == "attention")
        return engine::models::selfAttention();
    throw std::invalid_argument("unknown graph '" + name +
                                "' (expected inception, residual or attention)");
}

} // namespace aisys::lessons
