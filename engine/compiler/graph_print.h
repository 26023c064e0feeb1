// The IR printer: a deterministic text form of a graph, one line per node in topological order —
// in full (`%out: type = Op(%in, @weight) {attrs}  # name`) for `aisyslab optimize
// --print-after-all` and tests, or short (`%out = Op(%in, weight) {attrs}  # name`) for pictures.
#pragma once

#include "engine/graph/graph.h"

#include <string>
#include <vector>

namespace aisys::engine::compiler {

/// The graph as text: a header with its inputs, one line per node (topological order), its
/// outputs, and a summary of the initializers (name, type; values are not printed). The same
/// graph always prints the same text.
std::string graphText(const Graph& g);

/// The short form, a line each: the header `graph NAME(%in: type) -> (%out)`, one `init NAME:
/// type` line per initializer, then the nodes as `%out = Op(%in, weight) {attrs}  # name` with
/// attributes abbreviated (numbers to five decimals, a one-element tensor as its value, other
/// tensors, subgraphs and name lists as placeholders; If/Loop bodies left out).
std::vector<std::string> graphLines(const Graph& g);

} // namespace aisys::engine::compiler
