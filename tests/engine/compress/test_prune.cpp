// Pruning (unstructured, channel-structured through BN/Flatten), QAT vs PTQ, memory formats.
#include "engine/compress/memory_format.h"
#include "engine/compress/prune.h"
#include "engine/compress/qat.h"
#include "engine/compress/trained_net.h"
#include "engine/graph/interpreter.h"
#include "engine/models/zoo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace aisys::engine;
using namespace aisys::engine::compress;

namespace {

Tensor randn(Shape s, std::mt19937& rng, float sd = 0.5f) {
    std::normal_distribution<float> nd(0.0f, sd);
    Tensor t(DType::F32, std::move(s));
    for (std::int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = nd(rng);
    return t;
}

/// x [2,3,5,5] → conv1 (6) → BN → Relu → conv2 (4) → Relu → GAP → Flatten → fc (4 → 2).
Graph convBnConv(std::uint32_t seed) {
    std::mt19937 rng(seed);
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 5, 5});
    g.addInitializer("conv1.W", randn({6, 3, 3, 3}, rng));
    g.addInitializer("conv1.b", randn({6}, rng));
    g.addNode("Conv", "conv1", {"x", "conv1.W", "conv1.b"}, {"c1"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    Tensor var = randn({6}, rng);
    for (std::int64_t i = 0; i < 6; ++i)
        var.data<float>()[i] = 0.5f + std::fabs(var.data<float>()[i]);
    g.addInitializer("bn.scale", randn({6}, rng));
    g.addInitializer("bn.B", randn({6}, rng));
    g.addInitializer("bn.mean", randn({6}, rng));
    g.addInitializer("bn.var", var);
    g.addNode("BatchNormalization", "bn", {"c1", "bn.scale", "bn.B", "bn.mean", "bn.var"}, {"b1"});
    g.addNode("Relu", "relu1", {"b1"}, {"r1"});
    g.addInitializer("conv2.W", randn({4, 6, 3, 3}, rng));
    g.addNode("Conv", "conv2", {"r1", "conv2.W"}, {"c2"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu2", {"c2"}, {"r2"});
    g.addNode("GlobalAveragePool", "gap", {"r2"}, {"p"});
    g.addNode("Flatten", "flat", {"p"}, {"f"});
    g.addInitializer("fc.W", randn({4, 2}, rng));
    g.addNode("Gemm", "fc", {"f", "fc.W"}, {"y"});
    g.markOutput("y");
    return g;
}

Tensor run(const Graph& g, const Tensor& x, const std::string& out = "y") {
    Interpreter it(g);
    it.setInput("x", x);
    it.run();
    return *it.value(out);
}

} // namespace

TEST(Prune, UnstructuredReachesTheTargetSparsity) {
    Graph g = convBnConv(1);
    const SparsityReport before = sparsityReport(g);
    ASSERT_EQ(before.layers.size(), 3u);
    EXPECT_EQ(before.params, 6 * 27 + 4 * 54 + 8);
    EXPECT_EQ(before.nonzero, before.params);
    // conv1: 2·(2·6·5·5)·27 FLOPs.
    EXPECT_DOUBLE_EQ(before.layers[0].flops, 2.0 * 2 * 6 * 25 * 27);
    pruneUnstructured(g, 0.5, false);
    const SparsityReport per = sparsityReport(g);
    for (const auto& l : per.layers)
        EXPECT_EQ(l.nonzero, l.params - std::llround(0.5 * double(l.params))) << l.node;
    EXPECT_NEAR(per.effectiveFlops, 0.5 * per.flops, 0.01 * per.flops);
    Graph h = convBnConv(1);
    const auto t = pruneUnstructured(h, 0.7, true);
    const SparsityReport glob = sparsityReport(h);
    EXPECT_EQ(glob.params - glob.nonzero, std::llround(0.7 * double(glob.params)));
    EXPECT_EQ(t[0], t[1]); // one global threshold
    // Every surviving weight is at least the threshold, every pruned one was at most it.
    for (const auto& [id, w] : h.initializers) {
        if (w.rank() < 2)
            continue;
        for (std::int64_t i = 0; i < w.numel(); ++i) {
            if (w.data<float>()[i] != 0) {
                EXPECT_GE(std::fabs(w.data<float>()[i]), t[0]);
            }
        }
    }
    EXPECT_EQ(h.verify(), "");
    std::mt19937 rng(2);
    EXPECT_EQ(run(h, randn({2, 3, 5, 5}, rng)).shape(), (Shape{2, 2}));
    EXPECT_THROW(pruneUnstructured(h, 1.0, true), std::invalid_argument);
}

TEST(Prune, ChannelsThroughBatchNormMatchMaskedWeights) {
    const Graph g = convBnConv(3);
    Graph p = g;
    const auto res = pruneChannels(p, 0.5, {"conv1"});
    ASSERT_EQ(res.size(), 1u);
    ASSERT_EQ(res[0].skipped, "");
    ASSERT_EQ(res[0].removed.size(), 3u);
    // The three smallest L1 norms were removed.
    std::vector<double> sorted = res[0].l1;
    std::sort(sorted.begin(), sorted.end());
    for (std::int64_t c : res[0].removed)
        EXPECT_LE(res[0].l1[c], sorted[2]);
    EXPECT_EQ(res[0].adjusted, (std::vector<std::string>{"bn", "conv2"}));
    EXPECT_EQ(p.verify(), "");
    EXPECT_EQ(p.initializers.at(p.findValue("conv1.W")).shape(), (Shape{3, 3, 3, 3}));
    EXPECT_EQ(p.initializers.at(p.findValue("conv1.b")).shape(), (Shape{3}));
    EXPECT_EQ(p.initializers.at(p.findValue("bn.var")).shape(), (Shape{3}));
    EXPECT_EQ(p.initializers.at(p.findValue("conv2.W")).shape(), (Shape{4, 3, 3, 3}));
    EXPECT_EQ(p.values[p.findValue("r1")].shape, (Shape{2, 3, 5, 5}));
    // Same function as the original with conv2's input channels masked to zero.
    Graph masked = g;
    Tensor& w2 = masked.initializers[masked.findValue("conv2.W")];
    for (std::int64_t i = 0; i < w2.numel(); ++i)
        if (std::count(res[0].removed.begin(), res[0].removed.end(), (i / 9) % 6))
            w2.data<float>()[i] = 0;
    std::mt19937 rng(4);
    const Tensor x = randn({2, 3, 5, 5}, rng, 1.0f);
    EXPECT_TRUE(run(p, x).allClose(run(masked, x), 1e-5));
    EXPECT_LT(sparsityReport(p).flops, sparsityReport(g).flops);
}

TEST(Prune, ChannelsThroughFlattenIntoGemm) {
    models::Model m = models::digitCnn(4, 12, 9);
    Graph g = m.graph;
    const auto res = pruneChannels(g, 0.25);
    // conv1 feeds fc through Relu, MaxPool and Flatten; fc feeds the loss (skipped).
    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(res[0].node, "conv1");
    EXPECT_EQ(res[0].skipped, "");
    EXPECT_EQ(res[0].removed.size(), 2u);
    EXPECT_NE(res[1].skipped, "");
    EXPECT_EQ(g.initializers.at(g.findValue("fc.W")).shape(), (Shape{6 * 36, 10}));
    EXPECT_EQ(g.verify(), "");
    Interpreter it(g);
    std::mt19937 rng(1);
    it.setInput("x", randn({4, 1, 12, 12}, rng));
    it.setInput("onehot", Tensor(DType::F32, {4, 10}));
    it.run();
    EXPECT_EQ(it.value("logits")->shape(), (Shape{4, 10}));
}

TEST(Prune, SkipsWhatCannotShrink) {
    Graph g;
    std::mt19937 rng(1);
    g.addInput("x", DType::F32, {1, 2, 4, 4});
    g.addInitializer("a.W", randn({3, 2, 1, 1}, rng));
    g.addInitializer("b.W", randn({3, 2, 1, 1}, rng));
    g.addNode("Conv", "a", {"x", "a.W"}, {"ya"});
    g.addNode("Conv", "b", {"x", "b.W"}, {"yb"});
    g.addNode("Add", "add", {"ya", "yb"}, {"y"});
    g.markOutput("y");
    const auto res = pruneChannels(g, 0.5);
    ASSERT_EQ(res.size(), 2u);
    EXPECT_NE(res[0].skipped.find("add"), std::string::npos);
    EXPECT_EQ(g.initializers.at(g.findValue("a.W")).shape(), (Shape{3, 2, 1, 1}));
    EXPECT_THROW(pruneChannels(g, 1.5), std::invalid_argument);
}

TEST(Prune, ChannelsPassThroughEveryChannelWiseOp) {
    // OpDef::channelWise: element-wise unary ops and pooling keep channels apart, so pruning
    // conv a shrinks b's input channels through them; Softmax mixes channels and stops it.
    for (const char* op : {"Exp", "Softsign", "Atan", "AveragePool", "Softmax"}) {
        SCOPED_TRACE(op);
        Graph g;
        std::mt19937 rng(2);
        g.addInput("x", DType::F32, {1, 2, 4, 4});
        g.addInitializer("a.W", randn({4, 2, 1, 1}, rng));
        g.addInitializer("b.W", randn({3, 4, 1, 1}, rng));
        g.addNode("Conv", "a", {"x", "a.W"}, {"ya"});
        std::map<std::string, AttrValue> attrs;
        if (std::string(op) == "AveragePool")
            attrs["kernel_shape"] = std::vector<std::int64_t>{1, 1};
        g.addNode(op, "between", {"ya"}, {"t"}, attrs);
        g.addNode("Conv", "b", {"t", "b.W"}, {"y"});
        g.markOutput("y");
        inferShapes(g);
        const auto res = pruneChannels(g, 0.5);
        ASSERT_FALSE(res.empty());
        const bool keepsApart = OpRegistry::builtin().find(op)->channelWise;
        EXPECT_EQ(keepsApart, std::string(op) != "Softmax");
        EXPECT_EQ(res[0].skipped.empty(), keepsApart) << res[0].skipped;
        EXPECT_EQ(g.initializers.at(g.findValue("b.W")).shape()[1], keepsApart ? 2 : 4);
    }
}

TEST(Qat, RecoversAccuracyLostByLowBitPtq) {
    // Spirals MLP, 3-bit weights: post-training quantization loses accuracy; fine-tuning
    // through fake-quant (straight-through gradient) wins most of it back.
    const QatResult r = ptqVersusQat("spirals", 3, 400, 150, 1);
    std::cout << "float " << r.floatAccuracy << "  PTQ " << r.ptqAccuracy << "  QAT "
              << r.qatAccuracy << "\n";
    EXPECT_GT(r.floatAccuracy, 0.9);
    EXPECT_LT(r.ptqAccuracy, r.floatAccuracy - 0.05);
    EXPECT_GT(r.qatAccuracy, r.ptqAccuracy + 0.05);
    EXPECT_THROW(ptqVersusQat("mnist", 4, 1, 1, 1), std::invalid_argument);
}

TEST(Qat, InsertsOneFakeQuantPerWeight) {
    models::Model m = models::spiralMlp(8, 4, 1);
    EXPECT_EQ(insertWeightFakeQuant(m, 4), 3);
    EXPECT_EQ(m.graph.verify(), "");
    int fq = 0;
    for (const Node& n : m.graph.nodes)
        fq += n.op == "aisys:FakeQuant";
    EXPECT_EQ(fq, 3);
}

TEST(MemoryFormat, AddressesAgainstHandValues) {
    // 1×3×2×2: element (0, 1, 1, 0).
    EXPECT_EQ(layoutOf(MemoryFormat::NCHW, 1, 3, 2, 2).offset(0, 1, 1, 0), 6);
    EXPECT_EQ(layoutOf(MemoryFormat::NHWC, 1, 3, 2, 2).offset(0, 1, 1, 0), 7);
    const FormatLayout c4 = layoutOf(MemoryFormat::NC4HW4, 1, 3, 2, 2);
    EXPECT_EQ(c4.offset(0, 1, 1, 0), 9);
    EXPECT_EQ(c4.paddedSize(), 16); // N·⌈C/4⌉·4·H·W
    EXPECT_EQ(c4.paddingSize(), 4);
    EXPECT_EQ(c4.storedShape(), (std::vector<std::int64_t>{1, 1, 2, 2, 4}));
    // NC1HWC0, C = 20, C0 = 16: C1 = 2; (0, 17, 1, 2) → ((0·2 + 1)·3 + 1)·4 + 2 = 18 → ·16 + 1.
    const FormatLayout nz = layoutOf(MemoryFormat::NC1HWC0, 1, 20, 3, 4);
    EXPECT_EQ(nz.channelBlocks(), 2);
    EXPECT_EQ(nz.paddedSize(), 2 * 16 * 12);
    EXPECT_EQ(nz.offset(0, 17, 1, 2), 18 * 16 + 1);
    EXPECT_EQ(layoutOf(MemoryFormat::NC1HWC0, 1, 20, 3, 4, 32).paddedSize(), 32 * 12);
    EXPECT_THROW(layoutOf(MemoryFormat::NCHW, 0, 1, 1, 1), std::invalid_argument);
    EXPECT_THROW(parseFormat("NCWH"), std::invalid_argument);
}

TEST(MemoryFormat, EveryLayoutIsABijectionOntoItsPaddedRange) {
    for (MemoryFormat f : allFormats()) {
        const FormatLayout l = layoutOf(f, 2, 5, 3, 2, 4);
        std::set<std::int64_t> seen;
        for (std::int64_t n = 0; n < 2; ++n)
            for (std::int64_t c = 0; c < 5; ++c)
                for (std::int64_t h = 0; h < 3; ++h)
                    for (std::int64_t w = 0; w < 2; ++w) {
                        const std::int64_t o = l.offset(n, c, h, w);
                        EXPECT_GE(o, 0);
                        EXPECT_LT(o, l.paddedSize());
                        EXPECT_TRUE(seen.insert(o).second) << formatName(f);
                        std::int64_t a, b, d, e;
                        ASSERT_TRUE(l.coordsOf(o, a, b, d, e));
                        EXPECT_EQ((std::vector<std::int64_t>{a, b, d, e}),
                                  (std::vector<std::int64_t>{n, c, h, w}));
                    }
        EXPECT_EQ(static_cast<std::int64_t>(seen.size()) + l.paddingSize(), l.paddedSize());
        EXPECT_EQ(parseFormat(formatName(f)), f);
    }
}

TEST(Prune, MaskedFineTuningKeepsTheZerosAndRecoversAccuracy) {
    TrainedNet net = trainDigitNet(15, 1);
    EXPECT_GT(net.accuracy, 0.85);
    Graph g = net.model.graph;
    pruneUnstructured(g, 0.8, true);
    const SparsityReport before = sparsityReport(g);
    // Measured on the held-out digits; fine-tuning sees the training digits only.
    const double pruned = accuracy(g, net.heldOut);
    (void)fineTune(g, net.data, 20, true);
    const double tuned = accuracy(g, net.heldOut);
    const SparsityReport after = sparsityReport(g);
    EXPECT_EQ(after.nonzero, before.nonzero); // the mask kept every pruned weight at zero
    std::cout << "dense " << net.accuracy << "  pruned 80% " << pruned << "  tuned " << tuned
              << "\n";
    EXPECT_GT(tuned, pruned + 0.05);
    // Channel pruning: smaller tensors, fine-tuned without masks.
    Graph c = net.model.graph;
    pruneChannels(c, 0.5);
    const double cp = accuracy(c, net.heldOut);
    (void)fineTune(c, net.data, 20, false);
    EXPECT_GT(accuracy(c, net.heldOut), cp + 0.05);
    EXPECT_GT(net.trainAccuracy, net.accuracy - 1e-9); // it fits what it saw at least as well
}
