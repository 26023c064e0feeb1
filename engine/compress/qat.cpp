// QAT on the spirals MLP / digits CNN: fake-quant insertion, fine-tuning, PTQ comparison.
#include "engine/compress/qat.h"

#include "engine/compress/quant_params.h"
#include "engine/graph/interpreter.h"
#include "engine/train/trainer.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

namespace aisys::engine::compress {

namespace {

bool readsWeight(const Node& n) {
    return n.op == "Conv" || n.op == "Gemm" || n.op == "MatMul";
}

/// The training setup of an example: data, a model for the training batch and one whose batch
/// is the whole data set (for accuracy), the batch and learning rate trainExample uses.
struct Setup {
    train::Dataset data;
    models::Model model, full;
    std::int64_t batch = 0;
    double lr = 0.01;
};

Setup setupOf(const std::string& example, std::uint32_t seed) {
    Setup s;
    if (example == "spirals") {
        s.data = train::twoSpirals(100, 0.02, seed);
        s.batch = 200;
        s.model = models::spiralMlp(s.batch, 32, seed + 1);
        s.full = models::spiralMlp(200, 32, seed + 1);
    } else if (example == "digits") {
        s.data = train::sevenSegmentDigits(20, 12, seed);
        s.batch = 20;
        s.model = models::digitCnn(s.batch, 12, seed + 1);
        s.full = models::digitCnn(200, 12, seed + 1);
    } else {
        throw std::invalid_argument("QAT example '" + example + "': expected spirals or digits");
    }
    return s;
}

/// Trains for `epochs` (seeded shuffles) and returns the last epoch's mean loss.
double trainEpochs(train::Trainer& t, const train::Dataset& data, std::int64_t batch, int epochs,
                   std::mt19937& rng) {
    const std::int64_t n = data.labels.numel();
    double last = 0;
    for (int e = 0; e < epochs; ++e) {
        std::vector<std::int64_t> perm(static_cast<std::size_t>(n));
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        train::Dataset shuffled = data;
        const std::int64_t row = data.x.numel() / n;
        for (std::int64_t i = 0; i < n; ++i) {
            std::copy_n(data.x.data<float>() + perm[i] * row, row,
                        shuffled.x.data<float>() + i * row);
            shuffled.labels.data<std::int64_t>()[i] = data.labels.data<std::int64_t>()[perm[i]];
        }
        double sum = 0;
        std::int64_t batches = 0;
        for (std::int64_t first = 0; first + batch <= n; first += batch, ++batches) {
            const train::Dataset b = train::batchOf(shuffled, first, batch);
            sum += t.step(b.x, train::oneHot(b.labels, b.classes)).loss;
        }
        last = batches ? sum / double(batches) : 0.0;
    }
    return last;
}

/// Copies the trainer's parameters into the whole-data-set graph.
void copyParams(const train::Trainer& t, Graph& g) {
    for (const auto& [name, tensor] : t.params())
        g.initializers[g.findValue(name)] = tensor;
}

} // namespace

int insertWeightFakeQuant(models::Model& m, int bits) {
    Graph& g = m.graph;
    int count = 0;
    const std::size_t nodes = g.nodes.size();
    for (std::size_t n = 0; n < nodes; ++n) {
        if (!readsWeight(g.nodes[n]) || g.nodes[n].inputs.size() < 2)
            continue;
        const int w = g.nodes[n].inputs[1];
        if (!g.initializers.count(w))
            continue;
        const std::string name = g.values[w].name;
        g.addNode("aisys:FakeQuant", name + "_FakeQuant", {name}, {name + "_fq"},
                  {{"bits", std::int64_t{bits}}});
        const int fq = g.findValue(name + "_fq");
        g.nodes[n].inputs[1] = fq;
        auto& c = g.values[w].consumers;
        c.erase(std::remove(c.begin(), c.end(), static_cast<int>(n)), c.end());
        g.values[fq].consumers.push_back(static_cast<int>(n));
        ++count;
    }
    inferShapes(g);
    return count;
}

int quantizeWeightsInPlace(Graph& g, int bits) {
    int count = 0;
    for (const Node& n : g.nodes) {
        if (!readsWeight(n) || n.inputs.size() < 2 || !g.initializers.count(n.inputs[1]))
            continue;
        Tensor& w = g.initializers[n.inputs[1]];
        QuantSpec spec;
        spec.bits = bits;
        w = quantizeTensor(w, spec).dequantized;
        ++count;
    }
    return count;
}

double accuracy(const Graph& g, const train::Dataset& data) {
    Interpreter it(g);
    it.setInput("x", data.x);
    it.setInput("onehot", train::oneHot(data.labels, data.classes));
    it.run();
    const Tensor* logits = it.value("logits");
    const std::int64_t n = logits->shape()[0], c = logits->shape()[1];
    std::int64_t hits = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < c; ++k)
            if (logits->at(i * c + k) > logits->at(i * c + best))
                best = k;
        hits += best == data.labels.atInt(i);
    }
    return n ? double(hits) / double(n) : 0.0;
}

QatResult ptqVersusQat(const std::string& example, int bits, int floatEpochs, int qatEpochs,
                       std::uint32_t seed) {
    Setup s = setupOf(example, seed);
    QatResult r;
    std::mt19937 rng(seed + 2);
    // 1. Float training.
    train::Adam adam(s.lr);
    train::Trainer floatTrainer(s.model, adam);
    r.floatLoss = trainEpochs(floatTrainer, s.data, s.batch, floatEpochs, rng);
    copyParams(floatTrainer, s.full.graph);
    r.floatAccuracy = accuracy(s.full.graph, s.data);
    // 2. Post-training quantization of the float weights.
    Graph ptq = s.full.graph;
    quantizeWeightsInPlace(ptq, bits);
    r.ptqAccuracy = accuracy(ptq, s.data);
    // 3. QAT: the float weights as the start, fake-quant in the forward pass, fine-tuning.
    models::Model qat = s.model;
    floatTrainer.writeBack(qat.graph);
    insertWeightFakeQuant(qat, bits);
    train::Adam adam2(s.lr * 0.5);
    train::Trainer qatTrainer(qat, adam2);
    r.qatLoss = trainEpochs(qatTrainer, s.data, s.batch, qatEpochs, rng);
    Graph deployed = s.full.graph;
    copyParams(qatTrainer, deployed);
    quantizeWeightsInPlace(deployed, bits);
    r.qatAccuracy = accuracy(deployed, s.data);
    return r;
}

} // namespace aisys::engine::compress
