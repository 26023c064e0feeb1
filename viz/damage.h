// Damage tracking: which scene regions of a display list changed since a retained frame, and the
// device-pixel rectangles to redraw over it.
#pragma once

#include "viz/camera.h"
#include "viz/display_list.h"

#include <array>
#include <vector>

namespace aisys::viz {

/// Whether two primitives draw the same pixels (every field compared).
bool samePrim(const Prim& a, const Prim& b);

/// Where a primitive can put pixels, generously: its bounds, the anti-aliasing margin and a
/// unit more; text a font size around and half its estimated width to each side (the width
/// is a guess, the atlas's glyphs are real).
Rect damageBounds(const Prim& p);

/// The scene regions that changed since the retained frame: up to four rectangles, or
/// "everything" when the change is not tracked by region.
class DamageTracker {
public:
    /// Whether `next` differs from `current`; records what changes. Same number of
    /// primitives: the union of old and new bounds of each one that changed; otherwise
    /// everything (list order may have shifted).
    bool note(const DisplayList& current, const DisplayList& next);
    /// Adds a changed scene region (merged with one it touches; at most four kept).
    void add(const Rect& r);
    /// Marks the whole picture changed.
    void markAll() { m_all = true; }
    bool all() const { return m_all; }
    const std::vector<Rect>& regions() const { return m_regions; }
    /// Forgets everything (a frame was drawn and retained).
    void clear();
    /// The framebuffer rectangles {x, y, w, h} (y up) of the regions seen through `camera` in a
    /// `w`×`h` framebuffer of ratio `dpr`: two pixels wider on each side, clipped to the view,
    /// dropped when empty. False when everything changed or they cover over half the view.
    bool deviceRects(const Camera& camera, Vec2 view, float dpr, int w, int h,
                     std::vector<std::array<int, 4>>& rects) const;

private:
    std::vector<Rect> m_regions;
    bool m_all = false;
};

} // namespace aisys::viz
