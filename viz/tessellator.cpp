// Tessellator: fills, strokes, dashes, arrow heads, circles and hulls as plain triangles.
#include "viz/tessellator.h"

#include <algorithm>
#include <cmath>

namespace aisys::viz {

namespace {

constexpr float kPi = 3.14159265358979f;

struct Emitter {
    std::vector<ShapeVertex>& out;
    Color c;

    void vertex(Vec2 p) {
        out.push_back({p.x, p.y, c.r, c.g, c.b, c.a, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0});
    }
    void tri(Vec2 a, Vec2 b, Vec2 d) {
        vertex(a);
        vertex(b);
        vertex(d);
    }
    void quad(Vec2 a, Vec2 b, Vec2 d, Vec2 e) { // a-b-d-e around the quad
        tri(a, b, d);
        tri(a, d, e);
    }
};

float length(Vec2 v) {
    return std::sqrt(v.x * v.x + v.y * v.y);
}
Vec2 normalized(Vec2 v) {
    const float l = length(v);
    return l > 1e-12f ? Vec2{v.x / l, v.y / l} : Vec2{0, 0};
}
Vec2 perp(Vec2 v) {
    return {-v.y, v.x};
}
float dot(Vec2 a, Vec2 b) {
    return a.x * b.x + a.y * b.y;
}
float cross(Vec2 a, Vec2 b) {
    return a.x * b.y - a.y * b.x;
}

/// Fills a convex polygon as a triangle fan.
void fillConvex(Emitter& e, const Vec2* pts, std::size_t n) {
    for (std::size_t i = 1; i + 1 < n; ++i)
        e.tri(pts[0], pts[i], pts[i + 1]);
}

bool isConvex(const std::vector<Vec2>& p) {
    const std::size_t n = p.size();
    int sign = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float c = cross(p[(i + 1) % n] - p[i], p[(i + 2) % n] - p[(i + 1) % n]);
        if (std::abs(c) < 1e-9f)
            continue;
        const int s = c > 0 ? 1 : -1;
        if (sign != 0 && s != sign)
            return false;
        sign = s;
    }
    return true;
}

bool insideTriangle(Vec2 p, Vec2 a, Vec2 b, Vec2 c) {
    const float d1 = cross(b - a, p - a), d2 = cross(c - b, p - b), d3 = cross(a - c, p - c);
    const bool neg = d1 < 0 || d2 < 0 || d3<0, pos = d1> 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
}

/// Fills a simple polygon: fan when convex, otherwise ear clipping.
/// 1. Orient the vertex ring counter-clockwise (positive area in y-down coordinates too).
/// 2. Repeatedly cut an ear (convex vertex with no other vertex inside its triangle).
/// 3. If no ear is found (self-intersecting input) fall back to a fan for the rest.
void fillPolygon(Emitter& e, const std::vector<Vec2>& pts) {
    if (pts.size() < 3)
        return;
    if (isConvex(pts)) {
        fillConvex(e, pts.data(), pts.size());
        return;
    }
    std::vector<Vec2> ring = pts;
    float area = 0;
    for (std::size_t i = 0; i < ring.size(); ++i)
        area += cross(ring[i], ring[(i + 1) % ring.size()]);
    if (area < 0)
        std::reverse(ring.begin(), ring.end());
    while (ring.size() > 3) {
        const std::size_t n = ring.size();
        bool cut = false;
        for (std::size_t i = 0; i < n && !cut; ++i) {
            const Vec2 a = ring[(i + n - 1) % n], b = ring[i], c = ring[(i + 1) % n];
            if (cross(b - a, c - b) <= 0)
                continue;
            bool empty = true;
            for (std::size_t k = 0; k < n && empty; ++k) {
                if (k == i || k == (i + 1) % n || k == (i + n - 1) % n)
                    continue;
                if (insideTriangle(ring[k], a, b, c))
                    empty = false;
            }
            if (!empty)
                continue;
            e.tri(a, b, c);
            ring.erase(ring.begin() + static_cast<std::ptrdiff_t>(i));
            cut = true;
        }
        if (!cut)
            break;
    }
    fillConvex(e, ring.data(), ring.size());
}

/// Dashes an open (or closed) polyline with Qt's DashLine pattern (4 on, 2 off × width).
void strokeDashed(std::vector<ShapeVertex>& out, const Vec2* pts, std::size_t n, bool closed,
                  float width, const Color& c) {
    const float on = 4 * std::max(width, 0.5f), off = 2 * std::max(width, 0.5f);
    float phase = 0; // distance travelled within the current on+off period
    std::vector<Vec2> dash;
    const std::size_t segs = closed ? n : n - 1;
    for (std::size_t i = 0; i < segs; ++i) {
        const Vec2 a = pts[i], b = pts[(i + 1) % n];
        const float len = length(b - a);
        if (len <= 0)
            continue;
        const Vec2 dir = (b - a) * (1.0f / len);
        float pos = 0;
        while (pos < len) {
            const bool drawing = phase < on;
            const float left = drawing ? on - phase : on + off - phase;
            const float step = std::min(left, len - pos);
            if (drawing) {
                if (dash.empty())
                    dash.push_back(a + dir * pos);
                dash.push_back(a + dir * (pos + step));
            }
            pos += step;
            phase += step;
            if (phase >= on && drawing && !dash.empty()) {
                strokePolyline(out, dash.data(), dash.size(), false, width, c);
                dash.clear();
            }
            if (phase >= on + off)
                phase = 0;
        }
    }
    if (dash.size() >= 2)
        strokePolyline(out, dash.data(), dash.size(), false, width, c);
}

void strokeAny(std::vector<ShapeVertex>& out, const Prim& p, const Vec2* pts, std::size_t n,
               bool closed) {
    if (!p.stroke.visible() || p.strokeWidth <= 0 || n < 2)
        return;
    if (p.dashed)
        strokeDashed(out, pts, n, closed, p.strokeWidth, p.stroke);
    else
        strokePolyline(out, pts, n, closed, p.strokeWidth, p.stroke);
}

void circleRing(std::vector<Vec2>& ring, Vec2 c, float r) {
    const int n = circleSegments(r);
    ring.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const float a = 2 * kPi * static_cast<float>(i) / static_cast<float>(n);
        ring[static_cast<std::size_t>(i)] = {c.x + r * std::cos(a), c.y + r * std::sin(a)};
    }
}

