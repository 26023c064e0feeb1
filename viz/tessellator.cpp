// Tessellator: fills, strokes, dashes, arrow heads, SDF quads, heat grids, batched per layer.
#include "viz/tessellator.h"

#include <algorithm>
#include <cmath>

namespace aisys::viz {

namespace {

constexpr float kPi = 3.14159265358979f;
constexpr std::size_t kMinGridCells = 8; ///< shorter heat-cell runs stay loose quads
constexpr int kMaxGridSide = 4096;       ///< texture side limit for a heat grid
constexpr int kMergeLookBack = 16;       ///< batches searched for one to join

/// Appends plain triangles with shared, indexed vertices of one colour.
struct Emitter {
    std::vector<PlainVertex>& verts;
    std::vector<std::uint32_t>& idx;
    std::uint32_t c;

    std::uint32_t vertex(Vec2 p, float e0 = kNoEdge, float e1 = kNoEdge, float e2 = kNoEdge) {
        verts.push_back({p.x, p.y, c, {e0, e1, e2}});
        return static_cast<std::uint32_t>(verts.size() - 1);
    }
    void tri(std::uint32_t a, std::uint32_t b, std::uint32_t d) {
        idx.insert(idx.end(), {a, b, d});
    }
    void tri(Vec2 a, Vec2 b, Vec2 d) { tri(vertex(a), vertex(b), vertex(d)); }
    void quad(std::uint32_t a, std::uint32_t b, std::uint32_t d, std::uint32_t e) {
        idx.insert(idx.end(), {a, b, d, a, d, e}); // a-b-d-e around the quad
    }
    void quad(Vec2 a, Vec2 b, Vec2 d, Vec2 e) { quad(vertex(a), vertex(b), vertex(d), vertex(e)); }
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

/// Fills a convex polygon as a triangle fan over shared vertices.
void fillConvex(Emitter& e, const Vec2* pts, std::size_t n) {
    if (n < 3)
        return;
    const std::uint32_t base = e.vertex(pts[0]);
    for (std::size_t i = 1; i < n; ++i)
        e.vertex(pts[i]);
    for (std::uint32_t i = 1; i + 1 < n; ++i)
        e.tri(base, base + i, base + i + 1);
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

/// The arrays one primitive is tessellated into (indices refer to the shared vertex arrays).
struct Sink {
    std::vector<PlainVertex>& plain;
    std::vector<SdfVertex>& sdf;
    std::vector<std::uint32_t> idx; ///< this primitive's indices (plain or SDF)
    BatchKind kind = BatchKind::Plain;
};

/// Dashes an open (or closed) polyline with Qt's DashLine pattern (4 on, 2 off × width).
void strokeDashed(Sink& s, const Vec2* pts, std::size_t n, bool closed, float width,
                  const Color& c) {
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
                strokePolyline(s.plain, s.idx, dash.data(), dash.size(), false, width, c);
                dash.clear();
            }
            if (phase >= on + off)
                phase = 0;
        }
    }
    if (dash.size() >= 2)
        strokePolyline(s.plain, s.idx, dash.data(), dash.size(), false, width, c);
}

void strokeAny(Sink& s, const Prim& p, const Vec2* pts, std::size_t n, bool closed) {
    if (!p.stroke.visible() || p.strokeWidth <= 0 || n < 2)
        return;
    if (p.dashed)
        strokeDashed(s, pts, n, closed, p.strokeWidth, p.stroke);
    else
        strokePolyline(s.plain, s.idx, pts, n, closed, p.strokeWidth, p.stroke);
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

/// A filled triangle with all three edges anti-aliased: grown by kAaMargin about its
/// incentre (every edge moves out by the margin), each vertex carrying its distance to the
/// opposite edge in its own slot (barycentric interpolation then gives every fragment its
/// distance to each edge).
void aaTriangle(Emitter& e, Vec2 a, Vec2 b, Vec2 c) {
    const float la = length(c - b), lb = length(a - c), lc = length(b - a);
    const float per = la + lb + lc;
    const float area2 = std::abs(cross(b - a, c - a));
    if (per <= 0 || area2 <= 0)
        return;
    const Vec2 in = (a * la + b * lb + c * lc) * (1.0f / per);
    const float r = area2 / per; // inradius
    const float k = (r + kAaMargin) / r;
    const Vec2 A = in + (a - in) * k, B = in + (b - in) * k, C = in + (c - in) * k;
    const float A2 = area2 * k * k; // twice the grown area
    const std::uint32_t ia = e.vertex(A, A2 / (la * k), 0, 0);
    const std::uint32_t ib = e.vertex(B, 0, A2 / (lb * k), 0);
    const std::uint32_t ic = e.vertex(C, 0, 0, A2 / (lc * k));
    e.tri(ia, ib, ic);
}

void arrowHead(Emitter& e, Vec2 tip, Vec2 dir, float len) {
    const Vec2 base = tip - dir * len, n = perp(dir) * (len * 0.45f);
    aaTriangle(e, tip, base + n, base - n);
}

void tessArrow(Sink& s, const Prim& p) {
    if (p.pts.size() < 2 || !p.stroke.visible())
        return;
    std::vector<Vec2> shaft = p.pts;
    const float len = headLength(p.strokeWidth);
    Emitter e{s.plain, s.idx, packColor(p.stroke)};
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
    strokeAny(s, p, shaft.data(), shaft.size(), false);
}

/// One quad covering a rounded box / circle (plus stroke and an anti-aliasing margin),
/// shaded by the signed distance in the fragment shader.
void sdfQuad(Sink& s, Vec2 c, float hx, float hy, float radius, float strokeHalf, const Color& fill,
             const Color& stroke) {
    const float e = strokeHalf + 1.0f;
    const float xs[4] = {-hx - e, hx + e, hx + e, -hx - e};
    const float ys[4] = {-hy - e, -hy - e, hy + e, hy + e};
    const std::uint32_t f = packColor(fill), st = packColor(stroke);
    const auto base = static_cast<std::uint32_t>(s.sdf.size());
    for (int i = 0; i < 4; ++i)
        s.sdf.push_back(
            {c.x + xs[i], c.y + ys[i], xs[i], ys[i], hx, hy, radius, strokeHalf, f, st});
    s.idx.insert(s.idx.end(), {base, base + 1, base + 2, base, base + 2, base + 3});
    s.kind = BatchKind::Sdf;
}

void tessBox(Sink& s, const Prim& p, std::vector<Vec2>& scratch) {
    const Rect& r = p.rect;
    if (r.w < 0 || r.h < 0)
        return;
    const bool stroked = p.stroke.visible() && p.strokeWidth > 0;
    if (!p.dashed) {
        if (!p.fill.visible() && !stroked)
            return;
        const float radius = std::clamp(p.radius, 0.0f, std::min(r.w, r.h) / 2);
        sdfQuad(s, r.center(), r.w / 2, r.h / 2, radius, stroked ? p.strokeWidth / 2 : 0, p.fill,
                stroked ? p.stroke : kNoColor);
        return;
    }
    const bool round = p.radius > 0;
    if (round)
        scratch = roundedRectOutline(r, std::min(p.radius, std::min(r.w, r.h) / 2));
    if (p.fill.visible()) {
        Emitter e{s.plain, s.idx, packColor(p.fill)};
        if (round)
            fillConvex(e, scratch.data(), scratch.size());
        else
            e.quad({r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h});
    }
    if (stroked) {
        if (!round)
            scratch.assign(
                {{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}});
        strokeAny(s, p, scratch.data(), scratch.size(), true);
    }
}

void tessPrim(Sink& s, const Prim& p, std::vector<Vec2>& scratch) {
    switch (p.kind) {
    case PrimKind::Box:
        tessBox(s, p, scratch);
        break;
    case PrimKind::HeatCell:
        if (p.fill.visible()) {
            const Rect& r = p.rect;
            Emitter{s.plain, s.idx, packColor(p.fill)}.quad(
                {r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h});
        }
        break;
    case PrimKind::Line:
    case PrimKind::Polyline:
        if (p.closed && p.fill.visible()) {
            Emitter e{s.plain, s.idx, packColor(p.fill)};
            fillPolygon(e, p.pts);
        }
        strokeAny(s, p, p.pts.data(), p.pts.size(), p.closed && p.kind == PrimKind::Polyline);
        break;
    case PrimKind::Arrow:
        tessArrow(s, p);
        break;
    case PrimKind::Circle:
        if (p.pts.empty() || p.radius <= 0)
            break;
        if (!p.dashed) {
            const bool stroked = p.stroke.visible() && p.strokeWidth > 0;
            if (p.fill.visible() || stroked)
                sdfQuad(s, p.pts[0], p.radius, p.radius, p.radius, stroked ? p.strokeWidth / 2 : 0,
                        p.fill, stroked ? p.stroke : kNoColor);
            break;
        }
        circleRing(scratch, p.pts[0], p.radius);
        if (p.fill.visible()) {
            Emitter e{s.plain, s.idx, packColor(p.fill)};
            fillConvex(e, scratch.data(), scratch.size());
        }
        strokeAny(s, p, scratch.data(), scratch.size(), true);
        break;
    case PrimKind::Hull:
        if (p.pts.empty())
            break;
        scratch = paddedHullOutline(p.pts, p.radius);
        if (p.fill.visible()) {
            Emitter e{s.plain, s.idx, packColor(p.fill)};
            fillConvex(e, scratch.data(), scratch.size());
        }
        strokeAny(s, p, scratch.data(), scratch.size(), true);
        break;
    case PrimKind::Text:
        break;
    }
}

/// Axis-aligned bounds while batching (touching counts as overlapping).
struct Box2 {
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    void add(float x, float y) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
    }
    void unite(const Box2& o) {
        add(o.x0, o.y0);
        add(o.x1, o.y1);
    }
    bool overlaps(const Box2& o) const {
        return x0 <= o.x1 && o.x0 <= x1 && y0 <= o.y1 && o.y0 <= y1;
    }
};

/// A batch being built: its own index list, concatenated into the shared arrays at the end,
/// and its primitives' spans (first index relative to `idx`).
struct Building {
    BatchKind kind;
    Box2 bounds;
    std::vector<std::uint32_t> idx;
    std::size_t grid = 0;
    std::vector<PrimSpan> spans;
};

PrimSpan spanOf(const Box2& b, std::size_t first, std::size_t count) {
    return {{b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0}, first, count};
}

/// Puts a primitive's triangles into the last batch of its kind that nothing drawn after it
/// overlaps (looking back a few batches), or into a new batch at the end.
void place(std::vector<Building>& batches, BatchKind kind, const Box2& b,
           std::vector<std::uint32_t>& idx) {
    int budget = kMergeLookBack;
    for (std::size_t j = batches.size(); j-- > 0 && budget-- > 0;) {
        Building& cand = batches[j];
        if (cand.kind == kind) {
            cand.spans.push_back(spanOf(b, cand.idx.size(), idx.size()));
            cand.idx.insert(cand.idx.end(), idx.begin(), idx.end());
            cand.bounds.unite(b);
            return;
        }
        if (cand.bounds.overlaps(b))
            break;
    }
    const std::size_t count = idx.size();
    batches.push_back({kind, b, std::move(idx), 0, {spanOf(b, 0, count)}});
    idx = {};
}

/// Unique values of a sorted vector, merging neighbours closer than `eps`.
std::vector<float> uniqueSorted(std::vector<float> v, float eps) {
    std::sort(v.begin(), v.end());
    std::vector<float> u;
    for (float x : v)
        if (u.empty() || x - u.back() > eps)
            u.push_back(x);
    return u;
}

/// Lattice spacing of sorted unique coordinates: the smallest gap; every value must sit on
/// origin + k × pitch. Returns 0 when they do not.
float latticePitch(const std::vector<float>& u, float fallback, float eps) {
    if (u.size() == 1)
        return fallback;
    float pitch = 1e30f;
    for (std::size_t i = 1; i < u.size(); ++i)
        pitch = std::min(pitch, u[i] - u[i - 1]);
    for (float x : u) {
        const float k = (x - u[0]) / pitch;
        if (std::abs(k - std::round(k)) * pitch > eps)
            return 0;
    }
    return pitch;
}

} // namespace

