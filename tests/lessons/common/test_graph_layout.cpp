// Sugiyama layout: edge directions, overlaps, dummy chains, known crossing optima, stability,
// groups and determinism.
#include "engine/graph/interpreter.h"
#include "lessons/common/graph_drawing.h"
#include "viz/sugiyama.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

using namespace aisys::viz;

namespace {

std::vector<SugiyamaNode> namedNodes(int n, float w = 60, float h = 30) {
    std::vector<SugiyamaNode> v;
    for (int i = 0; i < n; ++i)
        v.push_back({w + float(i % 3) * 17, h + float(i % 2) * 9, "n" + std::to_string(i)});
    return v;
}

/// A DNN-like graph: a chain with skip connections, branches that merge, a few back edges.
std::vector<SugiyamaEdge> dnnLike(int n, unsigned seed, bool cycles) {
    std::mt19937 rng(seed);
    std::vector<SugiyamaEdge> e;
    for (int i = 1; i < n; ++i) {
        const int back = 1 + int(rng() % 3);
        e.push_back({std::max(0, i - back), i, 0, 0});
        if (i > 4 && rng() % 4 == 0)
            e.push_back({i - 2 - int(rng() % 4), i, 0, 0});
        if (cycles && i > 6 && rng() % 9 == 0)
            e.push_back({i, i - 5, 0, 0});
    }
    return e;
}

bool overlap(const Rect& a, const Rect& b) {
    return a.x < b.x + b.w - 1e-3f && b.x < a.x + a.w - 1e-3f && a.y < b.y + b.h - 1e-3f &&
           b.y < a.y + a.h - 1e-3f;
}

/// Fewest crossings of a two-layer graph over every pair of layer orders.
int bruteForceOptimum(int top, int bottom, const std::vector<std::pair<int, int>>& e) {
    std::vector<int> p(top), q(bottom);
    int best = 1 << 30;
    std::iota(p.begin(), p.end(), 0);
    do {
        std::iota(q.begin(), q.end(), 0);
        do {
            int c = 0;
            for (auto [a, b] : e)
                for (auto [x, y] : e)
                    c += p[a] < p[x] && q[b] > q[y];
            best = std::min(best, c);
        } while (std::next_permutation(q.begin(), q.end()));
    } while (std::next_permutation(p.begin(), p.end()));
    return best;
}

} // namespace

TEST(Sugiyama, EveryEdgePointsDownAfterCycleRemoval) {
    auto nodes = namedNodes(60);
    auto edges = dnnLike(60, 3, true);
    edges.push_back({5, 5, 0, 0}); // a self-loop is not laid out and must not break anything
    const SugiyamaResult r = sugiyamaLayout(nodes, edges);
    EXPECT_GT(r.reversedEdges, 0);
    for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
        const auto& e = edges[i];
        const auto& rt = r.routes[i];
        if (rt.reversed) {
            EXPECT_GT(r.layer[e.from], r.layer[e.to]) << "edge " << i;
        } else {
            EXPECT_LT(r.layer[e.from], r.layer[e.to]) << "edge " << i;
        }
        // The route starts at its source box and ends at its target box, whichever way it runs.
        const Rect a = r.boxes[e.from].adjusted(0.5f), b = r.boxes[e.to].adjusted(0.5f);
        ASSERT_GE(rt.bezier.size(), 4u);
        EXPECT_TRUE(a.contains(rt.bezier.front())) << "edge " << i;
        EXPECT_TRUE(b.contains(rt.bezier.back())) << "edge " << i;
    }
}

TEST(Sugiyama, NoTwoBoxesOverlapAndSizesAreKept) {
    for (auto dir : {LayoutDirection::TopToBottom, LayoutDirection::LeftToRight}) {
        auto nodes = namedNodes(150);
        auto edges = dnnLike(150, 11, false);
        for (auto& e : edges)
            e.labelW = 70, e.labelH = 12;
        SugiyamaOptions opt;
        opt.direction = dir;
        const SugiyamaResult r = sugiyamaLayout(nodes, edges, opt);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            EXPECT_FLOAT_EQ(r.boxes[i].w, nodes[i].w);
            EXPECT_FLOAT_EQ(r.boxes[i].h, nodes[i].h);
            for (std::size_t j = i + 1; j < nodes.size(); ++j)
                EXPECT_FALSE(overlap(r.boxes[i], r.boxes[j])) << i << " and " << j;
        }
        // Labels have rooms of their own: no label covers a box.
        for (std::size_t e = 0; e < edges.size(); ++e) {
            const Rect lab{r.routes[e].labelAt.x, r.routes[e].labelAt.y, 70, 12};
            for (std::size_t i = 0; i < nodes.size(); ++i)
                EXPECT_FALSE(overlap(lab, r.boxes[i])) << "label " << e << " on box " << i;
        }
    }
}

