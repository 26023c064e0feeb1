// Kernels real models spend time in, against naive references: Resize's plane fast path
// (nearest and linear, any scales, every coordinate mode), banded im2col Conv, Range, Trilu,
// CumSum, LSTM, If's cached branch, And/Or/Xor, Mod, IsNaN/IsInf.
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>

using namespace aisys::engine;

namespace {

/// Runs a one-node graph; inputs with `constant` set are initializers, an invalid tensor is an
/// omitted input.
std::vector<Tensor> runOp(const std::string& op, const std::vector<std::pair<Tensor, bool>>& ins,
                          std::map<std::string, AttrValue> attrs = {}) {
    Graph g;
    g.opsetImports[""] = 18;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < ins.size(); ++i) {
        names.push_back(ins[i].first.valid() ? "in" + std::to_string(i) : "");
        if (names.back().empty())
            continue;
        if (ins[i].second)
            g.addInitializer(names.back(), ins[i].first);
        else
            g.addInput(names.back(), ins[i].first.dtype(), ins[i].first.shape());
    }
    g.addNode(op, "node", names, {"out"}, std::move(attrs));
    g.markOutput("out");
    Interpreter ip(std::move(g));
    for (std::size_t i = 0; i < ins.size(); ++i)
        if (!names[i].empty() && !ins[i].second)
            ip.setInput(names[i], ins[i].first);
    ip.run();
    return {*ip.value("out")};
}

Tensor randomF32(Shape s, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> v(static_cast<std::size_t>(numElements(s)));
    for (auto& x : v)
        x = u(rng);
    return Tensor::f32(std::move(s), v);
}

/// ONNX's coordinate transformation of output index x (scale = out/in as given).
double srcCoord(const std::string& mode, double x, double scale, double in, double outLen) {
    if (mode == "half_pixel")
        return (x + 0.5) / scale - 0.5;
    if (mode == "pytorch_half_pixel")
        return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    if (mode == "align_corners")
        return outLen == 1 ? 0.0 : x * (in - 1) / (outLen - 1);
    return x / scale; // asymmetric
}

/// Naive Resize of an NCHW tensor over H and W, element by element.
Tensor referenceResize(const Tensor& x, std::int64_t oh, std::int64_t ow, double sh, double sw,
                       const std::string& mode, const std::string& ctm, const std::string& nm) {
    const Shape& s = x.shape();
    const std::int64_t planes = s[0] * s[1], ih = s[2], iw = s[3];
    std::vector<float> y;
    const auto nearest = [&](double v, std::int64_t len) {
        std::int64_t i = nm == "floor"  ? static_cast<std::int64_t>(std::floor(v))
                         : nm == "ceil" ? static_cast<std::int64_t>(std::ceil(v))
                         : v - std::floor(v) == 0.5
                             ? static_cast<std::int64_t>(nm == "round_prefer_ceil" ? std::ceil(v)
                                                                                   : std::floor(v))
                             : static_cast<std::int64_t>(std::round(v));
        return std::clamp<std::int64_t>(i, 0, len - 1);
    };
    for (std::int64_t p = 0; p < planes; ++p)
        for (std::int64_t i = 0; i < oh; ++i)
            for (std::int64_t j = 0; j < ow; ++j) {
                const double yi = srcCoord(ctm, static_cast<double>(i), sh, static_cast<double>(ih),
                                           static_cast<double>(ih) * sh);
                const double xj = srcCoord(ctm, static_cast<double>(j), sw, static_cast<double>(iw),
                                           static_cast<double>(iw) * sw);
                const auto at = [&](std::int64_t r, std::int64_t c) {
                    return x.at(p * ih * iw + r * iw + c);
                };
                if (mode == "nearest") {
                    y.push_back(static_cast<float>(at(nearest(yi, ih), nearest(xj, iw))));
                    continue;
                }
                const double cy = std::clamp(yi, 0.0, static_cast<double>(ih - 1));
                const double cx = std::clamp(xj, 0.0, static_cast<double>(iw - 1));
                const std::int64_t y0 = static_cast<std::int64_t>(cy),
                                   x0 = static_cast<std::int64_t>(cx);
                const std::int64_t y1 = std::min(y0 + 1, ih - 1), x1 = std::min(x0 + 1, iw - 1);
                const double wy = cy - static_cast<double>(y0), wx = cx - static_cast<double>(x0);
                y.push_back(
                    static_cast<float>((1 - wy) * ((1 - wx) * at(y0, x0) + wx * at(y0, x1)) +
                                       wy * ((1 - wx) * at(y1, x0) + wx * at(y1, x1))));
            }
    return Tensor::f32({s[0], s[1], oh, ow}, y);
}

