// The 3D-parallelism planner's model and ranking (see planner.h).
//
// Estimates for the busiest device (pipeline stage 0, which also holds the embedding):
//  - parameters on it: (l/p)·(12h² + 13h)/t + V·h/t + s·h (Narayanan et al. 2021, Eq. (2) split
//    over t and p; the position embedding replicated);
//  - model states: ZeRO over the data-parallel group (zero_memory.h, mixed-precision Adam);
//  - activations per layer and micro-batch, 16-bit, tensor parallel without sequence
//    parallelism: s·b·h·(10 + 24/t + 5·a·s/(h·t)) bytes (Korthikanti et al. 2022, "Reducing
//    Activation Recomputation in Large Transformer Models", Eq. (2)); with full recomputation
//    only each layer's input, 2·s·b·h, plus one layer's working set; 1F1B keeps min(m, p)
//    micro-batches in flight on stage 0 (Narayanan et al. §2.2.1);
//  - compute: the step's FLOPs (transformerStepFlops) / (n · peak · efficiency), plus the 1F1B
//    bubble (p − 1)/m of it;
//  - tensor parallel: 4 all-reduces of 2·b·s·h bytes per layer and micro-batch (2 forward, 2
//    backward; 2 more when the forward is recomputed; Shoeybi et al. 2019 §3), ring closed form
//    2(t − 1)α + 2((t − 1)/t)·n/β, inside a node when t ≤ GPUs per node (TP is the innermost
//    rank dimension, as in Megatron's parallel_state);
//  - pipeline: stage 0 sends m activations and receives m gradients of 2·b·s·h bytes, across
//    nodes when t·d ≥ GPUs per node (PP is the outermost dimension);
//  - data parallel: the ring all-reduce of the stage's 16-bit gradients (× 1.5 for ZeRO-3's
//    volume, ZeRO §7), across nodes when t·d > GPUs per node; not overlapped (an upper bound:
//    see data_parallel.h for overlap).
#include "engine/dist/planner.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace aisys::engine::dist {

namespace {

std::string gb(double bytes) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f GB", bytes / 1e9);
    return b;
}

double ringAllReduce(int p, double bytes, double alpha, double bw) {
    if (p <= 1)
        return 0;
    return 2.0 * (p - 1) * alpha + 2.0 * (double(p - 1) / p) * bytes / bw;
}

} // namespace

std::string Plan::label() const {
    std::string s = "DP " + std::to_string(dp) + " x TP " + std::to_string(tp) + " x PP " +
                    std::to_string(pp) + ", b " + std::to_string(microBatch);
    if (zero != ZeroStage::None)
        s += ", ZeRO-" + std::to_string(int(zero));
    if (recompute)
        s += ", recompute";
    return s;
}

double transformerParameters(const ModelSpec& m) {
    const double l = m.layers, h = m.hidden, V = m.vocab, s = m.seq;
    return 12 * l * h * h * (1 + 13 / (12 * h) + (V + s) / (12 * l * h));
}

double transformerStepFlops(const ModelSpec& m, bool recompute) {
    const double B = m.globalBatch, s = m.seq, l = m.layers, h = m.hidden, V = m.vocab;
    if (recompute)
        return 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
    return 72 * B * s * l * h * h * (1 + s / (6 * h) + V / (12 * l * h));
}

std::string checkModel(const ModelSpec& m) {
    const std::pair<const char*, int> f[] = {{"layers", m.layers}, {"hidden", m.hidden},
                                             {"heads", m.heads},   {"seq", m.seq},
                                             {"vocab", m.vocab},   {"batch", m.globalBatch}};
    for (const auto& [name, v] : f)
        if (v < 1)
            return std::string("model ") + name + ": expected at least 1, got " + std::to_string(v);
    if (m.hidden % m.heads != 0)
        return "model: hidden " + std::to_string(m.hidden) + " is not divisible by heads " +
               std::to_string(m.heads);
    return "";
}

std::string checkCluster(const ClusterSpec& c) {
    if (c.nodes < 1)
        return "cluster nodes: expected at least 1, got " + std::to_string(c.nodes);
    if (c.gpusPerNode < 1)
        return "cluster gpus_per_node: expected at least 1, got " + std::to_string(c.gpusPerNode);
    const std::pair<const char*, double> f[] = {{"memory", c.memoryBytes},
                                                {"peak", c.peakFlops},
                                                {"efficiency", c.efficiency},
                                                {"intra_bw", c.intraBw},
                                                {"inter_bw", c.interBw}};
    for (const auto& [name, v] : f)
        if (!(v > 0) || !std::isfinite(v))
            return std::string("cluster ") + name + ": expected a value > 0";
    if (c.efficiency > 1)
        return "cluster efficiency: expected a fraction of peak in (0, 1], got " +
               std::to_string(c.efficiency);
    if (!(c.intraAlpha >= 0) || !(c.interAlpha >= 0))
        return "cluster intra_alpha/inter_alpha: expected times ≥ 0";
    return "";
}

