// Op library against naive reference loops: broadcasting, attributes, dtypes and error text.
#include "engine/core/gemm.h"
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace aisys::engine;

namespace {

/// One op input: a tensor, fed as a graph input or (for shape-like inputs) an initializer.
struct In {
    Tensor t;
    bool constant = false;
};

/// Runs a single-node graph and returns its outputs.
std::vector<Tensor> runOp(const std::string& op, const std::vector<In>& ins,
                          std::map<std::string, AttrValue> attrs = {}, int outputs = 1,
                          std::int64_t opset = 18) {
    Graph g;
    g.opsetImports[""] = opset;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < ins.size(); ++i) {
        names.push_back("in" + std::to_string(i));
        if (!ins[i].t.valid() && ins[i].t.numel() == 1 && ins[i].t.rank() == 0 &&
            ins[i].t.bytes() == 0) {
            names.back() = ""; // omitted optional input
            continue;
        }
        if (ins[i].constant)
            g.addInitializer(names.back(), ins[i].t);
        else
            g.addInput(names.back(), ins[i].t.dtype(), ins[i].t.shape());
    }
    std::vector<std::string> outs;
    for (int i = 0; i < outputs; ++i)
        outs.push_back("out" + std::to_string(i));
    g.addNode(op, "node", names, outs, std::move(attrs));
    for (const auto& o : outs)
        g.markOutput(o);
    Interpreter ip(std::move(g));
    for (std::size_t i = 0; i < ins.size(); ++i)
        if (!ins[i].constant && !names[i].empty())
            ip.setInput(names[i], ins[i].t);
    ip.run();
    std::vector<Tensor> result;
    for (const auto& o : outs)
        result.push_back(*ip.value(o));
    return result;
}

Tensor randomF32(Shape s, unsigned seed, float lo = -1, float hi = 1) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(static_cast<std::size_t>(numElements(s)));
    for (auto& x : v)
        x = u(rng);
    return Tensor::f32(std::move(s), v);
}

void expectNear(const Tensor& got, const Tensor& want, double tol = 1e-5) {
    ASSERT_EQ(got.shape(), want.shape());
    ASSERT_EQ(got.dtype(), want.dtype());
    for (std::int64_t i = 0; i < want.numel(); ++i)
        ASSERT_NEAR(got.at(i), want.at(i), tol * std::max(1.0, std::fabs(want.at(i))))
            << "element " << i;
}

/// Flat index of `idx` in `shape`, with broadcast dims (size 1) pinned to 0.
std::int64_t bcastIndex(const Shape& shape, const std::vector<std::int64_t>& idx) {
    std::int64_t flat = 0;
    const std::size_t off = idx.size() - shape.size();
    for (std::size_t d = 0; d < shape.size(); ++d)
        flat = flat * shape[d] + (shape[d] == 1 ? 0 : idx[d + off]);
    return flat;
}

std::vector<std::int64_t> unflatten(std::int64_t i, const Shape& s) {
    std::vector<std::int64_t> idx(s.size());
    for (int d = static_cast<int>(s.size()) - 1; d >= 0; --d) {
        idx[d] = i % s[d];
        i /= s[d];
    }
    return idx;
}

Tensor none() {
    return Tensor();
}

} // namespace

TEST(Ops, BinaryBroadcastMatchesReference) {
    Tensor a = randomF32({2, 1, 4}, 1), b = randomF32({3, 1}, 2, 0.5f, 2.0f);
    const Shape outShape{2, 3, 4};
    for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow"}) {
        Tensor aa = std::string(op) == "Pow" ? randomF32({2, 1, 4}, 3, 0.1f, 2.0f) : a;
        Tensor out = runOp(op, {{aa}, {b}})[0];
        Tensor ref(DType::F32, outShape);
        for (std::int64_t i = 0; i < ref.numel(); ++i) {
            auto idx = unflatten(i, outShape);
            const float x = aa.data<float>()[bcastIndex(aa.shape(), idx)];
            const float y = b.data<float>()[bcastIndex(b.shape(), idx)];
            const std::string o = op;
            ref.data<float>()[i] = o == "Add"   ? x + y
                                   : o == "Sub" ? x - y
                                   : o == "Mul" ? x * y
                                   : o == "Div" ? x / y
                                                : std::pow(x, y);
        }
        expectNear(out, ref);
    }
}

TEST(Ops, IntegerArithmeticComparisonsAndWhere) {
    Tensor a = Tensor::i64({4}, {1, -7, 9, 0});
    Tensor b = Tensor::i64({1}, {2});
    Tensor sum = runOp("Add", {{a}, {b}})[0];
    EXPECT_EQ(sum, Tensor::i64({4}, {3, -5, 11, 2}));
    Tensor quot = runOp("Div", {{a}, {b}})[0];
    EXPECT_EQ(quot, Tensor::i64({4}, {0, -3, 4, 0})); // truncation toward zero
    Tensor gt = runOp("Greater", {{a}, {b}})[0];
    EXPECT_EQ(gt, Tensor::of<bool>({4}, {false, false, true, false}));
    Tensor eq = runOp("Equal", {{a}, {Tensor::i64({4}, {1, 0, 9, 1})}})[0];
    EXPECT_EQ(eq, Tensor::of<bool>({4}, {true, false, true, false}));
    Tensor notEq = runOp("Not", {{eq}})[0];
    EXPECT_EQ(notEq, Tensor::of<bool>({4}, {false, true, false, true}));
    Tensor w = runOp("Where", {{Tensor::of<bool>({2, 1}, {true, false})},
                               {Tensor::f32({3}, {1, 2, 3})},
                               {Tensor::f32({1}, {-1})}})[0];
    EXPECT_EQ(w, Tensor::f32({2, 3}, {1, 2, 3, -1, -1, -1}));
}

