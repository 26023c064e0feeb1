// The eager-graph Lab: the graph-break frame is Dynamo's split run
// for real — sub-graph 1 up to the `if`, Python's decision, sub-graph 2 for the branch taken —
// with its sub-graph frames, the Python box between them and the eager result.
#include "lessons/common/graph_drawing.h"
#include "lessons/labs/framework/eager_graph/graph_break.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

using namespace aisys::lessons;
using namespace aisys::test_support;
using aisys::engine::Tensor;

namespace {

std::vector<std::string> opsOf(const aisys::engine::Graph& g) {
    std::vector<std::string> out;
    for (int n : g.topoOrder())
        out.push_back(g.nodes[n].op);
    return out;
}

std::vector<float> seeded(std::mt19937& rng, int n) {
    std::uniform_int_distribution<int> d(-9, 9);
    std::vector<float> v(n);
    for (auto& x : v)
        x = float(d(rng)) / 10.0f;
    return v;
}

/// The eager program of the Lab, written out plainly: (relu(h) if Σh > 0 else −h) · 2.
std::vector<float> eagerF(const Tensor& W, const Tensor& b, const Tensor& x) {
    std::vector<float> h(3);
    float sum = 0;
    for (int r = 0; r < 3; ++r) {
        h[r] = b.data<float>()[r];
        for (int c = 0; c < 4; ++c)
            h[r] += W.data<float>()[r * 4 + c] * x.data<float>()[c];
        sum += h[r];
    }
    for (auto& v : h)
        v = 2 * (sum > 0 ? std::max(v, 0.0f) : -v);
    return h;
}

const aisys::viz::Prim* primWithId(const aisys::viz::Scene& s, std::uint32_t id,
                                   aisys::viz::PrimKind kind) {
    for (const auto& p : s.list.prims)
        if (p.id == id && p.kind == kind)
            return &p;
    return nullptr;
}

int graphBreakFrame(const LabRun& run) {
    return run.phaseStart("graph-break");
}

} // namespace

TEST(EagerGraphLab, GraphBreakSplitsAtTheBranchAndGivesTheEagerResult) {
    std::set<bool> branches;
    for (unsigned seed = 0; seed < 40; ++seed) {
        std::mt19937 rng(seed);
        const Tensor W = Tensor::f32({3, 4}, seeded(rng, 12));
        const Tensor b = Tensor::f32({3}, seeded(rng, 3));
        const Tensor x = Tensor::f32({4}, seeded(rng, 4));
        const GraphBreakRun r = runWithGraphBreak(W, b, x);
        // Sub-graph 1 ends at the sum Python needs; it holds no op of either branch.
        EXPECT_EQ(opsOf(r.before->graph()),
                  (std::vector<std::string>{"MatMul", "Add", "ReduceSum"}));
        // Sub-graph 2 starts from h and holds only the branch taken and the return's Mul.
        EXPECT_EQ(opsOf(r.after->graph()),
                  (std::vector<std::string>{r.positive ? "Relu" : "Neg", "Mul"}));
        const auto& g2 = r.after->graph();
        ASSERT_EQ(g2.inputs.size(), 1u);
        EXPECT_EQ(g2.values[g2.inputs[0]].name, "h");
        const std::vector<float> want = eagerF(W, b, x);
        for (int i = 0; i < 3; ++i)
            EXPECT_NEAR(r.y.at(i), want[i], 1e-5) << "seed " << seed << " i " << i;
        branches.insert(r.positive);
    }
    EXPECT_EQ(branches.size(), 2u); // both branches were exercised
}

TEST(EagerGraphLab, GraphBreakPictureShowsBothSubGraphsAndThePythonBoxBetween) {
    const auto run = runLab("eager-graph", {});
    const int f = graphBreakFrame(*run);
    ASSERT_EQ(f, run->frameCount() - 1);
    for (Lang lang : {Lang::En, Lang::Zh}) {
        const auto s = run->scene(f, {lang, aisys::viz::Theme::Light});
        using aisys::viz::PrimKind;
        const auto* py = primWithId(s, kPythonBoxId, PrimKind::Box);
        const auto* f1 = primWithId(s, kSubgraph1FrameId, PrimKind::Box);
        const auto* f2 = primWithId(s, kSubgraph2FrameId, PrimKind::Box);
        ASSERT_TRUE(py && f1 && f2);
        EXPECT_TRUE(py->dashed && f1->dashed && f2->dashed);
        // "in the red dashed box Python evaluates h_sum > 0".
        const auto pal = aisys::viz::Palette::forTheme(aisys::viz::Theme::Light);
        EXPECT_EQ(py->stroke, pal.bad);
        EXPECT_GT(pal.bad.r, pal.bad.g + 0.3f);
        // Left to right: sub-graph 1, the break, sub-graph 2, without overlap.
        EXPECT_LT(f1->rect.x + f1->rect.w, py->rect.x);
        EXPECT_LT(py->rect.x + py->rect.w, f2->rect.x);
        // Each sub-graph's nodes lie inside its frame (graph 2's ids are offset).
        int inside1 = 0, inside2 = 0;
        for (const auto& p : s.list.prims) {
            if (p.kind != PrimKind::Box)
                continue;
            const auto c = p.rect.center();
            if (p.id >= kNodeIdBase && p.id < kValueIdBase)
                inside1 += f1->rect.contains(c) ? 1 : -100;
            if (p.id >= kGraph2IdOffset + kNodeIdBase && p.id < kGraph2IdOffset + kValueIdBase)
                inside2 += f2->rect.contains(c) ? 1 : -100;
        }
        EXPECT_EQ(inside1, 3); // MatMul, Add, ReduceSum
        EXPECT_EQ(inside2, 2); // the branch's op and Mul
        const std::string text = textOf(s);
        const bool en = lang == Lang::En;
        for (const char* want :
             {en ? "graph break" : "图断点", en ? "sub-graph 1 (compiled)" : "子图 1（编译）",
              en ? "sub-graph 2 (compiled)" : "子图 2（编译）",
              "if h_sum > 0:", en ? "✓ identical" : "✓ 完全相同"})
            EXPECT_NE(text.find(want), std::string::npos) << want << " in\n" << text;
        EXPECT_TRUE(s.objects.count(kPythonBoxId));
    }
}

TEST(EagerGraphLab, GraphBreakNamesTheOtherBranchsSubGraph) {
    // Seed 4 (the lesson's): x takes one branch, the derived x' the other; the last line names
    // the sub-graph 2 Dynamo compiles for x' — the other branch's op.
    const auto run = runLab("eager-graph", {});
    const std::string text = textOf(run->scene(graphBreakFrame(*run), {}));
    const bool hasNeg = text.find("Neg → Mul") != std::string::npos;
    const bool hasRelu = text.find("Relu → Mul") != std::string::npos;
    EXPECT_TRUE(hasNeg != hasRelu) << text;
    EXPECT_NE(text.find("with x': h_sum = "), std::string::npos) << text;
    EXPECT_NE(text.find("✓ = eager"), std::string::npos) << text;
}
