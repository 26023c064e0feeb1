// `aisyslab tp` (engine only): one transformer layer run tensor-parallel on real shards
// (Megatron-style), compared with the unsharded layer, with its f/g collectives' time and bytes.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "tp". Returns 0, 1 when the shards differ from the unsharded layer, or 2 with a
/// message on stderr for bad input.
int runTp(int argc, char** argv);

/// The subcommand's help text.
const char* tpUsage();

} // namespace aisys::app::cli
