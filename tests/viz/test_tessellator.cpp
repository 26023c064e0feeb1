// Unit tests of the tessellator: vertex counts, bounds, batches, heat grids, text references.
#include "viz/tessellator.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::viz;

namespace {

struct Bounds {
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    void add(float x, float y) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
    }
};

/// The triangles of all plain batches, expanded from the index array (3 vertices each).
std::vector<PlainVertex> plainTriangles(const Tessellation& t) {
    std::vector<PlainVertex> out;
    for (const TessLayer& l : t.layers)
        for (const Batch& b : l.batches)
            if (b.kind == BatchKind::Plain)
                for (std::size_t i = b.first; i < b.first + b.count; ++i)
                    out.push_back(t.plain[t.plainIndices[i]]);
    return out;
}

template <class V> Bounds boundsOf(const std::vector<V>& v) {
    Bounds b;
    for (const auto& p : v)
        b.add(p.x, p.y);
    return b;
}

/// Sum of triangle areas (absolute), to check fills cover what they should.
float area(const std::vector<PlainVertex>& v) {
    float a = 0;
    for (std::size_t i = 0; i + 2 < v.size(); i += 3)
        a += std::abs((v[i + 1].x - v[i].x) * (v[i + 2].y - v[i].y) -
                      (v[i + 2].x - v[i].x) * (v[i + 1].y - v[i].y)) /
             2;
    return a;
}

/// Whether the plain shader draws point (x, y) (coverage ≥ ½): inside some triangle whose
/// interpolated edge distances are all at least kAaMargin (the drawn edge sits that far inside
/// the anti-aliasing margin of the geometry).
bool drawn(const std::vector<PlainVertex>& v, float x, float y) {
    for (std::size_t i = 0; i + 2 < v.size(); i += 3) {
        const PlainVertex &a = v[i], &b = v[i + 1], &c = v[i + 2];
        const float d = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y);
        if (std::abs(d) < 1e-12f)
            continue;
        const float l0 = ((b.y - c.y) * (x - c.x) + (c.x - b.x) * (y - c.y)) / d;
        const float l1 = ((c.y - a.y) * (x - c.x) + (a.x - c.x) * (y - c.y)) / d;
        const float l2 = 1 - l0 - l1;
        if (l0 < 0 || l1 < 0 || l2 < 0)
            continue;
        bool all = true;
        for (int k = 0; k < 3; ++k)
            all = all && l0 * a.edge[k] + l1 * b.edge[k] + l2 * c.edge[k] >= kAaMargin;
        if (all)
            return true;
    }
    return false;
}

const Color kFill{0.2f, 0.4f, 0.8f, 1};
const Color kNone{0, 0, 0, 0};

} // namespace

TEST(Tessellator, FilledBoxIsOneSdfQuad) {
    DisplayList l;
    l.box({10, 20, 100, 50}, kFill, kNone);
    const Tessellation t = tessellate(l);
    ASSERT_EQ(t.layers.size(), 1u);
    ASSERT_EQ(t.layers[0].batches.size(), 1u);
    EXPECT_EQ(t.layers[0].batches[0].kind, BatchKind::Sdf);
    EXPECT_EQ(t.layers[0].batches[0].count, 6u); // two triangles over four shared corners
    const auto& v = t.sdf;
    ASSERT_EQ(v.size(), 4u);
    EXPECT_TRUE(t.plain.empty());
    // The quad covers the box plus a one-unit anti-aliasing margin.
    const Bounds b = boundsOf(v);
    EXPECT_FLOAT_EQ(b.x0, 9);
    EXPECT_FLOAT_EQ(b.y0, 19);
    EXPECT_FLOAT_EQ(b.x1, 111);
    EXPECT_FLOAT_EQ(b.y1, 71);
    for (const auto& p : v) {
        EXPECT_FLOAT_EQ(p.hx, 50);
        EXPECT_FLOAT_EQ(p.hy, 25);
        EXPECT_FLOAT_EQ(p.strokeHalf, 0);
        EXPECT_FLOAT_EQ(p.x - p.lx, 60); // local coordinates are relative to the centre
        EXPECT_FLOAT_EQ(p.y - p.ly, 45);
        EXPECT_EQ(p.fill, packColor(kFill));
    }
}

