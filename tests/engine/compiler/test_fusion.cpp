// Operator fusion: the post-dominator tree, TVM's grouping rules on known small graphs, the
// fused kernels against the unfused run, and properties on random graphs (rapidcheck).
#include "engine/compiler/pass_manager.h"
#include "engine/compiler/passes/fusion.h"
#include "tests/engine/compiler/compiler_util.h"
#include "tests/engine/compiler/fusion_graphs.h"
#include "tests/engine/compiler/random_graph.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

using namespace aisys::engine;
using namespace aisys::engine::compiler;
using aisys::test::maxRelDiff;
using aisys::test::randomTensor;
using aisys::test::runGraph;

namespace {

const Shape kX{2, 3, 4, 5};

Graph withInput() {
    Graph g;
    g.addInput("x", DType::F32, kX);
    return g;
}

void addConv(Graph& g, const std::string& in, const std::string& out) {
    g.addInitializer(out + "_w", randomTensor({3, 3, 3, 3}, 3, -0.5f, 0.5f));
    g.addInitializer(out + "_b", randomTensor({3}, 4));
    g.addNode("Conv", out + "_conv", {in, out + "_w", out + "_b"}, {out},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
}

/// Sorted member node names of every planned group.
std::vector<std::set<std::string>> groupsOf(const Graph& g, const FusionOptions& opt = {}) {
    Graph t = g;
    inferShapes(t);
    std::vector<std::set<std::string>> out;
    for (const auto& grp : planFusion(t, opt).groups) {
        std::set<std::string> s;
        for (int m : grp.members)
            s.insert(t.nodes[m].name);
        out.push_back(s);
    }
    return out;
}

/// Runs the fusion pass and checks outputs against the unfused graph.
Graph fuseAndCompare(const Graph& g, double tol = 1e-5) {
    Graph f = g;
    FusionPass().run(f);
    EXPECT_EQ(f.verify(), "");
    const Tensor x = randomTensor(kX, 42);
    EXPECT_LE(maxRelDiff(runGraph(f, x), runGraph(g, x)), tol);
    return f;
}

const Node* fusedNode(const Graph& g, std::size_t k = 0) {
    for (const Node& n : g.nodes)
        if (n.op == "aisys:Fused" && k-- == 0)
            return &n;
    return nullptr;
}

} // namespace

TEST(PostDominator, DiamondJoinsAtTheAdd) {
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Sigmoid", "s1", {"a"}, {"b"});
    g.addNode("Tanh", "t1", {"a"}, {"c"});
    g.addNode("Add", "add", {"b", "c"}, {"d"});
    g.addNode("Softmax", "sm", {"d"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    PostDomTree t = postDominatorTree(g);
    ASSERT_EQ(t.nodes.size(), 5u);
    EXPECT_EQ(t.of(0)->parent, 3); // r: both branches meet at add
    EXPECT_EQ(t.of(0)->pattern, FusionCategory::Elementwise);
    EXPECT_EQ(t.of(1)->parent, 3);
    EXPECT_EQ(t.of(3)->parent, 4);
    EXPECT_EQ(t.of(3)->pattern, FusionCategory::Opaque); // the edge into Softmax
    EXPECT_EQ(t.of(4)->parent, -1);                      // a graph output: external edge
    EXPECT_EQ(t.of(0)->depth, 3);
}

TEST(PostDominator, BroadcastEdgeIsElementwiseOnlyForSameShapedInputs) {
    Graph g = withInput();
    g.addInitializer("bias", randomTensor({1, 3, 1, 1}, 1));
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Add", "add", {"a", "bias"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    EXPECT_EQ(edgePattern(g, 1, g.findValue("a")), FusionCategory::Elementwise);
    EXPECT_EQ(edgePattern(g, 1, g.findValue("bias")), FusionCategory::Broadcast);
}

TEST(Fusion, ElementwiseChainRunsAsOneKernelAndSavesTheIntermediates) {
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Sigmoid", "s", {"a"}, {"b"});
    g.addNode("Tanh", "t", {"b"}, {"y"});
    g.markOutput("y");
    inferShapes(g);
    const GraphStats before = graphStats(g);
    Graph f = fuseAndCompare(g);
    ASSERT_EQ(f.nodes.size(), 1u);
    const Node* n = fusedNode(f);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(attrString(*n, "kernel", ""), "elementwise");
    EXPECT_EQ(attrString(*n, "pattern", ""), "elementwise");
    EXPECT_EQ(std::get<std::vector<std::string>>(n->attrs.at("members")),
              (std::vector<std::string>{"r", "s", "t"}));
    // Two intermediates of 480 B, each written once and read once, are gone.
    EXPECT_EQ(attrInt(*n, "bytes_saved", 0), 4 * 480);
    const GraphStats after = graphStats(f);
    EXPECT_EQ(before.activationBytes - after.activationBytes, 4 * 480);
    EXPECT_EQ(after.kernels, 1);
    EXPECT_EQ(f.values[f.outputs[0]].name, "y"); // the output keeps its name
}

TEST(Fusion, ConvAffineReluFusesIntoAnEpilogue) {
    // Conv → Mul(scale) → Add(shift) → Relu: BatchNorm as an affine map after folding.
    Graph g = withInput();
    addConv(g, "x", "c");
    g.addInitializer("scale", randomTensor({1, 3, 1, 1}, 5));
    g.addInitializer("shift", randomTensor({1, 3, 1, 1}, 6));
    g.addNode("Mul", "mul", {"c", "scale"}, {"m"});
    g.addNode("Add", "add", {"m", "shift"}, {"a"});
    g.addNode("Relu", "relu", {"a"}, {"y"});
    g.markOutput("y");
    auto groups = groupsOf(g);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0], (std::set<std::string>{"c_conv", "mul", "add", "relu"}));
    Graph f = fuseAndCompare(g);
    EXPECT_EQ(f.nodes.size(), 1u);
    EXPECT_EQ(attrString(*fusedNode(f), "kernel", ""), "epilogue");
    EXPECT_EQ(attrString(*fusedNode(f), "pattern", ""), "out-elementwise-fusable");
}

TEST(Fusion, ConvBatchNormReluKeepsTheConvApart) {
    // BatchNormalization is injective in the registry: the Conv's edge to it is not
    // element-wise, so (as in TVM before SimplifyInference) only BN and ReLU fuse.
    Graph g = withInput();
    addConv(g, "x", "c");
    for (const char* p : {"gamma", "beta", "mean", "var"})
        g.addInitializer(p, randomTensor({3}, 11, 0.5f, 1.5f));
    g.addNode("BatchNormalization", "bn", {"c", "gamma", "beta", "mean", "var"}, {"b"});
    g.addNode("Relu", "relu", {"b"}, {"y"});
    g.markOutput("y");
    auto groups = groupsOf(g);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0], (std::set<std::string>{"bn", "relu"}));
    Graph f = fuseAndCompare(g);
    EXPECT_EQ(f.nodes.size(), 2u);
    EXPECT_EQ(attrString(*fusedNode(f), "kernel", ""), "subgraph");
}