void expectNear(const Tensor& got, const Tensor& want, double tol, const std::string& what) {
    ASSERT_EQ(got.shape(), want.shape()) << what;
    for (std::int64_t i = 0; i < want.numel(); ++i)
        ASSERT_NEAR(got.at(i), want.at(i), tol) << what << ", element " << i;
}

} // namespace

TEST(ModelKernels, ResizeMatchesReferenceForAnyScale) {
    const Tensor x = randomF32({2, 3, 7, 5}, 1);
    struct Case {
        double sh, sw;
    };
    for (const Case k : {Case{2, 2}, Case{0.5, 0.6}, Case{1.7, 2.3}, Case{3, 1}, Case{1, 0.4}})
        for (const std::string mode : {"nearest", "linear"})
            for (const std::string ctm :
                 {"half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"})
                for (const std::string nm : {"round_prefer_floor", "floor", "ceil"}) {
                    if (mode == "linear" && nm != "floor")
                        continue;
                    const Tensor scales = Tensor::f32(
                        {4}, {1, 1, static_cast<float>(k.sh), static_cast<float>(k.sw)});
                    const Tensor y = runOp("Resize", {{x, false}, {Tensor(), true}, {scales, true}},
                                           {{"mode", mode},
                                            {"coordinate_transformation_mode", ctm},
                                            {"nearest_mode", nm}})[0];
                    const std::int64_t oh =
                        static_cast<std::int64_t>(std::floor(7 * static_cast<float>(k.sh)));
                    const std::int64_t ow =
                        static_cast<std::int64_t>(std::floor(5 * static_cast<float>(k.sw)));
                    expectNear(y,
                               referenceResize(x, oh, ow, static_cast<float>(k.sh),
                                               static_cast<float>(k.sw), mode, ctm, nm),
                               1e-5,
                               mode + " " + ctm + " " + nm + " scales " + std::to_string(k.sh) +
                                   "x" + std::to_string(k.sw));
                }
}

TEST(ModelKernels, ResizeOfALeadingDimTakesTheGeneralPath) {
    // Scaling the channel dim is outside the plane fast path; both paths agree with the
    // reference on the same planes (channel nearest-doubled = each plane repeated).
    const Tensor x = randomF32({1, 2, 3, 4}, 2);
    const Tensor y =
        runOp("Resize", {{x, false}, {Tensor(), true}, {Tensor::f32({4}, {1, 2, 2, 2}), true}},
              {{"mode", std::string("nearest")},
               {"coordinate_transformation_mode", std::string("asymmetric")},
               {"nearest_mode", std::string("floor")}})[0];
    ASSERT_EQ(y.shape(), (Shape{1, 4, 6, 8}));
    const Tensor planes = referenceResize(x, 6, 8, 2, 2, "nearest", "asymmetric", "floor");
    for (std::int64_t c = 0; c < 4; ++c)
        for (std::int64_t i = 0; i < 48; ++i)
            ASSERT_EQ(y.at(c * 48 + i), planes.at((c / 2) * 48 + i)) << "channel " << c;
}

