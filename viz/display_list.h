// Retained display list: the plain drawing primitives every renderer (GL, QPainter) consumes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::viz {

/// A 2-D point or vector in scene (world) units; y grows downwards like Qt.
struct Vec2 {
    float x = 0, y = 0;
    friend Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
    friend Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
    friend Vec2 operator*(Vec2 a, float s) { return {a.x * s, a.y * s}; }
    friend bool operator==(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }
};

/// An axis-aligned rectangle (x, y = top-left corner).
struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(Vec2 p) const { return p.x >= x && p.x <= x + w && p.y >= y && p.y <= y + h; }
    bool empty() const { return w <= 0 || h <= 0; }
    /// Whether the two rectangles overlap or touch (closed edges).
    bool touches(const Rect& o) const {
        return x <= o.x + o.w && o.x <= x + w && y <= o.y + o.h && o.y <= y + h;
    }
    Rect united(const Rect& o) const;
    Rect adjusted(float m) const { return {x - m, y - m, w + 2 * m, h + 2 * m}; }
    Vec2 center() const { return {x + w / 2, y + h / 2}; }
};

/// Straight (non-premultiplied) RGBA colour, components in [0, 1].
struct Color {
    float r = 0, g = 0, b = 0, a = 1;
    static Color rgb(unsigned hex, float alpha = 1.0f);
    Color withAlpha(float alpha) const { return {r, g, b, alpha}; }
    bool visible() const { return a > 0.0f; }
    friend bool operator==(const Color& a, const Color& b) = default;
};

/// Fully transparent: "no fill" / "no outline".
inline constexpr Color kNoColor{0, 0, 0, 0};

/// Linear interpolation of colours and points (used by step animation).
Color mix(const Color& a, const Color& b, float t);
Vec2 mix(Vec2 a, Vec2 b, float t);

/// What a primitive is; renderers switch on this.
enum class PrimKind : std::uint8_t {
    Box,      ///< rect, optional corner radius, fill and/or stroke
    Line,     ///< pts[0] → pts[1]
    Polyline, ///< pts, open; Polygon when `closed`
    Arrow,    ///< polyline with a head at the last point (and optionally the first)
    Circle,   ///< centre pts[0], radius
    Text,     ///< text anchored at pts[0] with alignment
    HeatCell, ///< a filled rect without outline, drawn in bulk (heat maps)
    Hull,     ///< closed polygon around a group (pts), rounded by `radius` padding
};

/// Horizontal / vertical anchoring of a text primitive.
enum class HAlign : std::uint8_t { Left, Center, Right };
enum class VAlign : std::uint8_t { Top, Middle, Bottom };

/// One retained primitive. `id` is the stable object id (0 = not pickable); several
/// primitives can share an id (a box and its label). Geometry is in scene units.
struct Prim {
    PrimKind kind = PrimKind::Box;
    std::uint32_t id = 0;
    std::int16_t layer = 0;  ///< draw order: lower layers first, then list order
    bool closed = false;     ///< Polyline: draw as closed polygon (fill allowed)
    bool doubleHead = false; ///< Arrow: heads at both ends
    bool bold = false;       ///< Text: bold weight
    bool dashed = false;     ///< Line/Polyline/Box outline: dashed
    HAlign halign = HAlign::Left;
    VAlign valign = VAlign::Top;
    Rect rect;                ///< Box, HeatCell
    std::vector<Vec2> pts;    ///< Line, Polyline, Arrow, Circle (centre), Text (anchor), Hull
    float radius = 0;         ///< Box corner radius, Circle radius, Hull padding
    float strokeWidth = 1;    ///< outline / line width in scene units
    float fontSize = 12;      ///< Text size in scene units (pixels at zoom 1)
    Color fill{0, 0, 0, 0};   ///< transparent = no fill
    Color stroke{0, 0, 0, 0}; ///< transparent = no outline; Text colour
    std::string text;         ///< Text content (UTF-8)
};

/// The retained list plus helpers to append primitives fluently.
class DisplayList {
public:
    std::vector<Prim> prims;

    /// Bounding box of all primitives (text measured approximately).
    Rect bounds() const;
    bool empty() const { return prims.empty(); }
    std::size_t size() const { return prims.size(); }
    void clear() { prims.clear(); }
    void append(const DisplayList& other);

    Prim& box(Rect r, Color fill, Color stroke = kNoColor, float radius = 0, float width = 1,
              std::uint32_t id = 0);
    Prim& heatCell(Rect r, Color fill, std::uint32_t id = 0);
    Prim& line(Vec2 a, Vec2 b, Color stroke, float width = 1, std::uint32_t id = 0);
    Prim& polyline(std::vector<Vec2> pts, Color stroke, float width = 1, std::uint32_t id = 0);
    Prim& polygon(std::vector<Vec2> pts, Color fill, Color stroke = kNoColor, float width = 1,
                  std::uint32_t id = 0);
    Prim& arrow(std::vector<Vec2> pts, Color stroke, float width = 1.5f, std::uint32_t id = 0);
    Prim& circle(Vec2 c, float r, Color fill, Color stroke = kNoColor, float width = 1,
                 std::uint32_t id = 0);
    Prim& text(Vec2 anchor, std::string s, Color color, float size = 12, HAlign h = HAlign::Left,
               VAlign v = VAlign::Top, std::uint32_t id = 0);
    Prim& hull(std::vector<Vec2> pts, float padding, Color fill, Color stroke, float width = 1.5f,
               std::uint32_t id = 0);
};

/// Approximate advance width of a UTF-8 string at `size` (CJK counts as a full em).
/// Used for bounds and picking; renderers measure text exactly themselves.
float approxTextWidth(const std::string& utf8, float size);

/// Bounding rectangle of a text primitive from its anchor, alignment and approximate width.
Rect textRect(const Prim& p);
/// Scene bounds of one primitive: its geometry plus stroke, arrow heads and hull padding; text
/// by textRect (an estimate of the width).
Rect primBounds(const Prim& p);

/// Convex hull (Andrew's monotone chain) of `pts`, counter-clockwise, no duplicates.
std::vector<Vec2> convexHull(std::vector<Vec2> pts);

/// Hull outline: convex hull of the points grown by `padding` with rounded corners.
std::vector<Vec2> paddedHullOutline(const std::vector<Vec2>& pts, float padding,
                                    int arcSegments = 6);

/// Outline polygon of a rounded rectangle (clockwise), `segments` per corner arc.
std::vector<Vec2> roundedRectOutline(const Rect& r, float radius, int segments = 6);

} // namespace aisys::viz