TEST(Fusion, DiamondAfterConvFusesWhole) {
    Graph g = withInput();
    addConv(g, "x", "c");
    g.addNode("Relu", "r", {"c"}, {"a"});
    g.addNode("Sigmoid", "s", {"c"}, {"b"});
    g.addNode("Add", "add", {"a", "b"}, {"y"});
    g.markOutput("y");
    auto groups = groupsOf(g);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0], (std::set<std::string>{"c_conv", "r", "s", "add"}));
    Graph f = fuseAndCompare(g);
    EXPECT_EQ(attrString(*fusedNode(f), "kernel", ""), "epilogue");
}

TEST(Fusion, OpaqueBranchBlocksTheDiamond) {
    Graph g = withInput();
    addConv(g, "x", "c");
    g.addNode("Relu", "r", {"c"}, {"a"});
    g.addNode("Softmax", "sm", {"c"}, {"b"});
    g.addNode("Add", "add", {"a", "b"}, {"y"});
    g.markOutput("y");
    auto groups = groupsOf(g);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0], (std::set<std::string>{"r", "add"}));
    fuseAndCompare(g);
}

TEST(Fusion, HorizontalBranchesToSeparateOutputsStayApart) {
    // Siblings that never meet have no common post-dominator: each chain fuses on its own.
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Tanh", "t", {"a"}, {"y1"});
    g.addNode("Sigmoid", "s", {"x"}, {"b"});
    g.addNode("Neg", "n", {"b"}, {"y2"});
    g.markOutput("y1");
    g.markOutput("y2");
    auto groups = groupsOf(g);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0], (std::set<std::string>{"r", "t"}));
    EXPECT_EQ(groups[1], (std::set<std::string>{"s", "n"}));
    Graph f = fuseAndCompare(g);
    EXPECT_EQ(f.nodes.size(), 2u);
}