TEST(ModelKernels, BandedConvMatchesDirectSum) {
    // 40 input channels × 3×3 at 64×64 make an im2col matrix of 5.6 MB: built in bands.
    const Tensor x = randomF32({1, 40, 64, 64}, 3), w = randomF32({5, 40, 3, 3}, 4);
    const Tensor b = randomF32({5}, 5);
    for (const std::int64_t stride : {1, 2}) {
        const Tensor y = runOp("Conv", {{x, false}, {w, true}, {b, true}},
                               {{"pads", std::vector<std::int64_t>{1, 1, 1, 1}},
                                {"strides", std::vector<std::int64_t>{stride, stride}}})[0];
        const std::int64_t o = (64 + 2 - 3) / stride + 1;
        ASSERT_EQ(y.shape(), (Shape{1, 5, o, o}));
        for (std::int64_t m = 0; m < 5; ++m)
            for (std::int64_t i = 0; i < o; i += 3)
                for (std::int64_t j = 0; j < o; j += 5) {
                    double acc = b.at(m);
                    for (std::int64_t c = 0; c < 40; ++c)
                        for (std::int64_t ki = 0; ki < 3; ++ki)
                            for (std::int64_t kj = 0; kj < 3; ++kj) {
                                const std::int64_t r = i * stride - 1 + ki, q = j * stride - 1 + kj;
                                if (r >= 0 && r < 64 && q >= 0 && q < 64)
                                    acc += x.at((c * 64 + r) * 64 + q) *
                                           w.at(((m * 40 + c) * 3 + ki) * 3 + kj);
                            }
                    ASSERT_NEAR(y.at((m * o + i) * o + j), acc, 1e-4)
                        << "stride " << stride << " at " << m << "," << i << "," << j;
                }
    }
}

TEST(ModelKernels, RangeFollowsTheSpec) {
    const auto range = [](Tensor s, Tensor l, Tensor d) {
        return runOp("Range", {{s, true}, {l, true}, {d, true}})[0];
    };
    EXPECT_EQ(range(Tensor::i64({}, {0}), Tensor::i64({}, {5}), Tensor::i64({}, {2})),
              Tensor::i64({3}, {0, 2, 4}));
    EXPECT_EQ(range(Tensor::i64({}, {10}), Tensor::i64({}, {4}), Tensor::i64({}, {-3})),
              Tensor::i64({2}, {10, 7}));
    EXPECT_EQ(range(Tensor::i64({}, {3}), Tensor::i64({}, {3}), Tensor::i64({}, {1})).shape(),
              (Shape{0}));
    EXPECT_EQ(range(Tensor::f32({}, {1}), Tensor::f32({}, {2}), Tensor::f32({}, {0.25f})),
              Tensor::f32({4}, {1, 1.25f, 1.5f, 1.75f}));
    // Inputs given at run time: the length is known only then.
    Graph g;
    g.addInput("n", DType::I32, {});
    g.addInitializer("zero", Tensor::of<std::int32_t>({}, {0}));
    g.addInitializer("one", Tensor::of<std::int32_t>({}, {1}));
    g.addNode("Range", "r", {"zero", "n", "one"}, {"y"});
    g.markOutput("y");
    Interpreter ip(std::move(g));
    ip.setInput("n", Tensor::of<std::int32_t>({}, {4}));
    ip.run();
    EXPECT_EQ(*ip.value("y"), Tensor::of<std::int32_t>({4}, {0, 1, 2, 3}));
    try {
        range(Tensor::i64({}, {0}), Tensor::i64({}, {5}), Tensor::i64({}, {0}));
        FAIL() << "delta 0 accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("delta must not be 0"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("Range"), std::string::npos) << e.what();
    }
}

