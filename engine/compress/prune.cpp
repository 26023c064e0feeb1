// Unstructured and channel-structured magnitude pruning, and the sparsity report.
#include "engine/compress/prune.h"

#include "engine/graph/ops.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>

namespace aisys::engine::compress {

namespace {

bool isLayer(const Graph& g, const Node& n) {
    return (n.op == "Conv" || n.op == "Gemm" || n.op == "MatMul") && n.inputs.size() >= 2 &&
           g.initializers.count(n.inputs[1]) &&
           g.initializers.at(n.inputs[1]).dtype() == DType::F32;
}

bool transB(const Node& n) {
    return n.op == "Gemm" && attrInt(n, "transB", 0) != 0;
}

/// The weight's output-channel axis: Conv 0, Gemm 1 (0 when transB), MatMul last.
int outAxis(const Node& n, const Tensor& w) {
    if (n.op == "Conv")
        return 0;
    if (n.op == "Gemm")
        return transB(n) ? 0 : 1;
    return w.rank() - 1;
}

/// The weight's input-channel axis: Conv 1, Gemm 0 (1 when transB), MatMul rank − 2.
int inAxis(const Node& n, const Tensor& w) {
    if (n.op == "Conv")
        return 1;
    if (n.op == "Gemm")
        return transB(n) ? 1 : 0;
    return w.rank() - 2;
}

/// A copy of `t` without the indices i along `axis` for which i / block is in `drop`.
Tensor dropAlong(const Tensor& t, int axis, const std::set<std::int64_t>& drop,
                 std::int64_t block = 1) {
    Shape s = t.shape();
    const std::int64_t len = s[axis];
    std::vector<std::int64_t> keep;
    for (std::int64_t i = 0; i < len; ++i)
        if (!drop.count(i / block))
            keep.push_back(i);
    std::int64_t outer = 1, inner = 1;
    for (int k = 0; k < axis; ++k)
        outer *= s[k];
    for (int k = axis + 1; k < t.rank(); ++k)
        inner *= s[k];
    s[axis] = static_cast<std::int64_t>(keep.size());
    Tensor out(t.dtype(), s);
    const std::size_t es = dtypeSize(t.dtype());
    const auto* src = static_cast<const std::uint8_t*>(t.rawData());
    auto* dst = static_cast<std::uint8_t*>(out.rawData());
    const std::size_t row = static_cast<std::size_t>(inner) * es;
    for (std::int64_t o = 0; o < outer; ++o)
        for (std::size_t k = 0; k < keep.size(); ++k)
            std::copy_n(src + (o * len + keep[k]) * row, row,
                        dst + (o * static_cast<std::int64_t>(keep.size()) + k) * row);
    return out;
}

/// The consumers a producer's channels reach, found by walking channel-wise ops.
struct Reach {
    struct Use {
        int node;
        std::int64_t block; ///< elements per channel along the consumer's input axis
    };
    std::vector<Use> consumers;  ///< Conv / Gemm / MatMul reading the channels as input 0
    std::vector<int> batchNorms; ///< BatchNormalization nodes on the way
    std::string problem;
};

/// True when the op keeps channels apart (OpDef::channelWise): element-wise unary ops, pooling.
bool channelWise(const std::string& op) {
    const OpDef* def = OpRegistry::builtin().find(op);
    return def && def->channelWise;
}

Reach reachOf(const Graph& g, int producer) {
    Reach r;
    std::vector<std::pair<int, std::int64_t>> todo = {{g.nodes[producer].outputs[0], 1}};
    std::set<int> seen;
    while (!todo.empty() && r.problem.empty()) {
        const auto [v, block] = todo.back();
        todo.pop_back();
        if (!seen.insert(v).second)
            continue;
        if (std::count(g.outputs.begin(), g.outputs.end(), v))
            r.problem = "'" + g.values[v].name + "' is a graph output";
        for (int c : g.values[v].consumers) {
            const Node& n = g.nodes[c];
            const bool first = !n.inputs.empty() && n.inputs[0] == v &&
                               std::count(n.inputs.begin(), n.inputs.end(), v) == 1;
            if (!r.problem.empty()) {
                break;
            } else if (!first) {
                r.problem = "'" + n.name + "' (" + n.op + ") reads it as a parameter";
            } else if (channelWise(n.op)) {
                todo.push_back({n.outputs[0], block});
            } else if (n.op == "BatchNormalization") {
                for (std::size_t k = 1; k < 5 && k < n.inputs.size(); ++k)
                    if (!g.initializers.count(n.inputs[k]))
                        r.problem = "'" + n.name + "' has a non-constant parameter";
                r.batchNorms.push_back(c);
                todo.push_back({n.outputs[0], block});
            } else if (n.op == "Flatten" && attrInt(n, "axis", 1) == 1 &&
                       g.values[v].shape.size() >= 2) {
                const Shape& s = g.values[v].shape;
                std::int64_t hw = 1;
                for (std::size_t k = 2; k < s.size(); ++k)
                    hw *= s[k];
                if (hw <= 0)
                    r.problem = "'" + n.name + "' flattens unknown dimensions";
                todo.push_back({n.outputs[0], block * hw});
            } else if (isLayer(g, n) && !(n.op == "Conv" && attrInt(n, "group", 1) != 1) &&
                       !(n.op == "Gemm" && attrInt(n, "transA", 0) != 0) &&
                       !(n.op == "Conv" && block != 1)) {
                r.consumers.push_back({c, block});
            } else {
                r.problem = "'" + n.name + "' (" + n.op + ") does not keep channels apart";
            }
        }
    }
    if (r.problem.empty() && r.consumers.empty())
        r.problem = "no consumer layer";
    return r;
}

} // namespace

SparsityReport sparsityReport(const Graph& graph) {
    Graph g = graph;
    inferShapes(g);
    SparsityReport rep;
    for (const Node& n : g.nodes) {
        if (!isLayer(g, n))
            continue;
        const Tensor& w = g.initializers.at(n.inputs[1]);
        LayerSparsity l;
        l.node = n.name;
        l.weight = g.values[n.inputs[1]].name;
        l.shape = w.shape();
        l.params = w.numel();
        for (std::int64_t i = 0; i < w.numel(); ++i)
            l.nonzero += w.data<float>()[i] != 0.0f;
        const Shape& out = g.values[n.outputs[0]].shape;
        const std::int64_t outChannels = w.shape()[outAxis(n, w)];
        double outElems = 1;
        for (std::int64_t d : out)
            outElems *= static_cast<double>(std::max<std::int64_t>(d, 0));
        l.flops = 2.0 * outElems * static_cast<double>(w.numel()) /
                  static_cast<double>(std::max<std::int64_t>(1, outChannels));
        l.effectiveFlops = l.params ? l.flops * double(l.nonzero) / double(l.params) : 0.0;
        rep.params += l.params;
        rep.nonzero += l.nonzero;
        rep.flops += l.flops;
        rep.effectiveFlops += l.effectiveFlops;
        rep.layers.push_back(std::move(l));
    }
    return rep;
}

std::vector<double> pruneUnstructured(Graph& g, double sparsity, bool global) {
    if (!(sparsity >= 0 && sparsity < 1))
        throw std::invalid_argument("sparsity " + std::to_string(sparsity) +
                                    ": expected a fraction in [0, 1)");
    std::vector<Tensor*> weights;
    for (const Node& n : g.nodes)
        if (isLayer(g, n))
            weights.push_back(&g.initializers.at(n.inputs[1]));
    // The k-th smallest magnitude is the threshold; ties at it are pruned in index order so
    // the count is exact.
    auto thresholdOf = [&](std::vector<float> mags, std::size_t& k) {
        k = static_cast<std::size_t>(std::llround(sparsity * static_cast<double>(mags.size())));
        if (k == 0)
            return -1.0;
        std::nth_element(mags.begin(), mags.begin() + (k - 1), mags.end());
        return static_cast<double>(mags[k - 1]);
    };
    auto apply = [](const std::vector<Tensor*>& ws, double t, std::size_t k) {
        std::size_t below = 0;
        for (Tensor* w : ws)
            for (std::int64_t i = 0; i < w->numel(); ++i)
                below += std::fabs(w->data<float>()[i]) < t;
        std::size_t tiesLeft = k > below ? k - below : 0;
        for (Tensor* w : ws)
            for (std::int64_t i = 0; i < w->numel(); ++i) {
                float& x = w->data<float>()[i];
                const double a = std::fabs(x);
                if (a < t)
                    x = 0;
                else if (a == t && tiesLeft > 0) {
                    x = 0;
                    --tiesLeft;
                }
            }
    };
    std::vector<double> thresholds;
    if (global) {
        std::vector<float> mags;
        for (Tensor* w : weights)
            for (std::int64_t i = 0; i < w->numel(); ++i)
                mags.push_back(std::fabs(w->data<float>()[i]));
        std::size_t k = 0;
        const double t = thresholdOf(mags, k);
        if (k > 0)
            apply(weights, t, k);
        thresholds.assign(weights.size(), std::max(0.0, t));
        return thresholds;
    }
    for (Tensor* w : weights) {
        std::vector<float> mags(static_cast<std::size_t>(w->numel()));
        for (std::int64_t i = 0; i < w->numel(); ++i)
            mags[i] = std::fabs(w->data<float>()[i]);
        std::size_t k = 0;
        const double t = thresholdOf(mags, k);
        if (k > 0)
            apply({w}, t, k);
        thresholds.push_back(std::max(0.0, t));
    }
    return thresholds;
}

std::vector<ChannelPruning> pruneChannels(Graph& g, double ratio,
                                          const std::vector<std::string>& only) {
    if (!(ratio >= 0 && ratio < 1))
        throw std::invalid_argument("channel ratio " + std::to_string(ratio) +
                                    ": expected a fraction in [0, 1)");
    inferShapes(g);
    std::vector<ChannelPruning> out;
    for (int p : g.topoOrder()) {
        const Node& node = g.nodes[p];
        if (!isLayer(g, node) || node.op == "MatMul")
            continue;
        if (!only.empty() && std::find(only.begin(), only.end(), node.name) == only.end())
            continue;
        ChannelPruning cp;
        cp.node = node.name;
        if (node.op == "Conv" && attrInt(node, "group", 1) != 1) {
            cp.skipped = "grouped convolution";
            out.push_back(cp);
            continue;
        }
        // 1. L1 norm of each output channel of the producer's weight.
        const int wid = node.inputs[1];
        const Tensor& w = g.initializers.at(wid);
        const int axis = outAxis(node, w);
        const std::int64_t channels = w.shape()[axis];
        std::int64_t inner = 1;
        for (int k = axis + 1; k < w.rank(); ++k)
            inner *= w.shape()[k];
        cp.l1.assign(static_cast<std::size_t>(channels), 0.0);
        for (std::int64_t i = 0; i < w.numel(); ++i)
            cp.l1[(i / inner) % channels] += std::fabs(w.data<float>()[i]);
        // 2. Where do the channels go?
        const Reach reach = reachOf(g, p);
        if (!reach.problem.empty()) {
            cp.skipped = reach.problem;
            out.push_back(cp);
            continue;
        }
        // 3. The m smallest (stable order for ties), at least one channel kept.
        const std::int64_t m = std::min<std::int64_t>(
            channels - 1, std::llround(ratio * static_cast<double>(channels)));
        std::vector<std::int64_t> idx(static_cast<std::size_t>(channels));
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(),
                         [&](std::int64_t a, std::int64_t b) { return cp.l1[a] < cp.l1[b]; });
        const std::set<std::int64_t> drop(idx.begin(), idx.begin() + m);
        cp.removed.assign(drop.begin(), drop.end());
        if (drop.empty()) {
            out.push_back(cp);
            continue;
        }
        // 4. Producer weight and bias, BatchNormalization parameters, consumer input channels.
        g.initializers[wid] = dropAlong(w, axis, drop);
        const std::size_t bias = 2; // Conv B and Gemm C
        if (node.inputs.size() > bias && node.inputs[bias] >= 0 &&
            g.initializers.count(node.inputs[bias])) {
            Tensor& b = g.initializers[node.inputs[bias]];
            if (b.rank() == 1 && b.shape()[0] == channels)
                b = dropAlong(b, 0, drop);
        }
        for (int bn : reach.batchNorms) {
            for (std::size_t k = 1; k < 5; ++k)
                g.initializers[g.nodes[bn].inputs[k]] =
                    dropAlong(g.initializers[g.nodes[bn].inputs[k]], 0, drop);
            cp.adjusted.push_back(g.nodes[bn].name);
        }
        for (const Reach::Use& u : reach.consumers) {
            const Node& c = g.nodes[u.node];
            Tensor& cw = g.initializers[c.inputs[1]];
            cw = dropAlong(cw, inAxis(c, cw), drop, u.block);
            cp.adjusted.push_back(c.name);
        }
        for (const auto& [id, t] : g.initializers)
            g.values[id].shape = t.shape();
        inferShapes(g);
        out.push_back(cp);
    }
    if (const std::string err = g.verify(); !err.empty())
        throw std::logic_error("pruneChannels produced an invalid graph: " + err);
    return out;
}

} // namespace aisys::engine::compress