TEST(Fusion, AGraphOutputIsNotFusedIntoItsConsumer) {
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Tanh", "t", {"a"}, {"y"});
    g.markOutput("a");
    g.markOutput("y");
    EXPECT_TRUE(groupsOf(g).empty());
}

TEST(Fusion, ElementwiseIntoReductionAndInjectiveChains) {
    Graph g = withInput();
    g.addNode("Exp", "e", {"x"}, {"a"});
    g.addNode("ReduceSum", "sum", {"a"}, {"s"},
              {{"axes", std::vector<std::int64_t>{3}}, {"keepdims", std::int64_t{1}}});
    g.addNode("Transpose", "tr", {"s"}, {"t"}, {{"perm", std::vector<std::int64_t>{0, 2, 1, 3}}});
    g.addNode("Reshape", "rs", {"t"}, {"y"}, {{"allowzero", std::int64_t{0}}});
    g.addInitializer("shape", Tensor::i64({2}, {2, 12}));
    g.nodes.back().inputs.push_back(g.findValue("shape"));
    g.values[g.findValue("shape")].consumers.push_back(3);
    g.markOutput("y");
    ASSERT_EQ(g.verify(), "");
    auto groups = groupsOf(g);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0], (std::set<std::string>{"e", "sum"})); // element-wise into a reduction
    EXPECT_EQ(groups[1], (std::set<std::string>{"tr", "rs"})); // injective chain (phase 1)
    fuseAndCompare(g);
}

TEST(Fusion, MaxFuseDepthBoundsGroupSize) {
    Graph g = withInput();
    std::string prev = "x";
    for (int i = 0; i < 10; ++i) {
        std::string out = i == 9 ? "y" : "v" + std::to_string(i);
        g.addNode(i % 2 ? "Relu" : "Neg", "n" + std::to_string(i), {prev}, {out});
        prev = out;
    }
    g.markOutput("y");
    auto groups = groupsOf(g, {.maxFuseDepth = 4});
    std::size_t total = 0;
    for (const auto& s : groups) {
        EXPECT_LE(s.size(), 4u);
        total += s.size();
    }
    EXPECT_EQ(total, 10u);
    EXPECT_EQ(groupsOf(g).size(), 1u); // default depth 256: one group
}

TEST(Fusion, PassLogsMembersAndAFixedPoint) {
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Neg", "n", {"a"}, {"y"});
    g.markOutput("y");
    FusionPass pass;
    EXPECT_EQ(pass.name(), "operator-fusion");
    PassResult r = pass.run(g);
    EXPECT_TRUE(r.changed);
    ASSERT_EQ(r.log.size(), 1u);
    EXPECT_EQ(r.log[0].kind, RewriteEntry::Kind::Merged);
    EXPECT_EQ(r.log[0].before, (std::vector<std::string>{"r", "n"}));
    Graph again = g;
    EXPECT_FALSE(pass.run(again).changed);
    EXPECT_EQ(again, g);
}