TEST(ModelKernels, TriluAndCumSumMatchLoops) {
    const Tensor x = randomF32({2, 4, 5}, 6);
    for (const std::int64_t k : {-2, 0, 1, 6})
        for (const std::int64_t upper : {0, 1}) {
            const Tensor y =
                runOp("Trilu", {{x, false}, {Tensor::i64({}, {k}), true}}, {{"upper", upper}})[0];
            for (std::int64_t i = 0; i < 40; ++i) {
                const std::int64_t r = (i / 5) % 4, c = i % 5;
                const bool keep = upper ? c - r >= k : c - r <= k;
                ASSERT_EQ(y.at(i), keep ? x.at(i) : 0.0) << "k " << k << " upper " << upper;
            }
        }
    for (const std::int64_t exclusive : {0, 1})
        for (const std::int64_t reverse : {0, 1}) {
            const Tensor y = runOp("CumSum", {{x, false}, {Tensor::i64({}, {1}), true}},
                                   {{"exclusive", exclusive}, {"reverse", reverse}})[0];
            for (std::int64_t i = 0; i < 40; ++i) {
                const std::int64_t n = i / 20, r = (i / 5) % 4, c = i % 5;
                double acc = 0;
                for (std::int64_t j = 0; j < 4; ++j) {
                    const bool in =
                        reverse ? (exclusive ? j > r : j >= r) : (exclusive ? j < r : j <= r);
                    if (in)
                        acc += x.at(n * 20 + j * 5 + c);
                }
                ASSERT_NEAR(y.at(i), acc, 1e-5)
                    << "exclusive " << exclusive << " reverse " << reverse;
            }
        }
}

namespace {

/// Naive LSTM of one direction over the rows of X [seq, batch, input], in double: gates i, o,
/// f, c; returns Y [seq, batch, hidden] (0 past a row's length) and the last H, C.
struct LstmRef {
    std::vector<double> y, h, c;
};
LstmRef referenceLstm(const Tensor& x, const Tensor& w, const Tensor& r, const Tensor& b,
                      const Tensor& p, const std::vector<int>& lens, std::int64_t dir, bool reverse,
                      std::int64_t hidden) {
    const std::int64_t seq = x.shape()[0], batch = x.shape()[1], in = x.shape()[2];
    LstmRef out{std::vector<double>(static_cast<std::size_t>(seq * batch * hidden), 0.0),
                std::vector<double>(static_cast<std::size_t>(batch * hidden), 0.0),
                std::vector<double>(static_cast<std::size_t>(batch * hidden), 0.0)};
    const auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
    for (std::int64_t bi = 0; bi < batch; ++bi)
        for (std::int64_t s = 0; s < lens[bi]; ++s) {
            const std::int64_t t = reverse ? lens[bi] - 1 - s : s;
            std::vector<double> g(static_cast<std::size_t>(4 * hidden));
            for (std::int64_t j = 0; j < 4 * hidden; ++j) {
                double v = b.at(dir * 8 * hidden + j) + b.at(dir * 8 * hidden + 4 * hidden + j);
                for (std::int64_t q = 0; q < in; ++q)
                    v += x.at((t * batch + bi) * in + q) * w.at((dir * 4 * hidden + j) * in + q);
                for (std::int64_t q = 0; q < hidden; ++q)
                    v += out.h[bi * hidden + q] * r.at((dir * 4 * hidden + j) * hidden + q);
                g[j] = v;
            }
            for (std::int64_t j = 0; j < hidden; ++j) {
                const double cPrev = out.c[bi * hidden + j];
                const double pi = p.at(dir * 3 * hidden + j),
                             po = p.at(dir * 3 * hidden + hidden + j),
                             pf = p.at(dir * 3 * hidden + 2 * hidden + j);
                const double i = sig(g[j] + pi * cPrev), f = sig(g[2 * hidden + j] + pf * cPrev);
                const double cn = f * cPrev + i * std::tanh(g[3 * hidden + j]);
                const double o = sig(g[hidden + j] + po * cn);
                out.c[bi * hidden + j] = cn;
                out.h[bi * hidden + j] = o * std::tanh(cn);
                out.y[(t * batch + bi) * hidden + j] = out.h[bi * hidden + j];
            }
        }
    return out;
}

} // namespace

