// Data-parallel backward with bucketed, overlapped all-reduce (see data_parallel.h).
// Li et al., "PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
// VLDB 2020, §3.2 (gradient bucketing, overlapping computation with communication); bucket
// assignment as torch/csrc/distributed/c10d/reducer.cpp compute_bucket_assignment_by_size
// (a tensor joins the bucket, the bucket closes once it reaches the cap) in the reverse order
// of the parameters, DDP's default caps in torch/nn/parallel/distributed.py (bucket_cap_mb 25,
// first bucket 1 MiB).
#include "engine/dist/data_parallel.h"

#include "engine/dist/simulate.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace aisys::engine::dist {

DataParallelResult simulateDataParallel(const DataParallelSetup& st) {
    // 1. Check; per-layer times and sizes.
    // 2. Backward from the last layer: layer ends, and the buckets they fill.
    // 3. Each bucket's all-reduce time from the simulator (one run per distinct size), started
    //    at max(ready, previous bucket's end).
    const int L = st.layers;
    if (L < 1)
        throw std::invalid_argument("layers: expected at least 1, got " + std::to_string(L));
    if (st.ranks < 1)
        throw std::invalid_argument("ranks: expected at least 1, got " + std::to_string(st.ranks));
    auto expand = [&](const auto& v, const char* what) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if (v.size() != 1 && v.size() != std::size_t(L))
            throw std::invalid_argument(std::string(what) + ": expected 1 or " + std::to_string(L) +
                                        " values (one per layer), got " + std::to_string(v.size()));
        std::vector<T> out(std::size_t(L), v[0]);
        if (v.size() == std::size_t(L))
            out = v;
        return out;
    };
    const std::vector<double> tb = expand(st.backward, "backward");
    const std::vector<std::int64_t> gb = expand(st.gradBytes, "gradient bytes");
    for (int l = 0; l < L; ++l) {
        if (!(tb[std::size_t(l)] >= 0) || tb[std::size_t(l)] > 1e300)
            throw std::invalid_argument("backward of layer " + std::to_string(l) +
                                        ": expected a finite time ≥ 0");
        if (gb[std::size_t(l)] < 0 || gb[std::size_t(l)] % 4 != 0)
            throw std::invalid_argument("gradient bytes of layer " + std::to_string(l) + ": " +
                                        std::to_string(gb[std::size_t(l)]) +
                                        " (expected ≥ 0 and a multiple of 4: float32)");
    }
    ShapeParams sp = st.net;
    sp.ranks = st.ranks;
    std::string err;
    const auto topo = makeTopology(st.topology, sp, err);
    if (!topo)
        throw std::invalid_argument("topology: " + err);

    DataParallelResult r;
    r.layerEnd.assign(std::size_t(L), 0.0);
    double t = 0;
    GradientBucket open;
    bool hasOpen = false;
    for (int l = L - 1; l >= 0; --l) {
        t += tb[std::size_t(l)];
        r.layerEnd[std::size_t(l)] = t;
        if (!hasOpen) {
            open = GradientBucket{};
            open.lastLayer = l;
            hasOpen = true;
        }
        open.firstLayer = l;
        open.bytes += gb[std::size_t(l)];
        open.ready = t;
        const std::int64_t cap =
            r.buckets.empty() && st.firstBucketBytes > 0 ? st.firstBucketBytes : st.bucketBytes;
        if (open.bytes >= cap || l == 0) {
            r.buckets.push_back(open);
            hasOpen = false;
        }
    }
    r.backwardTime = t;
    std::map<std::int64_t, std::pair<double, bool>> timeOf; // bytes → (time, verified)
    double commFree = 0;
    for (GradientBucket& b : r.buckets) {
        auto it = timeOf.find(b.bytes);
        if (it == timeOf.end()) {
            double time = 0;
            bool ok = true;
            if (st.ranks > 1 && b.bytes > 0) {
                CollectiveConfig c;
                c.op = Op::AllReduce;
                c.algo = st.algo;
                c.bytes = b.bytes;
                c.chunkBytes = st.chunkBytes;
                const auto res = simulateCollective(*topo, c, err);
                if (!res)
                    throw std::invalid_argument("all-reduce of a " + std::to_string(b.bytes) +
                                                "-byte bucket: " + err);
                time = res->time;
                ok = res->verified;
            }
            it = timeOf.emplace(b.bytes, std::make_pair(time, ok)).first;
        }
        b.start = std::max(b.ready, commFree);
        b.end = b.start + it->second.first;
        b.verified = it->second.second;
        commFree = b.end;
        r.commTime += it->second.first;
    }
    r.stepTime = std::max(r.backwardTime, commFree);
    r.exposedComm = r.stepTime - r.backwardTime;
    r.noOverlapTime = r.backwardTime + r.commTime;
    return r;
}

} // namespace aisys::engine::dist
