// Picking and damage tracking (viz's core): what is under a point, and which regions changed.
#include "viz/damage.h"
#include "viz/picking.h"

#include <gtest/gtest.h>

using namespace aisys::viz;

namespace {
const Color kInk{0, 0, 0, 1};
const Color kFill{0.5f, 0.5f, 0.5f, 1};
} // namespace

TEST(Picking, TopmostLayerThenLatestWins) {
    DisplayList l;
    l.box({0, 0, 100, 100}, kFill, kNoColor, 0, 1, 1);
    l.box({40, 40, 20, 20}, kFill, kNoColor, 0, 1, 2);
    l.box({0, 0, 100, 100}, kFill, kNoColor, 0, 1, 3).layer = -1; // below both
    EXPECT_EQ(pickAt(l, {50, 50}, 0), 2u);
    EXPECT_EQ(pickAt(l, {10, 10}, 0), 1u);
    EXPECT_EQ(pickAt(l, {150, 10}, 0), 0u);
    l.box({0, 0, 10, 10}, kFill).layer = 5; // id 0: never picked, hides nothing
    EXPECT_EQ(pickAt(l, {5, 5}, 0), 1u);
}

TEST(Picking, StrokesWithinToleranceCirclesAndPolygons) {
    DisplayList l;
    l.line({0, 0}, {100, 0}, kInk, 2, 7);
    l.circle({200, 200}, 10, kFill, kNoColor, 1, 8);
    l.polygon({{300, 0}, {400, 0}, {350, 80}}, kFill, kNoColor, 1, 9);
    EXPECT_EQ(pickAt(l, {50, 3.5f}, 3), 7u); // 1 (half width) + 3 (tolerance) ≥ 3.5
    EXPECT_EQ(pickAt(l, {50, 4.5f}, 3), 0u); // beyond
    EXPECT_EQ(pickAt(l, {207, 207}, 0), 8u); // inside the radius (≈9.9)
    EXPECT_EQ(pickAt(l, {350, 30}, 0), 9u);  // inside the filled triangle
    EXPECT_EQ(pickAt(l, {305, 70}, 0), 0u);  // outside it
    EXPECT_TRUE(hits(l.prims[0], {100, 1}, 0));
}

TEST(Damage, ChangedPrimitivesGiveTheirOldAndNewBounds) {
    DisplayList a;
    a.box({0, 0, 10, 10}, kFill);
    a.box({100, 100, 10, 10}, kFill);
    DisplayList b = a;
    DamageTracker t;
    EXPECT_FALSE(t.note(a, b));
    EXPECT_TRUE(t.regions().empty());
    b.prims[1].rect.x = 120;
    EXPECT_TRUE(t.note(a, b));
    ASSERT_EQ(t.regions().size(), 1u);
    const Rect r = t.regions()[0];
    EXPECT_LE(r.x, 100);
    EXPECT_GE(r.x + r.w, 130);
    EXPECT_FALSE(t.all());
    b.box({0, 0, 1, 1}, kFill); // a primitive more: untracked, everything
    EXPECT_TRUE(t.note(a, b));
    EXPECT_TRUE(t.all());
    t.clear();
    EXPECT_FALSE(t.all());
}

TEST(Damage, AtMostFourRegionsAndDeviceRectsStopAtHalfTheView) {
    DamageTracker t;
    for (int i = 0; i < 9; ++i)
        t.add({float(i) * 100, 0, 10, 10});
    EXPECT_LE(t.regions().size(), 4u);
    Camera cam;
    cam.center = {450, 5};
    cam.zoom = 1;
    std::vector<std::array<int, 4>> rects;
    EXPECT_TRUE(t.deviceRects(cam, {1000, 100}, 1, 1000, 100, rects));
    EXPECT_FALSE(rects.empty());
    DamageTracker big;
    big.add({0, 0, 1000, 100});
    rects.clear();
    EXPECT_FALSE(big.deviceRects(cam, {1000, 100}, 1, 1000, 100, rects));
}