TEST(Ops, UnaryActivationsWithAttributes) {
    Tensor x = randomF32({3, 5}, 4, -3, 3);
    struct Case {
        const char* op;
        std::map<std::string, AttrValue> attrs;
        double (*ref)(double);
    };
    const std::vector<Case> cases = {
        {"Relu", {}, [](double v) { return v > 0 ? v : 0; }},
        {"LeakyRelu", {{"alpha", 0.1}}, [](double v) { return v >= 0 ? v : 0.1 * v; }},
        {"Sigmoid", {}, [](double v) { return 1 / (1 + std::exp(-v)); }},
        {"HardSigmoid",
         {{"alpha", 0.25}, {"beta", 0.4}},
         [](double v) { return std::clamp(0.25 * v + 0.4, 0.0, 1.0); }},
        {"HardSwish", {}, [](double v) { return v * std::clamp(v / 6 + 0.5, 0.0, 1.0); }},
        {"Tanh", {}, [](double v) { return std::tanh(v); }},
        {"Erf", {}, [](double v) { return std::erf(v); }},
        {"Gelu", {}, [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }},
        {"Neg", {}, [](double v) { return -v; }},
        {"Abs", {}, [](double v) { return std::fabs(v); }},
        {"Exp", {}, [](double v) { return std::exp(v); }},
        {"Celu", {}, [](double v) { return std::max(0.0, v) + std::min(0.0, std::exp(v) - 1); }},
        {"Celu",
         {{"alpha", 2.0}},
         [](double v) { return std::max(0.0, v) + std::min(0.0, 2 * (std::exp(v / 2) - 1)); }},
        {"ThresholdedRelu", {}, [](double v) { return v > 1 ? v : 0; }},
        {"ThresholdedRelu", {{"alpha", -0.5}}, [](double v) { return v > -0.5 ? v : 0; }},
        {"Shrink", {}, [](double v) { return v < -0.5  ? v
                                             : v > 0.5 ? v
                                                       : 0; }},
        {"Shrink",
         {{"lambd", 1.5}, {"bias", 1.5}},
         [](double v) { return v < -1.5  ? v + 1.5
                               : v > 1.5 ? v - 1.5
                                         : 0; }},
    };
    for (const auto& c : cases) {
        Tensor out = runOp(c.op, {{x}}, c.attrs)[0];
        Tensor ref(DType::F32, x.shape());
        for (std::int64_t i = 0; i < x.numel(); ++i)
            ref.data<float>()[i] = static_cast<float>(c.ref(x.at(i)));
        SCOPED_TRACE(c.op);
        expectNear(out, ref);
    }
    Tensor pos = randomF32({7}, 5, 0.1f, 4);
    for (const char* op : {"Sqrt", "Log", "Reciprocal"}) {
        Tensor out = runOp(op, {{pos}})[0];
        for (std::int64_t i = 0; i < pos.numel(); ++i) {
            const double v = pos.at(i);
            const std::string o = op;
            EXPECT_NEAR(out.at(i),
                        o == "Sqrt"  ? std::sqrt(v)
                        : o == "Log" ? std::log(v)
                                     : 1 / v,
                        1e-5);
        }
    }
    // Clip: attributes before opset 11, optional inputs after (min omitted here).
    Tensor c6 = runOp("Clip", {{x}, {none()}, {Tensor::f32({}, {0.5f})}})[0];
    Tensor c10 = runOp("Clip", {{x}}, {{"min", -0.5}, {"max", 0.5}}, 1, 10)[0];
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        EXPECT_FLOAT_EQ(c6.data<float>()[i], std::min(x.data<float>()[i], 0.5f));
        EXPECT_FLOAT_EQ(c10.data<float>()[i], std::clamp(x.data<float>()[i], -0.5f, 0.5f));
    }
    // PRelu with a per-channel slope.
    Tensor xs = randomF32({2, 3, 2}, 6), slope = Tensor::f32({3, 1}, {0.1f, 0.2f, 0.3f});
    Tensor pr = runOp("PRelu", {{xs}, {slope}})[0];
    for (std::int64_t i = 0; i < xs.numel(); ++i) {
        const float v = xs.data<float>()[i], s = slope.data<float>()[(i / 2) % 3];
        EXPECT_FLOAT_EQ(pr.data<float>()[i], v < 0 ? v * s : v);
    }
}

TEST(Ops, TrigonometricAndHyperbolicOpsMatchTheMathLibrary) {
    struct Case {
        const char* op;
        double (*ref)(double);
        float lo, hi; ///< the range of the inputs (inside the op's domain)
    };
    const std::vector<Case> cases = {
        {"Tan", [](double v) { return std::tan(v); }, -1.4f, 1.4f},
        {"Asin", [](double v) { return std::asin(v); }, -0.99f, 0.99f},
        {"Acos", [](double v) { return std::acos(v); }, -0.99f, 0.99f},
        {"Atan", [](double v) { return std::atan(v); }, -5, 5},
        {"Sinh", [](double v) { return std::sinh(v); }, -3, 3},
        {"Cosh", [](double v) { return std::cosh(v); }, -3, 3},
        {"Asinh", [](double v) { return std::asinh(v); }, -5, 5},
        {"Acosh", [](double v) { return std::acosh(v); }, 1, 5},
        {"Atanh", [](double v) { return std::atanh(v); }, -0.99f, 0.99f},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.op);
        const Tensor x = randomF32({4, 6}, 8, c.lo, c.hi);
        for (const Tensor& in : {x, x.cast(DType::F64)}) {
            const Tensor out = runOp(c.op, {{in}})[0];
            std::vector<double> ref;
            for (std::int64_t i = 0; i < in.numel(); ++i)
                ref.push_back(c.ref(in.at(i)));
            expectNear(out, Tensor::f64(in.shape(), ref).cast(in.dtype()));
        }
    }
}

TEST(Ops, CastBetweenEngineTypes) {
    Tensor x = Tensor::f32({4}, {-1.7f, 0.0f, 2.5f, 300.0f});
    EXPECT_EQ(runOp("Cast", {{x}}, {{"to", std::int64_t{7}}})[0],
              Tensor::i64({4}, {-1, 0, 2, 300}));
    EXPECT_EQ(runOp("Cast", {{x}}, {{"to", std::int64_t{9}}})[0],
              Tensor::of<bool>({4}, {true, false, true, true}));
    Tensor d = runOp("Cast", {{Tensor::i64({2}, {3, -4})}}, {{"to", std::int64_t{11}}})[0];
    EXPECT_EQ(d, Tensor::f64({2}, {3, -4}));
}