TEST(ModelKernels, LstmMatchesReference) {
    // Bidirectional, peepholes, biases, sequence_lens {4, 2}: Y, Y_h and Y_c per direction.
    const std::int64_t seq = 4, batch = 2, in = 3, hidden = 5;
    const Tensor x = randomF32({seq, batch, in}, 7), w = randomF32({2, 4 * hidden, in}, 8);
    const Tensor r = randomF32({2, 4 * hidden, hidden}, 9), b = randomF32({2, 8 * hidden}, 10);
    const Tensor p = randomF32({2, 3 * hidden}, 11);
    const std::vector<int> lens{4, 2};
    Graph g;
    g.addInput("x", DType::F32, {seq, batch, in});
    g.addInitializer("w", w);
    g.addInitializer("r", r);
    g.addInitializer("b", b);
    g.addInitializer("lens", Tensor::of<std::int32_t>({2}, {4, 2}));
    g.addInitializer("p", p);
    g.addNode("LSTM", "lstm", {"x", "w", "r", "b", "lens", "", "", "p"}, {"y", "yh", "yc"},
              {{"direction", std::string("bidirectional")}, {"hidden_size", hidden}});
    for (const char* o : {"y", "yh", "yc"})
        g.markOutput(o);
    Interpreter ip(std::move(g));
    ip.setInput("x", x);
    ip.run();
    const Tensor &y = *ip.value("y"), &yh = *ip.value("yh"), &yc = *ip.value("yc");
    ASSERT_EQ(y.shape(), (Shape{seq, 2, batch, hidden}));
    ASSERT_EQ(yh.shape(), (Shape{2, batch, hidden}));
    for (std::int64_t dir = 0; dir < 2; ++dir) {
        const LstmRef ref = referenceLstm(x, w, r, b, p, lens, dir, dir == 1, hidden);
        for (std::int64_t t = 0; t < seq; ++t)
            for (std::int64_t bi = 0; bi < batch; ++bi)
                for (std::int64_t j = 0; j < hidden; ++j)
                    ASSERT_NEAR(y.at(((t * 2 + dir) * batch + bi) * hidden + j),
                                ref.y[(t * batch + bi) * hidden + j], 1e-5)
                        << "Y dir " << dir << " t " << t << " batch " << bi;
        for (std::int64_t i = 0; i < batch * hidden; ++i) {
            ASSERT_NEAR(yh.at(dir * batch * hidden + i), ref.h[i], 1e-5) << "Y_h dir " << dir;
            ASSERT_NEAR(yc.at(dir * batch * hidden + i), ref.c[i], 1e-5) << "Y_c dir " << dir;
        }
    }
}

