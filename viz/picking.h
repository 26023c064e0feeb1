// Picking: which primitive of a display list is under a scene point.
#pragma once

#include "viz/display_list.h"

#include <cstdint>

namespace aisys::viz {

/// Whether scene point `p` hits primitive `q`; strokes count within `tol` scene units of
/// their edge, closed filled polylines and hulls over their inside.
bool hits(const Prim& q, Vec2 p, float tol);

/// The id of the topmost pickable primitive (id ≠ 0) at `p`: the highest layer, then the
/// latest in the list; 0 when none.
std::uint32_t pickAt(const DisplayList& list, Vec2 p, float tol);

} // namespace aisys::viz