/// Arrow head size for a stroke width (shared with the QPainter exporter convention).
float headLength(float width) {
    return 4 * width + 4;
}

void arrowHead(Emitter& e, Vec2 tip, Vec2 dir, float len) {
    const Vec2 base = tip - dir * len, n = perp(dir) * (len * 0.45f);
    e.tri(tip, base + n, base - n);
}

void tessArrow(std::vector<ShapeVertex>& out, const Prim& p) {
    if (p.pts.size() < 2 || !p.stroke.visible())
        return;
    std::vector<Vec2> shaft = p.pts;
    const float len = headLength(p.strokeWidth);
    Emitter e{out, p.stroke};
    // 1. Pull the shaft back so its butt end hides under the head, not past the tip.
    auto trimEnd = [&](Vec2& end, Vec2 prev) {
        const Vec2 d = normalized(end - prev);
        arrowHead(e, end, d, len);
        if (length(end - prev) > len)
            end = end - d * (len * 0.8f);
    };
    const std::size_t n = shaft.size();
    trimEnd(shaft[n - 1], p.pts[n - 2]);
    if (p.doubleHead)
        trimEnd(shaft[0], p.pts[1]);
    strokeAny(out, p, shaft.data(), shaft.size(), false);
}

/// One quad covering a rounded box / circle (plus stroke and an anti-aliasing margin),
/// shaded by the signed distance in the fragment shader.
void sdfQuad(std::vector<ShapeVertex>& out, Vec2 c, float hx, float hy, float radius,
             float strokeHalf, const Color& fill, const Color& stroke) {
    const float e = strokeHalf + 1.0f;
    const float xs[4] = {-hx - e, hx + e, hx + e, -hx - e};
    const float ys[4] = {-hy - e, -hy - e, hy + e, hy + e};
    static constexpr int kOrder[6] = {0, 1, 2, 0, 2, 3};
    for (int i : kOrder)
        out.push_back({c.x + xs[i], c.y + ys[i], fill.r, fill.g, fill.b, fill.a, stroke.r, stroke.g,
                       stroke.b, stroke.a, xs[i], ys[i], hx, hy, radius, strokeHalf});
}

