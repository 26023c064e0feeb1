// Property tests of the graph compiler on random well-typed graphs (rapidcheck): every pass
// and the O3 pipeline keep the outputs (1e-5 relative) and a valid graph; O3 reaches a fixed
// point; after CSE no two nodes share (op, inputs, attributes); after DCE every node reaches an
// output. Failing seeds found during development are replayed as regression tests at the end.
#include "tests/engine/compiler/compiler_util.h"
#include "tests/engine/compiler/random_graph.h"

#include "engine/compiler/graph_print.h"
#include "engine/compiler/passes/pass_util.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <iostream>
#include <set>

using namespace aisys::engine;
using namespace aisys::engine::compiler;
using namespace aisys::engine::compiler::testing;

namespace {

constexpr double kTol = 1e-5;

/// A random graph from generated parameters (the size shrinks towards small graphs).
Graph genGraph() {
    const auto seed = *rc::gen::arbitrary<std::uint32_t>();
    const int steps = *rc::gen::inRange(1, 40);
    return RandomGraph::make(seed, steps);
}

/// Checks that running `pipeline` on g keeps the outputs and the structure; returns the result.
Graph checkPipeline(const Graph& g, const Pipeline& pipeline) {
    Graph opt = g;
    PassManager pm(pipeline);
    pm.run(opt);
    const std::string err = fullVerify(opt);
    RC_ASSERT(err == "");
    const auto inputs = randomInputs(g, 11);
    const double e = maxRelError(runGraph(g, inputs), runGraph(opt, inputs));
    RC_ASSERT(e <= kTol);
    return opt;
}

bool noDuplicateNodes(const Graph& g) {
    std::set<std::string> keys;
    for (const Node& n : g.nodes) {
        auto a = passes::attrsKey(n.attrs);
        if (!a)
            continue;
        std::string key = n.op + "|" + *a + "|";
        for (int v : n.inputs)
            key += std::to_string(v) + ",";
        if (!keys.insert(key).second)
            return false;
    }
    return true;
}

bool everyNodeReachesAnOutput(const Graph& g) {
    std::vector<bool> live(g.values.size(), false);
    for (int o : g.outputs)
        live[o] = true;
    const auto order = g.topoOrder();
    std::vector<bool> nodeLive(g.nodes.size(), false);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        for (int v : g.nodes[*it].outputs)
            if (live[v])
                nodeLive[*it] = true;
        if (nodeLive[*it])
            for (int v : g.nodes[*it].inputs)
                if (v >= 0)
                    live[v] = true;
    }
    return std::all_of(nodeLive.begin(), nodeLive.end(), [](bool b) { return b; });
}

} // namespace

RC_GTEST_PROP(CompilerProperty, GeneratedGraphsAreValid, ()) {
    Graph g = genGraph();
    RC_ASSERT(fullVerify(g) == "");
    inferShapes(g);
}

RC_GTEST_PROP(CompilerProperty, EveryPassKeepsOutputsAndStructure, ()) {
    const Graph g = genGraph();
    for (const auto& name : PassRegistry::builtin().names()) {
        RC_LOG() << "pass " << name << "\n";
        Pipeline p;
        p.passes = {name};
        p.label = name;
        checkPipeline(g, p);
    }
}

RC_GTEST_PROP(CompilerProperty, O3KeepsOutputsAndIsAFixedPoint, ()) {
    const Graph g = genGraph();
    Graph once = checkPipeline(g, levelPipeline(3));
    Graph twice = once;
    PipelineReport again = PassManager(levelPipeline(3)).run(twice);
    for (const auto& rec : again.passes)
        RC_ASSERT(!rec.result.changed);
    RC_ASSERT(twice == once);
}

RC_GTEST_PROP(CompilerProperty, AfterCseNoTwoNodesShareOpInputsAttributes, ()) {
    Graph g = genGraph();
    Pipeline p = parsePipeline("common-subexpression-elimination");
    PassManager(p).run(g);
    RC_ASSERT(noDuplicateNodes(g));
}

