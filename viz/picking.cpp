// Hit testing of display-list primitives: boxes, text, strokes, polygons, circles and hulls.
#include "viz/picking.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisys::viz {

namespace {

float distanceToSegment(Vec2 p, Vec2 a, Vec2 b) {
    const Vec2 ab = b - a, ap = p - a;
    const float len2 = ab.x * ab.x + ab.y * ab.y;
    const float t = len2 > 0 ? std::clamp((ap.x * ab.x + ap.y * ab.y) / len2, 0.0f, 1.0f) : 0.0f;
    const Vec2 d = p - (a + ab * t);
    return std::sqrt(d.x * d.x + d.y * d.y);
}

float distanceToPolyline(Vec2 p, const std::vector<Vec2>& pts, bool closed) {
    float best = std::numeric_limits<float>::max();
    for (std::size_t i = 0; i + 1 < pts.size(); ++i)
        best = std::min(best, distanceToSegment(p, pts[i], pts[i + 1]));
    if (closed && pts.size() > 2)
        best = std::min(best, distanceToSegment(p, pts.back(), pts.front()));
    return best;
}

bool insidePolygon(Vec2 p, const std::vector<Vec2>& poly) {
    bool inside = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const Vec2 a = poly[i], b = poly[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

} // namespace

bool hits(const Prim& q, Vec2 p, float tol) {
    switch (q.kind) {
    case PrimKind::Box:
    case PrimKind::HeatCell:
        return q.rect.adjusted(q.strokeWidth / 2).contains(p);
    case PrimKind::Text:
        return textRect(q).contains(p);
    case PrimKind::Line:
    case PrimKind::Polyline:
    case PrimKind::Arrow:
        if (q.closed && q.fill.visible() && q.pts.size() > 2 && insidePolygon(p, q.pts))
            return true;
        return distanceToPolyline(p, q.pts, q.closed) <= q.strokeWidth / 2 + tol;
    case PrimKind::Circle: {
        if (q.pts.empty())
            return false;
        const Vec2 d = p - q.pts[0];
        return std::sqrt(d.x * d.x + d.y * d.y) <= q.radius + q.strokeWidth / 2 + tol;
    }
    case PrimKind::Hull:
        return q.pts.size() > 0 && insidePolygon(p, paddedHullOutline(q.pts, q.radius));
    }
    return false;
}

std::uint32_t pickAt(const DisplayList& list, Vec2 p, float tol) {
    // The topmost hit wins: highest layer, then latest in the list.
    std::uint32_t best = 0;
    int bestLayer = std::numeric_limits<int>::min();
    for (const Prim& q : list.prims) {
        if (q.id == 0 || q.layer < bestLayer)
            continue;
        if (hits(q, p, tol)) {
            best = q.id;
            bestLayer = q.layer;
        }
    }
    return best;
}

} // namespace aisys::viz
