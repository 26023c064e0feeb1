// Unit tests of the tessellator: vertex counts, bounds, layers, text references.
#include "viz/tessellator.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::viz;

namespace {

struct Bounds {
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
};

Bounds boundsOf(const std::vector<ShapeVertex>& v) {
    Bounds b;
    for (const auto& p : v) {
        b.x0 = std::min(b.x0, p.x);
        b.y0 = std::min(b.y0, p.y);
        b.x1 = std::max(b.x1, p.x);
        b.y1 = std::max(b.y1, p.y);
    }
    return b;
}

/// Sum of triangle areas (absolute), to check fills cover what they should.
float area(const std::vector<ShapeVertex>& v) {
    float a = 0;
    for (std::size_t i = 0; i + 2 < v.size(); i += 3)
        a += std::abs((v[i + 1].x - v[i].x) * (v[i + 2].y - v[i].y) -
                      (v[i + 2].x - v[i].x) * (v[i + 1].y - v[i].y)) /
             2;
    return a;
}

const Color kFill{0.2f, 0.4f, 0.8f, 1};
const Color kNone{0, 0, 0, 0};

} // namespace

TEST(Tessellator, FilledBoxIsOneSdfQuad) {
    DisplayList l;
    l.box({10, 20, 100, 50}, kFill, kNone);
    const Tessellation t = tessellate(l);
    ASSERT_EQ(t.layers.size(), 1u);
    const auto& v = t.layers[0].vertices;
    ASSERT_EQ(v.size(), 6u);
    // The quad covers the box plus a one-unit anti-aliasing margin.
    const Bounds b = boundsOf(v);
    EXPECT_FLOAT_EQ(b.x0, 9);
    EXPECT_FLOAT_EQ(b.y0, 19);
    EXPECT_FLOAT_EQ(b.x1, 111);
    EXPECT_FLOAT_EQ(b.y1, 71);
    EXPECT_NEAR(area(v), 102 * 52, 1e-2);
    for (const auto& p : v) {
        EXPECT_FLOAT_EQ(p.hx, 50);
        EXPECT_FLOAT_EQ(p.hy, 25);
        EXPECT_FLOAT_EQ(p.strokeHalf, 0);
        EXPECT_FLOAT_EQ(p.x - p.lx, 60); // local coordinates are relative to the centre
        EXPECT_FLOAT_EQ(p.y - p.ly, 45);
        EXPECT_FLOAT_EQ(p.b, 0.8f);
    }
}

TEST(Tessellator, OutlinedBoxCarriesItsStroke) {
    DisplayList l;
    l.box({0, 0, 100, 50}, kNone, kFill, 0, 4);
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
    ASSERT_EQ(v.size(), 6u);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, -3, 1e-4); // half stroke + margin outside the edge
    EXPECT_NEAR(b.y1, 53, 1e-4);
    EXPECT_FLOAT_EQ(v[0].strokeHalf, 2);
    EXPECT_FLOAT_EQ(v[0].sa, 1);
    EXPECT_FLOAT_EQ(v[0].a, 0);
}

TEST(Tessellator, DashedOutlineIsTessellated) {
    DisplayList l;
    l.box({0, 0, 60, 30}, kNone, kFill, 0, 1).dashed = true;
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
    EXPECT_GT(v.size(), 6u);
    EXPECT_EQ(v.size() % 6, 0u);
    for (const auto& p : v)
        EXPECT_LT(p.hx, 0); // plain triangles
    // Dashes cover about 4/6 of the 180-unit perimeter at width 1.
    EXPECT_NEAR(area(v), 120, 8);
}

TEST(Tessellator, RoundedBoxRadiusIsClampedToHalfTheShortSide) {
    DisplayList l;
    l.box({0, 0, 80, 40}, kFill, kNone, 10);
    l.box({0, 0, 80, 40}, kFill, kNone, 100);
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
    ASSERT_EQ(v.size(), 12u);
    EXPECT_FLOAT_EQ(v[0].radius, 10);
    EXPECT_FLOAT_EQ(v[6].radius, 20);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, -1, 1e-3);
    EXPECT_NEAR(b.x1, 81, 1e-3);
}

TEST(Tessellator, CircleIsOneSdfQuad) {
    DisplayList l;
    l.circle({50, 50}, 10, kFill, kFill, 2);
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
    ASSERT_EQ(v.size(), 6u);
    EXPECT_FLOAT_EQ(v[0].radius, 10);
    EXPECT_FLOAT_EQ(v[0].hx, 10);
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x0, 50 - 10 - 1 - 1, 1e-4);
}

TEST(Tessellator, ArrowHasATriangularHeadAtTheTip) {
    DisplayList l;
    l.arrow({{0, 0}, {100, 0}}, kFill, 2);
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
    EXPECT_EQ(v.size(), 3u + 6u); // head + one shaft quad
    const Bounds b = boundsOf(v);
    EXPECT_NEAR(b.x1, 100, 1e-4); // nothing pokes past the tip
    const float head = 4 * 2 + 4;
    EXPECT_NEAR(b.y1, head * 0.45f, 1e-4); // head half width
    // The head triangle is first: tip at (100, 0).
    EXPECT_FLOAT_EQ(v[0].x, 100);
    EXPECT_FLOAT_EQ(v[0].y, 0);
    DisplayList both;
    both.arrow({{0, 0}, {100, 0}}, kFill, 2).doubleHead = true;
    EXPECT_EQ(tessellate(both).layers[0].vertices.size(), 6u + 6u);
}

TEST(Tessellator, HullCoversPaddedPoints) {
    DisplayList l;
    l.hull({{0, 0}, {100, 0}, {50, 80}}, 10, kFill, kNone);
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
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
    const auto& v = t.layers[0].vertices;
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
    EXPECT_TRUE(t.layers[1].vertices.empty());
    EXPECT_EQ(t.layers[2].vertices.size(), 6u + 6u); // box quad + circle quad
    ASSERT_EQ(t.texts.size(), 1u);
    EXPECT_EQ(t.texts[0].layerIndex, 2u);
    EXPECT_EQ(t.texts[0].primIndex, 1u);
}

TEST(Tessellator, DashedLineIsBrokenIntoDashes) {
    DisplayList l;
    l.line({0, 0}, {60, 0}, kFill, 1).dashed = true;
    const Tessellation t = tessellate(l);
    const auto& v = t.layers[0].vertices;
    // Pattern 4 on / 2 off: 60 units → 10 dashes of 4 units each.
    EXPECT_EQ(v.size(), 10u * 6u);
    EXPECT_NEAR(area(v), 10 * 4 * 1, 1e-3);
}

TEST(Tessellator, CircleSegmentsGrowWithRadius) {
    EXPECT_GE(circleSegments(1), 16);
    EXPECT_LT(circleSegments(5), circleSegments(100));
    EXPECT_LE(circleSegments(1e6f), 128);
}
