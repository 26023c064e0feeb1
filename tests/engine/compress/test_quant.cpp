// Quantization: parameters against hand values, calibrators, KL search, round-trip bounds,
// int8 GEMM, QDQ insertion on a small conv net, aisys:FakeQuant and its STE gradient.
#include "engine/autodiff/reverse.h"
#include "engine/compress/int8_gemm.h"
#include "engine/compress/kl_calibration.h"
#include "engine/compress/qdq_insert.h"
#include "engine/compress/quant_params.h"
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace aisys::engine;
using namespace aisys::engine::compress;

TEST(Quant, SymmetricHandValues) {
    // T = max(|−2.54|, |1|) = 2.54, s = T/127 = 0.02, z = 0.
    const QParams p = paramsForRange(-2.54, 1.0, QScheme::Symmetric, 8);
    EXPECT_NEAR(p.scale, 0.02, 1e-12);
    EXPECT_EQ(p.zeroPoint, 0);
    EXPECT_EQ(p.qmin, -128);
    EXPECT_EQ(p.qmax, 127);
    EXPECT_EQ(p.quantize(1.0f), 50);
    EXPECT_EQ(p.quantize(-2.54f), -127);
    EXPECT_EQ(p.quantize(-100.0f), -128); // saturates
    EXPECT_EQ(p.quantize(0.01f), 0);      // 0.5 rounds half to even
    EXPECT_EQ(p.quantize(0.03f), 2);      // 1.5 → 2
}

TEST(Quant, AffineHandValues) {
    // [−1, 3]: s = 4/255, z = −128 − round(−1/s) = −128 − round(−63.75) = −64.
    const QParams p = paramsForRange(-1.0, 3.0, QScheme::Affine, 8);
    EXPECT_NEAR(p.scale, 4.0 / 255.0, 1e-12);
    EXPECT_EQ(p.zeroPoint, -64);
    EXPECT_EQ(p.quantize(0.0f), -64); // real 0 is exactly the zero point
    EXPECT_EQ(p.dequantize(p.quantize(0.0f)), 0.0f);
    EXPECT_EQ(p.quantize(3.0f), 127);
    EXPECT_EQ(p.quantize(-1.0f), -128);
    // A range not containing 0 is widened to contain it: [2, 4] → [0, 4].
    const QParams q = paramsForRange(2.0, 4.0, QScheme::Affine, 8);
    EXPECT_NEAR(q.scale, 4.0 / 255.0, 1e-12);
    EXPECT_EQ(q.zeroPoint, -128);
    // 4-bit signed range.
    const QParams b4 = paramsForRange(-1.0, 1.0, QScheme::Symmetric, 4);
    EXPECT_EQ(b4.qmin, -8);
    EXPECT_EQ(b4.qmax, 7);
    EXPECT_NEAR(b4.scale, 1.0 / 7.0, 1e-12);
    EXPECT_THROW(paramsForRange(0, 1, QScheme::Symmetric, 1), std::invalid_argument);
}

TEST(Quant, PerChannelScales) {
    const Tensor w = Tensor::f32({2, 3}, {0.1f, -0.2f, 0.3f, 1.0f, 2.0f, -4.0f});
    QuantSpec spec;
    spec.perChannel = true;
    spec.axis = 0;
    const QuantizedTensor pc = quantizeTensor(w, spec);
    ASSERT_EQ(pc.params.size(), 2u);
    EXPECT_NEAR(pc.params[0].scale, 0.3 / 127, 1e-9);
    EXPECT_NEAR(pc.params[1].scale, 4.0 / 127, 1e-9);
    EXPECT_EQ(pc.q[2], 127);
    EXPECT_EQ(pc.q[5], -127);
    spec.perChannel = false;
    const QuantizedTensor pt = quantizeTensor(w, spec);
    ASSERT_EQ(pt.params.size(), 1u);
    EXPECT_NEAR(pt.params[0].scale, 4.0 / 127, 1e-9);
    // Each channel's scale is at most the tensor's, so its error bound s_c/2 is too.
    for (const QParams& p : pc.params)
        EXPECT_LE(p.scale, pt.params[0].scale);
    EXPECT_LT(quantError(w, pc).mse, quantError(w, pt).mse);
    // Axis 1: three channels of two values.
    spec.perChannel = true;
    spec.axis = 1;
    const QuantizedTensor ax1 = quantizeTensor(w, spec);
    ASSERT_EQ(ax1.params.size(), 3u);
    EXPECT_NEAR(ax1.params[2].scale, 4.0 / 127, 1e-9);
    EXPECT_NEAR(ax1.params[0].scale, 1.0 / 127, 1e-9);
}

