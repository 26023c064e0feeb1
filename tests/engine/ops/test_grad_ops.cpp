// The internal backward ops (aisys:*Grad) against small hand-worked cases and a naive loop.
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

#include <random>

using namespace aisys::engine;

namespace {

/// Runs one node whose inputs are all initializers; returns output 0.
Tensor run(const std::string& op, const std::vector<Tensor>& ins,
           std::map<std::string, AttrValue> attrs = {}) {
    Graph g;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < ins.size(); ++i) {
        names.push_back("in" + std::to_string(i));
        g.addInitializer(names.back(), ins[i]);
    }
    g.addNode(op, "node", names, {"out"}, std::move(attrs));
    g.markOutput("out");
    Interpreter ip(std::move(g));
    ip.run();
    return *ip.value("out");
}

Tensor f64(Shape s, std::vector<double> v) {
    return Tensor::f64(std::move(s), std::move(v));
}

using Ints = std::vector<std::int64_t>;

} // namespace

TEST(GradOps, ActivationAndClip) {
    EXPECT_EQ(run("aisys:ReluGrad", {f64({3}, {1, 2, 3}), f64({3}, {-1, 0, 2})}),
              f64({3}, {0, 0, 3}));
    EXPECT_EQ(run("aisys:LeakyReluGrad", {f64({2}, {1, 1}), f64({2}, {-1, 1})}, {{"alpha", 0.5}}),
              f64({2}, {0.5, 1}));
    EXPECT_EQ(run("aisys:ClipGrad",
                  {f64({3}, {1, 1, 1}), f64({3}, {-1, 0.2, 0.9}), f64({}, {-0.5}), f64({}, {0.5})}),
              f64({3}, {0, 1, 0}));
}

TEST(GradOps, ConvWeightGradMatchesANaiveLoop) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(-1, 1);
    auto rnd = [&](Shape s) {
        std::vector<double> v(static_cast<std::size_t>(numElements(s)));
        for (auto& e : v)
            e = u(rng);
        return f64(std::move(s), v);
    };
    const Tensor x = rnd({2, 3, 5, 5}), dy = rnd({2, 4, 3, 3});
    const Tensor dw = run("aisys:ConvWeightGrad", {x, dy}, {{"kernel_shape", Ints{3, 3}}});
    ASSERT_EQ(dw.shape(), (Shape{4, 3, 3, 3}));
    for (int m = 0; m < 4; ++m)
        for (int c = 0; c < 3; ++c)
            for (int kh = 0; kh < 3; ++kh)
                for (int kw = 0; kw < 3; ++kw) {
                    double s = 0;
                    for (int n = 0; n < 2; ++n)
                        for (int oh = 0; oh < 3; ++oh)
                            for (int ow = 0; ow < 3; ++ow)
                                s += dy.at(((n * 4 + m) * 3 + oh) * 3 + ow) *
                                     x.at(((n * 3 + c) * 5 + oh + kh) * 5 + ow + kw);
                    EXPECT_NEAR(dw.at(((m * 3 + c) * 3 + kh) * 3 + kw), s, 1e-12);
                }
}

TEST(GradOps, Pooling) {
    const Tensor x = f64({1, 1, 2, 2}, {1, 4, 3, 2});
    EXPECT_EQ(run("aisys:MaxPoolGrad", {f64({1, 1, 1, 1}, {5}), x}, {{"kernel_shape", Ints{2, 2}}}),
              f64({1, 1, 2, 2}, {0, 5, 0, 0}));
    EXPECT_EQ(
        run("aisys:AveragePoolGrad", {f64({1, 1, 1, 1}, {4}), x}, {{"kernel_shape", Ints{2, 2}}}),
        f64({1, 1, 2, 2}, {1, 1, 1, 1}));
}

TEST(GradOps, IndexScatters) {
    EXPECT_EQ(run("aisys:SliceGrad", {f64({2}, {7, 8})},
                  {{"shape", Ints{5}}, {"starts", Ints{1}}, {"steps", Ints{2}}}),
              f64({5}, {0, 7, 0, 8, 0}));
    EXPECT_EQ(run("aisys:GatherGrad", {f64({3}, {1, 2, 3}), Tensor::i64({3}, {1, 1, -2})},
                  {{"shape", Ints{2}}}),
              f64({2}, {3, 3}));
    EXPECT_EQ(run("aisys:PadGrad", {f64({5}, {1, 1, 1, 1, 1})},
                  {{"shape", Ints{3}}, {"pads", Ints{1, 1}}, {"mode", std::string("edge")}}),
              f64({3}, {2, 1, 2}));
    EXPECT_EQ(run("aisys:PadGrad", {f64({5}, {1, 1, 1, 1, 1})},
                  {{"shape", Ints{3}}, {"pads", Ints{1, 1}}, {"mode", std::string("reflect")}}),
              f64({3}, {1, 3, 1}));
    EXPECT_EQ(run("aisys:GatherElementsGrad",
                  {f64({2, 2}, {1, 2, 3, 4}), Tensor::i64({2, 2}, {1, 0, 2, 2})},
                  {{"axis", std::int64_t{1}}, {"shape", Ints{2, 3}}}),
              f64({2, 3}, {2, 1, 0, 0, 0, 7}));
}

TEST(GradOps, WrongInputsAreNamed) {
    try {
        run("aisys:ReluGrad", {f64({3}, {1, 2, 3}), f64({2}, {1, 2})});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("aisys:ReluGrad"), std::string::npos) << e.what();
    }
}