std::uint32_t packColor(const Color& c) {
    auto b = [](float v) {
        return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
    };
    return b(c.r) | b(c.g) << 8 | b(c.b) << 16 | b(c.a) << 24;
}

Color unpackColor(std::uint32_t v) {
    auto f = [&](int shift) { return static_cast<float>((v >> shift) & 0xffu) / 255.0f; };
    return {f(0), f(8), f(16), f(24)};
}

int circleSegments(float radius) {
    // About one segment per 2.5 scene units of circumference, within [16, 128].
    const float n = 2 * kPi * radius / 2.5f;
    return std::clamp(static_cast<int>(std::ceil(n / 4)) * 4, 16, 128);
}

bool detectHeatGrid(const std::vector<Prim>& prims, std::size_t first, std::size_t last,
                    HeatGrid& g) {
    // 1. Same kind, layer and size everywhere.
    if (last <= first)
        return false;
    const Prim& p0 = prims[first];
    const float w = p0.rect.w, h = p0.rect.h;
    if (!(w > 0 && h > 0))
        return false;
    std::vector<float> xs, ys;
    xs.reserve(last - first);
    ys.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
        const Prim& p = prims[i];
        if (p.kind != PrimKind::HeatCell || p.layer != p0.layer || p.rect.w != w || p.rect.h != h)
            return false;
        xs.push_back(p.rect.x);
        ys.push_back(p.rect.y);
    }
    // 2. Distinct columns / rows, their spacing, and every cell on the lattice.
    const float epsX = 1e-3f * w, epsY = 1e-3f * h;
    const std::vector<float> ux = uniqueSorted(xs, epsX), uy = uniqueSorted(ys, epsY);
    const float px = latticePitch(ux, w, epsX), py = latticePitch(uy, h, epsY);
    if (px <= 0 || py <= 0 || w > px + epsX || h > py + epsY) // overlapping cells keep order
        return false;
    const long cols = std::lround((ux.back() - ux[0]) / px) + 1;
    const long rows = std::lround((uy.back() - uy[0]) / py) + 1;
    const long n = static_cast<long>(last - first);
    if (cols > kMaxGridSide || rows > kMaxGridSide || cols * rows > 4 * n + 64)
        return false; // too big or too sparse for a texture
    // 3. One texel per lattice point; two cells on one point would need list order.
    g = HeatGrid{ux[0], uy[0], px, py, w, h, int(cols), int(rows), {}};
    g.texels.assign(static_cast<std::size_t>(cols * rows), 0);
    std::vector<bool> taken(g.texels.size(), false);
    for (std::size_t i = first; i < last; ++i) {
        const long c = std::lround((prims[i].rect.x - g.x0) / px);
        const long r = std::lround((prims[i].rect.y - g.y0) / py);
        const auto at = static_cast<std::size_t>(r * cols + c);
        if (taken[at])
            return false;
        taken[at] = true;
        g.texels[at] = prims[i].fill.visible() ? packColor(prims[i].fill) : 0u;
    }
    return true;
}

