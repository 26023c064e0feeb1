// Step animation: interpolates between two display lists, matching primitives by stable key.
#pragma once

#include "viz/display_list.h"

namespace aisys::viz {

/// Smoothstep easing 3t² − 2t³ of t clamped to [0, 1].
float easeInOut(float t);

/// The picture at fraction `t` (0 = `from`, 1 = `to`; easing is the caller's business).
/// 1. Primitives with id != 0 are keyed by (id, kind, ordinal of that (id, kind) in the list).
/// 2. Matched pairs interpolate rect, points (when the counts agree), radius, stroke width,
///    font size and fill/stroke colours; everything else (text, flags) is taken from `to`.
/// 3. Unmatched primitives of `to` fade in (alpha × t); id == 0 primitives of `to` appear as is.
/// 4. Unmatched primitives of `from` with id != 0 fade out (alpha × (1 − t)), appended last.
DisplayList interpolate(const DisplayList& from, const DisplayList& to, float t);

} // namespace aisys::viz