TEST(Ops, BatchedMatMulBroadcastsBatchDims) {
    Tensor a = randomF32({2, 1, 3, 4}, 7), b = randomF32({3, 4, 5}, 8);
    Tensor out = runOp("MatMul", {{a}, {b}})[0];
    ASSERT_EQ(out.shape(), (Shape{2, 3, 3, 5}));
    for (std::int64_t i = 0; i < out.numel(); ++i) {
        auto idx = unflatten(i, out.shape());
        double s = 0;
        for (int k = 0; k < 4; ++k)
            s += a.data<float>()[((idx[0] * 1) * 3 + idx[2]) * 4 + k] *
                 b.data<float>()[(idx[1] * 4 + k) * 5 + idx[3]];
        ASSERT_NEAR(out.at(i), s, 1e-5);
    }
    Tensor v = runOp("MatMul", {{Tensor::f32({3}, {1, 2, 3})}, {Tensor::f32({3}, {4, 5, 6})}})[0];
    EXPECT_EQ(v.shape(), Shape{});
    EXPECT_FLOAT_EQ(v.data<float>()[0], 32.0f);
}

TEST(Ops, GemmWithTransposesAndBroadcastC) {
    Tensor a = randomF32({4, 3}, 9), b = randomF32({5, 4}, 10), c = randomF32({5}, 11);
    Tensor out = runOp("Gemm", {{a}, {b}, {c}},
                       {{"transA", std::int64_t{1}},
                        {"transB", std::int64_t{1}},
                        {"alpha", 0.5},
                        {"beta", 2.0}})[0];
    ASSERT_EQ(out.shape(), (Shape{3, 5}));
    for (int m = 0; m < 3; ++m)
        for (int n = 0; n < 5; ++n) {
            double s = 0;
            for (int k = 0; k < 4; ++k)
                s += a.data<float>()[k * 3 + m] * b.data<float>()[n * 4 + k];
            EXPECT_NEAR(out.data<float>()[m * 5 + n], 0.5 * s + 2.0 * c.data<float>()[n], 1e-5);
        }
}

namespace {

/// Direct 2-D convolution (the textbook seven loops).
Tensor referenceConv(const Tensor& x, const Tensor& w, const Tensor* bias, int group,
                     std::array<int, 2> stride, std::array<int, 2> dil, std::array<int, 4> pads) {
    const auto& xs = x.shape();
    const auto& ws = w.shape();
    const std::int64_t n = xs[0], c = xs[1], h = xs[2], wd = xs[3], m = ws[0];
    const std::int64_t kh = ws[2], kw = ws[3], cg = c / group, mg = m / group;
    const std::int64_t oh = (h + pads[0] + pads[2] - (dil[0] * (kh - 1) + 1)) / stride[0] + 1;
    const std::int64_t ow = (wd + pads[1] + pads[3] - (dil[1] * (kw - 1) + 1)) / stride[1] + 1;
    Tensor y(DType::F32, {n, m, oh, ow});
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t o = 0; o < m; ++o)
            for (std::int64_t i = 0; i < oh; ++i)
                for (std::int64_t j = 0; j < ow; ++j) {
                    double s = bias ? bias->data<float>()[o] : 0.0;
                    const std::int64_t g = o / mg;
                    for (std::int64_t ci = 0; ci < cg; ++ci)
                        for (std::int64_t p = 0; p < kh; ++p)
                            for (std::int64_t q = 0; q < kw; ++q) {
                                const std::int64_t r = i * stride[0] - pads[0] + p * dil[0];
                                const std::int64_t t = j * stride[1] - pads[1] + q * dil[1];
                                if (r < 0 || r >= h || t < 0 || t >= wd)
                                    continue;
                                s += x.data<float>()[((b * c + g * cg + ci) * h + r) * wd + t] *
                                     w.data<float>()[((o * cg + ci) * kh + p) * kw + q];
                            }
                    y.data<float>()[((b * m + o) * oh + i) * ow + j] = static_cast<float>(s);
                }
    return y;
}

} // namespace

