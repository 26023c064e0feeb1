// `aisyslab pipeline` (engine only): a pipeline-parallel schedule as a timeline — makespan,
// bubble fraction, activations each stage holds at its peak, and a text Gantt chart.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "pipeline". Returns 0, or 2 with a message on stderr for bad input.
int runPipeline(int argc, char** argv);

/// The subcommand's help text.
const char* pipelineUsage();

} // namespace aisys::app::cli
