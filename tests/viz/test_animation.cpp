// Unit tests of step animation: key matching, interpolation, fade in/out, end points.
#include "viz/animation.h"

#include <gtest/gtest.h>

using namespace aisys::viz;

namespace {

const Color kRed{1, 0, 0, 1};
const Color kBlue{0, 0, 1, 1};

Prim* findId(DisplayList& l, std::uint32_t id, PrimKind kind, int ordinal = 0) {
    for (Prim& p : l.prims)
        if (p.id == id && p.kind == kind && ordinal-- == 0)
            return &p;
    return nullptr;
}

} // namespace

TEST(Animation, EaseInOutIsSmoothstep) {
    EXPECT_FLOAT_EQ(easeInOut(0.0f), 0.0f);
    EXPECT_FLOAT_EQ(easeInOut(1.0f), 1.0f);
    EXPECT_FLOAT_EQ(easeInOut(0.5f), 0.5f);
    EXPECT_FLOAT_EQ(easeInOut(-2.0f), 0.0f);
    EXPECT_FLOAT_EQ(easeInOut(3.0f), 1.0f);
    EXPECT_LT(easeInOut(0.25f), 0.25f); // slow start
    EXPECT_GT(easeInOut(0.75f), 0.75f); // slow end
}

TEST(Animation, MatchedBoxInterpolatesGeometryAndColour) {
    DisplayList a, b;
    a.box({0, 0, 10, 10}, kRed, {}, 0, 1, 7);
    b.box({100, 50, 30, 10}, kBlue, {}, 4, 1, 7);
    DisplayList mid = interpolate(a, b, 0.5f);
    ASSERT_EQ(mid.size(), 1u);
    const Prim& p = mid.prims[0];
    EXPECT_FLOAT_EQ(p.rect.x, 50);
    EXPECT_FLOAT_EQ(p.rect.y, 25);
    EXPECT_FLOAT_EQ(p.rect.w, 20);
    EXPECT_FLOAT_EQ(p.radius, 2);
    EXPECT_FLOAT_EQ(p.fill.r, 0.5f);
    EXPECT_FLOAT_EQ(p.fill.b, 0.5f);
    EXPECT_FLOAT_EQ(p.fill.a, 1.0f);
}

TEST(Animation, EndPointsReproduceTheLists) {
    DisplayList a, b;
    a.box({0, 0, 10, 10}, kRed, {}, 0, 1, 1);
    a.line({0, 0}, {5, 5}, kRed, 1, 2);
    b.box({20, 0, 10, 10}, kBlue, {}, 0, 1, 1);
    b.circle({3, 3}, 4, kBlue, {}, 1, 3);
    b.text({1, 1}, "x", kBlue); // id 0
    const DisplayList at0 = interpolate(a, b, 0.0f);
    const Prim* box0 = nullptr;
    for (const Prim& p : at0.prims)
        if (p.id == 1)
            box0 = &p;
    ASSERT_NE(box0, nullptr);
    EXPECT_FLOAT_EQ(box0->rect.x, 0);
    EXPECT_EQ(box0->fill, kRed);
    // At t = 0 the new circle is invisible and the old line fully visible.
    for (const Prim& p : at0.prims) {
        if (p.id == 3) {
            EXPECT_FLOAT_EQ(p.fill.a, 0.0f);
        }
        if (p.id == 2) {
            EXPECT_FLOAT_EQ(p.stroke.a, 1.0f);
        }
    }
    const DisplayList at1 = interpolate(a, b, 1.0f);
    ASSERT_EQ(at1.size(), b.size()); // the vanished line is gone
    for (std::size_t i = 0; i < b.size(); ++i) {
        EXPECT_EQ(at1.prims[i].kind, b.prims[i].kind);
        EXPECT_EQ(at1.prims[i].fill, b.prims[i].fill);
        EXPECT_EQ(at1.prims[i].rect.x, b.prims[i].rect.x);
    }
}

TEST(Animation, FadeInAndFadeOut) {
    DisplayList a, b;
    a.box({0, 0, 10, 10}, kRed, kRed, 0, 1, 5); // vanishes
    a.box({0, 0, 10, 10}, kRed, {}, 0, 1, 0);   // id 0: no fade-out, just gone
    b.circle({0, 0}, 3, kBlue, kBlue, 1, 6);    // appears
    b.text({0, 0}, "fixed", kBlue);             // id 0: appears at once
    DisplayList m = interpolate(a, b, 0.25f);
    Prim* in = findId(m, 6, PrimKind::Circle);
    Prim* out = findId(m, 5, PrimKind::Box);
    Prim* fixed = findId(m, 0, PrimKind::Text);
    ASSERT_TRUE(in && out && fixed);
    EXPECT_FLOAT_EQ(in->fill.a, 0.25f);
    EXPECT_FLOAT_EQ(in->stroke.a, 0.25f);
    EXPECT_FLOAT_EQ(out->fill.a, 0.75f);
    EXPECT_FLOAT_EQ(out->stroke.a, 0.75f);
    EXPECT_FLOAT_EQ(fixed->stroke.a, 1.0f);
    EXPECT_EQ(findId(m, 0, PrimKind::Box), nullptr);
    EXPECT_EQ(m.size(), 3u);
}

TEST(Animation, MatchesByIdKindAndOrdinal) {
    DisplayList a, b;
    // Same id, two boxes and a text: ordinals keep the pairs apart; kinds never cross.
    a.box({0, 0, 10, 10}, kRed, {}, 0, 1, 9);
    a.box({100, 0, 10, 10}, kRed, {}, 0, 1, 9);
    a.text({0, 0}, "a", kRed, 12, HAlign::Left, VAlign::Top, 9);
    b.text({50, 50}, "b", kBlue, 12, HAlign::Left, VAlign::Top, 9);
    b.box({10, 0, 10, 10}, kBlue, {}, 0, 1, 9);
    b.box({200, 0, 10, 10}, kBlue, {}, 0, 1, 9);
    DisplayList m = interpolate(a, b, 0.5f);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_FLOAT_EQ(findId(m, 9, PrimKind::Box, 0)->rect.x, 5);
    EXPECT_FLOAT_EQ(findId(m, 9, PrimKind::Box, 1)->rect.x, 150);
    const Prim* t = findId(m, 9, PrimKind::Text);
    EXPECT_FLOAT_EQ(t->pts[0].x, 25);
    EXPECT_EQ(t->text, "b");
}

TEST(Animation, PointsInterpolateOnlyWhenCountsAgree) {
    DisplayList a, b;
    a.polyline({{0, 0}, {10, 0}}, kRed, 1, 4);
    b.polyline({{0, 10}, {10, 10}, {20, 10}}, kRed, 1, 4);
    DisplayList m = interpolate(a, b, 0.5f);
    ASSERT_EQ(m.prims[0].pts.size(), 3u);
    EXPECT_FLOAT_EQ(m.prims[0].pts[0].y, 10); // taken from `to`
    a.prims[0].pts = {{0, 0}, {10, 0}, {20, 0}};
    m = interpolate(a, b, 0.5f);
    EXPECT_FLOAT_EQ(m.prims[0].pts[2].y, 5);
}