namespace {

/// x → Conv → Relu → `tail` (a reduction or an injective op) → y.
Graph convReluThen(const std::string& tail) {
    Graph g = withInput();
    addConv(g, "x", "c");
    g.addNode("Relu", "relu", {"c"}, {"r"});
    if (tail == "ReduceSum")
        g.addNode("ReduceSum", "tail", {"r"}, {"y"},
                  {{"axes", std::vector<std::int64_t>{3}}, {"keepdims", std::int64_t{1}}});
    else
        g.addNode("Transpose", "tail", {"r"}, {"y"},
                  {{"perm", std::vector<std::int64_t>{0, 2, 1, 3}}});
    g.markOutput("y");
    return g;
}

const FusionOptions kTvm{.rule = FusionRule::Tvm};

} // namespace

TEST(FusionRule, ConvGroupGrowsIntoAReductionOnlyByTheLabsRule) {
    // The lab's rule: ReLU is element-wise by its own category, its post-dominator edge is a
    // reduction, so it fuses on with the Conv it holds. TVM's rule: ReLU's group record became
    // out-elementwise-fusable when the Conv merged into it; that pattern fuses only along an
    // element-wise edge, so the ReduceSum stays a kernel of its own.
    const Graph g = convReluThen("ReduceSum");
    auto lab = groupsOf(g);
    ASSERT_EQ(lab.size(), 1u);
    EXPECT_EQ(lab[0], (std::set<std::string>{"c_conv", "relu", "tail"}));
    auto tvm = groupsOf(g, kTvm);
    ASSERT_EQ(tvm.size(), 1u);
    EXPECT_EQ(tvm[0], (std::set<std::string>{"c_conv", "relu"}));
    Graph f = g;
    FusionPass(kTvm).run(f);
    EXPECT_EQ(f.verify(), "");
    const Tensor x = randomTensor(kX, 42);
    EXPECT_LE(maxRelDiff(runGraph(f, x), runGraph(g, x)), 1e-5);
    EXPECT_EQ(f.nodes.size(), 2u); // the fused Conv + ReLU and the ReduceSum
    EXPECT_EQ(attrString(*fusedNode(f), "kernel", ""), "epilogue");
}

TEST(FusionRule, ConvGroupGrowsIntoAnInjectiveOpOnlyByTheLabsRule) {
    const Graph g = convReluThen("Transpose");
    auto lab = groupsOf(g);
    ASSERT_EQ(lab.size(), 1u);
    EXPECT_EQ(lab[0], (std::set<std::string>{"c_conv", "relu", "tail"}));
    auto tvm = groupsOf(g, kTvm);
    ASSERT_EQ(tvm.size(), 1u);
    EXPECT_EQ(tvm[0], (std::set<std::string>{"c_conv", "relu"}));
}

TEST(FusionRule, BothRulesAgreeWithoutAnAnchorOrAlongElementwiseEdges) {
    // Element-wise into a reduction and an injective chain: no group holds an anchor.
    Graph g = withInput();
    g.addNode("Exp", "e", {"x"}, {"a"});
    g.addNode("ReduceSum", "sum", {"a"}, {"s"},
              {{"axes", std::vector<std::int64_t>{3}}, {"keepdims", std::int64_t{1}}});
    g.addNode("Transpose", "tr", {"s"}, {"y"}, {{"perm", std::vector<std::int64_t>{0, 2, 1, 3}}});
    g.markOutput("y");
    EXPECT_EQ(groupsOf(g), groupsOf(g, kTvm));
    EXPECT_EQ(groupsOf(g), (std::vector<std::set<std::string>>{{"e", "sum"}})); // sum starts none
    // Conv → Relu → Sigmoid: the anchored group grows along element-wise edges in both.
    Graph h = withInput();
    addConv(h, "x", "c");
    h.addNode("Relu", "relu", {"c"}, {"r"});
    h.addNode("Sigmoid", "sig", {"r"}, {"y"});
    h.markOutput("y");
    EXPECT_EQ(groupsOf(h, kTvm), (std::vector<std::set<std::string>>{{"c_conv", "relu", "sig"}}));
    EXPECT_EQ(groupsOf(h), groupsOf(h, kTvm));
}

