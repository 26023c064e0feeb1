// The direct reference against the engine's ONNX Conv operator (engine/ops/nn_conv.cpp, which
// runs the ONNX backend conformance cases in engine.onnx.conformance): the same f32 inputs, 200
// random geometries with groups, strides, pads, dilations — the two implementations are
// independent (six loops here; im2col + Eigen GEMM or the depthwise kernels there).
#include "engine/conv/conv.h"
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace aisys::engine;

namespace {

Tensor onnxConv(const conv::ConvShape& s, const std::vector<float>& x,
                const std::vector<float>& w) {
    Graph g;
    g.opsetImports[""] = 18;
    g.addInput("x", DType::F32, {s.n, s.ic, s.ih, s.iw});
    g.addInitializer("w", Tensor::f32({s.oc, s.icPerGroup(), s.kh, s.kw}, w));
    g.addNode("Conv", "conv", {"x", "w"}, {"y"},
              {{"group", s.groups},
               {"strides", std::vector<std::int64_t>{s.strideH, s.strideW}},
               {"dilations", std::vector<std::int64_t>{s.dilH, s.dilW}},
               {"pads", std::vector<std::int64_t>{s.padH, s.padW, s.padH, s.padW}}});
    g.markOutput("y");
    Interpreter ip(std::move(g));
    ip.setInput("x", Tensor::f32({s.n, s.ic, s.ih, s.iw}, x));
    ip.run();
    return *ip.value("y");
}

} // namespace

TEST(ConvVsOnnxOp, DirectReferenceAgreesWithTheEnginesConvOperator) {
    std::mt19937 rng(14);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int run = 0;
    while (run < 200) {
        conv::ConvShape s;
        s.groups = pick(1, 3);
        s.n = pick(1, 2);
        s.ic = s.groups * pick(1, 3);
        s.oc = s.groups * pick(1, 3);
        s.ih = pick(1, 11), s.iw = pick(1, 11);
        s.kh = pick(1, 4), s.kw = pick(1, 4);
        s.strideH = pick(1, 3), s.strideW = pick(1, 3);
        s.padH = pick(0, 3), s.padW = pick(0, 3);
        s.dilH = pick(1, 2), s.dilW = pick(1, 2);
        if (!s.check().empty())
            continue;
        ++run;
        std::vector<double> xd, wd;
        conv::randomInputs(s, static_cast<std::uint64_t>(run), xd, wd);
        const auto x = conv::toFloat(xd), w = conv::toFloat(wd);
        const auto ref = conv::convDirect(s, x, w).y;
        const Tensor y = onnxConv(s, x, w);
        ASSERT_EQ(y.shape(), (Shape{s.n, s.oc, s.oh(), s.ow()})) << s.text();
        const float* p = y.data<float>();
        for (std::size_t i = 0; i < ref.size(); ++i)
            ASSERT_NEAR(p[i], ref[i], 1e-5) << s.text() << " element " << i;
    }
}
