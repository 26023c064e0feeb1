// `aisyslab loops` (engine only): a loop nest under a schedule — the nest, the legality verdict,
// cache misses per level and array, the estimated cost; or the nest as a C program.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "loops". Returns 0, or 2 with a message on stderr for bad input (a malformed or
/// illegal schedule, an impossible cache geometry, bad sizes).
int runLoops(int argc, char** argv);

/// The subcommand's help text.
const char* loopsUsage();

} // namespace aisys::app::cli