TEST(Quant, RoundTripErrorWithinHalfAStep) {
    std::mt19937 rng(7);
    std::normal_distribution<float> nd(0.5f, 2.0f);
    std::vector<float> xs(5000);
    for (float& x : xs)
        x = nd(rng);
    for (QScheme s : {QScheme::Symmetric, QScheme::Affine})
        for (int bits : {4, 8}) {
            const Range r = calibrate(xs, Calibration::MinMax, s, 0);
            const QParams p = paramsForRange(r.lo, r.hi, s, bits);
            for (float x : xs) {
                const std::int32_t q = p.quantize(x);
                EXPECT_GE(q, p.qmin);
                EXPECT_LE(q, p.qmax);
                EXPECT_LE(std::fabs(x - p.fakeQuant(x)), p.scale / 2 * (1 + 1e-5))
                    << schemeName(s) << " " << bits << " bits, x = " << x;
            }
        }
}

TEST(Quant, PercentileClipsTheTail) {
    std::vector<float> xs;
    for (int i = 0; i < 10000; ++i)
        xs.push_back(static_cast<float>(i % 100) / 100.0f); // 0..0.99
    xs.push_back(50.0f);
    const Range mm = calibrate(xs, Calibration::MinMax, QScheme::Symmetric, 0);
    const Range pc = calibrate(xs, Calibration::Percentile, QScheme::Symmetric, 99.9);
    EXPECT_EQ(mm.hi, 50.0);
    EXPECT_NEAR(pc.hi, 0.99, 1e-6);
    EXPECT_THROW(calibrate(xs, Calibration::Percentile, QScheme::Symmetric, 0),
                 std::invalid_argument);
}

TEST(Quant, KlThresholdOnGaussianWithOutliersClipsBelowTheMax) {
    std::mt19937 rng(3);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<float> xs(100000);
    for (float& x : xs)
        x = nd(rng);
    for (int i = 0; i < 20; ++i)
        xs.push_back(i % 2 ? 30.0f : -30.0f);
    const KlSearch k = klSearch(xs);
    ASSERT_EQ(k.histogram.size(), 2048u);
    EXPECT_EQ(k.candidates.front(), 128);
    EXPECT_EQ(k.candidates.back(), 2048);
    EXPECT_EQ(k.kl.size(), k.candidates.size());
    EXPECT_DOUBLE_EQ(k.absMax, 30.0);
    double total = 0;
    for (double c : k.histogram)
        total += c;
    EXPECT_EQ(total, static_cast<double>(xs.size()));
    // The threshold keeps the Gaussian's bulk (a few σ) and clips the outliers.
    EXPECT_LT(k.chosen, 10.0);
    EXPECT_GT(k.chosen, 2.5);
    EXPECT_EQ(k.chosen, k.threshold[static_cast<std::size_t>(k.best)]);
    for (double kl : k.kl)
        EXPECT_GE(kl, k.kl[static_cast<std::size_t>(k.best)]);
    // Without outliers and with a uniform distribution the KL keeps (nearly) the whole range.
    std::vector<float> uni;
    for (int i = 0; i < 20000; ++i)
        uni.push_back(-1.0f + 2.0f * static_cast<float>(i) / 20000.0f);
    const KlSearch u = klSearch(uni);
    EXPECT_GT(u.chosen, 0.9);
    EXPECT_LE(u.chosen, u.absMax);
    // The KL calibrator uses the threshold.
    const Range r = calibrate(xs, Calibration::KL, QScheme::Symmetric);
    EXPECT_DOUBLE_EQ(r.hi, k.chosen);
}

TEST(Quant, KlDivergenceOfIdenticalDistributionsIsZero) {
    EXPECT_NEAR(klDivergence({1, 2, 3}, {2, 4, 6}), 0.0, 1e-12);
    EXPECT_GT(klDivergence({1, 0, 3}, {1, 2, 3}), 0.0);
    EXPECT_THROW(klDivergence({1}, {1, 2}), std::invalid_argument);
}

