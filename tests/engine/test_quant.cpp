// Post-training int8 quantization: parameters and calibrators against hand values, the
// quantization invariants, the exact int8 GEMM, and a quantized model against the float one.
#include "engine/compiler/quant/ptq.h"
#include "engine/graph/interpreter.h"
#include "tests/engine/test_fusion_graphs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace aisys::engine;
using namespace aisys::engine::quant;
using aisys::test::randomTensor;

TEST(QuantParams, SymmetricAndAffineHandValues) {
    QuantParams s = chooseParams(-2.0, 1.0, QScheme::Symmetric);
    EXPECT_FLOAT_EQ(s.scale[0], 2.0f / 127.0f);
    EXPECT_EQ(s.zeroPoint[0], 0);
    // Affine u8 on [−1, 3]: s = 4/255, z = 0 − round(−1 / s) = round(63.75) = 64.
    QuantParams a = chooseParams(-1.0, 3.0, QScheme::Affine, DType::U8);
    EXPECT_FLOAT_EQ(a.scale[0], 4.0f / 255.0f);
    EXPECT_EQ(a.zeroPoint[0], 64);
    // A range not containing 0 is widened to include it: [0.5, 2] → [0, 2], z = 0.
    QuantParams b = chooseParams(0.5, 2.0, QScheme::Affine, DType::U8);
    EXPECT_FLOAT_EQ(b.scale[0], 2.0f / 255.0f);
    EXPECT_EQ(b.zeroPoint[0], 0);
    // Affine i8 on [−1, 3]: z = −128 + 64 = −64.
    EXPECT_EQ(chooseParams(-1.0, 3.0, QScheme::Affine, DType::I8).zeroPoint[0], -64);
    EXPECT_THROW(chooseParams(-1, 1, QScheme::Symmetric, DType::U8), std::invalid_argument);
    EXPECT_THROW(chooseParams(2, 1, QScheme::Affine), std::invalid_argument);
}

TEST(QuantParams, QuantizeHandValuesAndZeroIsExact) {
    QuantParams a = chooseParams(-1.0, 3.0, QScheme::Affine, DType::U8);
    Tensor x = Tensor::f32({4}, {0.0f, -1.0f, 3.0f, 10.0f});
    Tensor q = quantize(x, a);
    EXPECT_EQ(q.at(0), 64);  // real 0 → z exactly
    EXPECT_EQ(q.at(1), 0);   // round(−63.75) + 64 = 0
    EXPECT_EQ(q.at(2), 255); // round(191.25) + 64 = 255
    EXPECT_EQ(q.at(3), 255); // saturates
    EXPECT_EQ(dequantize(q, a).at(0), 0.0);
}

TEST(QuantParams, ErrorWithinHalfAStepAndPerChannelScalesNoLarger) {
    const Tensor w = randomTensor({6, 4, 3, 3}, 12, -3.0f, 3.0f);
    for (QScheme sch : {QScheme::Symmetric, QScheme::Affine}) {
        const QuantParams pc = chooseParamsPerChannel(w, 0, sch);
        const QuantParams pt = chooseParams(-3.0, 3.0, sch);
        const Tensor d = dequantize(quantize(w, pc), pc);
        for (std::int64_t i = 0; i < w.numel(); ++i) {
            const auto c = static_cast<std::size_t>(i / 36);
            EXPECT_LE(std::abs(w.at(i) - d.at(i)), pc.scale[c] / 2 * (1 + 1e-6));
        }
        for (float s : pc.scale)
            EXPECT_LE(s, pt.scale[0] * (1 + 1e-6));
    }
}

TEST(QuantError, SqnrOfAKnownNoise) {
    // x = (3, 4), x̂ = (3, 3): signal 25, noise 1 → SQNR = 10·log10(25) dB, MSE 0.5, max 1.
    QuantError e = quantError(std::vector<float>{3, 4}, std::vector<float>{3, 3});
    EXPECT_NEAR(e.sqnrDb, 10 * std::log10(25.0), 1e-12);
    EXPECT_DOUBLE_EQ(e.mse, 0.5);
    EXPECT_DOUBLE_EQ(e.maxAbs, 1.0);
}

TEST(Calibration, MinMaxAndPercentile) {
    std::vector<float> x;
    for (int i = 1; i <= 100; ++i)
        x.push_back(static_cast<float>(i));
    EXPECT_EQ(minMaxRange(x).lo, 1);
    EXPECT_EQ(minMaxRange(x).hi, 100);
    Range p = percentileRange(x, 99.0);
    EXPECT_EQ(p.hi, 99); // the 99th of 100 sorted values
    EXPECT_EQ(p.lo, 1);
    EXPECT_THROW(percentileRange(x, 40), std::invalid_argument);
}

TEST(Calibration, KlOnAHandWorkedHistogram) {
    // bins = 4, levels = 2, |x| ∈ {0.1, 0.2, 0.6, 1.0}: width 0.25, histogram [2, 0, 1, 1].
    // i = 2: P = [2, 2], Q = [2, 0] → KL ≈ 3.912073 (with ε = 1e−4 smoothing);
    // i = 3: P = [2, 0, 2], Q = [2, 0, 1] → KL ≈ 0.058898. Best i = 3: T = 3.5 · 0.25.
    KlResult r = klThreshold({0.1f, -0.2f, 0.6f, 1.0f}, 4, 2);
    ASSERT_EQ(r.divergence.size(), 2u);
    EXPECT_EQ(r.histogram, (std::vector<double>{2, 0, 1, 1}));
    EXPECT_NEAR(r.divergence[0], 3.912073007928313, 1e-9);
    EXPECT_NEAR(r.divergence[1], 0.05889812945775533, 1e-9);
    EXPECT_EQ(r.best, 3);
    EXPECT_DOUBLE_EQ(r.threshold, 0.875);
}

