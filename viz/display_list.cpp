// Display-list builders, bounds and geometry helpers (hulls, rounded outlines).
#include "viz/display_list.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisys::viz {

Rect Rect::united(const Rect& o) const {
    if (empty())
        return o;
    if (o.empty())
        return *this;
    float x0 = std::min(x, o.x), y0 = std::min(y, o.y);
    float x1 = std::max(x + w, o.x + o.w), y1 = std::max(y + h, o.y + o.h);
    return {x0, y0, x1 - x0, y1 - y0};
}

Color Color::rgb(unsigned hex, float alpha) {
    return {((hex >> 16) & 0xff) / 255.0f, ((hex >> 8) & 0xff) / 255.0f, (hex & 0xff) / 255.0f,
            alpha};
}

Color mix(const Color& a, const Color& b, float t) {
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t,
            a.a + (b.a - a.a) * t};
}

Vec2 mix(Vec2 a, Vec2 b, float t) {
    return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
}

float approxTextWidth(const std::string& s, float size) {
    // Count code points: ASCII ≈ 0.58 em, everything multi-byte (CJK) ≈ 1 em.
    float w = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += len == 1 ? 0.58f : len == 2 ? 0.65f : 1.0f;
        i += len;
    }
    return w * size;
}

Rect textRect(const Prim& p) {
    Vec2 a = p.pts.empty() ? Vec2{} : p.pts[0];
    float w = approxTextWidth(p.text, p.fontSize);
    float h = p.fontSize * 1.3f;
    float x = p.halign == HAlign::Left ? a.x : p.halign == HAlign::Center ? a.x - w / 2 : a.x - w;
    float y = p.valign == VAlign::Top ? a.y : p.valign == VAlign::Middle ? a.y - h / 2 : a.y - h;
    return {x, y, w, h};
}

Rect primBounds(const Prim& p) {
    switch (p.kind) {
    case PrimKind::Box:
    case PrimKind::HeatCell:
        return p.rect.adjusted(p.strokeWidth / 2);
    case PrimKind::Circle: {
        Vec2 c = p.pts.empty() ? Vec2{} : p.pts[0];
        float r = p.radius + p.strokeWidth / 2;
        return {c.x - r, c.y - r, 2 * r, 2 * r};
    }
    case PrimKind::Text:
        return textRect(p);
    default: {
        if (p.pts.empty())
            return {};
        float x0 = std::numeric_limits<float>::max(), y0 = x0;
        float x1 = std::numeric_limits<float>::lowest(), y1 = x1;
        for (auto q : p.pts) {
            x0 = std::min(x0, q.x);
            y0 = std::min(y0, q.y);
            x1 = std::max(x1, q.x);
            y1 = std::max(y1, q.y);
        }
        float m = p.strokeWidth * 2 + (p.kind == PrimKind::Hull ? p.radius : 0.0f) +
                  (p.kind == PrimKind::Arrow ? p.strokeWidth * 4 + 4 : 0.0f);
        return Rect{x0, y0, std::max(x1 - x0, 0.01f), std::max(y1 - y0, 0.01f)}.adjusted(m);
    }
    }
}

Rect DisplayList::bounds() const {
    Rect r;
    for (const auto& p : prims)
        r = r.united(primBounds(p));
    return r;
}

void DisplayList::append(const DisplayList& other) {
    prims.insert(prims.end(), other.prims.begin(), other.prims.end());
}

