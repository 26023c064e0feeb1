// Display list builders, bounds, hulls and the camera.
#include "viz/camera.h"
#include "viz/display_list.h"
#include "viz/layout.h"
#include "viz/plot.h"

#include <gtest/gtest.h>

using namespace aisys::viz;

TEST(DisplayList, BoundsCoverEveryPrimitive) {
    DisplayList dl;
    dl.box({10, 20, 30, 40}, Color::rgb(0xff0000));
    dl.circle({100, 100}, 10, Color::rgb(0x00ff00));
    Rect b = dl.bounds();
    EXPECT_LE(b.x, 10);
    EXPECT_LE(b.y, 20);
    EXPECT_GE(b.x + b.w, 110);
    EXPECT_GE(b.y + b.h, 110);
}

TEST(DisplayList, ConvexHullDropsInteriorPoints) {
    auto h = convexHull({{0, 0}, {10, 0}, {10, 10}, {0, 10}, {5, 5}, {5, 0}});
    EXPECT_EQ(h.size(), 4u);
    auto out = paddedHullOutline({{0, 0}, {10, 0}, {10, 10}, {0, 10}}, 5, 4);
    for (auto p : out) { // every outline point is ≥ padding away from the square's inside
        bool inside = p.x > 0 && p.x < 10 && p.y > 0 && p.y < 10;
        EXPECT_FALSE(inside);
    }
}

TEST(DisplayList, TextRectFollowsAlignment) {
    DisplayList dl;
    Prim& t = dl.text({100, 50}, "abcd", Color{}, 10, HAlign::Right, VAlign::Bottom);
    Rect r = textRect(t);
    EXPECT_FLOAT_EQ(r.x + r.w, 100);
    EXPECT_FLOAT_EQ(r.y + r.h, 50);
    // CJK characters are wider than ASCII in the estimate.
    EXPECT_GT(approxTextWidth("计算图", 10), approxTextWidth("abc", 10));
}

TEST(Camera, ZoomKeepsThePointUnderTheCursor) {
    Camera c;
    c.center = {50, 50};
    Vec2 view{800, 600};
    Vec2 cursor{600, 100};
    Vec2 before = c.toScene(cursor, view);
    c.zoomAt(cursor, view, 2.5f);
    Vec2 after = c.toScene(cursor, view);
    EXPECT_NEAR(before.x, after.x, 1e-3);
    EXPECT_NEAR(before.y, after.y, 1e-3);
    EXPECT_FLOAT_EQ(c.zoom, 2.5f);
}

TEST(Camera, FitShowsTheWholeRect) {
    Camera c;
    Rect r{-100, 0, 1000, 200};
    Vec2 view{800, 600};
    c.fit(r, view, 20);
    Vec2 tl = c.toView({r.x, r.y}, view), br = c.toView({r.x + r.w, r.y + r.h}, view);
    EXPECT_GE(tl.x, 19.9f);
    EXPECT_LE(br.x, 800.1f - 19.9f);
    EXPECT_GE(tl.y, 0);
    EXPECT_LE(br.y, 600);
}

TEST(LayeredLayout, LayersFollowEdgesAndSourcesSitNextToTheirConsumer) {
    // a → c → d, b → d: b is a source read only by d, so it sits in d's previous layer.
    std::vector<LayoutNode> nodes(4, LayoutNode{40, 20});
    std::vector<LayoutEdge> edges = {{0, 2}, {2, 3}, {1, 3}};
    LayoutResult r = layeredLayout(nodes, edges);
    EXPECT_EQ(r.layer[0], 0);
    EXPECT_EQ(r.layer[2], 1);
    EXPECT_EQ(r.layer[3], 2);
    EXPECT_EQ(r.layer[1], 1);
    for (const auto& e : edges) // left to right: every edge points right
        EXPECT_LT(r.boxes[e.from].x + r.boxes[e.from].w, r.boxes[e.to].x);
    // Boxes in one layer do not overlap.
    EXPECT_TRUE(r.boxes[1].y + r.boxes[1].h <= r.boxes[2].y ||
                r.boxes[2].y + r.boxes[2].h <= r.boxes[1].y);
}

TEST(LayeredLayout, TopToBottomPutsLayersInRows) {
    std::vector<LayoutNode> nodes(3, LayoutNode{60, 20});
    std::vector<LayoutEdge> edges = {{0, 1}, {1, 2}};
    LayoutOptions opt;
    opt.direction = LayoutDirection::TopToBottom;
    LayoutResult r = layeredLayout(nodes, edges, opt);
    for (const auto& e : edges) { // every edge points down; boxes keep their size
        EXPECT_LT(r.boxes[e.from].y + r.boxes[e.from].h, r.boxes[e.to].y);
        EXPECT_FLOAT_EQ(r.boxes[e.to].w, 60);
    }
}

TEST(PlotFrame, MapsLinearAndLogAxesAndClips) {
    PlotFrame lin({0, 0, 100, 50}, 0, 10, 0, 5, false, false);
    EXPECT_FLOAT_EQ(lin.map(0, 0).x, 0);
    EXPECT_FLOAT_EQ(lin.map(0, 0).y, 50); // y grows upwards in the plot
    EXPECT_FLOAT_EQ(lin.map(10, 5).x, 100);
    EXPECT_FLOAT_EQ(lin.map(10, 5).y, 0);
    PlotFrame log({0, 0, 100, 100}, 1e-4, 1, 1e-4, 1, true, true);
    EXPECT_NEAR(log.map(1e-2, 1e-2).x, 50, 1e-3);
    EXPECT_NEAR(log.map(1e-2, 1e-2).y, 50, 1e-3);
    DisplayList dl;
    Prim& p = log.plotLine(dl, {{1e-5, 1}, {1e-3, 1e-2}, {1e-1, 1e-1}, {10, 1}}, Color{}, 1);
    EXPECT_EQ(p.pts.size(), 2u); // the two points outside the x range are dropped
    log.drawAxes(dl, "h", "error", Color{}, Color{}, Color{});
    int texts = 0;
    for (const auto& q : dl.prims)
        texts += q.kind == PrimKind::Text;
    EXPECT_GE(texts, 2 * 5 + 2); // 5 decades per axis plus the two axis labels
    EXPECT_THROW(PlotFrame({0, 0, 1, 1}, 0, 1, 1, 2, true, false), std::invalid_argument);
}
