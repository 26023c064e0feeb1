// Topologies: the built-in shapes' nodes, links and routes; the topology file and its errors
// (file:line); units.
#include "engine/dist/topology.h"
#include "engine/dist/units.h"

#include <gtest/gtest.h>

using namespace aisys::engine::dist;

namespace {

Topology make(const std::string& name, ShapeParams sp) {
    std::string err;
    auto t = makeTopology(name, sp, err);
    EXPECT_TRUE(t) << err;
    return t ? *t : Topology{};
}

std::string parseError(const std::string& text) {
    std::string err;
    EXPECT_FALSE(parseTopology(text, "t.topo", err)) << text;
    return err;
}

} // namespace

TEST(Topology, BuiltInShapesHaveTheirLinks) {
    ShapeParams sp;
    sp.ranks = 8;
    EXPECT_EQ(make("ring", sp).linkCount(), 16);
    EXPECT_EQ(make("full", sp).linkCount(), 8 * 7);
    const Topology sw = make("switch", sp);
    EXPECT_EQ(sw.nodeCount(), 9);
    EXPECT_EQ(sw.linkCount(), 16);
    EXPECT_DOUBLE_EQ(sw.link(0).alpha, sp.alpha / 2);
    sp.ranks = 16;
    sp.torusDims = {4, 4};
    EXPECT_EQ(make("torus2d", sp).linkCount(), 16 * 2 * 2); // two cables per rank, both ways
    sp.ranks = 27;
    sp.torusDims = {};
    EXPECT_EQ(make("torus3d", sp).linkCount(), 27 * 3 * 2);
    sp.ranks = 16;
    sp.fatTreeRadix = 4;
    const Topology ft = make("fat-tree", sp);
    EXPECT_EQ(ft.nodeCount(), 16 + 4 + 4);
    EXPECT_EQ(ft.linkCount(), 2 * (16 + 4 * 4));
    sp.gpusPerNode = 8;
    const Topology mn = make("multinode", sp);
    EXPECT_EQ(mn.ranksPerNode(), 8);
    EXPECT_EQ(mn.nodeCount(), 16 + 2 + 1);
    EXPECT_EQ(mn.linkCount(), 2 * 16 + 2 * 16);
    sp.nicPerGpu = false;
    EXPECT_EQ(make("multinode", sp).linkCount(), 2 * 16 + 2 * 2);
}

TEST(Topology, RoutesAreShortestAndDeterministic) {
    ShapeParams sp;
    sp.ranks = 16;
    sp.gpusPerNode = 8;
    const Topology mn = make("multinode", sp);
    Routing a(mn), b(mn);
    // Inside a node: through its NVSwitch (2 hops, NVLink), not the slower fabric.
    const std::vector<int>& in = a.route(0, 5);
    ASSERT_EQ(in.size(), 2u);
    EXPECT_EQ(mn.nodeName(mn.link(in[0]).to), "node0.nvswitch");
    // Across nodes: NIC → fabric → NIC.
    const std::vector<int>& across = a.route(1, 9);
    ASSERT_EQ(across.size(), 2u);
    EXPECT_EQ(mn.nodeName(mn.link(across[0]).to), "fabric");
    for (int s = 0; s < 16; ++s)
        for (int d = 0; d < 16; ++d)
            EXPECT_EQ(a.route(s, d), b.route(s, d));
    // A ring of 8: the shorter way round.
    sp.ranks = 8;
    const Topology ring = make("ring", sp);
    Routing r(ring);
    EXPECT_EQ(r.route(0, 3).size(), 3u);
    EXPECT_EQ(r.route(0, 6).size(), 2u);
    EXPECT_EQ(r.route(4, 4).size(), 0u);
    // A 4x4 torus: wrap links make opposite corners 2+2 hops apart.
    sp.ranks = 16;
    sp.torusDims = {4, 4};
    const Topology torus = make("torus2d", sp);
    Routing tr(torus);
    EXPECT_EQ(tr.route(0, 15).size(), 2u); // (0,0) → (3,3): one wrap hop in each dimension
    EXPECT_EQ(tr.route(0, 10).size(), 4u); // (0,0) → (2,2)
}

TEST(Topology, FileFormatReadsNodesLinksAndDirections) {
    const std::string text = R"(# two GPUs on a switch, and a one-way link
ranks 2 gpu
rank cpu          # a third rank
switch sw
link gpu0 sw alpha=1us bw=100GB/s
link gpu1 sw alpha=1us bw=100GB/s
link cpu sw alpha=2us bw=25Gb/s
link gpu0 -> cpu alpha=500ns bw=1GiB/s
)";
    std::string err;
    auto t = parseTopology(text, "t.topo", err);
    ASSERT_TRUE(t) << err;
    EXPECT_EQ(t->rankCount(), 3);
    EXPECT_EQ(t->nodeName(2), "cpu");
    EXPECT_EQ(t->nodeName(3), "sw");
    ASSERT_EQ(t->linkCount(), 7);
    EXPECT_DOUBLE_EQ(t->link(0).alpha, 1e-6);
    EXPECT_DOUBLE_EQ(t->link(0).bandwidth, 100e9);
    EXPECT_DOUBLE_EQ(t->link(4).bandwidth, 25e9 / 8);
    EXPECT_DOUBLE_EQ(t->link(6).bandwidth, 1073741824.0);
    EXPECT_EQ(t->link(6).from, 0);
    EXPECT_EQ(t->link(6).to, 2);
    Routing r(*t);
    EXPECT_EQ(r.route(2, 0).size(), 2u); // back through the switch
    EXPECT_EQ(r.route(0, 2).size(), 2u); // 1 MiB over 1 GiB/s is slower than via the switch
}