TEST(Ops, ConvMatchesDirectConvolution) {
    Tensor x = randomF32({2, 4, 7, 6}, 12);
    Tensor w = randomF32({6, 2, 3, 2}, 13), b = randomF32({6}, 14);
    Tensor out = runOp("Conv", {{x}, {w, true}, {b, true}},
                       {{"group", std::int64_t{2}},
                        {"strides", std::vector<std::int64_t>{2, 1}},
                        {"dilations", std::vector<std::int64_t>{1, 2}},
                        {"pads", std::vector<std::int64_t>{1, 0, 2, 1}}})[0];
    expectNear(out, referenceConv(x, w, &b, 2, {2, 1}, {1, 2}, {1, 0, 2, 1}));
    // auto_pad SAME_UPPER with stride 2: output = ceil(in / 2), extra pad at the end.
    Tensor w1 = randomF32({3, 4, 3, 3}, 15);
    Tensor same = runOp(
        "Conv", {{x}, {w1, true}},
        {{"auto_pad", std::string("SAME_UPPER")}, {"strides", std::vector<std::int64_t>{2, 2}}})[0];
    expectNear(same, referenceConv(x, w1, nullptr, 1, {2, 2}, {1, 1}, {1, 0, 1, 1}));
    // 1×1 convolution (the direct path without im2col).
    Tensor w2 = randomF32({5, 4, 1, 1}, 16);
    expectNear(runOp("Conv", {{x}, {w2, true}})[0],
               referenceConv(x, w2, nullptr, 1, {1, 1}, {1, 1}, {0, 0, 0, 0}));
    // Depthwise (group = channels, one filter each: the direct kernel), with strides,
    // dilations and asymmetric pads, including pads larger than the dilated kernel reach.
    Tensor wd = randomF32({4, 1, 3, 3}, 17), bd = randomF32({4}, 18);
    for (auto [st, dl, pd] :
         std::vector<std::tuple<std::array<int, 2>, std::array<int, 2>, std::array<int, 4>>>{
             {{1, 1}, {1, 1}, {1, 1, 1, 1}},
             {{2, 2}, {1, 1}, {1, 1, 1, 1}},
             {{2, 3}, {2, 1}, {0, 2, 3, 1}},
             {{1, 2}, {1, 2}, {4, 0, 0, 5}},
             {{2, 2}, {1, 1}, {0, 0, 1, 1}},    // the 3×3 kernel, TF "SAME"-style pads
             {{1, 1}, {1, 1}, {2, 3, 0, 0}},    // pads wider than the kernel's reach
             {{2, 1}, {1, 1}, {0, 2, 3, 1}}}) { // 3×3, stride 1 across, 2 down
        Tensor dwOut = runOp("Conv", {{x}, {wd, true}, {bd, true}},
                             {{"group", std::int64_t{4}},
                              {"strides", std::vector<std::int64_t>{st[0], st[1]}},
                              {"dilations", std::vector<std::int64_t>{dl[0], dl[1]}},
                              {"pads", std::vector<std::int64_t>{pd[0], pd[1], pd[2], pd[3]}}})[0];
        expectNear(dwOut, referenceConv(x, wd, &bd, 4, st, dl, pd));
    }
    // A wider image, so the 3×3 kernel's vectorised interior loop runs full vectors.
    Tensor xw = randomF32({1, 3, 20, 37}, 19), ww = randomF32({3, 1, 3, 3}, 20);
    for (std::int64_t st : {1, 2}) {
        Tensor wide = runOp("Conv", {{xw}, {ww, true}},
                            {{"group", std::int64_t{3}},
                             {"strides", std::vector<std::int64_t>{st, st}},
                             {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}})[0];
        const int s = static_cast<int>(st);
        expectNear(wide, referenceConv(xw, ww, nullptr, 3, {s, s}, {1, 1}, {1, 1, 1, 1}));
    }
}

TEST(Ops, DepthwiseConvKernelsMatchDirectConvolutionOnRandomGeometries) {
    // The depthwise kernels (flat polyphase, row kernel, general) on 300 random geometries:
    // kernel 1–5 per axis, strides 1–3 (equal or not), dilation 1–2, pads 0–4 each side,
    // images 1–30, channels 1–19, batch 1–2, with and without bias.
    std::mt19937 rng(2026);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int flatCases = 0;
    for (int t = 0; t < 300; ++t) {
        const int kh = pick(1, 5), kw = pick(1, 5);
        const int sh = pick(1, 3), sw = pick(0, 2) ? sh : pick(1, 3);
        const int dh = pick(0, 3) ? 1 : 2, dw = pick(0, 3) ? dh : pick(1, 2);
        const std::array<int, 4> pd{pick(0, 4), pick(0, 4), pick(0, 4), pick(0, 4)};
        const int h = pick(1, 30), w = pick(1, 30), c = pick(1, 19), n = pick(1, 2);
        if (h + pd[0] + pd[2] < dh * (kh - 1) + 1 || w + pd[1] + pd[3] < dw * (kw - 1) + 1) {
            --t; // no output: draw again
            continue;
        }
        flatCases += sh == sw && dh == 1 && dw == 1;
        const unsigned seed = static_cast<unsigned>(t) * 3u;
        Tensor x = randomF32({n, c, h, w}, seed + 1), wt = randomF32({c, 1, kh, kw}, seed + 2);
        Tensor b = randomF32({c}, seed + 3);
        const bool withBias = t % 2 == 0;
        std::vector<In> ins{{x}, {wt, true}};
        if (withBias)
            ins.push_back({b, true});
        Tensor out = runOp("Conv", ins,
                           {{"group", std::int64_t{c}},
                            {"strides", std::vector<std::int64_t>{sh, sw}},
                            {"dilations", std::vector<std::int64_t>{dh, dw}},
                            {"pads", std::vector<std::int64_t>{pd[0], pd[1], pd[2], pd[3]}}})[0];
        SCOPED_TRACE("case " + std::to_string(t) + ": k " + std::to_string(kh) + "x" +
                     std::to_string(kw) + " s " + std::to_string(sh) + "," + std::to_string(sw) +
                     " d " + std::to_string(dh) + "," + std::to_string(dw) + " image " +
                     std::to_string(h) + "x" + std::to_string(w) + " c " + std::to_string(c));
        expectNear(out, referenceConv(x, wt, withBias ? &b : nullptr, c, {sh, sw}, {dh, dw}, pd));
    }
    EXPECT_GT(flatCases, 100); // the flat kernel's geometries are well covered
}

TEST(Ops, SmallChannelConvsMatchDirectConvolutionOnRandomGeometries) {
    // Convs with few taps per output (input channels per group × kernel cells ≤ 32: the flat
    // kernel, output channels in blocks of four plus a remainder) and a few with more (im2col
    // + GEMM), on 200 random geometries with groups, strides, dilations and pads.
    std::mt19937 rng(77);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int flatCases = 0;
    for (int t = 0; t < 200; ++t) {
        const int kh = pick(1, 4), kw = pick(1, 4), group = pick(1, 3);
        const int cg = pick(1, 4), mg = pick(1, 9);
        const int sh = pick(1, 3), sw = pick(0, 3) ? sh : pick(1, 3);
        const int dl = pick(0, 4) ? 1 : 2;
        const std::array<int, 4> pd{pick(0, 3), pick(0, 3), pick(0, 3), pick(0, 3)};
        const int h = pick(1, 24), w = pick(1, 24), n = pick(1, 2);
        if (h + pd[0] + pd[2] < dl * (kh - 1) + 1 || w + pd[1] + pd[3] < dl * (kw - 1) + 1) {
            --t;
            continue;
        }
        flatCases += sh == sw && dl == 1 && cg * kh * kw <= 32 && kh * kw > 1 && mg >= 4;
        const unsigned seed = 1000u + static_cast<unsigned>(t) * 3u;
        Tensor x = randomF32({n, cg * group, h, w}, seed + 1);
        Tensor wt = randomF32({mg * group, cg, kh, kw}, seed + 2);
        Tensor b = randomF32({mg * group}, seed + 3);
        Tensor out = runOp("Conv", {{x}, {wt, true}, {b, true}},
                           {{"group", std::int64_t{group}},
                            {"strides", std::vector<std::int64_t>{sh, sw}},
                            {"dilations", std::vector<std::int64_t>{dl, dl}},
                            {"pads", std::vector<std::int64_t>{pd[0], pd[1], pd[2], pd[3]}}})[0];
        SCOPED_TRACE("case " + std::to_string(t));
        expectNear(out, referenceConv(x, wt, &b, group, {sh, sw}, {dl, dl}, pd));
    }
    EXPECT_GT(flatCases, 40);
}

