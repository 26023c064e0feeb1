// `aisyslab tune` (engine only): auto-tune a matmul's schedule by grid, random, genetic or
// model-guided search over the cache-simulated cost model; optionally time the best kernels.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "tune". Returns 0, or 2 with a message on stderr for bad input.
int runTune(int argc, char** argv);

/// The subcommand's help text.
const char* tuneUsage();

} // namespace aisys::app::cli