TEST(Quant, Int8GemmEqualsFloatGemmOfDequantizedOperands) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-1.0f, 2.0f);
    const std::int64_t m = 3, k = 5, n = 4;
    std::vector<float> a(m * k), b(k * n);
    for (float& x : a)
        x = u(rng);
    for (float& x : b)
        x = u(rng) * 0.5f;
    QuantSpec sa;
    sa.scheme = QScheme::Affine;
    const QuantizedTensor qa = quantizeTensor(Tensor::f32({m, k}, a), sa);
    QuantSpec sb;
    sb.perChannel = true;
    sb.axis = 1;
    const QuantizedTensor qb = quantizeTensor(Tensor::f32({k, n}, b), sb);
    const auto yf = floatGemm(m, k, n, a, b);
    const auto [lo, hi] = std::minmax_element(yf.begin(), yf.end());
    const QParams py = paramsForRange(*lo, *hi, QScheme::Affine, 8);
    const Int8Gemm g = int8Gemm(m, k, n, qa.q, qa.params[0], qb.q, qb.params, py);
    const std::vector<float> da(qa.dequantized.data<float>(), qa.dequantized.data<float>() + m * k);
    const std::vector<float> db(qb.dequantized.data<float>(), qb.dequantized.data<float>() + k * n);
    const auto ydq = floatGemm(m, k, n, da, db);
    for (std::size_t i = 0; i < ydq.size(); ++i) {
        EXPECT_NEAR(g.real[i], ydq[i], 1e-5) << i;
        EXPECT_EQ(g.acc[i], g.termProduct[i] + g.termRowSum[i] + g.termColSum[i] + g.termConst[i]);
        // Requantized output within one output step (plus the operands' error) of float.
        EXPECT_NEAR(g.y[i], yf[i], py.scale + 0.05) << i;
    }
    EXPECT_THROW(int8Gemm(m, k, n, qa.q, qa.params[0], qb.q, {}, py), std::invalid_argument);
}

