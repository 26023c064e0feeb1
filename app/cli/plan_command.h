// `aisyslab plan` (engine only): the 3D-parallelism planner — a transformer and a cluster in,
// the ranked DP × TP × PP plans (and the rejected ones with their reasons) out.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "plan". Returns 0, or 2 with a message on stderr for bad input (1: nothing fits).
int runPlan(int argc, char** argv);

/// The subcommand's help text.
const char* planUsage();

} // namespace aisys::app::cli