TEST(FusionRule, TheTvmRuleIsItsOwnPassByName) {
    EXPECT_EQ(FusionPass(kTvm).name(), "operator-fusion-tvm");
    EXPECT_STREQ(fusionRuleName(FusionRule::Tvm), "tvm");
    EXPECT_STREQ(fusionRuleName(FusionRule::Lab), "lab");
    const Pass* p = PassRegistry::builtin().find("operator-fusion-tvm");
    ASSERT_NE(p, nullptr);
    const auto o3 = PassRegistry::builtin().levelPasses(3);
    EXPECT_EQ(std::find(o3.begin(), o3.end(), "operator-fusion-tvm"), o3.end()); // by name only
    Graph g = convReluThen("ReduceSum");
    p->run(g);
    EXPECT_EQ(g.nodes.size(), 2u);
}

RC_GTEST_PROP(FusionProperty, TvmRuleNeverPutsAReductionIntoAConvGroup,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    inferShapes(g);
    const FusionPlan plan = planFusion(g, kTvm);
    for (const auto& grp : plan.groups) {
        int anchors = 0, reductions = 0;
        for (int m : grp.members) {
            anchors += nodePattern(g, m) == FusionCategory::OutElementwiseFusable;
            reductions += nodePattern(g, m) == FusionCategory::Reduction;
        }
        RC_ASSERT(anchors <= 1);
        if (anchors)
            RC_ASSERT(reductions == 0);
        RC_TAG(anchors ? "anchored" : "plain");
    }
    Graph f = g;
    FusionPass(kTvm).run(f);
    RC_ASSERT(f.verify() == "");
    const Tensor x = randomTensor(kX, 5);
    RC_ASSERT(maxRelDiff(runGraph(f, x), runGraph(g, x)) <= 1e-5);
}

RC_GTEST_PROP(FusionProperty, KeepsOutputsAndObeysTheRules,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    inferShapes(g);
    const FusionOptions opt{.maxFuseDepth = 6};
    const FusionPlan plan = planFusion(g, opt);
    for (const auto& grp : plan.groups) {
        RC_ASSERT(grp.members.size() <= 6u);
        std::set<int> mem(grp.members.begin(), grp.members.end());
        int anchors = 0, leaving = 0;
        for (int m : grp.members) {
            const FusionCategory c = nodePattern(g, m);
            RC_ASSERT(c != FusionCategory::Opaque);
            anchors += c == FusionCategory::OutElementwiseFusable;
            bool out = std::find(g.outputs.begin(), g.outputs.end(), g.nodes[m].outputs[0]) !=
                       g.outputs.end();
            for (int c2 : g.values[g.nodes[m].outputs[0]].consumers)
                out |= !mem.count(c2);
            leaving += out;
            // A reduction is only ever a group's sink.
            if (c == FusionCategory::Reduction)
                RC_ASSERT(out);
        }
        RC_ASSERT(anchors <= 1);
        RC_ASSERT(leaving == 1); // the post-dominator is the only way out
        RC_ASSERT(grp.bytesSaved > 0);
        RC_TAG(grp.kernel);
    }
    Graph f = g;
    FusionPass(opt).run(f);
    RC_ASSERT(f.verify() == "");
    const Tensor x = randomTensor(kX, 5);
    RC_ASSERT(maxRelDiff(runGraph(f, x), runGraph(g, x)) <= 1e-5);
}

RC_GTEST_PROP(FusionProperty, O3KeepsOutputsAndIsAFixedPoint,
              (const std::vector<std::array<int, 3>>& steps, const std::vector<int>& outs)) {
    Graph g = aisys::test::buildRandomGraph(steps, outs);
    Graph o = g;
    PassManager(levelPipeline(3)).run(o);
    RC_ASSERT(o.verify() == "");
    const Tensor x = randomTensor(kX, 8);
    RC_ASSERT(maxRelDiff(runGraph(o, x), runGraph(g, x)) <= 1e-5);
    Graph again = o;
    const PipelineReport rep = PassManager(levelPipeline(3)).run(again);
    // The back-end passes find nothing left to do. (The whole level's fixed point is the front
    // end's property; a CSE chain of Identity copies can need more than 4 rounds.)
    for (const auto& p : rep.passes)
        if (p.pass == "operator-fusion" || p.pass == "memory-planning")
            RC_ASSERT(!p.result.changed);
}

