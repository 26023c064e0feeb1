// The collective simulator: schedule rounds per rank, staged payloads over the Network, the
// reference check and the nccl-tests metrics.
#include "engine/dist/simulate.h"

#include "engine/dist/closed_forms.h"
#include "engine/dist/runner.h"
#include "engine/dist/schedule_kit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace aisys::engine::dist {

double busBandwidthFactor(Op op, int p) {
    const double q = p;
    switch (op) {
    case Op::AllReduce:
        return 2 * (q - 1) / q;
    case Op::AllGather:
    case Op::ReduceScatter:
    case Op::AllToAll:
    case Op::Gather:
    case Op::Scatter:
        return (q - 1) / q;
    case Op::Broadcast:
    case Op::Reduce:
        return 1;
    case Op::Barrier:
        return 0;
    }
    return 0;
}

namespace {

using detail::kUnset;
using detail::Runner;

/// The seeded input: small integers in [−16, 16] so that sums of up to 2^19 ranks are exact.
float seeded(int rank, std::int64_t i) {
    std::uint64_t x = std::uint64_t(rank) * 0x9E3779B97F4A7C15ull + std::uint64_t(i) + 1;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return float(int(x % 33) - 16);
}

} // namespace

std::optional<CollectiveResult>
simulateCollective(const Topology& topo, const CollectiveConfig& cfg, std::string& error) {
    const int p = topo.rankCount();
    if (p < 1) {
        error = "the topology has no ranks";
        return std::nullopt;
    }
    if (std::string v = topo.validate(); !v.empty()) {
        error = v;
        return std::nullopt;
    }
    const bool barrier = cfg.op == Op::Barrier;
    if (cfg.elemBytes < 1) {
        error = "element size must be at least 1 byte";
        return std::nullopt;
    }
    if (!barrier && cfg.bytes % cfg.elemBytes != 0) {
        error = "size " + std::to_string(cfg.bytes) + " bytes is not a whole number of " +
                std::to_string(cfg.elemBytes) + "-byte elements";
        return std::nullopt;
    }
    const std::int64_t count = barrier ? p : cfg.bytes / cfg.elemBytes;
    if (!barrier && cfg.chunkBytes > cfg.bytes) {
        error = "chunk of " + std::to_string(cfg.chunkBytes) + " bytes is larger than the " +
                std::to_string(cfg.bytes) + "-byte message (expected a chunk ≤ the size)";
        return std::nullopt;
    }
    if (cfg.chunkBytes < 0) {
        error = "chunk must be positive (or 0 for no split)";
        return std::nullopt;
    }
    // 1. The schedule. Pipelined algorithms cut their vector into ⌈part/chunk⌉ segments.
    ScheduleSpec spec{cfg.op, cfg.algo, p, count, cfg.root, cfg.ranksPerNode, 1};
    if (spec.ranksPerNode == 0)
        spec.ranksPerNode = topo.ranksPerNode();
    if (cfg.chunkBytes > 0 && !barrier) {
        const std::int64_t part = cfg.algo == Algo::DoubleBinaryTree ? cfg.bytes / 2 : cfg.bytes;
        const std::int64_t seg = (part + cfg.chunkBytes - 1) / cfg.chunkBytes;
        spec.segments = int(std::clamp<std::int64_t>(
            seg, 1, std::min<std::int64_t>(std::max<std::int64_t>(1, count / 2), 65536)));
    }
    std::unique_ptr<Schedule> sched = makeSchedule(spec, error);
    if (!sched)
        return std::nullopt;
    // 2. The payload each rank carries (all of it when it fits the budget).
    const std::int64_t regions = sched->regions();
    std::int64_t payload = count;
    if (!barrier && (__int128)count * p * regions > cfg.payloadBudget) {
        payload =
            std::max<std::int64_t>(1, cfg.payloadBudget / (std::int64_t(p) * regions * p)) * p;
        payload = std::min(payload, count);
    }
    if (!cfg.inputs.empty()) {
        if (int(cfg.inputs.size()) != p) {
            error = "inputs: " + std::to_string(cfg.inputs.size()) + " tensors for " +
                    std::to_string(p) + " ranks";
            return std::nullopt;
        }
        for (int r = 0; r < p; ++r)
            if (cfg.inputs[r].dtype() != DType::F32 || cfg.inputs[r].numel() != count) {
                error = "input of rank " + std::to_string(r) + ": expected f32 with " +
                        std::to_string(count) + " elements, got " +
                        dtypeName(cfg.inputs[r].dtype()) + " " +
                        shapeToString(cfg.inputs[r].shape());
                return std::nullopt;
            }
        if (payload != count) {
            error = "inputs need the whole buffer in memory: count × ranks must be ≤ the payload "
                    "budget of " +
                    std::to_string(cfg.payloadBudget) + " floats";
            return std::nullopt;
        }
    }
    const int elemBytes = barrier ? 0 : cfg.elemBytes;
    Runner run(topo, cfg, *sched, count, payload, elemBytes);
    auto input = [&](int r, std::int64_t i) {
        return cfg.inputs.empty() ? seeded(r, i) : cfg.inputs[r].data<float>()[i];
    };
    // 3. Initial buffers: only what the op reads is set; the rest holds kUnset.
    std::vector<std::int64_t> vb(p + 1); // payload block boundaries
    for (int j = 0; j <= p; ++j)
        vb[j] = run.map(blockBegin(count, p, j));
    auto& buf = run.buffers();
    for (int r = 0; r < p; ++r) {
        std::vector<float>& b = buf[r];
        switch (cfg.op) {
        case Op::Broadcast:
        case Op::Scatter:
            if (r == cfg.root)
                for (std::int64_t i = 0; i < payload; ++i)
                    b[i] = input(r, i);
            break;
        case Op::Gather:
        case Op::AllGather:
            for (std::int64_t i = vb[r]; i < vb[r + 1]; ++i)
                b[i] = input(r, i);
            break;
        case Op::Barrier:
            std::fill(b.begin(), b.end(), 0.0f);
            b[r] = 1;
            break;
        default: // reductions and all-to-all read the whole first region
            for (std::int64_t i = 0; i < payload; ++i)
                b[i] = input(r, i);
        }
    }
    // 4. Reference values, computed before the run changes the buffers.
    std::vector<float> sum;
    std::vector<double> mag;
    const bool reduces =
        cfg.op == Op::Reduce || cfg.op == Op::AllReduce || cfg.op == Op::ReduceScatter;
    if (reduces) {
        sum.assign(payload, 0.0f);
        mag.assign(payload, 0.0);
        for (int r = 0; r < p; ++r)
            for (std::int64_t i = 0; i < payload; ++i) {
                sum[i] += buf[r][i];
                mag[i] += std::fabs(buf[r][i]);
            }
    }
    std::vector<std::vector<float>> a2aIn;
    if (cfg.op == Op::AllToAll)
        for (int r = 0; r < p; ++r)
            a2aIn.emplace_back(buf[r].begin(), buf[r].begin() + payload);
    // 5. Run.
    run.run();
    // 6. Check every rank's result against the reference.
    CollectiveResult res;
    const double tolScale = cfg.inputs.empty() ? 0.0 : 1e-5;
    auto check = [&](int r, std::int64_t i, float got, float want, double tol) {
        if (std::fabs(double(got) - double(want)) <= tol)
            return;
        if (res.wrong++ == 0)
            res.firstWrong = "rank " + std::to_string(r) + " element " + std::to_string(i) +
                             ": got " + std::to_string(got) + ", expected " + std::to_string(want);
    };
    for (int r = 0; r < p; ++r) {
        const std::vector<float>& b = buf[r];
        switch (cfg.op) {
        case Op::Broadcast:
            for (std::int64_t i = 0; i < payload; ++i)
                check(r, i, b[i], input(cfg.root, i), 0);
            break;
        case Op::Reduce:
        case Op::AllReduce:
            if (cfg.op == Op::AllReduce || r == cfg.root)
                for (std::int64_t i = 0; i < payload; ++i)
                    check(r, i, b[i], sum[i], tolScale * mag[i]);
            break;
        case Op::ReduceScatter:
            for (std::int64_t i = vb[r]; i < vb[r + 1]; ++i)
                check(r, i, b[i], sum[i], tolScale * mag[i]);
            break;
        case Op::Scatter:
            for (std::int64_t i = vb[r]; i < vb[r + 1]; ++i)
                check(r, i, b[i], input(cfg.root, i), 0);
            break;
        case Op::Gather:
        case Op::AllGather:
            if (cfg.op == Op::AllGather || r == cfg.root)
                for (int j = 0; j < p; ++j)
                    for (std::int64_t i = vb[j]; i < vb[j + 1]; ++i)
                        check(r, i, b[i], input(j, i), 0);
            break;
        case Op::AllToAll: {
            // Receive block s of rank r = send block r of rank s.
            const std::int64_t bs = payload / p;
            for (int s = 0; s < p; ++s)
                for (std::int64_t i = 0; i < bs; ++i)
                    check(r, 2 * payload + s * bs + i, b[2 * payload + s * bs + i],
                          a2aIn[s][r * bs + i], 0);
            break;
        }
        case Op::Barrier:
            for (int j = 0; j < p; ++j)
                check(r, j, b[j], 1.0f, 0);
            break;
        }
    }
    // 7. Metrics.
    Network& net = run.network();
    res.verified = res.wrong == 0;
    res.time = net.now();
    res.count = count;
    res.size = barrier ? 0 : cfg.bytes;
    res.payload = payload;
    res.rounds = sched->rounds();
    res.algbw = res.time > 0 ? double(res.size) / 1e9 / res.time : 0;
    res.busbw = res.algbw * busBandwidthFactor(cfg.op, p);
    res.rankBytes = run.rankBytes();
    res.roundEnd = run.roundEnd();
    res.linkBytes = net.linkBytes();
    res.timeline = net.timeline();
    res.stats = net.stats();
    if ((topo.name() == "ring" || topo.name() == "full") && topo.linkCount() > 0 &&
        cfg.chunkBytes == 0) {
        const Link& l = topo.link(0);
        if (auto cf =
                closedFormTime(cfg.op, cfg.algo, p, count, cfg.elemBytes, l.alpha, l.bandwidth);
            cf && (topo.name() == "full" || cfg.algo == Algo::Ring))
            res.closedForm = *cf;
    }
    if (cfg.keepBuffers) {
        const std::int64_t off = cfg.op == Op::AllToAll ? 2 * payload : 0;
        for (int r = 0; r < p; ++r)
            res.buffers.push_back(
                Tensor::f32({payload}, std::vector<float>(buf[r].begin() + off,
                                                          buf[r].begin() + off + payload)));
    }
    return res;
}

