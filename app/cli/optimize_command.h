// `aisyslab optimize MODEL.onnx ...` (engine only): runs the graph compiler's pass pipeline on a
// model and reports, per pass, nodes, kernels, bytes, peak memory and the rewrite log. The pipeline
// helpers are shared with `infer --passes` and `export --model ... --passes`.
#pragma once

#include "engine/graph/graph.h"

#include <string>

namespace aisys::app::cli {

/// Entry point (argv[1] is "optimize"; it has its own options). Returns the exit code: 0 ok,
/// 2 bad arguments or a model/pipeline that fails.
int runOptimize(int argc, char** argv);

/// Runs the pipeline `spec` ("a,b,c", "-O2", "O3") on g. Returns "" or the error (an unknown
/// pass name lists the valid names).
std::string optimizeGraph(engine::Graph& g, const std::string& spec);

/// The usage lines of `optimize` (also shown by `aisyslab --help`).
const char* optimizeUsage();

} // namespace aisys::app::cli
