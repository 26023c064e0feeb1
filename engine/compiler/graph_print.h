// A deterministic text form of a graph for `aisyslab optimize --print-after-all` and tests:
// one line per node in topological order, `%out: type = Op(%in, @weight) {attrs}  # name`.
#pragma once

#include "engine/graph/graph.h"

#include <string>

namespace aisys::engine::compiler {

/// The graph as text: a header with its inputs, one line per node (topological order), its
/// outputs, and a summary of the initializers (name, type; values are not printed). The same
/// graph always prints the same text.
std::string graphText(const Graph& g);

} // namespace aisys::engine::compiler