RC_GTEST_PROP(CompilerProperty, AfterDceEveryNodeReachesAnOutput, ()) {
    Graph g = genGraph();
    PassManager(parsePipeline("dead-code-elimination")).run(g);
    RC_ASSERT(everyNodeReachesAnOutput(g));
}

// Regression seeds (seed, steps) from failures found while developing the passes.
TEST(CompilerRegression, SeedsThatOnceFailed) {
    const std::vector<std::pair<std::uint32_t, int>> seeds = {{1752247728u, 21}};
    for (auto [seed, steps] : seeds) {
        const Graph g = RandomGraph::make(seed, steps);
        const auto inputs = randomInputs(g, 11);
        const auto ref = runGraph(g, inputs);
        Graph opt = g;
        PassManager pm(levelPipeline(3));
        // After every pass: the structure and the outputs (names the pass that breaks them).
        pm.setHook([&](const PassRecord& rec) {
            EXPECT_EQ(fullVerify(opt), "") << seed << " after " << rec.pass;
            EXPECT_LE(maxRelError(ref, runGraph(opt, inputs)), kTol)
                << seed << " after " << rec.pass;
        });
        const auto rep = pm.run(opt);
        if (::testing::Test::HasFailure())
            std::cout << reportText(rep);
    }
}

// CSE seeds that once left two nodes with the same (op, inputs, attributes).
TEST(CompilerRegression, CseSeedsThatOnceFailed) {
    const std::vector<std::pair<std::uint32_t, int>> seeds = {{3014u, 10}};
    for (auto [seed, steps] : seeds) {
        Graph g = RandomGraph::make(seed, steps);
        PassManager(parsePipeline("common-subexpression-elimination")).run(g);
        EXPECT_TRUE(noDuplicateNodes(g)) << seed << "\n" << graphText(g);
        EXPECT_EQ(fullVerify(g), "");
    }
}

namespace {

/// `copies` × Relu(x), every one a graph output, marked in a shuffled order (for six: v0, v4,
/// v2, v1, v3, v5 — compiler-backend's buildRandomGraph with six {0,0,0} steps and outputs
/// {0,-190242,549836,-162369,-8203}).
Graph equalOutputs(int copies) {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 4, 5});
    for (int i = 0; i < copies; ++i)
        g.addNode("Relu", "n" + std::to_string(i), {"x"}, {"v" + std::to_string(i)});
    std::set<int> marked;
    for (int k = 0; k < 2 * copies; ++k) {
        const int i = k < copies ? (k * 4) % copies : k - copies;
        if (marked.insert(i).second)
            g.markOutput("v" + std::to_string(i));
    }
    return g;
}

} // namespace

