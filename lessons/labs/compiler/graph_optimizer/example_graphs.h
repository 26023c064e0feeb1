// The graph-optimizer Lab's built-in examples: the compiler examples of the engine's model zoo
// (engine/models/zoo.h) under the names the parameter panel lists.
#pragma once

#include "engine/models/zoo.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// The names of the built-in examples, in the order the parameter panel lists them:
/// "conv-bn-relu", "transformer" (models::transformerMlp), "redundancies", "branches",
/// "mobile-block".
std::vector<std::string> exampleGraphNames();

/// Builds the named example (one of exampleGraphNames()) from the zoo. Throws
/// std::invalid_argument for an unknown name or a size out of [1, 256].
engine::Graph buildExampleGraph(const std::string& name, const engine::models::ExampleSize& size);

} // namespace aisys::lessons
