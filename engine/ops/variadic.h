// Variadic element-wise ops with numpy broadcasting across all inputs: Max Min Sum Mean.
#pragma once

#include "engine/graph/ops.h"

#include <string>

namespace aisys::engine::ops {

/// Max and Min (any numeric type; NaN wins for floats), Sum and Mean (f32/f64) over one or more
/// inputs broadcast together (variadic.cpp).
OpDef variadicOp(const std::string& type);

} // namespace aisys::engine::ops
