// Reading a schedule string: "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)".
#pragma once

#include "engine/loops/compute.h"
#include "engine/loops/schedule.h"

#include <string>
#include <vector>

namespace aisys::engine::loops {

/// Parses primitives `name(arg, …)` separated by ';' (spaces anywhere between tokens, an empty
/// string or a trailing ';' allowed). An argument is a loop name (letters, digits, '_' and '.')
/// or an integer. Errors name the 1-based column: "column 9: expected ',' or ')' after 'j'".
/// Which primitives exist and what their arguments mean is `LoopNest::apply`'s business.
Checked<std::vector<Primitive>> parseSchedule(const std::string& text);

} // namespace aisys::engine::loops
