// Training: generated data, optimizers on a quadratic, and the spirals MLP / digits CNN examples
// (loss falls, accuracy beats chance, deterministic for a seed).
#include "engine/core/threads.h"
#include "engine/train/datasets.h"
#include "engine/train/optimizers.h"
#include "engine/train/trainer.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aisys::engine;
using namespace aisys::engine::train;

TEST(Train, DatasetsAreDeterministicAndLabelled) {
    const Dataset a = twoSpirals(50, 0.02, 7), b = twoSpirals(50, 0.02, 7);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.x.shape(), (Shape{100, 2}));
    EXPECT_EQ(a.labels.atInt(0), 0);
    EXPECT_EQ(a.labels.atInt(1), 1);
    EXPECT_NE(twoSpirals(50, 0.02, 8).x, a.x);
    const Dataset d = sevenSegmentDigits(3, 12, 1);
    EXPECT_EQ(d.x.shape(), (Shape{30, 1, 12, 12}));
    EXPECT_EQ(d.labels.atInt(13), 3);
    // An "8" lights more pixels than a "1".
    auto ink = [&](std::int64_t k) {
        double s = 0;
        for (int i = 0; i < 144; ++i)
            s += d.x.at(k * 144 + i) > 0.5 ? 1 : 0;
        return s;
    };
    EXPECT_GT(ink(8), ink(1) + 8);
    EXPECT_THROW(sevenSegmentDigits(1, 6, 1), std::invalid_argument);
    const Tensor h = oneHot(Tensor::i64({2}, {1, 0}), 3);
    EXPECT_EQ(h, Tensor::f32({2, 3}, {0, 1, 0, 1, 0, 0}));
}

TEST(Train, OptimizersMinimizeAQuadratic) {
    // f(p) = Σ (p − 3)², gradient 2(p − 3).
    auto run = [](Optimizer& opt, int steps) {
        Params p{{"p", Tensor::f64({2}, {0.0, 10.0})}};
        for (int i = 0; i < steps; ++i) {
            Tensor g = p["p"];
            for (int k = 0; k < 2; ++k)
                g.data<double>()[k] = 2 * (p["p"].at(k) - 3);
            opt.step(p, {{"p", g}});
        }
        return p["p"];
    };
    Sgd sgd(0.1);
    Sgd momentum(0.05, 0.9);
    Adam adam(0.1);
    for (Optimizer* o : std::initializer_list<Optimizer*>{&sgd, &momentum, &adam}) {
        const Tensor p = run(*o, 300);
        EXPECT_NEAR(p.at(0), 3, 1e-3);
        EXPECT_NEAR(p.at(1), 3, 1e-3);
    }
    // One SGD step is exactly p − lr·g.
    Sgd one(0.5);
    Params p{{"w", Tensor::f32({1}, {1.0f})}};
    one.step(p, {{"w", Tensor::f32({1}, {0.25f})}});
    EXPECT_FLOAT_EQ(p["w"].data<float>()[0], 0.875f);
    EXPECT_THROW(one.step(p, {}), std::invalid_argument);
}

TEST(Train, SpiralsMlpLearns) {
    setThreads(1); // one thread: deterministic sums and no OpenMP spin on a shared machine
    int calls = 0;
    const auto s = trainExample("spirals", 400, 1, [&](const EpochStats&) { ++calls; });
    ASSERT_EQ(s.size(), 400u);
    EXPECT_EQ(calls, 400);
    std::cout << "spirals: loss " << s.front().loss << " → " << s.back().loss << ", accuracy "
              << s.front().accuracy << " → " << s.back().accuracy << "\n";
    EXPECT_LT(s.back().loss, 0.5 * s.front().loss);
    EXPECT_GT(s.back().accuracy, 0.85); // chance is 0.5
    const auto again = trainExample("spirals", 3, 1);
    for (int e = 0; e < 3; ++e)
        EXPECT_EQ(again[e].loss, s[e].loss); // deterministic for a seed
}

TEST(Train, DigitsCnnLearns) {
    setThreads(1);
    const auto s = trainExample("digits", 15, 3);
    std::cout << "digits: loss " << s.front().loss << " → " << s.back().loss << ", accuracy "
              << s.front().accuracy << " → " << s.back().accuracy << "\n";
    EXPECT_LT(s.back().loss, 0.5 * s.front().loss);
    EXPECT_GT(s.back().accuracy, 0.6); // chance is 0.1
    EXPECT_EQ(trainExample("digits", 2, 3)[1].loss, s[1].loss);
}

TEST(Train, UnknownExampleIsNamed) {
    try {
        trainExample("mnist", 1, 0);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("mnist"), std::string::npos);
    }
}

TEST(Train, TrainerWritesParametersBack) {
    models::Model m = models::spiralMlp(4, 3, 0);
    Sgd sgd(0.1);
    Trainer t(m, sgd);
    const Dataset d = twoSpirals(2, 0, 0);
    const Tensor before = m.graph.initializers[m.graph.findValue("fc1.W")];
    t.step(d.x, oneHot(d.labels, 2));
    t.writeBack(m.graph);
    EXPECT_NE(m.graph.initializers[m.graph.findValue("fc1.W")], before);
    EXPECT_GT(t.backward().graph.nodes.size(), m.graph.nodes.size());
}