TEST(Tessellator, ColoursPackAsRgba8) {
    EXPECT_EQ(packColor({1, 0, 0, 1}), 0xff0000ffu); // red in the lowest byte
    EXPECT_EQ(packColor({0, 0, 1, 0.5f}), 0x80ff0000u);
    EXPECT_EQ(packColor({2, -1, 0, 0}), 0x000000ffu); // clamped
    const Color c = unpackColor(packColor(kFill));
    EXPECT_NEAR(c.g, 0.4f, 0.5f / 255);
    EXPECT_FLOAT_EQ(c.a, 1);
}

TEST(Tessellator, OutlinedBoxCarriesItsStroke) {
    DisplayList l;
    l.box({0, 0, 100, 50}, kNone, kFill, 0, 4);
    const Tessellation t = tessellate(l);
    const auto& v = t.sdf;
    ASSERT_EQ(v.size(), 4u);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, -3, 1e-4); // half stroke + margin outside the edge
    EXPECT_NEAR(b.y1, 53, 1e-4);
    EXPECT_FLOAT_EQ(v[0].strokeHalf, 2);
    EXPECT_EQ(v[0].stroke >> 24, 255u);
    EXPECT_EQ(v[0].fill >> 24, 0u);
}

TEST(Tessellator, DashedOutlineIsTessellated) {
    DisplayList l;
    l.box({0, 0, 60, 30}, kNone, kFill, 0, 1).dashed = true;
    const Tessellation t = tessellate(l);
    EXPECT_TRUE(t.sdf.empty()); // plain triangles
    const auto v = plainTriangles(t);
    EXPECT_GT(v.size(), 6u);
    EXPECT_EQ(v.size() % 3, 0u);
    // Dashes cover about 4/6 of the 180-unit perimeter at width 1; the geometry is the
    // anti-aliasing margin wider on each side, its edge distances put the drawn edge at ±½.
    EXPECT_NEAR(area(v), 120 * (1 + 2 * kAaMargin), 8 * (1 + 2 * kAaMargin));
    EXPECT_TRUE(drawn(v, 2, 0.4f));   // on the top side, inside the first dash
    EXPECT_FALSE(drawn(v, 2, 0.6f));  // past its drawn width
    EXPECT_FALSE(drawn(v, 2, -0.6f)); // outside the box
}

TEST(Tessellator, RoundedBoxRadiusIsClampedToHalfTheShortSide) {
    DisplayList l;
    l.box({0, 0, 80, 40}, kFill, kNone, 10);
    l.box({0, 0, 80, 40}, kFill, kNone, 100);
    const Tessellation t = tessellate(l);
    const auto& v = t.sdf;
    ASSERT_EQ(v.size(), 8u);
    EXPECT_EQ(t.layers[0].batches.size(), 1u); // same kind: one draw
    EXPECT_FLOAT_EQ(v[0].radius, 10);
    EXPECT_FLOAT_EQ(v[4].radius, 20);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, -1, 1e-3);
    EXPECT_NEAR(b.x1, 81, 1e-3);
}

TEST(Tessellator, CircleIsOneSdfQuad) {
    DisplayList l;
    l.circle({50, 50}, 10, kFill, kFill, 2);
    const Tessellation t = tessellate(l);
    const auto& v = t.sdf;
    ASSERT_EQ(v.size(), 4u);
    EXPECT_FLOAT_EQ(v[0].radius, 10);
    EXPECT_FLOAT_EQ(v[0].hx, 10);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, 50 - 10 - 1 - 1, 1e-4);
}

