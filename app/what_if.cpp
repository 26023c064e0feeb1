// "What if" parameters: checking an edited value and re-running a lesson on the same step.
#include "app/what_if.h"

#include <algorithm>
#include <exception>
#include <vector>

namespace aisys::app {

ParamEdit checkParamEdit(const lessons::LessonPlayer& player, const std::string& name,
                         const lessons::ParamValue& value) {
    ParamEdit out{value, {}};
    const std::vector<lessons::ParamSpec> specs = player.lab().params();
    if (const lessons::ParamSpec* spec = lessons::findSpec(specs, name)) {
        out.error = lessons::checkValue(*spec, value);
        if (out.error.empty())
            out.value = lessons::clampToSpec(*spec, lessons::coerce(*spec, value));
    }
    return out;
}

std::string rerunOnSameStep(lessons::LessonPlayer& player, const lessons::ParamSet& overrides,
                            int& frame) {
    // 1. Where we are: the lesson step and the offset within it.
    const int step = player.stepOf(frame);
    const int offset = frame - player.firstFrameOf(step);
    // 2. Re-run; a refusal leaves the player on the values in force.
    std::string error;
    try {
        error = player.setOverrides(overrides);
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!error.empty())
        return error;
    // 3. The same step, the same offset clamped to the step's new length.
    const int steps = static_cast<int>(player.lesson().steps.size());
    const int first = player.firstFrameOf(step);
    const int end = step + 1 < steps ? player.firstFrameOf(step + 1) : player.frameCount();
    frame = std::clamp(first + offset, first, std::max(first, end - 1));
    frame = std::clamp(frame, 0, player.frameCount() - 1);
    return {};
}

} // namespace aisys::app
