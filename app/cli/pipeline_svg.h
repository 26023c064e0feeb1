// The picture of a pipeline timeline (`aisyslab pipeline --svg`): one row per stage, a box per
// pass coloured by kind, idle time blank, a time axis and each stage's peak-activation gauge.
#pragma once

#include "engine/dist/pipeline_schedule.h"

#include <string>

namespace aisys::app::cli {

/// A standalone SVG document of the timeline.
std::string pipelineSvg(const engine::dist::PipelineSetup& setup,
                        const engine::dist::PipelineResult& result);

} // namespace aisys::app::cli