TEST(Tessellator, ArrowHasATriangularHeadAtTheTip) {
    DisplayList l;
    l.arrow({{0, 0}, {100, 0}}, kFill, 2);
    const Tessellation t = tessellate(l);
    const auto v = plainTriangles(t);
    EXPECT_EQ(v.size(), 3u + 6u);       // head + one shaft quad
    EXPECT_EQ(t.plain.size(), 3u + 4u); // the quad's corners are shared
    // What is drawn (the geometry carries an anti-aliasing margin past every edge): the head
    // ends at the tip and is head·0.45 wide at its base; the shaft is 2 wide.
    const float head = 4 * 2 + 4;
    EXPECT_TRUE(drawn(v, 99.9f, 0));
    EXPECT_FALSE(drawn(v, 100.1f, 0)); // nothing pokes past the tip
    EXPECT_TRUE(drawn(v, 100 - head + 0.05f, head * 0.45f - 0.1f));
    EXPECT_FALSE(drawn(v, 100 - head + 0.05f, head * 0.45f + 0.1f));
    EXPECT_TRUE(drawn(v, 50, 0.9f));
    EXPECT_FALSE(drawn(v, 50, 1.1f));
    DisplayList both;
    both.arrow({{0, 0}, {100, 0}}, kFill, 2).doubleHead = true;
    EXPECT_EQ(plainTriangles(tessellate(both)).size(), 6u + 6u);
}

TEST(Tessellator, PolylineJoinsShareVertices) {
    DisplayList l;
    l.polyline({{0, 0}, {50, 0}, {50, 50}}, kFill, 2); // one gentle (90°) miter join
    const Tessellation t = tessellate(l);
    EXPECT_EQ(plainTriangles(t).size(), 12u); // two segment quads
    EXPECT_EQ(t.plain.size(), 6u);            // start pair, shared miter pair, end pair
}

TEST(Tessellator, HullCoversPaddedPoints) {
    DisplayList l;
    l.hull({{0, 0}, {100, 0}, {50, 80}}, 10, kFill, kNone);
    const Tessellation t = tessellate(l);
    const auto v = plainTriangles(t);
    ASSERT_GT(v.size(), 9u);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, -10, 0.5);
    EXPECT_NEAR(b.x1, 110, 0.5);
    EXPECT_NEAR(b.y0, -10, 0.5);
    EXPECT_NEAR(b.y1, 90, 0.5);
    EXPECT_GT(area(v), 100 * 80 / 2);
}

TEST(Tessellator, ConcavePolygonFillHasTheRightArea) {
    DisplayList l;
    // An L shape: 2×2 square minus a 1×1 corner = 3 (scaled by 10 → 300).
    l.polygon({{0, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 20}, {0, 20}}, kFill, kNone);
    const Tessellation t = tessellate(l);
    const auto v = plainTriangles(t);
    EXPECT_EQ(v.size(), 4u * 3u);
    EXPECT_NEAR(area(v), 300, 1e-3);
}

TEST(Tessellator, LayersAreSortedAndTextIsSeparate) {
    DisplayList l;
    l.box({0, 0, 1, 1}, kFill, kNone).layer = 5;
    l.text({0, 0}, "hello", kFill).layer = 5;
    l.box({0, 0, 2, 2}, kFill, kNone).layer = -1;
    l.circle({0, 0}, 5, kFill, kNone).layer = 5;
    l.text({0, 0}, "", kFill); // empty text is dropped
    const Tessellation t = tessellate(l);
    ASSERT_EQ(t.layers.size(), 3u);
    EXPECT_EQ(t.layers[0].layer, -1);
    EXPECT_EQ(t.layers[1].layer, 0);
    EXPECT_EQ(t.layers[2].layer, 5);
    EXPECT_TRUE(t.layers[1].batches.empty());
    ASSERT_EQ(t.layers[2].batches.size(), 1u);
    EXPECT_EQ(t.layers[2].batches[0].count, 6u + 6u); // box quad + circle quad
    ASSERT_EQ(t.texts.size(), 1u);
    EXPECT_EQ(t.texts[0].layerIndex, 2u);
    EXPECT_EQ(t.texts[0].primIndex, 1u);
}

TEST(Tessellator, OverlappingKindsKeepListOrder) {
    DisplayList l;
    l.box({0, 0, 10, 10}, kFill, kNone);      // SDF
    l.line({0, 5}, {10, 5}, kFill, 1);        // plain, over the first box
    l.box({5, 0, 10, 10}, kFill, kNone);      // SDF, over the line: cannot join box 1
    l.line({100, 100}, {120, 100}, kFill, 1); // plain, apart from everything: joins line 1
    const Tessellation t = tessellate(l);
    const auto& b = t.layers[0].batches;
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].kind, BatchKind::Sdf);
    EXPECT_EQ(b[1].kind, BatchKind::Plain);
    EXPECT_EQ(b[2].kind, BatchKind::Sdf);
    EXPECT_EQ(b[1].count, 12u); // both lines
    DisplayList apart;
    apart.box({0, 0, 10, 10}, kFill, kNone);
    apart.line({50, 5}, {60, 5}, kFill, 1);
    apart.box({100, 0, 10, 10}, kFill, kNone); // overlaps nothing after box 1: same draw
    EXPECT_EQ(tessellate(apart).layers[0].batches.size(), 2u);
}