TEST(Sugiyama, DummyChainsAreContinuousAndLongEdgesStraight) {
    // 0 → 1 → 2 → 3 → 4 and a skip 0 → 4: the skip passes three layers.
    std::vector<SugiyamaNode> nodes = namedNodes(5);
    std::vector<SugiyamaEdge> edges = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 4}};
    SugiyamaOptions opt;
    opt.labelLayers = false;
    const SugiyamaResult r = sugiyamaLayout(nodes, edges, opt);
    EXPECT_EQ(r.dummies, 3);
    const EdgeRoute& skip = r.routes[4];
    ASSERT_EQ(skip.bends.size(), 3u);
    for (std::size_t k = 1; k < skip.bends.size(); ++k) {
        EXPECT_GT(skip.bends[k].y, skip.bends[k - 1].y);   // one bend per layer, top down
        EXPECT_FLOAT_EQ(skip.bends[k].x, skip.bends[0].x); // straight through the dummies
    }
    // Bézier chain: 1 + 3k points, each segment starting where the last one ended.
    EXPECT_EQ((skip.bezier.size() - 1) % 3, 0u);
    const auto flat = flattenBezier(skip.bezier, 8);
    for (std::size_t k = 1; k < flat.size(); ++k)
        EXPECT_GE(flat[k].y, flat[k - 1].y - 1e-3f); // monotone downwards: no loops
    // Every bend lies on the flattened route.
    for (const Vec2& b : skip.bends) {
        float best = 1e9f;
        for (const Vec2& p : flat)
            best = std::min(best, std::abs(p.x - b.x) + std::abs(p.y - b.y));
        EXPECT_LT(best, 1.0f);
    }
}

TEST(Sugiyama, CrossingsOnSmallGraphsAreTheKnownOptimum) {
    struct Case {
        const char* name;
        int top, bottom;
        std::vector<std::pair<int, int>> e; // top index → bottom index
        int optimum;
    };
    const std::vector<Case> cases = {
        {"K2,2", 2, 2, {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, 1},
        {"K2,3", 2, 3, {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}, 3},
        {"K3,3", 3, 3, {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}}, 9},
        {"twisted ladder", 3, 3, {{0, 2}, {1, 1}, {2, 0}}, 0},
        {"6-cycle", 3, 3, {{0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 0}}, 2},
        {"two crossing paths", 4, 4, {{0, 3}, {3, 0}, {1, 2}, {2, 1}, {0, 1}}, 0},
    };
    for (const Case& c : cases) {
        std::vector<SugiyamaNode> nodes = namedNodes(c.top + c.bottom);
        std::vector<SugiyamaEdge> edges;
        for (auto [a, b] : c.e)
            edges.push_back({a, c.top + b});
        const SugiyamaResult r = sugiyamaLayout(nodes, edges);
        EXPECT_EQ(r.crossings, c.optimum) << c.name;
        EXPECT_EQ(bruteForceOptimum(c.top, c.bottom, c.e), c.optimum) << c.name;
        // The counter agrees with one run on the final order, and the order is the one drawn.
        std::vector<std::pair<int, int>> pe;
        for (auto& e : edges)
            pe.push_back({e.from, e.to});
        EXPECT_EQ(countCrossings(r.layer, r.order, pe), c.optimum) << c.name;
        for (int i = 0; i < c.top + c.bottom; ++i)
            for (int j = 0; j < c.top + c.bottom; ++j)
                if (r.layer[i] == r.layer[j] && r.order[i] < r.order[j]) {
                    EXPECT_LT(r.boxes[i].x, r.boxes[j].x) << c.name;
                }
    }
}

