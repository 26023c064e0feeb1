// The model zoo: every model verifies, infers and runs on seeded inputs, and a second call
// builds the same graph with the same weights; seeded inputs are reproducible.
#include "engine/graph/interpreter.h"
#include "engine/models/random.h"
#include "engine/models/zoo.h"

#include <gtest/gtest.h>

#include <functional>

using namespace aisys::engine;

namespace {

struct Entry {
    const char* name; ///< the model's g.name
    std::function<Graph()> build;
};

std::vector<Entry> zoo() {
    const models::ExampleSize s{3, 6};
    return {
        {"spiral-mlp", [] { return models::spiralMlp(4, 8, 1).graph; }},
        {"digit-cnn", [] { return models::digitCnn(2, 12, 1).graph; }},
        {"two-conv-digits", [] { return models::twoConvDigitNet(2, 1).graph; }},
        {"conv-bn-relu", [s] { return models::convBnRelu(s); }},
        {"transformer-mlp", [s] { return models::transformerMlp(s); }},
        {"redundancies", [s] { return models::redundancies(s); }},
        {"branches", [s] { return models::branches(s); }},
        {"mobile-block", [s] { return models::mobileBlock(s); }},
        {"inception", [] { return models::inceptionBranches(); }},
        {"residual-block", [] { return models::residualBlock(); }},
        {"self-attention", [] { return models::selfAttention(); }},
        {"small-cnn", [] { return models::smallCnn(2); }},
        {"residual-stack", [] { return models::residualStack(2); }},
        {"mlp", [] { return models::mlp(2); }},
        {"mobilenet_style", [] { return models::mobileNetStyle(32, 0.25, 10); }},
        {"small_transformer", [] { return models::smallTransformer(8, 16, 2, 1); }},
        {"tiny_cnn",
         [] {
             Graph g = models::tinyCnn();
             g.values[g.findValue("image")].shape[0] = 1; // bind the symbolic batch
             return g;
         }},
    };
}

} // namespace

TEST(Zoo, EveryModelRunsOnSeededInputsAndIsDeterministic) {
    for (const Entry& e : zoo()) {
        SCOPED_TRACE(e.name);
        Graph g = e.build();
        EXPECT_EQ(g.name, e.name);
        EXPECT_EQ(g.verify(), "");
        inferShapes(g);
        Interpreter ip(g);
        for (auto& [name, t] : models::seededInputs(g, 5))
            ip.setInput(name, t);
        ip.run();
        for (int o : ip.graph().outputs)
            EXPECT_NE(ip.value(o), nullptr);
        // A second build: the same nodes and bit-identical weights.
        const Graph again = e.build();
        ASSERT_EQ(again.nodes.size(), g.nodes.size());
        ASSERT_EQ(again.initializers.size(), g.initializers.size());
        for (const auto& [id, t] : again.initializers)
            EXPECT_EQ(g.initializers.at(g.findValue(again.values[id].name)), t);
    }
}

TEST(Zoo, TrainableModelsNameTheirWeights) {
    const models::Model m = models::twoConvDigitNet(4, 3);
    EXPECT_EQ(m.params, (std::vector<std::string>{"conv1.W", "conv1.b", "conv2.W", "conv2.b",
                                                  "fc.W", "fc.b"}));
    for (const auto& p : m.params)
        EXPECT_TRUE(m.graph.initializers.count(m.graph.findValue(p))) << p;
}

TEST(SeededInputs, ReproducibleInOrderAndNamesAnUnboundDimension) {
    Graph g;
    g.addInput("a", DType::F32, {2, 3});
    g.addInput("b", DType::F64, {4});
    g.addInput("c", DType::I64, {2});
    const auto first = models::seededInputs(g, 9), second = models::seededInputs(g, 9);
    EXPECT_EQ(first.at("a"), second.at("a"));
    EXPECT_EQ(first.at("b"), second.at("b"));
    EXPECT_EQ(first.at("c"), Tensor(DType::I64, {2})); // zeros for non-float types
    // One generator across the inputs, in order: b continues where a stopped.
    models::SeededInputs draw(9);
    EXPECT_EQ(draw.next(g.values[g.findValue("a")]), first.at("a"));
    EXPECT_EQ(draw.next(g.values[g.findValue("b")]), first.at("b"));
    for (std::int64_t i = 0; i < 6; ++i) {
        EXPECT_GE(first.at("a").at(i), -1.0);
        EXPECT_LT(first.at("a").at(i), 1.0);
    }
    Graph u;
    u.addInput("x", DType::F32, {-1, 3});
    u.values[u.findValue("x")].dimParams = {"batch", ""};
    try {
        (void)models::seededInputs(u, 1);
        FAIL() << "expected an exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("batch"), std::string::npos) << e.what();
    }
}