TEST(Ops, FusedConvAppliesBiasAndActivationInItsKernel) {
    // aisys:FusedConv = act(Conv(X, W, B)) for the clamp activations the kernel applies itself
    // (Relu, Clip) and one it applies afterwards (Sigmoid); depthwise, im2col and 1×1 paths,
    // and a 1×1 conv whose output exceeds the kernel's L2 block (the GEMM runs in column blocks).
    struct Case {
        Shape x, w;
        std::int64_t group;
    };
    for (const Case& k : {Case{{1, 6, 9, 11}, {6, 1, 3, 3}, 6}, Case{{2, 4, 8, 7}, {5, 4, 3, 3}, 1},
                          Case{{1, 64, 48, 48}, {64, 64, 1, 1}, 1}}) {
        Tensor x = randomF32(k.x, 31, -3, 3), w = randomF32(k.w, 32), b = randomF32({k.w[0]}, 33);
        const std::int64_t pad = k.w[2] / 2;
        std::map<std::string, AttrValue> conv{
            {"group", k.group}, {"pads", std::vector<std::int64_t>{pad, pad, pad, pad}}};
        const Tensor ref = runOp("Conv", {{x}, {w, true}, {b, true}}, conv)[0];
        for (const std::string act : {"", "Relu", "Clip", "Sigmoid"}) {
            auto attrs = conv;
            attrs["activation"] = act;
            if (act == "Clip") {
                attrs["activation_min"] = -0.5;
                attrs["activation_max"] = 0.75;
            }
            Tensor got = runOp("aisys:FusedConv", {{x}, {w, true}, {b, true}}, attrs)[0];
            ASSERT_EQ(got.shape(), ref.shape());
            for (std::int64_t i = 0; i < ref.numel(); ++i) {
                const double v = ref.at(i);
                const double want = act == "Relu"      ? std::max(v, 0.0)
                                    : act == "Clip"    ? std::clamp(v, -0.5, 0.75)
                                    : act == "Sigmoid" ? 1 / (1 + std::exp(-v))
                                                       : v;
                ASSERT_NEAR(got.at(i), want, 1e-5) << act << " element " << i;
            }
        }
    }
}

TEST(Ops, ConvTransposeMatchesScatterReference) {
    Tensor x = randomF32({1, 2, 3, 4}, 17), w = randomF32({2, 3, 3, 2}, 18);
    Tensor out = runOp("ConvTranspose", {{x}, {w, true}},
                       {{"strides", std::vector<std::int64_t>{2, 3}},
                        {"pads", std::vector<std::int64_t>{1, 0, 0, 1}}})[0];
    // Full output (stride·(in−1) + k) then crop the pads.
    const std::int64_t fh = 2 * 2 + 3, fw = 3 * 3 + 2;
    std::vector<double> full(3 * fh * fw, 0.0);
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 4; ++j)
                for (int m = 0; m < 3; ++m)
                    for (int p = 0; p < 3; ++p)
                        for (int q = 0; q < 2; ++q)
                            full[(m * fh + i * 2 + p) * fw + j * 3 + q] +=
                                x.data<float>()[(c * 3 + i) * 4 + j] *
                                w.data<float>()[((c * 3 + m) * 3 + p) * 2 + q];
    ASSERT_EQ(out.shape(), (Shape{1, 3, fh - 1, fw - 1}));
    for (int m = 0; m < 3; ++m)
        for (int i = 0; i < fh - 1; ++i)
            for (int j = 0; j < fw - 1; ++j)
                EXPECT_NEAR(out.data<float>()[(m * (fh - 1) + i) * (fw - 1) + j],
                            full[(m * fh + i + 1) * fw + j], 1e-5);
}

TEST(Ops, PoolingMatchesReference) {
    Tensor x = randomF32({1, 2, 5, 5}, 19);
    auto attrs = std::map<std::string, AttrValue>{{"kernel_shape", std::vector<std::int64_t>{3, 3}},
                                                  {"strides", std::vector<std::int64_t>{2, 2}},
                                                  {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}};
    Tensor mx = runOp("MaxPool", {{x}}, attrs)[0];
    Tensor avg = runOp("AveragePool", {{x}}, attrs)[0];
    attrs["count_include_pad"] = std::int64_t{1};
    Tensor avgPad = runOp("AveragePool", {{x}}, attrs)[0];
    ASSERT_EQ(mx.shape(), (Shape{1, 2, 3, 3}));
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                double best = -1e9, sum = 0;
                int count = 0;
                for (int p = 0; p < 3; ++p)
                    for (int q = 0; q < 3; ++q) {
                        const int r = i * 2 - 1 + p, t = j * 2 - 1 + q;
                        if (r < 0 || r >= 5 || t < 0 || t >= 5)
                            continue;
                        const double v = x.data<float>()[(c * 5 + r) * 5 + t];
                        best = std::max(best, v);
                        sum += v;
                        ++count;
                    }
                const int o = (c * 3 + i) * 3 + j;
                EXPECT_NEAR(mx.data<float>()[o], best, 1e-6);
                EXPECT_NEAR(avg.data<float>()[o], sum / count, 1e-5);
                EXPECT_NEAR(avgPad.data<float>()[o], sum / 9, 1e-5);
            }
    Tensor gap = runOp("GlobalAveragePool", {{x}})[0];
    ASSERT_EQ(gap.shape(), (Shape{1, 2, 1, 1}));
    double s0 = 0;
    for (int i = 0; i < 25; ++i)
        s0 += x.data<float>()[i];
    EXPECT_NEAR(gap.data<float>()[0], s0 / 25, 1e-5);
}