TEST(Sugiyama, SameInputSamePicture) {
    auto nodes = namedNodes(300);
    auto edges = dnnLike(300, 5, true);
    const SugiyamaResult a = sugiyamaLayout(nodes, edges), b = sugiyamaLayout(nodes, edges);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        EXPECT_EQ(a.boxes[i].x, b.boxes[i].x);
        EXPECT_EQ(a.boxes[i].y, b.boxes[i].y);
    }
    for (std::size_t e = 0; e < edges.size(); ++e)
        EXPECT_EQ(a.routes[e].bezier, b.routes[e].bezier);
}

TEST(Sugiyama, UnchangedGraphKeepsEveryPosition) {
    auto nodes = namedNodes(120);
    auto edges = dnnLike(120, 8, false);
    const SugiyamaResult first = sugiyamaLayout(nodes, edges);
    const PreviousLayout prev = snapshotOf(nodes, edges, first);
    SugiyamaOptions opt;
    opt.previous = &prev;
    const SugiyamaResult again = sugiyamaLayout(nodes, edges, opt);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        EXPECT_NEAR(again.boxes[i].x, first.boxes[i].x, 1e-3) << i;
        EXPECT_NEAR(again.boxes[i].y, first.boxes[i].y, 1e-3) << i;
    }
}

TEST(Sugiyama, RemovingANodeKeepsTheOthersInOrder) {
    // Remove node 40 (its consumers read its producer instead, as a pass that deletes an
    // Identity would do); every pair of survivors sharing a layer before and after keeps its
    // left-to-right order, and the layers of survivors do not move up.
    const int n = 100, gone = 40;
    auto nodes = namedNodes(n);
    auto edges = dnnLike(n, 21, false);
    const SugiyamaResult before = sugiyamaLayout(nodes, edges);
    const PreviousLayout prev = snapshotOf(nodes, edges, before);
    std::vector<SugiyamaNode> nodes2;
    std::vector<int> newIndex(n, -1), oldIndex;
    for (int i = 0; i < n; ++i)
        if (i != gone) {
            newIndex[i] = static_cast<int>(nodes2.size());
            oldIndex.push_back(i);
            nodes2.push_back(nodes[i]);
        }
    int producer = -1;
    for (auto& e : edges)
        if (e.to == gone)
            producer = e.from;
    std::vector<SugiyamaEdge> edges2;
    for (auto e : edges) {
        if (e.to == gone)
            continue;
        if (e.from == gone)
            e.from = producer;
        edges2.push_back({newIndex[e.from], newIndex[e.to]});
    }
    SugiyamaOptions opt;
    opt.previous = &prev;
    const SugiyamaResult after = sugiyamaLayout(nodes2, edges2, opt);
    int pairs = 0;
    for (std::size_t a = 0; a < nodes2.size(); ++a)
        for (std::size_t b = 0; b < nodes2.size(); ++b) {
            const int oa = oldIndex[a], ob = oldIndex[b];
            if (before.layer[oa] != before.layer[ob] || after.layer[a] != after.layer[b] ||
                before.order[oa] >= before.order[ob])
                continue;
            ++pairs;
            EXPECT_LT(after.order[a], after.order[b]) << nodes2[a].name << " " << nodes2[b].name;
        }
    EXPECT_GT(pairs, 10);
    for (std::size_t a = 0; a < nodes2.size(); ++a)
        EXPECT_GE(after.layer[a], before.layer[oldIndex[a]]);
}

