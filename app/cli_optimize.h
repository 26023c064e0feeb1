// `aisyslab optimize MODEL.onnx ...`: runs the graph compiler's pass pipeline on a model and
// reports, per pass, nodes, kernels, bytes, peak memory and the rewrite log. The pipeline
// helpers are shared with `infer --passes` and `export --model ... --passes`.
#pragma once

#include "engine/graph/graph.h"

#include <string>

namespace aisys::app {

/// Entry point, dispatched from main() before parseCli (it has its own options). Returns the
/// exit code: 0 ok, 2 bad arguments or a model/pipeline that fails.
int runOptimizeCommand(int argc, char** argv);

/// Runs the pipeline `spec` ("a,b,c", "-O2", "O3") on g. Returns "" or the error (an unknown
/// pass name lists the valid names).
std::string optimizeGraph(engine::Graph& g, const std::string& spec);

/// The usage lines of `optimize` (also shown by `aisyslab --help`).
std::string optimizeUsage();

} // namespace aisys::app