TEST(ModelKernels, IfKeepsItsBranchInterpreterAndFeedsNewOuterValues) {
    // If caches the branch's nested interpreter in the subgraph (Silero VAD runs an If around
    // its whole network on every call): each run must see that run's outer values, a change of
    // their shape rebuilds the interpreter, and a copy of the graph starts with no cache.
    Graph g;
    g.addInput("c", DType::Bool, {});
    g.addInput("x", DType::F32, {-1});
    Graph thenG;
    thenG.name = "then";
    thenG.addOuterRef("x");
    thenG.addNode("Neg", "neg", {"x"}, {"t"});
    thenG.markOutput("t");
    Graph elseG;
    elseG.name = "else";
    elseG.addOuterRef("x");
    elseG.addNode("Relu", "relu", {"x"}, {"e"});
    elseG.markOutput("e");
    g.addNode(
        "If", "if", {"c"}, {"y"},
        {{"then_branch", Subgraph(std::move(thenG))}, {"else_branch", Subgraph(std::move(elseG))}});
    g.markOutput("y");
    Interpreter ip(g);
    const auto run = [&](bool cond, Tensor x) {
        ip.reset();
        ip.setInput("c", Tensor::of<bool>({}, {cond}));
        ip.setInput("x", std::move(x));
        ip.run();
        return *ip.value("y");
    };
    EXPECT_EQ(run(true, Tensor::f32({2}, {1, -2})), Tensor::f32({2}, {-1, 2}));
    EXPECT_EQ(run(true, Tensor::f32({2}, {3, 4})), Tensor::f32({2}, {-3, -4}));
    EXPECT_EQ(run(false, Tensor::f32({2}, {3, -4})), Tensor::f32({2}, {3, 0}));
    EXPECT_EQ(run(true, Tensor::f32({3}, {1, 2, 3})), Tensor::f32({3}, {-1, -2, -3}));
    EXPECT_EQ(run(true, Tensor::f32({2}, {5, 6})), Tensor::f32({2}, {-5, -6}));
    Interpreter copy(g); // the copy's subgraphs have their own (empty) caches
    copy.setInput("c", Tensor::of<bool>({}, {true}));
    copy.setInput("x", Tensor::f32({1}, {7}));
    copy.run();
    EXPECT_EQ(*copy.value("y"), Tensor::f32({1}, {-7}));
    EXPECT_EQ(run(true, Tensor::f32({1}, {8})), Tensor::f32({1}, {-8}));
}

TEST(ModelKernels, LogicModAndNanInfMatchLoops) {
    // And/Or/Xor broadcast a [2, 1] against a [3]; Mod's two sign rules; IsNaN and IsInf with
    // either sign switched off.
    const Tensor a = Tensor::of<bool>({2, 1}, {true, false});
    const Tensor b = Tensor::of<bool>({3}, {true, false, true});
    const std::map<std::string, bool (*)(bool, bool)> logic{
        {"And", [](bool x, bool y) { return x && y; }},
        {"Or", [](bool x, bool y) { return x || y; }},
        {"Xor", [](bool x, bool y) { return x != y; }}};
    for (const auto& [op, f] : logic) {
        const Tensor y = runOp(op, {{a, false}, {b, false}})[0];
        ASSERT_EQ(y.shape(), (Shape{2, 3})) << op;
        for (std::int64_t i = 0; i < 6; ++i)
            EXPECT_EQ(y.at(i) != 0, f(a.at(i / 3) != 0, b.at(i % 3) != 0)) << op << " " << i;
    }
    const Tensor x = Tensor::i64({4}, {7, -7, 7, -7}), d = Tensor::i64({4}, {3, 3, -3, -3});
    EXPECT_EQ(runOp("Mod", {{x, false}, {d, false}})[0], Tensor::i64({4}, {1, 2, -2, -1}));
    EXPECT_EQ(runOp("Mod", {{x, false}, {d, false}}, {{"fmod", std::int64_t{1}}})[0],
              Tensor::i64({4}, {1, -1, 1, -1}));
    const Tensor fx = Tensor::f32({2}, {5.5f, -5.5f}), fd = Tensor::f32({}, {2});
    EXPECT_EQ(runOp("Mod", {{fx, false}, {fd, false}}, {{"fmod", std::int64_t{1}}})[0],
              Tensor::f32({2}, {1.5f, -1.5f}));
    try {
        runOp("Mod", {{x, false}, {Tensor::i64({}, {0}), false}});
        FAIL() << "integer Mod by zero accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
    }
    const float inf = std::numeric_limits<float>::infinity();
    const Tensor v = Tensor::f32({4}, {1, std::nanf(""), inf, -inf});
    EXPECT_EQ(runOp("IsNaN", {{v, false}})[0], Tensor::of<bool>({4}, {false, true, false, false}));
    EXPECT_EQ(runOp("IsInf", {{v, false}})[0], Tensor::of<bool>({4}, {false, false, true, true}));
    EXPECT_EQ(runOp("IsInf", {{v, false}}, {{"detect_negative", std::int64_t{0}}})[0],
              Tensor::of<bool>({4}, {false, false, true, false}));
}
