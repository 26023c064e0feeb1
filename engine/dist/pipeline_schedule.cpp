// Pipeline schedules simulated as timelines (see pipeline_schedule.h).
#include "engine/dist/pipeline_schedule.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace aisys::engine::dist {

double balancedBubbleFraction(int stages, int microBatches) {
    return double(stages - 1) / double(microBatches + stages - 1);
}

PipelineKind parsePipelineKind(const std::string& name) {
    if (name == "gpipe")
        return PipelineKind::GPipe;
    if (name == "1f1b")
        return PipelineKind::OneFOneB;
    throw std::invalid_argument("unknown pipeline schedule '" + name +
                                "' (expected gpipe or 1f1b)");
}

const char* pipelineKindName(PipelineKind k) {
    return k == PipelineKind::GPipe ? "gpipe" : "1f1b";
}

namespace {

struct Op {
    int micro;
    bool backward;
};

/// Stage s's operations in the schedule's order.
std::vector<Op> orderOf(PipelineKind kind, int p, int m, int s) {
    std::vector<Op> ops;
    if (kind == PipelineKind::GPipe) {
        // All forwards, then all backwards (GPipe's synchronous flush).
        for (int i = 0; i < m; ++i)
            ops.push_back({i, false});
        for (int i = 0; i < m; ++i)
            ops.push_back({i, true});
        return ops;
    }
    // 1F1B: p − s − 1 warm-up forwards, then forward/backward pairs, then the remaining
    // backwards (PipeDream-Flush, Narayanan et al. 2021 §2.2.1, Figure 4 top).
    const int warm = std::min(p - s - 1, m);
    int f = 0, b = 0;
    for (; f < warm; ++f)
        ops.push_back({f, false});
    while (f < m) {
        ops.push_back({f++, false});
        ops.push_back({b++, true});
    }
    while (b < m)
        ops.push_back({b++, true});
    return ops;
}

} // namespace

PipelineResult simulatePipeline(const PipelineSetup& st) {
    // 1. Check the setup; per-stage forward/backward times (one value: every stage).
    // 2. Per stage its ordered operations; repeatedly start the next operation of any stage
    //    whose input is ready (the earliest start first), until every stage is done.
    // 3. Busy time, bubble fraction, and per stage the largest number of micro-batches
    //    between their forward and their backward.
    const int p = st.stages, m = st.microBatches;
    const std::size_t np = static_cast<std::size_t>(std::max(p, 0));
    if (p < 1)
        throw std::invalid_argument("stages: expected at least 1, got " + std::to_string(p));
    if (m < 1)
        throw std::invalid_argument("micro-batches: expected at least 1, got " + std::to_string(m));
    auto perStage = [&](const std::vector<double>& v, const char* what) {
        if (v.size() != 1 && v.size() != std::size_t(p))
            throw std::invalid_argument(std::string(what) + ": expected 1 or " + std::to_string(p) +
                                        " values (one per stage), got " + std::to_string(v.size()));
        std::vector<double> out(std::size_t(p), v[0]);
        if (v.size() == std::size_t(p))
            out = v;
        for (double t : out)
            if (!(t >= 0))
                throw std::invalid_argument(std::string(what) + ": times must be ≥ 0");
        return out;
    };
    const std::vector<double> tf = perStage(st.forward, "forward"),
                              tb = perStage(st.backward, "backward");
    if (!(st.sendTime >= 0))
        throw std::invalid_argument("send time: expected ≥ 0");
    const double kNotYet = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> fDone(std::size_t(p),
                                           std::vector<double>(std::size_t(m), kNotYet));
    auto bDone = fDone;
    std::vector<std::vector<Op>> order(np);
    for (int s = 0; s < p; ++s)
        order[std::size_t(s)] = orderOf(st.kind, p, m, s);
    std::vector<std::size_t> next(np, 0);
    std::vector<double> freeAt(np, 0.0);
    PipelineResult r;
    std::vector<std::vector<PipelineSlot>> perStageSlots(np);
    for (std::size_t left = std::size_t(p) * std::size_t(2 * m); left > 0; --left) {
        int bestStage = -1;
        double bestStart = kNotYet;
        for (int s = 0; s < p; ++s) {
            if (next[std::size_t(s)] >= order[std::size_t(s)].size())
                continue;
            const Op op = order[std::size_t(s)][next[std::size_t(s)]];
            double ready = 0;
            if (!op.backward) {
                ready = s == 0 ? 0 : fDone[std::size_t(s - 1)][std::size_t(op.micro)] + st.sendTime;
            } else {
                ready = fDone[std::size_t(s)][std::size_t(op.micro)];
                if (s + 1 < p)
                    ready = std::max(ready, bDone[std::size_t(s + 1)][std::size_t(op.micro)] +
                                                st.sendTime);
            }
            const double start = std::max(ready, freeAt[std::size_t(s)]);
            if (start < bestStart) {
                bestStart = start;
                bestStage = s;
            }
        }
        if (bestStage < 0)
            throw std::logic_error("pipeline schedule deadlocked"); // our bug, not the user's
        const std::size_t s = std::size_t(bestStage);
        const Op op = order[s][next[s]++];
        const double end = bestStart + (op.backward ? tb[s] : tf[s]);
        (op.backward ? bDone : fDone)[s][std::size_t(op.micro)] = end;
        freeAt[s] = end;
        perStageSlots[s].push_back({bestStage, op.micro, op.backward, bestStart, end});
        r.makespan = std::max(r.makespan, end);
    }
    double busy = 0;
    r.peakInFlight.assign(std::size_t(p), 0);
    for (int s = 0; s < p; ++s) {
        int inFlight = 0;
        for (const PipelineSlot& sl : perStageSlots[std::size_t(s)]) {
            busy += sl.end - sl.start;
            inFlight += sl.backward ? -1 : 1;
            r.peakInFlight[std::size_t(s)] = std::max(r.peakInFlight[std::size_t(s)], inFlight);
            r.slots.push_back(sl);
        }
    }
    r.bubbleFraction = r.makespan > 0 ? 1.0 - busy / (double(p) * r.makespan) : 0.0;
    return r;
}

} // namespace aisys::engine::dist