namespace {

/// x [1,2,6,6] → Conv(4, 3×3, pad 1) → Relu → GlobalAveragePool → Flatten → Gemm(4 → 3).
Graph smallConvNet(std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 0.5f);
    auto rnd = [&](Shape s) {
        Tensor t(DType::F32, s);
        for (std::int64_t i = 0; i < t.numel(); ++i)
            t.data<float>()[i] = nd(rng);
        return t;
    };
    Graph g;
    g.addInput("x", DType::F32, {1, 2, 6, 6});
    g.addInitializer("conv.W", rnd({4, 2, 3, 3}));
    g.addInitializer("conv.b", rnd({4}));
    g.addNode("Conv", "conv", {"x", "conv.W", "conv.b"}, {"c"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu", {"c"}, {"r"});
    g.addNode("GlobalAveragePool", "gap", {"r"}, {"p"});
    g.addNode("Flatten", "flat", {"p"}, {"f"});
    g.addInitializer("fc.W", rnd({4, 3}));
    g.addInitializer("fc.b", rnd({3}));
    g.addNode("Gemm", "fc", {"f", "fc.W", "fc.b"}, {"y"});
    g.markOutput("y");
    return g;
}

std::vector<Feed> feeds(int count, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<Feed> out;
    for (int i = 0; i < count; ++i) {
        Tensor x(DType::F32, {1, 2, 6, 6});
        for (std::int64_t k = 0; k < x.numel(); ++k)
            x.data<float>()[k] = nd(rng);
        out.push_back({{"x", x}});
    }
    return out;
}

} // namespace

TEST(Qdq, InsertsQuantizeDequantizeAndKeepsOutputsClose) {
    const Graph ref = smallConvNet(5);
    Graph q = ref;
    const QdqReport rep = insertQdq(q, feeds(8, 1));
    EXPECT_EQ(q.verify(), "");
    EXPECT_EQ(rep.quantizeNodes, 2);   // the activations x and f
    EXPECT_EQ(rep.dequantizeNodes, 4); // plus the weights conv.W and fc.W
    int qn = 0, dqn = 0;
    for (const Node& n : q.nodes) {
        qn += n.op == "QuantizeLinear";
        dqn += n.op == "DequantizeLinear";
    }
    EXPECT_EQ(qn, 2);
    EXPECT_EQ(dqn, 4);
    // The weights are stored as int8 now, per output channel.
    const int w = q.findValue("conv.W_quantized");
    ASSERT_GE(w, 0);
    EXPECT_EQ(q.initializers.at(w).dtype(), DType::I8);
    EXPECT_EQ(q.initializers.at(q.findValue("conv.W_scale")).numel(), 4);
    for (const auto& t : rep.tensors) {
        EXPECT_GT(t.error.sqnrDb, 30.0) << t.value;
        double maxScale = 0; // per-channel weights: the bound of the coarsest channel
        for (const QParams& p : t.params)
            maxScale = std::max(maxScale, p.scale);
        EXPECT_LE(t.error.maxAbs, maxScale * 0.51 + 1e-7) << t.value;
    }
    const Agreement a = compareOutputs(ref, q, feeds(8, 2));
    EXPECT_EQ(a.rows, 8);
    EXPECT_GE(a.top1, 0.875);
    EXPECT_LT(a.maxDiff, 0.1);
    EXPECT_GT(a.maxDiff, 0.0); // it did change something
    // Fewer bits, larger error.
    Graph q4 = ref;
    QdqOptions o4;
    o4.bits = 4;
    insertQdq(q4, feeds(8, 1), o4);
    EXPECT_GT(compareOutputs(ref, q4, feeds(8, 2)).error.mse, a.error.mse);
    QdqOptions bad;
    bad.bits = 12;
    Graph g = ref;
    EXPECT_THROW(insertQdq(g, feeds(1, 1), bad), std::invalid_argument);
    EXPECT_THROW(insertQdq(g, {}, {}), std::invalid_argument);
}

TEST(FakeQuant, ForwardAndStraightThroughGradient) {
    Graph g;
    g.addInput("x", DType::F32, {5});
    // s = 0.1, z = 0, 4 bits: clipping range [−0.8, 0.7].
    g.addNode("aisys:FakeQuant", "fq", {"x"}, {"y"}, {{"bits", std::int64_t{4}}, {"scale", 0.1}});
    g.addNode("ReduceSum", "sum", {"y"}, {"l"}, {{"keepdims", std::int64_t{0}}});
    g.markOutput("l");
    g.markOutput("y");
    BackwardGraph bw = buildBackward(g, {"l"}, {"x"});
    Interpreter it(bw.graph);
    it.setInput("x", Tensor::f32({5}, {-2.0f, -0.34f, 0.05f, 0.66f, 3.0f}));
    it.run();
    const Tensor* y = it.value("y");
    // s·(clamp(round(x/s)) ): −0.8 (clipped), −0.3, 0.0 (0.5 → 0), 0.7, 0.7 (clipped).
    const std::vector<float> want = {-0.8f, -0.3f, 0.0f, 0.7f, 0.7f};
    for (int i = 0; i < 5; ++i)
        EXPECT_NEAR(y->at(i), want[i], 1e-6) << i;
    const Tensor* dx = it.value(bw.gradients.at("x"));
    const std::vector<float> grad = {0, 1, 1, 1, 0};
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(dx->at(i), grad[i]) << i;
}

TEST(FakeQuant, DynamicScaleFollowsTheTensor) {
    Graph g;
    g.addInput("x", DType::F32, {3});
    g.addNode("aisys:FakeQuant", "fq", {"x"}, {"y"}, {{"bits", std::int64_t{2}}});
    g.markOutput("y");
    Interpreter it(g);
    // 2 bits: qmax = 1, s = max|x| = 2: values snap to {−2, 0, 2} (−4 would be qmin).
    it.setInput("x", Tensor::f32({3}, {-2.0f, 0.9f, 1.2f}));
    it.run();
    EXPECT_FLOAT_EQ(it.value("y")->at(0), -2.0f);
    EXPECT_FLOAT_EQ(it.value("y")->at(1), 0.0f);
    EXPECT_FLOAT_EQ(it.value("y")->at(2), 2.0f);
    Graph bad = g;
    bad.nodes[0].attrs["bits"] = std::int64_t{1};
    EXPECT_THROW(Interpreter{bad}, std::invalid_argument);
}