void tessBox(std::vector<ShapeVertex>& out, const Prim& p, std::vector<Vec2>& scratch) {
    const Rect& r = p.rect;
    if (r.w < 0 || r.h < 0)
        return;
    const bool stroked = p.stroke.visible() && p.strokeWidth > 0;
    if (!p.dashed) {
        if (!p.fill.visible() && !stroked)
            return;
        const float radius = std::clamp(p.radius, 0.0f, std::min(r.w, r.h) / 2);
        sdfQuad(out, r.center(), r.w / 2, r.h / 2, radius, stroked ? p.strokeWidth / 2 : 0, p.fill,
                stroked ? p.stroke : Color{0, 0, 0, 0});
        return;
    }
    const bool round = p.radius > 0;
    if (round)
        scratch = roundedRectOutline(r, std::min(p.radius, std::min(r.w, r.h) / 2));
    if (p.fill.visible()) {
        Emitter e{out, p.fill};
        if (round)
            fillConvex(e, scratch.data(), scratch.size());
        else
            e.quad({r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h});
    }
    if (p.stroke.visible() && p.strokeWidth > 0) {
        if (!round) {
            scratch.assign(
                {{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}});
        }
        strokeAny(out, p, scratch.data(), scratch.size(), true);
    }
}

void tessPrim(std::vector<ShapeVertex>& out, const Prim& p, std::vector<Vec2>& scratch) {
    switch (p.kind) {
    case PrimKind::Box:
        tessBox(out, p, scratch);
        break;
    case PrimKind::HeatCell:
        if (p.fill.visible()) {
            const Rect& r = p.rect;
            Emitter{out, p.fill}.quad({r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h},
                                      {r.x, r.y + r.h});
        }
        break;
    case PrimKind::Line:
    case PrimKind::Polyline:
        if (p.closed && p.fill.visible()) {
            Emitter e{out, p.fill};
            fillPolygon(e, p.pts);
        }
        strokeAny(out, p, p.pts.data(), p.pts.size(), p.closed && p.kind == PrimKind::Polyline);
        break;
    case PrimKind::Arrow:
        tessArrow(out, p);
        break;
    case PrimKind::Circle:
        if (p.pts.empty() || p.radius <= 0)
            break;
        if (!p.dashed) {
            const bool stroked = p.stroke.visible() && p.strokeWidth > 0;
            if (p.fill.visible() || stroked)
                sdfQuad(out, p.pts[0], p.radius, p.radius, p.radius,
                        stroked ? p.strokeWidth / 2 : 0, p.fill,
                        stroked ? p.stroke : Color{0, 0, 0, 0});
            break;
        }
        circleRing(scratch, p.pts[0], p.radius);
        if (p.fill.visible()) {
            Emitter e{out, p.fill};
            fillConvex(e, scratch.data(), scratch.size());
        }
        strokeAny(out, p, scratch.data(), scratch.size(), true);
        break;
    case PrimKind::Hull:
        if (p.pts.empty())
            break;
        scratch = paddedHullOutline(p.pts, p.radius);
        if (p.fill.visible()) {
            Emitter e{out, p.fill};
            fillConvex(e, scratch.data(), scratch.size());
        }
        strokeAny(out, p, scratch.data(), scratch.size(), true);
        break;
    case PrimKind::Text:
        break;
    }
}

} // namespace

int circleSegments(float radius) {
    // About one segment per 2.5 scene units of circumference, within [16, 128].
    const float n = 2 * kPi * radius / 2.5f;
    return std::clamp(static_cast<int>(std::ceil(n / 4)) * 4, 16, 128);
}