TEST(Ops, NormalizationsAndSoftmax) {
    Tensor x = randomF32({2, 3, 4}, 20);
    Tensor scale = randomF32({3}, 21, 0.5f, 1.5f), bias = randomF32({3}, 22);
    Tensor mean = randomF32({3}, 23), var = randomF32({3}, 24, 0.1f, 2.0f);
    Tensor bn = runOp("BatchNormalization",
                      {{x}, {scale, true}, {bias, true}, {mean, true}, {var, true}})[0];
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        const int c = static_cast<int>((i / 4) % 3);
        EXPECT_NEAR(bn.at(i),
                    (x.at(i) - mean.at(c)) / std::sqrt(var.at(c) + 1e-5) * scale.at(c) + bias.at(c),
                    1e-5);
    }
    Tensor g = randomF32({4}, 25), bb = randomF32({4}, 26);
    Tensor ln = runOp("LayerNormalization", {{x}, {g, true}, {bb, true}})[0];
    Tensor sm = runOp("Softmax", {{x}}, {{"axis", std::int64_t{1}}})[0];
    for (int r = 0; r < 6; ++r) {
        double mu = 0, v = 0;
        for (int k = 0; k < 4; ++k)
            mu += x.at(r * 4 + k) / 4;
        for (int k = 0; k < 4; ++k)
            v += (x.at(r * 4 + k) - mu) * (x.at(r * 4 + k) - mu) / 4;
        for (int k = 0; k < 4; ++k)
            EXPECT_NEAR(ln.at(r * 4 + k),
                        (x.at(r * 4 + k) - mu) / std::sqrt(v + 1e-5) * g.at(k) + bb.at(k), 1e-5);
    }
    for (int n = 0; n < 2; ++n)
        for (int k = 0; k < 4; ++k) {
            double z = 0;
            for (int c = 0; c < 3; ++c)
                z += std::exp(x.at((n * 3 + c) * 4 + k));
            for (int c = 0; c < 3; ++c)
                EXPECT_NEAR(sm.at((n * 3 + c) * 4 + k), std::exp(x.at((n * 3 + c) * 4 + k)) / z,
                            1e-6);
        }
    // Opset 11 coerces to 2-D at the axis: softmax over the 12 elements of each image.
    Tensor sm11 = runOp("Softmax", {{x}}, {{"axis", std::int64_t{1}}}, 1, 11)[0];
    double total = 0;
    for (int i = 0; i < 12; ++i)
        total += sm11.at(i);
    EXPECT_NEAR(total, 1.0, 1e-6);
}

TEST(Ops, ReductionsArgMaxTopK) {
    Tensor x = randomF32({2, 3, 4}, 27);
    Tensor sum = runOp("ReduceSum", {{x}, {Tensor::i64({1}, {1}), true}},
                       {{"keepdims", std::int64_t{0}}})[0];
    Tensor mx = runOp("ReduceMax", {{x}}, {{"axes", std::vector<std::int64_t>{0, 2}}})[0];
    Tensor mean = runOp("ReduceMean", {{x}})[0];
    ASSERT_EQ(sum.shape(), (Shape{2, 4}));
    ASSERT_EQ(mx.shape(), (Shape{1, 3, 1}));
    ASSERT_EQ(mean.shape(), (Shape{1, 1, 1}));
    double all = 0;
    for (int n = 0; n < 2; ++n)
        for (int k = 0; k < 4; ++k) {
            double s = 0;
            for (int c = 0; c < 3; ++c)
                s += x.at((n * 3 + c) * 4 + k);
            EXPECT_NEAR(sum.at(n * 4 + k), s, 1e-5);
            all += s;
        }
    EXPECT_NEAR(mean.at(0), all / 24, 1e-5);
    for (int c = 0; c < 3; ++c) {
        double m = -1e9;
        for (int n = 0; n < 2; ++n)
            for (int k = 0; k < 4; ++k)
                m = std::max(m, x.at((n * 3 + c) * 4 + k));
        EXPECT_FLOAT_EQ(static_cast<float>(mx.at(c)), static_cast<float>(m));
    }
    Tensor v = Tensor::f32({2, 4}, {1, 5, 5, 2, 9, 0, 3, 9});
    EXPECT_EQ(runOp("ArgMax", {{v}}, {{"axis", std::int64_t{1}}})[0], Tensor::i64({2, 1}, {1, 0}));
    EXPECT_EQ(runOp("ArgMax", {{v}},
                    {{"axis", std::int64_t{1}}, {"select_last_index", std::int64_t{1}}})[0],
              Tensor::i64({2, 1}, {2, 3}));
    auto topk = runOp("TopK", {{v}, {Tensor::i64({1}, {2}), true}}, {}, 2);
    EXPECT_EQ(topk[0], Tensor::f32({2, 2}, {5, 5, 9, 9}));
    EXPECT_EQ(topk[1], Tensor::i64({2, 2}, {1, 2, 0, 3}));
}

