// "What if" parameters: checking an edited value and re-running a lesson on the same step.
#pragma once

#include "lessons/lesson_player.h"
#include "lessons/params.h"

#include <string>

namespace aisys::app {

/// An edited parameter value as the Lab will take it, or why it is refused.
struct ParamEdit {
    lessons::ParamValue value;
    std::string error; ///< "" when `value` can be used
};

/// Checks `value` for parameter `name` against the Lab's spec, then coerces and clamps it to
/// the spec. A parameter the Lab does not declare is passed through unchanged.
ParamEdit checkParamEdit(const lessons::LessonPlayer& player, const std::string& name,
                         const lessons::ParamValue& value);

/// Re-runs `player` with `overrides` and moves `frame` to the same lesson step (and the same
/// frame within it where the step still has that many frames). Returns "" or why the Lab
/// refused the values; `frame` is then unchanged.
std::string rerunOnSameStep(lessons::LessonPlayer& player, const lessons::ParamSet& overrides,
                            int& frame);

} // namespace aisys::app