// Graph outputs that compute the same value. CSE once copied every merged output from the
// kept one (a star of equal Identity nodes), then merged those copies one chain link per sweep
// (k² merges, 16 sweeps per run): CSE alone was no fixed point beyond ~16 equal outputs and a
// second O3 run still merged copies (`v5_copy_1 -> v4_copy_1`). Now the copies form one chain.
TEST(CompilerRegression, EqualGraphOutputsReachAFixedPointInOneRun) {
    for (int copies : {2, 6, 24, 70}) {
        const Graph g = equalOutputs(copies);
        Graph cse = g;
        const PassResult merges = runPass(cse, "common-subexpression-elimination");
        EXPECT_EQ(merges.log.size(), static_cast<std::size_t>(copies - 1)) << copies;
        EXPECT_TRUE(noDuplicateNodes(cse)) << copies << "\n" << graphText(cse);
        EXPECT_FALSE(runPass(cse, "common-subexpression-elimination").changed) << copies;
        EXPECT_FALSE(runPass(cse, "redundant-node-elimination").changed) << copies;

        const auto inputs = randomInputs(g, 3);
        Graph once = g;
        const auto first = PassManager(levelPipeline(3)).run(once);
        EXPECT_EQ(fullVerify(once), "") << copies;
        EXPECT_LE(maxRelError(runGraph(g, inputs), runGraph(once, inputs)), kTol) << copies;
        EXPECT_EQ(countOp(once, "Relu"), 1) << copies << "\n" << graphText(once);
        EXPECT_EQ(countOp(once, "Identity"), copies - 1) << copies << "\n" << graphText(once);
        // The run stopped because a round changed nothing, not at the round limit.
        ASSERT_FALSE(first.passes.empty());
        EXPECT_LT(first.passes.back().round, levelPipeline(3).maxRounds) << copies;
        Graph twice = once;
        // (memory-planning logs its plan without changing the graph: only changes count.)
        for (const auto& rec : PassManager(levelPipeline(3)).run(twice).passes)
            for (const auto& entry :
                 rec.result.changed ? rec.result.log : std::vector<RewriteEntry>{})
                ADD_FAILURE() << copies << ": second run, " << rec.pass << ": " << entry.rule << " "
                              << (entry.before.empty() ? "" : entry.before[0]) << " -> "
                              << (entry.after.empty() ? "" : entry.after[0]);
        EXPECT_TRUE(twice == once) << copies;
    }
}

// Output copies of a graph input given as a star (every copy reads x) become the chain too.
TEST(CompilerRegression, AStarOfOutputCopiesBecomesOneChain) {
    Graph g;
    g.addInput("x", DType::F32, {3});
    for (const char* o : {"a", "b", "c", "d"}) {
        g.addNode("Identity", std::string("id_") + o, {"x"}, {o});
        g.markOutput(o);
    }
    Graph opt = g;
    PassManager(levelPipeline(3)).run(opt);
    EXPECT_EQ(fullVerify(opt), "");
    EXPECT_EQ(graphText(opt), R"(graph (unnamed) (%x: f32[3]) {
  %a: f32[3] = Identity(%x)  # id_a
  %b: f32[3] = Identity(%a)  # b_copy
  %c: f32[3] = Identity(%b)  # c_copy
  %d: f32[3] = Identity(%c)  # d_copy
  return %a, %b, %c, %d
}
initializers: 0 (0 bytes)
)");
    Graph again = opt;
    EXPECT_FALSE(runPass(again, "common-subexpression-elimination").changed);
    EXPECT_FALSE(runPass(again, "redundant-node-elimination").changed);
    EXPECT_TRUE(again == opt);
    const auto inputs = randomInputs(g, 5);
    EXPECT_LE(maxRelError(runGraph(g, inputs), runGraph(opt, inputs)), 0.0);
}

TEST(RandomGraph, CoversTheOpsItPromises) {
    std::set<std::string> seen;
    int duplicates = 0;
    for (std::uint32_t seed = 0; seed < 200; ++seed) {
        const Graph g = RandomGraph::make(seed, 30);
        ASSERT_EQ(fullVerify(g), "") << seed;
        std::set<std::string> keys;
        for (const Node& n : g.nodes) {
            seen.insert(n.op);
            std::string key = n.op + *passes::attrsKey(n.attrs);
            for (int v : n.inputs)
                key += "," + std::to_string(v);
            duplicates += !keys.insert(key).second;
        }
    }
    for (const char* op : {"Conv",       "BatchNormalization",
                           "MatMul",     "Gemm",
                           "Reshape",    "Transpose",
                           "Concat",     "Cast",
                           "Constant",   "Shape",
                           "Erf",        "Clip",
                           "ReduceMean", "Squeeze",
                           "Unsqueeze",  "Expand",
                           "Flatten",    "Split",
                           "Dropout",    "Identity",
                           "Div",        "Sub"})
        EXPECT_TRUE(seen.count(op)) << op;
    EXPECT_GT(duplicates, 50); // work for CSE
}