void strokePolyline(std::vector<PlainVertex>& verts, std::vector<std::uint32_t>& indices,
                    const Vec2* pts, std::size_t n, bool closed, float width, const Color& c) {
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
    const float hw = width / 2 + kAaMargin; // geometry reaches the margin past each side
    Emitter e{verts, indices, packColor(c)};
    // Left (+normal) vertices lie on the left edge: distance 0 to it, 2·hw to the right one.
    auto left = [&](Vec2 q) { return e.vertex(q, 0, 2 * hw); };
    auto right = [&](Vec2 q) { return e.vertex(q, 2 * hw, 0); };
    const std::size_t segs = closed ? m : m - 1;
    // 2. For every vertex compute the left/right offset points where consecutive segments meet:
    //    a miter (one vertex pair shared by both segments) when the turn is gentle, otherwise
    //    each segment's own normal plus a bevel triangle.
    auto segNormal = [&](std::size_t s) { return perp(normalized(p[(s + 1) % m] - p[s])); };
    std::uint32_t prevL = 0, prevR = 0;   // start of the current segment on the left/right side
    std::uint32_t closeL = 0, closeR = 0; // closed rings: where the last segment ends
    auto joinAt = [&](std::size_t v, Vec2 nIn, Vec2 nOut, std::uint32_t& endL, std::uint32_t& endR,
                      std::uint32_t& startL, std::uint32_t& startR) {
        const Vec2 sum = nIn + nOut;
        const float sl = length(sum);
        const float cosHalf = sl / 2; // cos of half the turn angle
        if (cosHalf > 0.26f) {        // miter limit ≈ 3.8 × half width
            const Vec2 mdir = sum * (1.0f / sl);
            const float ml = hw / std::max(dot(mdir, nIn), 1e-4f);
            endL = startL = left(p[v] + mdir * ml);
            endR = startR = right(p[v] - mdir * ml);
            return;
        }
        endL = left(p[v] + nIn * hw);
        endR = right(p[v] - nIn * hw);
        startL = left(p[v] + nOut * hw);
        startR = right(p[v] - nOut * hw);
        // Bevel triangle on the outer side of the turn.
        const std::uint32_t centre = e.vertex(p[v], hw, hw);
        if (cross(nIn, nOut) > 0)
            e.tri(centre, endR, startR);
        else
            e.tri(centre, endL, startL);
    };
    if (closed) {
        joinAt(0, segNormal(m - 1), segNormal(0), closeL, closeR, prevL, prevR);
    } else {
        const Vec2 n0 = segNormal(0);
        prevL = left(p[0] + n0 * hw);
        prevR = right(p[0] - n0 * hw);
    }
    // 3. Emit one quad per segment between its start and end offset points.
    for (std::size_t s = 0; s < segs; ++s) {
        const std::size_t v = (s + 1) % m;
        std::uint32_t endL, endR, nextL = 0, nextR = 0;
        if (closed && s + 1 == segs) {
            endL = closeL; // the join at vertex 0 was emitted up front
            endR = closeR;
        } else if (!closed && s + 1 == segs) {
            const Vec2 nn = segNormal(s);
            endL = left(p[v] + nn * hw);
            endR = right(p[v] - nn * hw);
        } else {
            joinAt(v, segNormal(s), segNormal(s + 1), endL, endR, nextL, nextR);
        }
        e.quad(prevL, endL, endR, prevR);
        prevL = nextL;
        prevR = nextR;
    }
}

