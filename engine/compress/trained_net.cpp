// The two-conv digits CNN's seeded training, and fine-tuning with masks.
#include "engine/compress/trained_net.h"

#include "engine/compress/qat.h"
#include "engine/train/trainer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace aisys::engine::compress {

TrainedNet trainDigitNet(int epochs, std::uint32_t seed) {
    TrainedNet r;
    r.data = train::sevenSegmentDigits(20, 12, seed);
    r.heldOut = train::sevenSegmentDigits(20, 12, seed + 7919);
    const std::int64_t batch = 20, n = r.data.labels.numel();
    models::Model m = models::twoConvDigitNet(batch, seed + 1);
    train::Adam adam(0.01);
    train::Trainer trainer(m, adam);
    std::mt19937 rng(seed + 2);
    std::vector<std::int64_t> perm(static_cast<std::size_t>(n));
    for (int e = 0; e < epochs; ++e) {
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        for (std::int64_t first = 0; first + batch <= n; first += batch) {
            train::Dataset b = train::batchOf(r.data, 0, batch);
            for (std::int64_t i = 0; i < batch; ++i) {
                const std::int64_t src = perm[first + i];
                std::copy_n(r.data.x.data<float>() + src * 144, 144, b.x.data<float>() + i * 144);
                b.labels.data<std::int64_t>()[i] = r.data.labels.data<std::int64_t>()[src];
            }
            trainer.step(b.x, train::oneHot(b.labels, b.classes));
        }
    }
    r.model = models::twoConvDigitNet(n, seed + 1);
    trainer.writeBack(r.model.graph);
    r.trainAccuracy = accuracy(r.model.graph, r.data);
    r.accuracy = accuracy(r.model.graph, r.heldOut);
    return r;
}

double fineTune(Graph& g, const train::Dataset& data, int steps, bool keepZeros) {
    // 1. Parameters: the initializers of Conv/Gemm inputs 1 and 2; masks for the weights.
    models::Model m;
    m.graph = g;
    std::vector<std::pair<std::string, Tensor>> masks;
    const std::size_t nodes = m.graph.nodes.size();
    for (std::size_t n = 0; n < nodes; ++n) {
        const Node node = m.graph.nodes[n];
        if (node.op != "Conv" && node.op != "Gemm")
            continue;
        for (std::size_t k = 1; k < node.inputs.size() && k < 3; ++k) {
            const int v = node.inputs[k];
            if (v < 0 || !m.graph.initializers.count(v))
                continue;
            const std::string name = m.graph.values[v].name;
            m.params.push_back(name);
            if (k != 1 || !keepZeros)
                continue;
            // 2. W ⊙ mask feeds the layer (Dynamic Network Surgery's forward).
            const Tensor& w = m.graph.initializers.at(v);
            Tensor mask(DType::F32, w.shape());
            for (std::int64_t i = 0; i < w.numel(); ++i)
                mask.data<float>()[i] = w.data<float>()[i] != 0.0f ? 1.0f : 0.0f;
            masks.push_back({name, mask});
            m.graph.addInitializer(name + "_mask", mask);
            m.graph.addNode("Mul", name + "_masking", {name, name + "_mask"}, {name + "_masked"});
            const int mv = m.graph.findValue(name + "_masked");
            m.graph.nodes[n].inputs[1] = mv;
            auto& c = m.graph.values[v].consumers;
            c.erase(std::remove(c.begin(), c.end(), static_cast<int>(n)), c.end());
            m.graph.values[mv].consumers.push_back(static_cast<int>(n));
        }
    }
    inferShapes(m.graph);
    // 3. Full-batch Adam steps.
    train::Adam adam(0.005);
    train::Trainer trainer(m, adam);
    const Tensor onehot = train::oneHot(data.labels, data.classes);
    for (int s = 0; s < steps; ++s)
        trainer.step(data.x, onehot);
    // 4. Back into the graph, masked.
    trainer.writeBack(g);
    for (const auto& [name, mask] : masks) {
        Tensor& w = g.initializers[g.findValue(name)];
        for (std::int64_t i = 0; i < w.numel(); ++i)
            w.data<float>()[i] *= mask.data<float>()[i];
    }
    return accuracy(g, data);
}

} // namespace aisys::engine::compress