Plan evaluatePlan(const ModelSpec& m, const ClusterSpec& c, Plan p) {
    // 1. Does it divide? 2. Memory on stage 0. 3. Time.
    const int n = c.world(), t = p.tp, pp = p.pp, d = p.dp;
    if (std::int64_t(d) * t * pp != n) {
        p.reason = "DP x TP x PP = " + std::to_string(std::int64_t(d) * t * pp) +
                   " is not the world size " + std::to_string(n) + " (" + std::to_string(c.nodes) +
                   " nodes x " + std::to_string(c.gpusPerNode) + ")";
        return p;
    }
    if (m.heads % t != 0) {
        p.reason = "TP " + std::to_string(t) + " does not divide the " + std::to_string(m.heads) +
                   " attention heads";
        return p;
    }
    if (m.layers % pp != 0) {
        p.reason = "PP " + std::to_string(pp) + " does not divide the " + std::to_string(m.layers) +
                   " layers";
        return p;
    }
    if (m.globalBatch % d != 0) {
        p.reason = "DP " + std::to_string(d) + " does not divide the global batch " +
                   std::to_string(m.globalBatch);
        return p;
    }
    if ((m.globalBatch / d) % p.microBatch != 0) {
        p.reason = "micro-batch " + std::to_string(p.microBatch) + " does not divide the " +
                   std::to_string(m.globalBatch / d) + " sequences of a data-parallel rank";
        return p;
    }
    p.microBatches = m.globalBatch / d / p.microBatch;
    const double l = m.layers, h = m.hidden, s = m.seq, a = m.heads, b = p.microBatch;
    const double layersHere = l / pp;
    p.parameters = layersHere * (12 * h * h + 13 * h) / t + double(m.vocab) * h / t + s * h;
    p.modelStateBytes = zeroMemory(p.parameters, d, p.zero).total;
    const double perLayer = s * b * h * (10 + 24.0 / t + 5 * a * s / (h * t));
    const double inFlight = std::min(p.microBatches, pp);
    p.activationBytes = p.recompute ? inFlight * layersHere * 2 * s * b * h + perLayer
                                    : inFlight * layersHere * perLayer;
    p.memoryBytes = p.modelStateBytes + p.activationBytes;
    // Time.
    const double flops = transformerStepFlops(m, p.recompute);
    p.compute = flops / (double(n) * c.peakFlops * c.efficiency);
    p.bubble = p.compute * (pp - 1) / double(p.microBatches);
    const double msg = 2 * b * s * h;
    const bool tpIntra = t <= c.gpusPerNode;
    p.tpComm = layersHere * p.microBatches * (p.recompute ? 6 : 4) *
               ringAllReduce(t, msg, tpIntra ? c.intraAlpha : c.interAlpha,
                             tpIntra ? c.intraBw : c.interBw);
    const bool ppInter = std::int64_t(t) * d >= c.gpusPerNode;
    p.ppComm = pp > 1 ? 2.0 * p.microBatches *
                            ((ppInter ? c.interAlpha : c.intraAlpha) +
                             msg / (ppInter ? c.interBw : c.intraBw))
                      : 0.0;
    const bool dpInter = std::int64_t(t) * d > c.gpusPerNode;
    p.dpComm = ringAllReduce(d, 2 * p.parameters, dpInter ? c.interAlpha : c.intraAlpha,
                             dpInter ? c.interBw : c.intraBw) *
               (p.zero == ZeroStage::Parameters ? 1.5 : 1.0);
    p.step = p.compute + p.bubble + p.tpComm + p.ppComm + p.dpComm;
    p.tflopsPerGpu = flops / (double(n) * p.step) / 1e12;
    if (p.memoryBytes > c.memoryBytes)
        p.reason = "needs " + gb(p.memoryBytes) + " per GPU (model states " +
                   gb(p.modelStateBytes) + ", activations " + gb(p.activationBytes) + "), has " +
                   gb(c.memoryBytes);
    return p;
}

PlanReport planParallelism(const ModelSpec& m, const ClusterSpec& c, const PlanOptions& opt) {
    if (std::string e = checkModel(m); !e.empty())
        throw std::invalid_argument(e);
    if (std::string e = checkCluster(c); !e.empty())
        throw std::invalid_argument(e);
    const int n = c.world();
    PlanReport r;
    r.parameters = transformerParameters(m);
    r.flopsPerStep = transformerStepFlops(m, false);
    std::vector<std::array<int, 3>> shapes; // dp, tp, pp
    if (opt.dp > 0 || opt.tp > 0 || opt.pp > 0) {
        const int d = std::max(opt.dp, 1), t = std::max(opt.tp, 1), pp = std::max(opt.pp, 1);
        if (std::int64_t(d) * t * pp != n)
            throw std::invalid_argument(
                "DP x TP x PP = " + std::to_string(d) + " x " + std::to_string(t) + " x " +
                std::to_string(pp) + " = " + std::to_string(std::int64_t(d) * t * pp) +
                " is not the world size " + std::to_string(n) + " (" + std::to_string(c.nodes) +
                " nodes x " + std::to_string(c.gpusPerNode) + " GPUs)");
        shapes.push_back({d, t, pp});
    } else {
        for (int t = 1; t <= n; ++t)
            if (n % t == 0)
                for (int pp = 1; pp <= n / t; ++pp)
                    if ((n / t) % pp == 0)
                        shapes.push_back({n / t / pp, t, pp});
    }
    for (const auto& [d, t, pp] : shapes)
        for (int b : opt.microBatchSizes)
            for (ZeroStage z : opt.zeroStages)
                for (bool rc : opt.recompute) {
                    Plan p;
                    p.dp = d;
                    p.tp = t;
                    p.pp = pp;
                    p.microBatch = b;
                    p.zero = z;
                    p.recompute = rc;
                    p = evaluatePlan(m, c, p);
                    (p.reason.empty() ? r.ranked : r.rejected).push_back(p);
                }
    std::stable_sort(r.ranked.begin(), r.ranked.end(), [](const Plan& x, const Plan& y) {
        if (x.step != y.step)
            return x.step < y.step;
        return x.memoryBytes < y.memoryBytes;
    });
    return r;
}

} // namespace aisys::engine::dist