TEST(Sugiyama, CollapsedGroupIsOneBoxExpandedGroupStaysTogether) {
    auto nodes = namedNodes(40);
    auto edges = dnnLike(40, 2, false);
    SugiyamaOptions opt;
    opt.groups.push_back({"fused", {10, 11, 12, 13}, true, 150, 50});
    opt.groups.push_back({"block", {20, 21, 22, 23, 24, 25}, false});
    const SugiyamaResult r = sugiyamaLayout(nodes, edges, opt);
    for (int m : {10, 11, 12, 13}) {
        EXPECT_EQ(r.boxes[m].x, r.boxes[10].x);
        EXPECT_EQ(r.boxes[m].y, r.boxes[10].y);
        EXPECT_FLOAT_EQ(r.boxes[m].w, 150);
    }
    EXPECT_TRUE(r.groups[0].collapsed);
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const bool inside =
            edges[e].from >= 10 && edges[e].from <= 13 && edges[e].to >= 10 && edges[e].to <= 13;
        EXPECT_EQ(r.routes[e].bezier.empty(), inside) << "edge " << e;
    }
    // Expanded: in every layer its members are consecutive.
    for (int L = 0; L < r.layers; ++L) {
        int lo = 1 << 30, hi = -1, count = 0;
        for (int m = 20; m <= 25; ++m)
            if (r.layer[m] == L) {
                lo = std::min(lo, r.order[m]);
                hi = std::max(hi, r.order[m]);
                ++count;
            }
        if (count) {
            EXPECT_EQ(hi - lo + 1, count) << "layer " << L;
        }
    }
    const Rect gb = r.groups[1].box.adjusted(0.01f);
    for (int m = 20; m <= 25; ++m) {
        EXPECT_TRUE(gb.contains({r.boxes[m].x, r.boxes[m].y}));
        EXPECT_TRUE(gb.contains({r.boxes[m].x + r.boxes[m].w, r.boxes[m].y + r.boxes[m].h}));
    }
}

TEST(Sugiyama, ALongLayoutWrapsIntoBandsSideBySide) {
    for (auto dir : {LayoutDirection::TopToBottom, LayoutDirection::LeftToRight}) {
        auto nodes = namedNodes(200);
        auto edges = dnnLike(200, 9, false);
        SugiyamaOptions opt;
        opt.direction = dir;
        const SugiyamaResult tall = sugiyamaLayout(nodes, edges, opt);
        opt.wrapAspect = 1.6f;
        const SugiyamaResult r = sugiyamaLayout(nodes, edges, opt);
        ASSERT_GE(r.wrapCuts.size(), 2u);
        const float aspect = r.bounds.w / r.bounds.h;
        EXPECT_GT(aspect, 0.8f);
        EXPECT_LT(aspect, 3.2f);
        EXPECT_LT(std::abs(std::log(aspect / 1.6f)),
                  std::abs(std::log(tall.bounds.w / tall.bounds.h / 1.6f)));
        for (std::size_t i = 0; i < nodes.size(); ++i)
            for (std::size_t j = i + 1; j < nodes.size(); ++j)
                EXPECT_FALSE(overlap(r.boxes[i], r.boxes[j])) << i << " and " << j;
        for (std::size_t e = 0; e < edges.size(); ++e) { // routes still join their boxes
            const auto& bz = r.routes[e].bezier;
            ASSERT_EQ((bz.size() - 1) % 3, 0u);
            EXPECT_TRUE(r.boxes[edges[e].from].adjusted(0.5f).contains(bz.front())) << e;
            EXPECT_TRUE(r.boxes[edges[e].to].adjusted(0.5f).contains(bz.back())) << e;
        }
        // Kept by a snapshot: the same cuts again.
        const PreviousLayout prev = snapshotOf(nodes, edges, r);
        opt.previous = &prev;
        EXPECT_EQ(sugiyamaLayout(nodes, edges, opt).wrapCuts, r.wrapCuts);
    }
}

TEST(Sugiyama, WeightsDoNotPullTheDataPathAside) {
    // x → conv → relu → conv2, and each conv reads two weights (sources read once): the data
    // path stays one straight column.
    std::vector<SugiyamaNode> nodes = namedNodes(8);
    for (int w : {3, 4, 5, 7})
        nodes[w].side = true;
    std::vector<SugiyamaEdge> edges = {{3, 1}, {4, 1}, {0, 1}, {1, 2}, {5, 6}, {7, 6}, {2, 6}};
    for (float label : {0.0f, 60.0f}) { // with labels the edges pass label layers
        for (auto& e : edges)
            e.labelW = label, e.labelH = label / 4;
        const SugiyamaResult r = sugiyamaLayout(nodes, edges);
        auto cx = [&](int v) { return r.boxes[v].x + r.boxes[v].w / 2; };
        EXPECT_NEAR(cx(1), cx(0), 0.5f) << label;
        EXPECT_NEAR(cx(2), cx(1), 0.5f) << label;
        EXPECT_NEAR(cx(6), cx(2), 0.5f) << label;
    }
}

