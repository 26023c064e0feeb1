// Tessellator: turns a DisplayList into compact indexed triangles and heat grids per draw layer.
#pragma once

#include "viz/display_list.h"

#include <cstdint>
#include <vector>

namespace aisys::viz {

/// Packs a straight (non-premultiplied) colour into RGBA8, red in the lowest byte (the byte
/// order GL reads as four normalised GL_UNSIGNED_BYTE components).
std::uint32_t packColor(const Color& c);
/// The inverse of packColor (components rounded to multiples of 1/255).
Color unpackColor(std::uint32_t rgba);

/// How far (scene units) anti-aliased plain geometry reaches past the drawn edge, so the
/// pixels the edge half-covers are rasterised and the shader's coverage ramp decides them.
constexpr float kAaMargin = 1.0f;
/// Edge distance of a plain vertex for an edge that is not anti-aliased.
constexpr float kNoEdge = 1e6f;

/// A plain triangle vertex (lines, polygons, dashes, arrow heads, loose heat cells).
/// `edge` holds the vertex's distances to up to three anti-aliased edges of its triangle,
/// each edge pushed kAaMargin outward; interpolated, they give every fragment its distance to
/// each edge and the shader's coverage is Π clamp((edge − kAaMargin) / pixel + ½, 0, 1) —
/// strokes and arrow heads are smooth without multisampling. Fills use kNoEdge (coverage 1).
struct PlainVertex {
    float x, y;         ///< scene position
    std::uint32_t rgba; ///< packColor of the fill
    float edge[3] = {kNoEdge, kNoEdge, kNoEdge};
};

/// One corner of a box / circle quad, shaded by a signed-distance function in the fragment
/// shader (anti-aliased fill + centred stroke, crisp at any zoom, four vertices per shape).
struct SdfVertex {
    float x, y;                 ///< scene position
    float lx, ly;               ///< position relative to the shape centre
    float hx, hy;               ///< half size of the shape
    float radius, strokeHalf;   ///< corner radius (circle: its radius) and half stroke width
    std::uint32_t fill, stroke; ///< packColor of fill and stroke
};

/// A run of heat cells on a regular lattice, drawn as one quad over an RGBA8 texture with one
/// texel per lattice point (alpha 0 where there is no cell).
struct HeatGrid {
    float x0 = 0, y0 = 0;         ///< top-left corner of cell (0, 0)
    float pitchX = 0, pitchY = 0; ///< lattice spacing
    float cellW = 0, cellH = 0;   ///< cell size (≤ pitch, so cells never overlap)
    int cols = 0, rows = 0;
    std::vector<std::uint32_t> texels; ///< row-major from the top row, packColor or 0
    Rect bounds() const {
        return {x0, y0, float(cols - 1) * pitchX + cellW, float(rows - 1) * pitchY + cellH};
    }
};

/// What one draw of a batch uses.
enum class BatchKind : std::uint8_t { Plain, Sdf, Grid };

/// The indices of one primitive within a batch: `count` from `first` (same index array as the
/// batch) and the bounds of its vertices, so a partial redraw can draw just the primitives
/// that reach a region.
struct PrimSpan {
    Rect bounds;
    std::size_t first = 0, count = 0;
};

/// One draw: Plain/Sdf = `count` indices from `first` of plainIndices/sdfIndices, made of the
/// primitives spans[firstSpan, firstSpan + spanCount) of Tessellation::spans;
/// Grid = grids[first].
struct Batch {
    BatchKind kind = BatchKind::Plain;
    std::size_t first = 0, count = 0;
    std::size_t firstSpan = 0, spanCount = 0;
};

/// A text primitive left for the text pass: index into the list and its draw layer slot.
struct TextRef {
    std::size_t layerIndex; ///< index into Tessellation::layers
    std::size_t primIndex;  ///< index into DisplayList::prims
};

/// The batches of one draw layer in draw order. A primitive may join an earlier batch of its
/// kind only when it overlaps nothing drawn in between, so the picture equals list order.
struct TessLayer {
    std::int16_t layer = 0;
    std::vector<Batch> batches;
};

/// Everything the GL renderer needs from a list: layers sorted ascending, shared vertex and
/// index arrays (GL_TRIANGLES), heat grids and text references.
struct Tessellation {
    std::vector<TessLayer> layers;
    std::vector<PlainVertex> plain;
    std::vector<std::uint32_t> plainIndices;
    std::vector<SdfVertex> sdf;
    std::vector<std::uint32_t> sdfIndices;
    std::vector<HeatGrid> grids;
    std::vector<PrimSpan> spans; ///< every plain / SDF batch's primitives, batch by batch
    std::vector<TextRef> texts;  ///< in draw order (layer, then list order)
    std::size_t vertexCount() const { return plain.size() + sdf.size() + 4 * grids.size(); }
    std::size_t triangleCount() const {
        return (plainIndices.size() + sdfIndices.size()) / 3 + 2 * grids.size();
    }
};

/// Tessellates `list` (see tessellator.cpp for the primitive-by-primitive rules).
Tessellation tessellate(const DisplayList& list);

/// Heat cells prims[first, last) (all HeatCell, one layer) as a grid, when they share a size
/// and sit on a lattice with no two cells on one point; otherwise false.
bool detectHeatGrid(const std::vector<Prim>& prims, std::size_t first, std::size_t last,
                    HeatGrid& out);

/// Appends the stroke of an open or closed polyline of width `width` (miter joins, bevel
/// when sharp, butt caps) as indexed triangles, kAaMargin wider on each side, with the edge
/// distances of its two sides (anti-aliased long edges).
void strokePolyline(std::vector<PlainVertex>& verts, std::vector<std::uint32_t>& indices,
                    const Vec2* pts, std::size_t n, bool closed, float width, const Color& c);

/// Number of segments used for a full circle of `radius` scene units.
int circleSegments(float radius);

} // namespace aisys::viz