TEST(Fusion, O3ContainsFusionAndMemoryPlanning) {
    const auto names = PassRegistry::builtin().levelPasses(3);
    EXPECT_NE(std::find(names.begin(), names.end(), "operator-fusion"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "memory-planning"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "operator-fusion"),
              std::find(names.begin(), names.end(), "memory-planning") - 1);
}

namespace {

/// Runs g with every graph input fed deterministic values of its declared shape.
std::vector<Tensor> runAllInputs(const Graph& g) {
    Interpreter it(g);
    unsigned seed = 11;
    for (int in : it.graph().inputs)
        it.setInput(it.graph().values[in].name, randomTensor(it.graph().values[in].shape, seed++));
    it.run();
    std::vector<Tensor> out;
    for (int o : it.graph().outputs)
        out.push_back(*it.value(o));
    return out;
}

} // namespace

// The front-end's random graphs (Concat, Cast pairs, Shape subgraphs, decomposed patterns...)
// through every back-end pass alone and after O3.
RC_GTEST_PROP(FusionProperty, BackEndPassesOnTheFrontEndsRandomGraphs, ()) {
    const auto seed = *rc::gen::inRange<std::uint32_t>(0, 1u << 30);
    const int steps = *rc::gen::inRange(1, 25);
    const Graph g = aisys::engine::compiler::testing::RandomGraph::make(seed, steps);
    const auto ref = runAllInputs(g);
    for (const char* p :
         {"operator-fusion", "operator-fusion-tvm", "layout-nhwc", "layout-nc4hw4,operator-fusion",
          "memory-planning", "-O3", "horizontal-fusion",
          "operator-fusion,horizontal-fusion,memory-planning"}) {
        Graph o = g;
        PassManager(parsePipeline(p)).run(o);
        // verify() plus unique names and exact consumer lists (the front end's check).
        RC_ASSERT(aisys::engine::compiler::testing::fullVerify(o) == "");
        RC_ASSERT(maxRelDiff(runAllInputs(o), ref) <= 1e-5);
    }
}

TEST(FusionRegression, ShapeTensorComputedOutsideAFusedLayoutGroup) {
    // Found by the property above (seed 506538944, 18 steps): a fused group held a Reshape whose
    // shape came from a Shape node outside the group, and a LayoutCast after it. The body's
    // inference must see the shape's value (bound as an initializer of the typed body), and
    // layout ops must accept unknown shapes during static inference.
    const Graph g = aisys::engine::compiler::testing::RandomGraph::make(506538944, 18);
    for (const char* p : {"layout-nc4hw4,operator-fusion", "layout-nhwc,operator-fusion"}) {
        Graph o = g;
        PassManager(parsePipeline(p)).run(o);
        EXPECT_EQ(o.verify(), "");
        EXPECT_LE(maxRelDiff(runAllInputs(o), runAllInputs(g)), 1e-5) << p;
    }
}

TEST(HorizontalFusion, SiblingsReadTheSharedInputOnce) {
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"y1"});
    g.addNode("Sigmoid", "s", {"x"}, {"y2"});
    g.addNode("Neg", "n", {"x"}, {"c"});
    g.addNode("Softmax", "sm", {"c"}, {"y3"});
    for (const char* o : {"y1", "y2", "y3"})
        g.markOutput(o);
    inferShapes(g);
    const GraphStats before = graphStats(g);
    Graph f = g;
    PassResult r = HorizontalFusionPass().run(f);
    ASSERT_TRUE(r.changed);
    EXPECT_EQ(f.verify(), "");
    ASSERT_EQ(f.nodes.size(), 2u); // one loop for r, s, n; the Softmax
    const Node* h = fusedNode(f);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->outputs.size(), 3u);
    EXPECT_EQ(attrString(*h, "kernel", ""), "elementwise");
    // x (480 B) is read once instead of three times.
    EXPECT_EQ(attrInt(*h, "bytes_saved", 0), 2 * 480);
    EXPECT_EQ(before.activationBytes - graphStats(f).activationBytes, 2 * 480);
    const Tensor x = randomTensor(kX, 4);
    EXPECT_LE(maxRelDiff(runGraph(f, x), runGraph(g, x)), 1e-6);
}