TEST(Ops, ShapeOpsMoveDataLikeReference) {
    Tensor x = randomF32({2, 3, 4}, 28);
    Tensor t = runOp("Transpose", {{x}}, {{"perm", std::vector<std::int64_t>{2, 0, 1}}})[0];
    ASSERT_EQ(t.shape(), (Shape{4, 2, 3}));
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 2; ++b)
            for (int c = 0; c < 3; ++c)
                EXPECT_EQ(t.at((a * 2 + b) * 3 + c), x.at((b * 3 + c) * 4 + a));
    EXPECT_EQ(runOp("Reshape", {{x}, {Tensor::i64({3}, {0, -1, 2}), true}})[0].shape(),
              (Shape{2, 6, 2}));
    EXPECT_EQ(runOp("Flatten", {{x}}, {{"axis", std::int64_t{2}}})[0].shape(), (Shape{6, 4}));
    EXPECT_EQ(runOp("Unsqueeze", {{x}, {Tensor::i64({2}, {0, -1}), true}})[0].shape(),
              (Shape{1, 2, 3, 4, 1}));
    EXPECT_EQ(runOp("Squeeze", {{Tensor(DType::F32, {1, 3, 1})}})[0].shape(), (Shape{3}));
    // Slice with a negative step: x[:, ::-2, 1:3].
    Tensor s = runOp("Slice", {{x},
                               {Tensor::i64({2}, {-1, 1}), true},
                               {Tensor::i64({2}, {-100, 3}), true},
                               {Tensor::i64({2}, {1, 2}), true},
                               {Tensor::i64({2}, {-2, 1}), true}})[0];
    ASSERT_EQ(s.shape(), (Shape{2, 2, 2}));
    for (int n = 0; n < 2; ++n)
        for (int i = 0; i < 2; ++i)
            for (int k = 0; k < 2; ++k)
                EXPECT_EQ(s.at((n * 2 + i) * 2 + k), x.at((n * 3 + (2 - 2 * i)) * 4 + 1 + k));
    Tensor g =
        runOp("Gather", {{x}, {Tensor::i64({2}, {-1, 0}), true}}, {{"axis", std::int64_t{2}}})[0];
    ASSERT_EQ(g.shape(), (Shape{2, 3, 2}));
    for (int r = 0; r < 6; ++r) {
        EXPECT_EQ(g.at(r * 2), x.at(r * 4 + 3));
        EXPECT_EQ(g.at(r * 2 + 1), x.at(r * 4));
    }
    auto parts =
        runOp("Split", {{x}, {Tensor::i64({2}, {1, 3}), true}}, {{"axis", std::int64_t{2}}}, 2);
    Tensor back = runOp("Concat", {{parts[0]}, {parts[1]}}, {{"axis", std::int64_t{-1}}})[0];
    EXPECT_EQ(back, x);
    Tensor tile = runOp("Tile", {{Tensor::f32({2}, {1, 2})}, {Tensor::i64({1}, {3}), true}})[0];
    EXPECT_EQ(tile, Tensor::f32({6}, {1, 2, 1, 2, 1, 2}));
    Tensor ex =
        runOp("Expand", {{Tensor::f32({2, 1}, {1, 2})}, {Tensor::i64({2}, {2, 3}), true}})[0];
    EXPECT_EQ(ex, Tensor::f32({2, 3}, {1, 1, 1, 2, 2, 2}));
    Tensor cos = runOp("ConstantOfShape", {{Tensor::i64({2}, {2, 2}), true}},
                       {{"value", Tensor::i64({1}, {7})}})[0];
    EXPECT_EQ(cos, Tensor::i64({2, 2}, {7, 7, 7, 7}));
    EXPECT_EQ(runOp("Shape", {{x}}, {{"start", std::int64_t{1}}})[0], Tensor::i64({2}, {3, 4}));
    EXPECT_EQ(runOp("Size", {{x}})[0], Tensor::i64({}, {24}));
}