TEST(Topology, FileErrorsNameFileAndLine) {
    EXPECT_EQ(parseError("ranks 2 g\nswitch s\nlink g0 s alpha=1us bw=1GB/s\nlink g1 t "
                         "alpha=1us bw=1GB/s\n"),
              "t.topo:4: dangling link: unknown node 't' (declare it with 'rank' or 'switch')");
    EXPECT_EQ(parseError("ranks 2 g\nlink g0 g1 alpha=1us bw=-5GB/s\n"),
              "t.topo:2: bw '-5GB/s': bandwidth must be positive");
    EXPECT_EQ(parseError("ranks 2 g\nlink g0 g1 alpha=-1us bw=5GB/s\n"),
              "t.topo:2: alpha: time '-1us' is negative");
    EXPECT_EQ(parseError("ranks 3 g\nlink g0 g1 alpha=1us bw=5GB/s\n"),
              "t.topo:1: rank g2 cannot be reached from rank g0 (disconnected)");
    EXPECT_EQ(parseError("rank a\nrank b\nrank c\nlink a b alpha=1us bw=5GB/s\n"
                         "link b -> c alpha=1us bw=5GB/s\n"),
              "t.topo:3: rank c cannot reach rank a (disconnected)");
    EXPECT_EQ(parseError("ranks 2 g\nlink g0 g1 alpha=1us\n"),
              "t.topo:2: link g0 g1 needs both alpha= and bw=");
    EXPECT_EQ(parseError("ranks 2 g\nlink g0 g1 alpha=1us bw=5 furlongs\n"),
              "t.topo:2: unknown link property 'furlongs' (expected alpha=TIME and bw=BANDWIDTH)");
    EXPECT_EQ(parseError("ranks 2 g\nlink g0 g1 alpha=1parsec bw=5GB/s\n"),
              "t.topo:2: alpha: time '1parsec': unknown unit 'parsec' (expected e.g. 5us, "
              "1.5ms, 300ns or 2e-6s)");
    EXPECT_EQ(parseError("ranks 2 g\nrank g1\n"), "t.topo:2: node 'g1' is already declared on "
                                                  "line 1");
    EXPECT_EQ(parseError("nodes 4\n"), "t.topo:1: unknown keyword 'nodes' (expected rank, ranks, "
                                       "switch, link or ranks-per-node)");
    EXPECT_EQ(parseError("switch s\n"),
              "t.topo: no ranks declared (add 'rank NAME' or 'ranks COUNT PREFIX' lines)");
    EXPECT_EQ(parseError("ranks 3 g\nranks-per-node 2\nlink g0 g1 alpha=0 bw=1\nlink g1 g2 "
                         "alpha=0 bw=1\n"),
              "t.topo: ranks-per-node 2 does not divide the 3 ranks");
    std::string err;
    EXPECT_FALSE(loadTopology("/nonexistent/x.topo", err));
    EXPECT_EQ(err, "/nonexistent/x.topo: cannot open the topology file");
}

TEST(Topology, ShippedExampleFilesLoad) {
    for (const char* f : {"dgx_pair.topo", "two_level_ring.topo"}) {
        std::string err;
        auto t = loadTopology(std::string(AISYS_SOURCE_DIR) + "/assets/topologies/" + f, err);
        ASSERT_TRUE(t) << err;
        EXPECT_GT(t->rankCount(), 1) << f;
    }
}

TEST(Units, ParseWithUnitsAndSayWhatWasExpected) {
    std::string err;
    EXPECT_DOUBLE_EQ(*parseTime("5us", err), 5e-6);
    EXPECT_DOUBLE_EQ(*parseTime("1.5ms", err), 1.5e-3);
    EXPECT_DOUBLE_EQ(*parseTime("0", err), 0);
    EXPECT_DOUBLE_EQ(*parseBandwidth("100GB/s", err), 100e9);
    EXPECT_DOUBLE_EQ(*parseBandwidth("400Gb/s", err), 50e9);
    EXPECT_EQ(*parseBytes("8", err), 8);
    EXPECT_EQ(*parseBytes("4K", err), 4096);
    EXPECT_EQ(*parseBytes("1G", err), std::int64_t(1) << 30);
    EXPECT_EQ(*parseBytes("4MiB", err), 4 << 20);
    EXPECT_EQ(*parseBytes("1MB", err), 1000000);
    EXPECT_FALSE(parseBytes("1.5", err));
    EXPECT_NE(err.find("whole number"), std::string::npos) << err;
    EXPECT_FALSE(parseBandwidth("0GB/s", err));
    EXPECT_NE(err.find("must be positive"), std::string::npos) << err;
    EXPECT_FALSE(parseTime("fast", err));
    EXPECT_EQ(err, "time 'fast': expected a number with a unit, e.g. 5us, 1.5ms, 300ns or 2e-6s");
    EXPECT_FALSE(parseBytes("3 apples", err));
    EXPECT_EQ(formatBytes(4 << 20), "4 MiB");
    EXPECT_EQ(formatTime(2.5e-6), "2.5 us");
}