TEST(HorizontalFusion, MergesVerticallyFusedChainsAndSkipsDependentSiblings) {
    Graph g = withInput();
    g.addNode("Relu", "r", {"x"}, {"a"});
    g.addNode("Tanh", "t", {"a"}, {"y1"});
    g.addNode("Sigmoid", "s", {"x"}, {"b"});
    g.addNode("Neg", "n", {"b"}, {"y2"});
    g.markOutput("y1");
    g.markOutput("y2");
    Graph f = g;
    PassManager(parsePipeline("operator-fusion,horizontal-fusion")).run(f);
    EXPECT_EQ(f.verify(), "");
    ASSERT_EQ(f.nodes.size(), 1u);
    EXPECT_EQ(f.nodes[0].outputs.size(), 2u);
    const Tensor x = randomTensor(kX, 6);
    EXPECT_LE(maxRelDiff(runGraph(f, x), runGraph(g, x)), 1e-6);

    // b = x + Relu(x): both read x, but Relu reaches the Add: no horizontal merge.
    Graph d = withInput();
    d.addNode("Relu", "r", {"x"}, {"a"});
    d.addNode("Add", "add", {"x", "a"}, {"y"});
    d.markOutput("a");
    d.markOutput("y");
    EXPECT_FALSE(HorizontalFusionPass().run(d).changed);
}

TEST(FusedKernel, EveryElementwiseOpMatchesItsOwnKernel) {
    // Sigmoid(x) ∈ (0, 1) → op → Neg: one element-wise group per op with an element-wise
    // formula (every one in the registry), against the unfused run.
    const std::vector<std::pair<std::string, std::map<std::string, AttrValue>>> withAttrs = {
        {"HardSigmoid", {{"alpha", 0.3}, {"beta", 0.4}}},
        {"Gelu", {{"approximate", std::string("tanh")}}},
        {"LeakyRelu", {{"alpha", 0.2}}},
        {"Elu", {{"alpha", 0.7}}},
        {"Celu", {{"alpha", 0.4}}},
        {"ThresholdedRelu", {{"alpha", 0.5}}}};
    auto check = [&](const std::string& op, const std::vector<std::string>& ins,
                     const std::map<std::string, AttrValue>& attrs) {
        Graph g = withInput();
        g.addInitializer("k", randomTensor({1, 3, 1, 1}, 17, 0.5f, 1.5f));
        g.addInitializer("lo", Tensor::f32({}, {0.3f}));
        g.addInitializer("hi", Tensor::f32({}, {0.6f}));
        g.addInitializer("one", Tensor::f32({}, {1.0f}));
        g.addNode("Sigmoid", "pre", {"x"}, {"s"});
        if (ins[0] == "s1")
            g.addNode("Add", "pre1", {"s", "one"}, {"s1"}); // (1, 2) for Acosh
        g.addNode(op, "op", ins, {"t"}, attrs);
        g.addNode("Neg", "post", {"t"}, {"y"});
        g.markOutput("y");
        Graph f = fuseAndCompare(g, 1e-6);
        ASSERT_EQ(f.nodes.size(), 1u) << op;
        EXPECT_EQ(attrString(f.nodes[0], "kernel", ""), "elementwise") << op;
    };
    int unary = 0;
    for (const std::string& op : OpRegistry::builtin().types())
        if (OpRegistry::builtin().find(op)->elementwise.operands == 1) {
            check(op, {op == "Acosh" ? "s1" : "s"}, {});
            ++unary;
        }
    EXPECT_GE(unary, 35);
    for (const auto& [op, attrs] : withAttrs)
        check(op, {"s"}, attrs);
    for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow"}) {
        check(op, {"s", "k"}, {});
        check(op, {"k", "s"}, {}); // the broadcast operand first
    }
    check("PRelu", {"s", "k"}, {}); // the slope broadcasts to X
    check("Clip", {"s", "lo", "hi"}, {});
    check("Clip", {"s", "", "hi"}, {}); // min omitted
    check("Clip", {"s", "lo"}, {});     // max omitted
}