TEST(Tessellator, HeatMapOnALatticeIsOneTexturedQuad) {
    DisplayList l;
    for (int r = 0; r < 10; ++r)
        for (int c = 0; c < 10; ++c)
            l.heatCell({5 + 9.0f * float(c), 7 + 6.0f * float(r), 8.5f, 5.5f},
                       Color{float(c) / 9, float(r) / 9, 0.5f, 1});
    const Tessellation t = tessellate(l);
    ASSERT_EQ(t.grids.size(), 1u);
    ASSERT_EQ(t.layers[0].batches.size(), 1u);
    EXPECT_EQ(t.layers[0].batches[0].kind, BatchKind::Grid);
    EXPECT_TRUE(t.plain.empty());
    EXPECT_EQ(t.triangleCount(), 2u);
    const HeatGrid& g = t.grids[0];
    EXPECT_EQ(g.cols, 10);
    EXPECT_EQ(g.rows, 10);
    EXPECT_FLOAT_EQ(g.x0, 5);
    EXPECT_FLOAT_EQ(g.y0, 7);
    EXPECT_FLOAT_EQ(g.pitchX, 9);
    EXPECT_FLOAT_EQ(g.pitchY, 6);
    EXPECT_FLOAT_EQ(g.cellW, 8.5f);
    EXPECT_FLOAT_EQ(g.cellH, 5.5f);
    ASSERT_EQ(g.texels.size(), 100u);
    for (int r = 0; r < 10; ++r)
        for (int c = 0; c < 10; ++c)
            EXPECT_EQ(g.texels[std::size_t(r * 10 + c)],
                      packColor({float(c) / 9, float(r) / 9, 0.5f, 1}));
    const Rect b = g.bounds();
    EXPECT_FLOAT_EQ(b.w, 9 * 9 + 8.5f);
    EXPECT_FLOAT_EQ(b.h, 9 * 6 + 5.5f);
}

TEST(Tessellator, MissingCellsAreTransparentTexels) {
    DisplayList l;
    for (int i = 0; i < 20; ++i)
        if (i != 7)
            l.heatCell({10.0f * float(i % 5), 10.0f * float(i / 5), 10, 10}, kFill);
    const Tessellation t = tessellate(l);
    ASSERT_EQ(t.grids.size(), 1u);
    EXPECT_EQ(t.grids[0].cols, 5);
    EXPECT_EQ(t.grids[0].rows, 4);
    EXPECT_EQ(t.grids[0].texels[7], 0u);
    EXPECT_EQ(t.grids[0].texels[8], packColor(kFill));
}

TEST(Tessellator, CellsOffTheLatticeStaySeparate) {
    // One cell nudged off the lattice: no grid, every cell its own quad.
    DisplayList off;
    for (int i = 0; i < 16; ++i)
        off.heatCell({10.0f * float(i % 4) + (i == 5 ? 3.0f : 0.0f), 10.0f * float(i / 4), 8, 8},
                     kFill);
    Tessellation t = tessellate(off);
    EXPECT_TRUE(t.grids.empty());
    EXPECT_EQ(plainTriangles(t).size(), 16u * 6u);
    // Different sizes, overlapping cells (order matters) and two cells on one point: no grid.
    DisplayList sizes, overlap, twice;
    for (int i = 0; i < 16; ++i) {
        sizes.heatCell({10.0f * float(i), 0, i == 3 ? 9.0f : 8.0f, 8}, kFill);
        overlap.heatCell({10.0f * float(i), 0, 15, 8}, kFill);
        twice.heatCell({10.0f * float(i % 8), 0, 8, 8}, kFill);
    }
    EXPECT_TRUE(tessellate(sizes).grids.empty());
    EXPECT_TRUE(tessellate(overlap).grids.empty());
    EXPECT_TRUE(tessellate(twice).grids.empty());
    // A short run is not worth a texture.
    DisplayList few;
    for (int i = 0; i < 4; ++i)
        few.heatCell({10.0f * float(i), 0, 8, 8}, kFill);
    EXPECT_TRUE(tessellate(few).grids.empty());
}

