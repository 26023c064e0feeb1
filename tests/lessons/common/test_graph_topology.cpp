// The one graph-picture builder: boxes and edges of plain graphs, weights with and without
// boxes, and fused nodes expanded into their members.
#include "engine/compiler/pass_manager.h"
#include "engine/models/zoo.h"
#include "lessons/common/graph_topology.h"

#include <gtest/gtest.h>

#include <set>

using namespace aisys;
using namespace aisys::lessons;

namespace {

int count(const GraphTopology& t, GraphBox::Kind k) {
    int n = 0;
    for (const auto& b : t.boxes)
        n += b.kind == k;
    return n;
}

/// Every edge joins the producer of its value to a reader of it.
void expectEdgesFollowValues(const engine::Graph& g, const GraphTopology& t) {
    for (const GraphLink& l : t.links) {
        ASSERT_GE(l.from, 0);
        ASSERT_LT(l.to, static_cast<int>(t.boxes.size()));
        if (l.value < 0)
            continue; // inside a fused body
        const GraphBox& from = t.boxes[l.from];
        if (from.kind == GraphBox::Kind::Source) {
            EXPECT_EQ(from.value, l.value);
        } else if (from.member < 0) {
            EXPECT_EQ(g.values[l.value].producer, from.node) << l.valueName;
        }
        const GraphBox& to = t.boxes[l.to];
        if (to.kind == GraphBox::Kind::Sink) {
            EXPECT_EQ(to.value, l.value);
        }
    }
}

} // namespace

TEST(GraphTopology, PlainGraphOneBoxPerNodeSourceAndOutput) {
    const engine::Graph g = engine::models::convBnRelu({});
    const GraphTopology all = graphTopology(g);
    int sources = 0, reads = 0;
    for (const auto& v : g.values)
        sources += v.producer < 0;
    for (const auto& n : g.nodes)
        for (int v : n.inputs)
            reads += v >= 0;
    EXPECT_EQ(count(all, GraphBox::Kind::Source), sources);
    EXPECT_EQ(count(all, GraphBox::Kind::Op), static_cast<int>(g.nodes.size()));
    EXPECT_EQ(count(all, GraphBox::Kind::Sink), static_cast<int>(g.outputs.size()));
    EXPECT_EQ(all.links.size(), static_cast<std::size_t>(reads) + g.outputs.size());
    expectEdgesFollowValues(g, all);

    // Weights without boxes draw no edges; everything else stays.
    TopologyOptions inputsOnly;
    inputsOnly.sourceBox = [&](int v) { return !g.values[v].initializer; };
    const GraphTopology t = graphTopology(g, inputsOnly);
    int weightReads = 0;
    for (const auto& n : g.nodes)
        for (int v : n.inputs)
            weightReads += v >= 0 && g.values[v].initializer;
    ASSERT_GT(weightReads, 0);
    EXPECT_EQ(count(t, GraphBox::Kind::Source), static_cast<int>(g.inputs.size()));
    EXPECT_EQ(t.links.size(), all.links.size() - weightReads);
    expectEdgesFollowValues(g, t);
}

TEST(GraphTopology, FusedNodesExpandIntoTheirMembers) {
    engine::Graph g = engine::models::convBnRelu({});
    engine::compiler::PassManager pm(engine::compiler::parsePipeline("operator-fusion"));
    pm.run(g);
    int fusedNodes = 0, members = 0;
    for (const auto& n : g.nodes)
        if (n.op == "aisys:Fused") {
            ++fusedNodes;
            members += static_cast<int>(
                std::get<engine::Subgraph>(n.attrs.at("body")).graph().nodes.size());
        }
    ASSERT_GT(fusedNodes, 0) << "the example should fuse";

    const GraphTopology one = graphTopology(g);
    EXPECT_TRUE(one.fused.empty());
    EXPECT_EQ(count(one, GraphBox::Kind::Op), static_cast<int>(g.nodes.size()));

    TopologyOptions expand;
    expand.expandFused = true;
    const GraphTopology t = graphTopology(g, expand);
    ASSERT_EQ(static_cast<int>(t.fused.size()), fusedNodes);
    EXPECT_EQ(count(t, GraphBox::Kind::Op),
              static_cast<int>(g.nodes.size()) - fusedNodes + members);
    std::set<int> seen;
    for (const FusedGroup& f : t.fused) {
        EXPECT_EQ(g.nodes[f.node].name, f.name);
        for (int m : f.members) {
            EXPECT_TRUE(seen.insert(m).second) << "a box in two groups";
            EXPECT_EQ(t.boxes[m].node, f.node);
            EXPECT_GE(t.boxes[m].member, 0);
        }
    }
    // A chain of k members has k − 1 inner edges; every inner edge joins two members of one
    // group, and the graph's outputs are still reached.
    int inner = 0;
    for (const GraphLink& l : t.links)
        if (l.value < 0) {
            ++inner;
            EXPECT_EQ(t.boxes[l.from].node, t.boxes[l.to].node);
        }
    EXPECT_GE(inner, members - fusedNodes);
    EXPECT_EQ(t.boxOfSink.size(), g.outputs.size());
    for (int o : g.outputs) {
        bool reached = false;
        for (const GraphLink& l : t.links)
            reached |= l.to == t.boxOfSink.at(o);
        EXPECT_TRUE(reached) << g.values[o].name;
    }
    expectEdgesFollowValues(g, t);
}
