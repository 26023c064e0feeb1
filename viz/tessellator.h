// Tessellator: turns a DisplayList into coloured triangles per draw layer for the GL renderer.
#pragma once

#include "viz/display_list.h"

#include <cstdint>
#include <vector>

namespace aisys::viz {

/// One triangle vertex in scene coordinates, straight (non-premultiplied) colours.
/// Plain triangles (lines, polygons, heat cells) use only x, y and the fill colour and have
/// hx < 0. Boxes and circles are one quad each, shaded by a signed-distance function in the
/// fragment shader (anti-aliased fill + centred stroke, crisp at any zoom, few vertices).
struct ShapeVertex {
    float x, y;               ///< scene position
    float r, g, b, a;         ///< fill colour (plain triangles: their colour)
    float sr, sg, sb, sa;     ///< stroke colour (SDF shapes)
    float lx, ly;             ///< position relative to the shape centre (SDF shapes)
    float hx, hy;             ///< half size of the shape; hx < 0 marks a plain triangle
    float radius, strokeHalf; ///< corner radius (circle: its radius) and half stroke width
};

/// A text primitive left for the text pass: index into the list and its draw layer slot.
struct TextRef {
    std::size_t layerIndex; ///< index into Tessellation::layers
    std::size_t primIndex;  ///< index into DisplayList::prims
};

/// The triangles of one draw layer, in list order (GL_TRIANGLES, 3 vertices each).
struct TessLayer {
    std::int16_t layer = 0;
    std::vector<ShapeVertex> vertices;
};

/// Everything the GL renderer needs from a list: layers sorted ascending, text references.
struct Tessellation {
    std::vector<TessLayer> layers;
    std::vector<TextRef> texts; ///< in draw order (layer, then list order)
    std::size_t vertexCount() const;
};

/// Tessellates `list` (see tessellator.cpp for the primitive-by-primitive rules).
Tessellation tessellate(const DisplayList& list);

/// Appends the stroke of an open or closed polyline of width `width` (miter joins, bevel
/// when sharp, butt caps) as triangles to `out`.
void strokePolyline(std::vector<ShapeVertex>& out, const Vec2* pts, std::size_t n, bool closed,
                    float width, const Color& c);

/// Number of segments used for a full circle of `radius` scene units.
int circleSegments(float radius);

} // namespace aisys::viz
