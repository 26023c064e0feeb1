// `aisyslab dp` (engine only): a data-parallel backward with gradient buckets whose all-reduces
// overlap it — buckets, their all-reduce times on the collective simulator, exposed communication.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "dp". Returns 0, or 2 with a message on stderr for bad input.
int runDp(int argc, char** argv);

/// The subcommand's help text.
const char* dpUsage();

} // namespace aisys::app::cli