void strokePolyline(std::vector<ShapeVertex>& out, const Vec2* pts, std::size_t n, bool closed,
                    float width, const Color& c) {
    // 1. Drop consecutive duplicate points (they have no direction).
    Vec2 buf[64];
    std::vector<Vec2> heap;
    Vec2* p = buf;
    if (n > 64) {
        heap.resize(n);
        p = heap.data();
    }
    std::size_t m = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (m == 0 ||
            !(std::abs(pts[i].x - p[m - 1].x) < 1e-6f && std::abs(pts[i].y - p[m - 1].y) < 1e-6f))
            p[m++] = pts[i];
    if (closed && m > 2 && std::abs(p[0].x - p[m - 1].x) < 1e-6f &&
        std::abs(p[0].y - p[m - 1].y) < 1e-6f)
        --m;
    if (m < 2)
        return;
    if (m == 2)
        closed = false;
    const float hw = width / 2;
    Emitter e{out, c};
    const std::size_t segs = closed ? m : m - 1;
    // 2. For every vertex compute the left/right offset points where consecutive segments meet:
    //    a miter when the turn is gentle, otherwise the segment's own normal (bevel join).
    auto segNormal = [&](std::size_t s) { return perp(normalized(p[(s + 1) % m] - p[s])); };
    Vec2 prevL{}, prevR{};   // start of the current segment on the left/right side
    Vec2 closeL{}, closeR{}; // closed rings: where the last segment ends
    auto joinAt = [&](std::size_t v, Vec2 nIn, Vec2 nOut, Vec2& endL, Vec2& endR, Vec2& startL,
                      Vec2& startR) {
        const Vec2 sum = nIn + nOut;
        const float sl = length(sum);
        const float cosHalf = sl / 2; // cos of half the turn angle
        if (cosHalf > 0.26f) {        // miter limit ≈ 3.8 × half width
            const Vec2 mdir = sum * (1.0f / sl);
            const float ml = hw / std::max(dot(mdir, nIn), 1e-4f);
            endL = startL = p[v] + mdir * ml;
            endR = startR = p[v] - mdir * ml;
            return;
        }
        endL = p[v] + nIn * hw;
        endR = p[v] - nIn * hw;
        startL = p[v] + nOut * hw;
        startR = p[v] - nOut * hw;
        // Bevel triangle on the outer side of the turn.
        if (cross(nIn, nOut) > 0)
            e.tri(p[v], endR, startR);
        else
            e.tri(p[v], endL, startL);
    };
    if (closed) {
        joinAt(0, segNormal(m - 1), segNormal(0), closeL, closeR, prevL, prevR);
    } else {
        const Vec2 n0 = segNormal(0);
        prevL = p[0] + n0 * hw;
        prevR = p[0] - n0 * hw;
    }
    // 3. Emit one quad per segment between its start and end offset points.
    for (std::size_t s = 0; s < segs; ++s) {
        const std::size_t v = (s + 1) % m;
        Vec2 endL, endR, nextL, nextR;
        if (closed && s + 1 == segs) {
            endL = closeL; // the join at vertex 0 was emitted up front
            endR = closeR;
        } else if (!closed && s + 1 == segs) {
            const Vec2 nn = segNormal(s);
            endL = p[v] + nn * hw;
            endR = p[v] - nn * hw;
        } else {
            joinAt(v, segNormal(s), segNormal(s + 1), endL, endR, nextL, nextR);
        }
        e.quad(prevL, endL, endR, prevR);
        prevL = nextL;
        prevR = nextR;
    }
}

std::size_t Tessellation::vertexCount() const {
    std::size_t n = 0;
    for (const TessLayer& l : layers)
        n += l.vertices.size();
    return n;
}

Tessellation tessellate(const DisplayList& list) {
    Tessellation t;
    // 1. Find the distinct layers (usually a handful) in ascending order.
    std::vector<std::int16_t> layerIds;
    for (const Prim& p : list.prims)
        if (std::find(layerIds.begin(), layerIds.end(), p.layer) == layerIds.end())
            layerIds.push_back(p.layer);
    std::sort(layerIds.begin(), layerIds.end());
    t.layers.resize(layerIds.size());
    for (std::size_t i = 0; i < layerIds.size(); ++i) {
        t.layers[i].layer = layerIds[i];
        t.layers[i].vertices.reserve(list.prims.size() * 6 / layerIds.size() + 64);
    }
    auto slotOf = [&](std::int16_t layer) {
        return static_cast<std::size_t>(std::lower_bound(layerIds.begin(), layerIds.end(), layer) -
                                        layerIds.begin());
    };
    // 2. Tessellate every primitive into its layer, keeping list order within the layer.
    std::vector<Vec2> scratch;
    std::vector<std::vector<std::size_t>> textsPerLayer(layerIds.size());
    std::int16_t lastLayer = list.prims.empty() ? 0 : list.prims.front().layer;
    std::size_t slot = slotOf(lastLayer);
    for (std::size_t i = 0; i < list.prims.size(); ++i) {
        const Prim& p = list.prims[i];
        if (p.layer != lastLayer) {
            lastLayer = p.layer;
            slot = slotOf(lastLayer);
        }
        if (p.kind == PrimKind::Text) {
            if (!p.text.empty() && p.stroke.visible() && !p.pts.empty())
                textsPerLayer[slot].push_back(i);
            continue;
        }
        tessPrim(t.layers[slot].vertices, p, scratch);
    }
    // 3. Text references in draw order.
    for (std::size_t l = 0; l < textsPerLayer.size(); ++l)
        for (std::size_t i : textsPerLayer[l])
            t.texts.push_back({l, i});
    return t;
}

} // namespace aisys::viz