Prim& DisplayList::box(Rect r, Color fill, Color stroke, float radius, float width,
                       std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Box;
    p.rect = r;
    p.fill = fill;
    p.stroke = stroke;
    p.radius = radius;
    p.strokeWidth = width;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::heatCell(Rect r, Color fill, std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::HeatCell;
    p.rect = r;
    p.fill = fill;
    p.strokeWidth = 0;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::line(Vec2 a, Vec2 b, Color stroke, float width, std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Line;
    p.pts = {a, b};
    p.stroke = stroke;
    p.strokeWidth = width;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::polyline(std::vector<Vec2> pts, Color stroke, float width, std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Polyline;
    p.pts = std::move(pts);
    p.stroke = stroke;
    p.strokeWidth = width;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::polygon(std::vector<Vec2> pts, Color fill, Color stroke, float width,
                           std::uint32_t id) {
    Prim& p = polyline(std::move(pts), stroke, width, id);
    p.closed = true;
    p.fill = fill;
    return p;
}

Prim& DisplayList::arrow(std::vector<Vec2> pts, Color stroke, float width, std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Arrow;
    p.pts = std::move(pts);
    p.stroke = stroke;
    p.strokeWidth = width;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::circle(Vec2 c, float r, Color fill, Color stroke, float width,
                          std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Circle;
    p.pts = {c};
    p.radius = r;
    p.fill = fill;
    p.stroke = stroke;
    p.strokeWidth = width;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::text(Vec2 anchor, std::string s, Color color, float size, HAlign h, VAlign v,
                        std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Text;
    p.pts = {anchor};
    p.text = std::move(s);
    p.stroke = color;
    p.fontSize = size;
    p.halign = h;
    p.valign = v;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

Prim& DisplayList::hull(std::vector<Vec2> pts, float padding, Color fill, Color stroke, float width,
                        std::uint32_t id) {
    Prim p;
    p.kind = PrimKind::Hull;
    p.pts = std::move(pts);
    p.radius = padding;
    p.fill = fill;
    p.stroke = stroke;
    p.strokeWidth = width;
    p.id = id;
    prims.push_back(std::move(p));
    return prims.back();
}

std::vector<Vec2> convexHull(std::vector<Vec2> pts) {
    // Andrew's monotone chain: sort, build lower and upper chains, drop collinear points.
    std::sort(pts.begin(), pts.end(),
              [](Vec2 a, Vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
    if (pts.size() < 3)
        return pts;
    auto cross = [](Vec2 o, Vec2 a, Vec2 b) {
        return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    };
    std::vector<Vec2> h(2 * pts.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 0)
            --k;
        h[k++] = pts[i];
    }
    for (std::size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
        while (k >= t && cross(h[k - 2], h[k - 1], pts[i - 1]) <= 0)
            --k;
        h[k++] = pts[i - 1];
    }
    h.resize(k - 1);
    return h;
}

std::vector<Vec2> paddedHullOutline(const std::vector<Vec2>& pts, float padding, int arcSegments) {
    // 1. Convex hull of the points. 2. Around every hull vertex, an arc of radius `padding`
    //    spanning the exterior angle between the normals of its two edges.
    std::vector<Vec2> h = convexHull(pts);
    std::vector<Vec2> out;
    if (h.empty())
        return out;
    const float kPi = 3.14159265f;
    if (h.size() == 1) {
        for (int i = 0; i < 4 * arcSegments; ++i) {
            float a = 2 * kPi * i / (4 * arcSegments);
            out.push_back({h[0].x + padding * std::cos(a), h[0].y + padding * std::sin(a)});
        }
        return out;
    }
    const std::size_t n = h.size();
    for (std::size_t i = 0; i < n; ++i) {
        Vec2 prev = h[(i + n - 1) % n], cur = h[i], next = h[(i + 1) % n];
        auto normal = [](Vec2 a, Vec2 b) {
            Vec2 d = b - a;
            float len = std::sqrt(d.x * d.x + d.y * d.y);
            if (len == 0)
                return Vec2{0, 0};
            return Vec2{d.y / len, -d.x / len}; // outward for counter-clockwise order
        };
        Vec2 n0 = normal(prev, cur), n1 = normal(cur, next);
        float a0 = std::atan2(n0.y, n0.x), a1 = std::atan2(n1.y, n1.x);
        while (a1 < a0)
            a1 += 2 * kPi;
        if (a1 - a0 > kPi)
            a1 -= 2 * kPi;
        for (int s = 0; s <= arcSegments; ++s) {
            float a = a0 + (a1 - a0) * s / arcSegments;
            out.push_back({cur.x + padding * std::cos(a), cur.y + padding * std::sin(a)});
        }
    }
    return out;
}

std::vector<Vec2> roundedRectOutline(const Rect& r, float radius, int segments) {
    radius = std::max(0.0f, std::min({radius, r.w / 2, r.h / 2}));
    if (radius <= 0)
        return {{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}};
    const float kPi = 3.14159265f;
    std::vector<Vec2> out;
    const Vec2 centres[4] = {{r.x + r.w - radius, r.y + radius},
                             {r.x + r.w - radius, r.y + r.h - radius},
                             {r.x + radius, r.y + r.h - radius},
                             {r.x + radius, r.y + radius}};
    const float start[4] = {-kPi / 2, 0, kPi / 2, kPi};
    for (int c = 0; c < 4; ++c)
        for (int s = 0; s <= segments; ++s) {
            float a = start[c] + (kPi / 2) * s / segments;
            out.push_back(
                {centres[c].x + radius * std::cos(a), centres[c].y + radius * std::sin(a)});
        }
    return out;
}

} // namespace aisys::viz
