// `aisyslab systolic` (engine only): SCALE-Sim-compatible systolic-array reports for a topology CSV
// or an ONNX model (engine/hw/systolic).
#pragma once

namespace aisys::app::cli {

/// argv[1] is "systolic". Prints the per-layer table (or --json), writes SCALE-Sim's report
/// CSVs with --report-dir. Returns 0, or 2 with a message on stderr for bad input.
int runSystolic(int argc, char** argv);

/// The subcommand's help text.
const char* systolicUsage();

} // namespace aisys::app::cli