TEST(Sugiyama, LeftToRightEdgesPointRight) {
    auto nodes = namedNodes(30);
    auto edges = dnnLike(30, 4, false);
    SugiyamaOptions opt;
    opt.direction = LayoutDirection::LeftToRight;
    const SugiyamaResult r = sugiyamaLayout(nodes, edges, opt);
    for (const auto& e : edges)
        EXPECT_LT(r.boxes[e.from].x + r.boxes[e.from].w, r.boxes[e.to].x);
}

TEST(Sugiyama, BadIndicesAreClearErrors) {
    auto nodes = namedNodes(3);
    try {
        sugiyamaLayout(nodes, {{0, 7}});
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("edge 0"), std::string::npos) << e.what();
    }
    SugiyamaOptions opt;
    opt.groups.push_back({"g", {1, 9}});
    EXPECT_THROW(sugiyamaLayout(nodes, {}, opt), std::invalid_argument);
    EXPECT_TRUE(sugiyamaLayout({}, {}).boxes.empty());
}

// The graph pictures (lessons/labs/graph_drawing) drawn with this layout.
namespace {

using namespace aisys;

/// x → Relu a → Neg b → Relu c → Add(c, a) → y, run on [2, 3] values.
engine::Interpreter smallRun() {
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {2, 3});
    g.addNode("Relu", "relu_a", {"x"}, {"a"});
    g.addNode("Neg", "neg_b", {"a"}, {"b"});
    g.addNode("Relu", "relu_c", {"b"}, {"c"});
    g.addNode("Add", "add_y", {"c", "a"}, {"y"});
    g.markOutput("y");
    engine::Interpreter ip(std::move(g));
    ip.setInput("x", engine::Tensor::f32({2, 3}, {1, -2, 3, -4, 5, -6}));
    ip.run();
    return ip;
}

std::map<std::uint32_t, Rect> boxesById(const Scene& s) {
    std::map<std::uint32_t, Rect> out;
    for (const Prim& p : s.list.prims)
        if (p.kind == PrimKind::Box && p.id >= lessons::kNodeIdBase && p.id < lessons::kValueIdBase)
            out[p.id] = p.rect;
    return out;
}

} // namespace

TEST(GraphPicture, EdgesCarryShapesAndGroupsDrawAsHullsOrOneBox) {
    engine::Interpreter ip = smallRun();
    lessons::GraphPictureInput in;
    in.interp = &ip;
    in.executed = 4;
    in.showValues = false;
    Scene plain = lessons::drawGraph(in);
    bool shape = false;
    for (const Prim& p : plain.list.prims)
        shape |= p.kind == PrimKind::Text && p.text.find("[2, 3]") != std::string::npos;
    EXPECT_TRUE(shape);
    EXPECT_EQ(boxesById(plain).size(), 4u);

    in.groups.push_back({"fused_neg_relu", {1, 2}, false});
    Scene hull = lessons::drawGraph(in);
    int hulls = 0;
    for (const Prim& p : hull.list.prims)
        hulls += p.kind == PrimKind::Hull && p.id == lessons::kGroupIdBase;
    EXPECT_EQ(hulls, 1);

    in.groups[0].collapsed = true;
    Scene collapsed = lessons::drawGraph(in);
    const auto boxes = boxesById(collapsed);
    EXPECT_EQ(boxes.size(), 2u); // relu_a and add_y; the two members are one group box
    EXPECT_FALSE(boxes.count(lessons::kNodeIdBase + 1));
    bool groupBox = false;
    for (const Prim& p : collapsed.list.prims)
        groupBox |= p.kind == PrimKind::Box && p.id == lessons::kGroupIdBase;
    EXPECT_TRUE(groupBox);
}

TEST(GraphPicture, ASnapshotKeepsTheNextPictureInPlace) {
    engine::Interpreter ip = smallRun();
    lessons::GraphPictureInput in;
    in.interp = &ip;
    in.executed = 2;
    PreviousLayout snap;
    in.snapshot = &snap;
    const Scene first = lessons::drawGraph(in);
    EXPECT_EQ(snap.nodes.size(), 6u); // x, four ops, the output y
    in.previous = &snap;
    in.snapshot = nullptr;
    in.executed = 4;
    const auto a = boxesById(first), b = boxesById(lessons::drawGraph(in));
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [id, r] : a) {
        EXPECT_NEAR(b.at(id).x, r.x, 1e-3) << id;
        EXPECT_NEAR(b.at(id).y, r.y, 1e-3) << id;
    }
}
