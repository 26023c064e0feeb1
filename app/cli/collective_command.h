// `aisyslab collective` (engine only): one collective on a simulated topology — time, algbw,
// busbw, bytes per rank, the check — or a size sweep laid out like nccl-tests' table.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "collective". Returns 0, 1 when a result did not verify, or 2 with a message
/// on stderr for bad input.
int runCollective(int argc, char** argv);

/// The subcommand's help text.
const char* collectiveUsage();

} // namespace aisys::app::cli
