// Trainer (parameters as inputs of the backward graph) and the spirals / digits examples.
#include "engine/train/trainer.h"

#include "engine/train/datasets.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

namespace aisys::engine::train {

Trainer::Trainer(const models::Model& model, Optimizer& optimizer) : m_optimizer(optimizer) {
    // 1. Turn each parameter initializer into a graph input (its value lives in m_params).
    // 2. Build the backward graph of "loss" with respect to the parameters.
    Graph g = model.graph;
    for (const auto& name : model.params) {
        const int id = g.findValue(name);
        if (id < 0 || !g.initializers.count(id))
            throw std::invalid_argument("parameter '" + name + "' is not an initializer");
        m_params[name] = g.initializers[id];
        g.initializers.erase(id);
        g.values[id].initializer = false;
        g.inputs.push_back(id);
    }
    m_backward = buildBackward(g, {"loss"}, model.params);
    m_backward.graph.outputs.push_back(m_backward.graph.findValue("logits"));
    m_run = std::make_unique<Interpreter>(m_backward.graph);
}

Trainer::StepResult Trainer::evaluate(const Tensor& x, const Tensor& onehot) {
    for (const auto& [name, t] : m_params)
        m_run->setInput(name, t);
    m_run->setInput("x", x);
    m_run->setInput("onehot", onehot);
    m_run->reset();
    m_run->run();
    return {m_run->value("loss")->at(0), *m_run->value("logits")};
}

Trainer::StepResult Trainer::step(const Tensor& x, const Tensor& onehot) {
    for (const auto& [name, t] : m_params)
        m_run->setInput(name, t);
    m_run->setInput("x", x);
    m_run->setInput("onehot", onehot);
    m_run->reset();
    m_run->run();
    Params grads;
    for (const auto& [name, grad] : m_backward.gradients)
        grads[name] = *m_run->value(grad);
    StepResult r{m_run->value("loss")->at(0), *m_run->value("logits")};
    m_optimizer.step(m_params, grads);
    return r;
}

void Trainer::writeBack(Graph& g) const {
    for (const auto& [name, t] : m_params)
        g.initializers[g.findValue(name)] = t;
}

namespace {

/// The held-out samples: the same generator as the training data, this much later a seed.
constexpr std::uint32_t kHeldOutSeed = 7919;

/// Count of rows whose largest logit is the label.
std::int64_t correct(const Tensor& logits, const Tensor& labels) {
    const std::int64_t n = logits.shape()[0], c = logits.shape()[1];
    std::int64_t hits = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < c; ++k)
            if (logits.at(i * c + k) > logits.at(i * c + best))
                best = k;
        hits += best == labels.atInt(i);
    }
    return hits;
}

/// The dataset's rows in the order `perm`.
Dataset permuted(const Dataset& d, const std::vector<std::int64_t>& perm) {
    Dataset out = d;
    const std::int64_t row = d.x.numel() / d.x.shape()[0];
    for (std::size_t i = 0; i < perm.size(); ++i) {
        std::copy_n(d.x.data<float>() + perm[i] * row, row, out.x.data<float>() + i * row);
        out.labels.data<std::int64_t>()[i] = d.labels.data<std::int64_t>()[perm[i]];
    }
    return out;
}

} // namespace

std::vector<EpochStats> trainExample(const std::string& name, int epochs, std::uint32_t seed,
                                     const EpochCallback& callback) {
    // Per epoch: shuffle (seeded), run the batches through Trainer::step, average the loss and
    // count correct predictions.
    Dataset data, heldOut;
    models::Model model;
    std::int64_t batch = 0;
    double lr = 0;
    if (name == "spirals") {
        batch = 200; // full batch: one Adam step per epoch (minibatches plateau on the spirals)
        data = twoSpirals(100, 0.02, seed);
        heldOut = twoSpirals(100, 0.02, seed + kHeldOutSeed);
        model = models::spiralMlp(batch, 32, seed + 1);
        lr = 0.01;
    } else if (name == "digits") {
        batch = 20;
        data = sevenSegmentDigits(20, 12, seed);
        heldOut = sevenSegmentDigits(20, 12, seed + kHeldOutSeed);
        model = models::digitCnn(batch, 12, seed + 1);
        lr = 0.01;
    } else {
        throw std::invalid_argument("unknown training example '" + name +
                                    "' (expected spirals or digits)");
    }
    Adam adam(lr);
    Trainer trainer(model, adam);
    std::mt19937 rng(seed + 2);
    const std::int64_t n = data.labels.numel();
    std::vector<std::int64_t> perm(static_cast<std::size_t>(n));
    std::vector<EpochStats> stats;
    for (int e = 0; e < epochs; ++e) {
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        const Dataset epochData = permuted(data, perm);
        double lossSum = 0;
        std::int64_t hits = 0, batches = 0;
        for (std::int64_t first = 0; first + batch <= n; first += batch, ++batches) {
            const Dataset b = batchOf(epochData, first, batch);
            const auto r = trainer.step(b.x, oneHot(b.labels, b.classes));
            lossSum += r.loss;
            hits += correct(r.logits, b.labels);
        }
        std::int64_t heldHits = 0, heldSeen = 0;
        for (std::int64_t first = 0; first + batch <= heldOut.labels.numel(); first += batch) {
            const Dataset b = batchOf(heldOut, first, batch);
            heldHits +=
                correct(trainer.evaluate(b.x, oneHot(b.labels, b.classes)).logits, b.labels);
            heldSeen += batch;
        }
        EpochStats s{e, lossSum / static_cast<double>(batches),
                     static_cast<double>(hits) / static_cast<double>(batches * batch),
                     heldSeen ? static_cast<double>(heldHits) / static_cast<double>(heldSeen) : 0};
        stats.push_back(s);
        if (callback)
            callback(s);
    }
    return stats;
}

} // namespace aisys::engine::train