TEST(Ops, PadModesAndResize) {
    Tensor x = Tensor::f32({1, 3}, {1, 2, 3});
    Tensor pads = Tensor::i64({4}, {0, 2, 0, 1});
    EXPECT_EQ(runOp("Pad", {{x}, {pads, true}, {Tensor::f32({}, {9}), true}})[0],
              Tensor::f32({1, 6}, {9, 9, 1, 2, 3, 9}));
    EXPECT_EQ(runOp("Pad", {{x}, {pads, true}}, {{"mode", std::string("reflect")}})[0],
              Tensor::f32({1, 6}, {3, 2, 1, 2, 3, 2}));
    EXPECT_EQ(runOp("Pad", {{x}, {pads, true}}, {{"mode", std::string("edge")}})[0],
              Tensor::f32({1, 6}, {1, 1, 1, 2, 3, 3}));
    Tensor img = Tensor::f32({1, 1, 2, 2}, {1, 2, 3, 4});
    Tensor scales = Tensor::f32({4}, {1, 1, 2, 2});
    Tensor nn =
        runOp("Resize", {{img}, {none()}, {scales, true}}, {{"mode", std::string("nearest")}})[0];
    EXPECT_EQ(nn, Tensor::f32({1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
    Tensor lin = runOp("Resize", {{img}, {none()}, {scales, true}},
                       {{"mode", std::string("linear")},
                        {"coordinate_transformation_mode", std::string("align_corners")}})[0];
    // align_corners: output i maps to i·(2−1)/(4−1) in the input.
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
            const double y = i / 3.0, xx = j / 3.0;
            const double ref = (1 - y) * ((1 - xx) * 1 + xx * 2) + y * ((1 - xx) * 3 + xx * 4);
            EXPECT_NEAR(lin.at(i * 4 + j), ref, 1e-6);
        }
}

TEST(Ops, QuantizeDequantizeRoundTrip) {
    Tensor x = Tensor::f32({5}, {-1.0f, 0.0f, 0.26f, 0.5f, 100.0f});
    Tensor scale = Tensor::f32({}, {0.5f});
    Tensor zp = Tensor::of<std::uint8_t>({}, {10});
    Tensor q = runOp("QuantizeLinear", {{x}, {scale, true}, {zp, true}})[0];
    // round(x / 0.5) + 10 with halves to even, saturated to [0, 255].
    EXPECT_EQ(q, Tensor::of<std::uint8_t>({5}, {8, 10, 11, 11, 210}));
    Tensor dq = runOp("DequantizeLinear", {{q}, {scale, true}, {zp, true}})[0];
    EXPECT_EQ(dq, Tensor::f32({5}, {-1.0f, 0.0f, 0.5f, 0.5f, 100.0f}));
}

TEST(Ops, ShapeInferenceFoldsShapeSubgraphs) {
    // x → Shape → Gather(0) → Concat([-1]) → Reshape(x): static inference knows the result.
    Graph g;
    g.addInput("x", DType::F32, {3, 4, 5});
    g.addInitializer("zero", Tensor::i64({1}, {0}));
    g.addInitializer("minus1", Tensor::i64({1}, {-1}));
    g.addNode("Shape", "shape", {"x"}, {"s"});
    g.addNode("Gather", "first", {"s", "zero"}, {"n"});
    g.addNode("Concat", "cat", {"n", "minus1"}, {"target"}, {{"axis", std::int64_t{0}}});
    g.addNode("Reshape", "reshape", {"x", "target"}, {"y"});
    g.markOutput("y");
    auto folded = inferShapesAndConstants(g);
    EXPECT_EQ(g.values[g.findValue("y")].shape, (Shape{3, 20}));
    EXPECT_EQ(folded.at(g.findValue("target")), Tensor::i64({2}, {3, -1}));
}

TEST(Ops, SymbolicDimsInferAndRun) {
    Graph g;
    int x = g.addInput("x", DType::F32, {-1, 4});
    g.values[x].dimParams = {"batch", ""};
    g.addInitializer("w", randomF32({4, 2}, 29));
    g.addNode("MatMul", "mm", {"x", "w"}, {"y"});
    g.addNode("Relu", "act", {"y"}, {"z"});
    g.markOutput("z");
    inferShapes(g);
    EXPECT_EQ(g.values[g.findValue("z")].shape, (Shape{-1, 2}));
    Interpreter ip(g);
    ip.setInput("x", randomF32({3, 4}, 30));
    ip.run();
    EXPECT_EQ(ip.value("z")->shape(), (Shape{3, 2}));
    Graph bound = g;
    bound.bindDims({{"batch", 7}});
    EXPECT_EQ(bound.values[x].shape, (Shape{7, 4}));
    EXPECT_THROW(bound.bindDims({{"nope", 1}}), std::invalid_argument);
}

TEST(Ops, ErrorsNameNodeOpAndExpectation) {
    Graph g;
    g.addInput("x", DType::F32, {1, 3, 8, 8});
    g.addInitializer("w", Tensor(DType::F32, {4, 2, 3, 3}));
    g.addNode("Conv", "conv1", {"x", "w"}, {"y"});
    try {
        inferShapes(g);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("conv1"), std::string::npos) << m;
        EXPECT_NE(m.find("Conv"), std::string::npos) << m;
        EXPECT_NE(m.find("channels"), std::string::npos) << m;
    }
    Graph h;
    h.addInput("x", DType::F32, {2, 3});
    h.addInitializer("i", Tensor::i64({1}, {5}));
    h.addNode("Gather", "pick", {"x", "i"}, {"y"}, {{"axis", std::int64_t{1}}});
    h.markOutput("y");
    Interpreter ip(h);
    ip.setInput("x", Tensor(DType::F32, {2, 3}));
    try {
        ip.run();
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'pick' (Gather): index 5 is out of range"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Ops, GemmBuildsAgree) {
    // The AVX2+FMA build (when this CPU has it) and the baseline build give the same products,
    // transposes and strides included.
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-1, 1);
    const std::int64_t m = 37, n = 53, k = 71;
    std::vector<float> a(static_cast<std::size_t>(k * (m + 3))),
        b(static_cast<std::size_t>(k * (n + 2)));
    for (auto& v : a)
        v = u(rng);
    for (auto& v : b)
        v = u(rng);
    for (bool ta : {false, true})
        for (bool tb : {false, true}) {
            const std::int64_t lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2;
            std::vector<float> c1(static_cast<std::size_t>(m * n), 0.5f), c2 = c1;
            const bool was = setGemmBaselineOnly(true);
            gemm(ta, tb, m, n, k, 0.75f, a.data(), lda, b.data(), ldb, 0.5f, c1.data(), n);
            setGemmBaselineOnly(false);
            gemm(ta, tb, m, n, k, 0.75f, a.data(), lda, b.data(), ldb, 0.5f, c2.data(), n);
            setGemmBaselineOnly(was);
            // A naive reference for one entry per row keeps both honest.
            for (std::int64_t i = 0; i < m; ++i) {
                const std::int64_t j = (i * 7) % n;
                double s = 0;
                for (std::int64_t p = 0; p < k; ++p)
                    s += double(ta ? a[p * lda + i] : a[i * lda + p]) *
                         double(tb ? b[j * ldb + p] : b[p * ldb + j]);
                EXPECT_NEAR(c1[i * n + j], 0.75 * s + 0.25, 1e-4);
            }
            for (std::size_t i = 0; i < c1.size(); ++i)
                ASSERT_NEAR(c1[i], c2[i], 1e-4) << "ta=" << ta << " tb=" << tb << " at " << i;
        }
    SUCCEED() << "GEMM build on this CPU: " << gemmKernelName();
}

TEST(Ops, VectorisedFloatTranscendentalsMatchDoublePrecision) {
    // f32 Exp, Tanh, Sigmoid, Erf and Gelu run through Eigen's vectorised functions; compare
    // them element by element with the f64 path on a dense grid, tails included.
    std::vector<float> xs;
    for (int i = -4000; i <= 4000; ++i)
        xs.push_back(static_cast<float>(i) * 0.0025f); // [-10, 10]
    const auto n = static_cast<std::int64_t>(xs.size());
    Tensor x32 = Tensor::f32({n}, xs);
    Tensor x64 = x32.cast(DType::F64);
    for (std::string op : {"Exp", "Tanh", "Sigmoid", "Erf", "Gelu"}) {
        const Tensor y32 = runOp(op, {{x32}})[0];
        const Tensor y64 = runOp(op, {{x64}})[0];
        for (std::int64_t i = 0; i < n; ++i) {
            const double ref = y64.data<double>()[i];
            EXPECT_NEAR(y32.data<float>()[i], ref, 4e-7 * std::max(1.0, std::abs(ref)))
                << op << "(" << xs[static_cast<std::size_t>(i)] << ")";
        }
    }
}