TEST(Tessellator, DashedLineIsBrokenIntoDashes) {
    DisplayList l;
    l.line({0, 0}, {60, 0}, kFill, 1).dashed = true;
    const Tessellation t = tessellate(l);
    const auto v = plainTriangles(t);
    // Pattern 4 on / 2 off: 60 units → 10 dashes of 4 units each (width 1 drawn; geometry
    // the anti-aliasing margin wider on each side).
    EXPECT_EQ(v.size(), 10u * 6u);
    EXPECT_NEAR(area(v), 10 * 4 * (1 + 2 * kAaMargin), 1e-3);
    EXPECT_TRUE(drawn(v, 1, 0.45f));
    EXPECT_FALSE(drawn(v, 1, 0.55f));
    EXPECT_FALSE(drawn(v, 5, 0)); // in the first gap
}

TEST(Tessellator, CircleSegmentsGrowWithRadius) {
    EXPECT_GE(circleSegments(1), 16);
    EXPECT_LT(circleSegments(5), circleSegments(100));
    EXPECT_LE(circleSegments(1e6f), 128);
}

TEST(Tessellator, SpansPartitionEveryBatchAndBoundTheirVertices) {
    // Mixed kinds in two layers, overlapping so some primitives join earlier batches and some
    // start new ones; a dashed line gives one primitive many triangles.
    DisplayList l;
    for (int i = 0; i < 30; ++i) {
        const float x = float(i % 6) * 20, y = float(i / 6) * 15;
        l.box({x, y, 12, 8}, Color{0.2f, 0.4f, 0.8f, 1}, Color{0, 0, 0, 1}, 2, 1);
        l.line({x, y}, {x + 25, y + 12}, Color{0, 0, 0, 1}, 1.5f).dashed = i % 4 == 0;
        l.arrow({{x, y + 4}, {x + 10, y + 9}, {x + 18, y + 2}}, Color{1, 0, 0, 1}, 1);
        l.circle({x + 5, y + 5}, 3, Color{0, 1, 0, 0.5f}, Color{0, 0, 0, 1}, 1).layer = i % 2;
    }
    const Tessellation t = tessellate(l);
    std::size_t spans = 0, batches = 0;
    for (const TessLayer& layer : t.layers)
        for (const Batch& b : layer.batches) {
            if (b.kind == BatchKind::Grid)
                continue;
            ++batches;
            ASSERT_GT(b.spanCount, 0u);
            EXPECT_EQ(b.firstSpan, spans); // batch by batch, in draw order
            std::size_t next = b.first;
            for (std::size_t k = b.firstSpan; k < b.firstSpan + b.spanCount; ++k) {
                const PrimSpan& s = t.spans[k];
                EXPECT_EQ(s.first, next); // contiguous, in order, covering the batch
                EXPECT_GT(s.count, 0u);
                EXPECT_EQ(s.count % 3, 0u);
                next = s.first + s.count;
                const auto& idx = b.kind == BatchKind::Sdf ? t.sdfIndices : t.plainIndices;
                for (std::size_t i = s.first; i < s.first + s.count; ++i) {
                    const float x = b.kind == BatchKind::Sdf ? t.sdf[idx[i]].x : t.plain[idx[i]].x;
                    const float y = b.kind == BatchKind::Sdf ? t.sdf[idx[i]].y : t.plain[idx[i]].y;
                    EXPECT_GE(x, s.bounds.x);
                    EXPECT_LE(x, s.bounds.x + s.bounds.w);
                    EXPECT_GE(y, s.bounds.y);
                    EXPECT_LE(y, s.bounds.y + s.bounds.h);
                }
            }
            EXPECT_EQ(next, b.first + b.count);
            spans += b.spanCount;
        }
    EXPECT_EQ(spans, t.spans.size());
    EXPECT_GE(batches, 2u);
    EXPECT_EQ(spans, 120u); // one span per drawn primitive
}
