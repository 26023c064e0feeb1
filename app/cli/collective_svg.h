// The picture of one collective run (`aisyslab collective --svg`): every link that carried data
// as a row of its utilization over time (the simulator's timeline bins), busiest first, with the
// rounds' end times and the summary.
#pragma once

#include "engine/dist/simulate.h"

#include <string>

namespace aisys::app::cli {

std::string collectiveSvg(const engine::dist::Topology& topo,
                          const engine::dist::CollectiveConfig& cfg,
                          const engine::dist::CollectiveResult& r);

} // namespace aisys::app::cli