TEST(Calibration, KlClipsOutliersButNotAUniformRange) {
    std::mt19937 rng(3);
    std::normal_distribution<float> n(0, 1);
    std::vector<float> g;
    for (int i = 0; i < 20000; ++i)
        g.push_back(n(rng));
    g.push_back(60.0f); // one far outlier
    KlResult r = klThreshold(g);
    EXPECT_EQ(r.divergence.size(), 2048u - 128u);
    EXPECT_LT(r.threshold, 0.25 * 60.0);
    EXPECT_GT(r.threshold, 2.0);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> flat;
    for (int i = 0; i < 20000; ++i)
        flat.push_back(u(rng));
    KlResult f = klThreshold(flat);
    EXPECT_LE(f.threshold, 1.0);
    EXPECT_GT(f.threshold, 0.9);
}

TEST(Int8Gemm, ExactZeroPointsEqualTheFloatProductOfDequantizedValues) {
    const int m = 3, k = 5, n = 4;
    const QuantParams pa = chooseParams(-1.0, 2.0, QScheme::Affine, DType::U8);
    const QuantParams pb = chooseParams(-0.5, 0.7, QScheme::Affine, DType::I8);
    const Tensor a = quantize(randomTensor({m, k}, 1, -1.0f, 2.0f), pa);
    const Tensor b = quantize(randomTensor({k, n}, 2, -0.5f, 0.7f), pb);
    std::vector<std::int32_t> ia, ib;
    for (std::int64_t i = 0; i < a.numel(); ++i)
        ia.push_back(static_cast<std::int32_t>(a.at(i)));
    for (std::int64_t i = 0; i < b.numel(); ++i)
        ib.push_back(static_cast<std::int32_t>(b.at(i)));
    const auto acc = int8GemmExact(ia, ib, m, k, n, static_cast<std::int32_t>(pa.zeroPoint[0]),
                                   static_cast<std::int32_t>(pb.zeroPoint[0]));
    const Tensor da = dequantize(a, pa), db = dequantize(b, pb);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            double ref = 0;
            for (int p = 0; p < k; ++p)
                ref += da.at(i * k + p) * db.at(p * n + j);
            const double got = static_cast<double>(pa.scale[0]) * pb.scale[0] * acc[i * n + j];
            EXPECT_NEAR(got, ref, 1e-5);
        }
}

namespace {

Graph smallCnn() {
    Graph g;
    g.addInput("x", DType::F32, {2, 3, 6, 6});
    g.addInitializer("w1", randomTensor({8, 3, 3, 3}, 21, -0.5f, 0.5f));
    g.addInitializer("b1", randomTensor({8}, 22, -0.1f, 0.1f));
    g.addInitializer("wf", randomTensor({8, 10}, 23, -0.5f, 0.5f));
    g.addNode("Conv", "conv", {"x", "w1", "b1"}, {"c"},
              {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}}});
    g.addNode("Relu", "relu", {"c"}, {"r"});
    g.addNode("GlobalAveragePool", "gap", {"r"}, {"p"});
    g.addNode("Flatten", "flat", {"p"}, {"f"});
    g.addNode("MatMul", "fc", {"f", "wf"}, {"y"});
    g.markOutput("y");
    return g;
}

} // namespace

TEST(Ptq, QuantizedCnnRunsAndAgreesWithFloat) {
    const Graph g = smallCnn();
    std::vector<Feed> cal;
    for (unsigned s = 0; s < 4; ++s)
        cal.push_back({{"x", randomTensor({2, 3, 6, 6}, 100 + s)}});
    for (Calibrator c : {Calibrator::MinMax, Calibrator::Percentile, Calibrator::KL}) {
        PtqConfig cfg;
        cfg.calibrator = c;
        PtqReport rep;
        Graph q = quantizeModel(g, cal, cfg, &rep);
        EXPECT_EQ(q.verify(), "");
        EXPECT_EQ(rep.quantizedOps, 2);
        int qNodes = 0, dqNodes = 0;
        for (const Node& n : q.nodes) {
            qNodes += n.op == "QuantizeLinear";
            dqNodes += n.op == "DequantizeLinear";
        }
        EXPECT_EQ(qNodes, 2);  // x and f
        EXPECT_EQ(dqNodes, 4); // x, f, w1, wf
        ASSERT_EQ(rep.tensors.size(), 4u);
        for (const auto& t : rep.tensors) {
            // KL needs many samples (TensorRT: 500+ images): on the 64 pooled features of f it
            // clips hard, which the report shows; min-max and percentile keep every tensor.
            if (c != Calibrator::KL || t.weight || t.name == "x") {
                EXPECT_GT(t.error.sqnrDb, 25.0) << t.name << " " << calibratorName(c);
            }
            EXPECT_EQ(t.params.perChannel(), t.weight);
        }
        if (c != Calibrator::KL) {
            EXPECT_GT(rep.output.sqnrDb, 20.0) << calibratorName(c);
            EXPECT_GE(rep.top1Agreement, 0.75) << calibratorName(c);
        }
        // Weights are stored as int8.
        EXPECT_EQ(q.initializers.at(q.findValue("w1_quantized")).dtype(), DType::I8);
    }
}

TEST(Ptq, NoCalibrationDataIsAClearError) {
    try {
        quantizeModel(smallCnn(), {}, {});
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("calibration"), std::string::npos);
    }
}