Tessellation tessellate(const DisplayList& list) {
    Tessellation t;
    const std::vector<Prim>& prims = list.prims;
    // 1. Find the distinct layers (usually a handful) in ascending order.
    std::vector<std::int16_t> layerIds;
    for (const Prim& p : prims)
        if (std::find(layerIds.begin(), layerIds.end(), p.layer) == layerIds.end())
            layerIds.push_back(p.layer);
    std::sort(layerIds.begin(), layerIds.end());
    t.layers.resize(layerIds.size());
    for (std::size_t i = 0; i < layerIds.size(); ++i)
        t.layers[i].layer = layerIds[i];
    t.plain.reserve(prims.size() * 4);
    t.sdf.reserve(prims.size());
    auto slotOf = [&](std::int16_t layer) {
        return static_cast<std::size_t>(std::lower_bound(layerIds.begin(), layerIds.end(), layer) -
                                        layerIds.begin());
    };
    // 2. Walk the list: runs of heat cells on a lattice become grids; every other primitive is
    //    tessellated and placed into a batch of its layer (list order where things overlap).
    std::vector<Vec2> scratch;
    std::vector<std::vector<Building>> batches(layerIds.size());
    std::vector<std::vector<std::size_t>> textsPerLayer(layerIds.size());
    Sink sink{t.plain, t.sdf, {}, BatchKind::Plain};
    std::size_t looseUntil = 0; // end of a heat-cell run that failed grid detection
    for (std::size_t i = 0; i < prims.size();) {
        const Prim& p = prims[i];
        const std::size_t slot = slotOf(p.layer);
        if (p.kind == PrimKind::HeatCell && i >= looseUntil) {
            std::size_t end = i + 1;
            while (end < prims.size() && prims[end].kind == PrimKind::HeatCell &&
                   prims[end].layer == p.layer)
                ++end;
            HeatGrid g;
            if (end - i >= kMinGridCells && detectHeatGrid(prims, i, end, g)) {
                const Rect r = g.bounds();
                Box2 b;
                b.add(r.x, r.y);
                b.add(r.x + r.w, r.y + r.h);
                batches[slot].push_back({BatchKind::Grid, b, {}, t.grids.size(), {}});
                t.grids.push_back(std::move(g));
                i = end;
                continue;
            }
            looseUntil = end; // not a grid: the whole run is drawn cell by cell
        }
        if (p.kind == PrimKind::Text) {
            if (!p.text.empty() && p.stroke.visible() && !p.pts.empty())
                textsPerLayer[slot].push_back(i);
            ++i;
            continue;
        }
        const std::size_t plain0 = t.plain.size(), sdf0 = t.sdf.size();
        sink.kind = BatchKind::Plain;
        sink.idx.clear();
        tessPrim(sink, p, scratch);
        ++i;
        if (sink.idx.empty())
            continue;
        Box2 b;
        if (sink.kind == BatchKind::Sdf)
            for (std::size_t v = sdf0; v < t.sdf.size(); ++v)
                b.add(t.sdf[v].x, t.sdf[v].y);
        else
            for (std::size_t v = plain0; v < t.plain.size(); ++v)
                b.add(t.plain[v].x, t.plain[v].y);
        place(batches[slot], sink.kind, b, sink.idx);
    }
    // 3. Concatenate the batches' indices into the shared index arrays (spans made absolute).
    for (std::size_t l = 0; l < batches.size(); ++l) {
        for (Building& b : batches[l]) {
            if (b.kind == BatchKind::Grid) {
                t.layers[l].batches.push_back({BatchKind::Grid, b.grid, 1});
                continue;
            }
            auto& idx = b.kind == BatchKind::Sdf ? t.sdfIndices : t.plainIndices;
            t.layers[l].batches.push_back(
                {b.kind, idx.size(), b.idx.size(), t.spans.size(), b.spans.size()});
            for (PrimSpan sp : b.spans) {
                sp.first += idx.size();
                t.spans.push_back(sp);
            }
            idx.insert(idx.end(), b.idx.begin(), b.idx.end());
        }
    }
    // 4. Text references in draw order.
    for (std::size_t l = 0; l < textsPerLayer.size(); ++l)
        for (std::size_t i : textsPerLayer[l])
            t.texts.push_back({l, i});
    return t;
}

} // namespace aisys::viz
