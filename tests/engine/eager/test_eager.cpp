// Eager mode: ops run at once through the registry and are taped; the captured graph gives the
// same numbers under the Interpreter; tracing bakes in the branch that ran.
#include "engine/autodiff/reverse.h"
#include "engine/eager/functions.h"
#include "engine/graph/interpreter.h"

#include <gtest/gtest.h>

using namespace aisys::engine;
namespace eg = aisys::engine::eager;

namespace {

Tensor ramp(Shape s, float start, float step) {
    std::vector<float> v(static_cast<std::size_t>(numElements(s)));
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = start + step * static_cast<float>(i);
    return Tensor::f32(std::move(s), v);
}

/// The program of the dynamic-to-static lesson: a branch on a computed value.
eg::Tensor program(const eg::Tensor& x) {
    const eg::Tensor s = eg::sum(x);
    if (s.item() > 0)             // data-dependent control flow, decided in C++
        return eg::relu(x) * 2.0; // taken for positive sums
    return -x;
}

} // namespace

TEST(Eager, RunsAtOnceAndCapturesTheSameComputation) {
    eg::Tape tape;
    const eg::Tensor x = tape.input("x", ramp({2, 3}, -1.0f, 0.4f));
    const eg::Tensor w = tape.parameter("W", ramp({3, 4}, 0.5f, -0.1f));
    const eg::Tensor b = tape.parameter("b", ramp({4}, 0.1f, 0.1f));
    const eg::Tensor y = eg::relu(eg::matmul(x, w) + b);
    const eg::Tensor p = eg::softmax(y, 1);
    // Eager: values are there immediately.
    ASSERT_EQ(y.shape(), (Shape{2, 4}));
    double manual = 0.1; // y[0,0] = relu(Σ_k x[0,k]·W[k,0] + b[0])
    for (int k = 0; k < 3; ++k)
        manual += (-1.0 + 0.4 * k) * (0.5 - 0.1 * (4 * k));
    EXPECT_NEAR(y.value().at(0), std::max(0.0, manual), 1e-6);
    EXPECT_EQ(tape.records().size(), 4u); // MatMul Add Relu Softmax

    // Capture → Interpreter: same numbers, bit for bit (same kernels).
    const Graph g = tape.capture({y, p});
    EXPECT_EQ(g.verify(), "");
    EXPECT_EQ(g.nodes.size(), 4u);
    EXPECT_EQ(g.inputs.size(), 1u);
    EXPECT_EQ(g.initializers.size(), 2u);
    Interpreter ip(g);
    ip.setInput("x", x.value());
    ip.run();
    EXPECT_EQ(*ip.value(y.name()), y.value());
    EXPECT_EQ(*ip.value(p.name()), p.value());
}

TEST(Eager, TracingBakesInTheBranchThatRan) {
    const Tensor positive = ramp({4}, -0.5f, 0.5f); // sum 1 > 0
    const Tensor negative = ramp({4}, 0.5f, -0.5f); // sum −1 < 0
    eg::Tape tape;
    const eg::Tensor out = program(tape.input("x", positive));
    const Graph traced = tape.capture({out});
    bool hasRelu = false, hasNeg = false;
    for (const auto& n : traced.nodes) {
        hasRelu |= n.op == "Relu";
        hasNeg |= n.op == "Neg";
    }
    EXPECT_TRUE(hasRelu);
    EXPECT_FALSE(hasNeg); // the other branch was never seen

    // Eagerly, the negative input takes the other branch...
    eg::Tape eagerTape;
    const Tensor eager = program(eagerTape.input("x", negative)).value();
    EXPECT_TRUE(eager.allClose(Tensor::f32({4}, {-0.5f, 0.0f, 0.5f, 1.0f}), 0));
    // ...but the traced graph still computes relu(x)·2: a silently wrong answer.
    Interpreter ip(traced);
    ip.setInput("x", negative);
    ip.run();
    EXPECT_TRUE(ip.value(out.name())->allClose(Tensor::f32({4}, {1.0f, 0.0f, 0.0f, 0.0f}), 0));
    EXPECT_FALSE(ip.value(out.name())->allClose(eager, 0.1));
}

TEST(Eager, CapturedGraphCanBeDifferentiated) {
    eg::Tape tape;
    const eg::Tensor x = tape.input("x", Tensor::f64({3}, {1, 2, 3}));
    const eg::Tensor loss = eg::sum(x * x);
    const auto r =
        runBackward(buildBackward(tape.capture({loss}), {loss.name()}, {"x"}), {{"x", x.value()}});
    EXPECT_EQ(r.gradients.at("x"), Tensor::f64({3}, {2, 4, 6}));
}

TEST(Eager, ErrorsNameTheOp) {
    eg::Tape tape;
    const eg::Tensor a = tape.input("a", ramp({2, 3}, 0, 1));
    const eg::Tensor b = tape.input("b", ramp({2, 3}, 0, 1));
    try {
        eg::matmul(a, b);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("MatMul"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("inner dimensions"), std::string::npos);
    }
    EXPECT_THROW(tape.input("a", ramp({1}, 0, 1)), std::invalid_argument); // name taken
    EXPECT_THROW(tape.apply1("NoSuchOp", {a}), std::invalid_argument);
}