std::optional<CollectiveResult> runSchedule(const Topology& topo, const Schedule& schedule,
                                            std::vector<std::vector<float>> buffers, int elemBytes,
                                            std::int64_t chunkBytes, const RoundObserver& observe,
                                            std::string& error) {
    const int p = topo.rankCount();
    if (std::string v = topo.validate(); !v.empty()) {
        error = v;
        return std::nullopt;
    }
    if (int(buffers.size()) != p || p < 1) {
        error = std::to_string(buffers.size()) + " buffers for " + std::to_string(p) + " ranks";
        return std::nullopt;
    }
    const std::int64_t len = std::int64_t(buffers[0].size()) / schedule.regions();
    for (const auto& b : buffers)
        if (std::int64_t(b.size()) != len * schedule.regions() || len < 1) {
            error = "every rank's buffer needs the same length (a multiple of the regions)";
            return std::nullopt;
        }
    CollectiveConfig cfg;
    cfg.op = Op::AllReduce; // Combine::Reduce sums
    cfg.chunkBytes = chunkBytes;
    Runner run(topo, cfg, schedule, len, len, elemBytes);
    run.buffers() = std::move(buffers);
    run.setObserver(&observe);
    run.run();
    CollectiveResult res;
    Network& net = run.network();
    res.time = net.now();
    res.count = res.payload = len;
    res.rounds = schedule.rounds();
    res.verified = true; // the caller checks what the schedule computes
    res.rankBytes = run.rankBytes();
    res.linkBytes = net.linkBytes();
    res.roundEnd = run.roundEnd();
    res.timeline = net.timeline();
    res.stats = net.stats();
    for (const auto& b : run.buffers())
        res.buffers.push_back(Tensor::f32({std::int64_t(b.size())}, b));
    return res;
}

} // namespace aisys::engine::dist
