// Pipeline schedules simulated as timelines (see pipeline_schedule.h).
#include "engine/dist/pipeline_schedule.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace aisys::engine::dist {

double balancedBubbleFraction(int stages, int microBatches) {
    return double(stages - 1) / double(microBatches + stages - 1);
}

double interleavedBubbleOverIdeal(int stages, int microBatches, int chunks) {
    return double(stages - 1) / (double(chunks) * double(microBatches));
}

double zbH1BubbleTime(int stages, double forward, double inputGrad, double weightGrad) {
    return double(stages - 1) * (forward + inputGrad - weightGrad);
}

int interleavedWarmup(int p, int m, int v, int s) {
    if (m == p) // Megatron: all forwards first when there are exactly p micro-batches
        return v * m;
    return std::min(v * m, 2 * (p - s - 1) + (v - 1) * p);
}

PipelineKind parsePipelineKind(const std::string& name) {
    if (name == "gpipe")
        return PipelineKind::GPipe;
    if (name == "1f1b")
        return PipelineKind::OneFOneB;
    if (name == "interleaved")
        return PipelineKind::Interleaved;
    if (name == "zb" || name == "zb-h1")
        return PipelineKind::ZeroBubbleH1;
    throw std::invalid_argument("unknown pipeline schedule '" + name +
                                "' (expected gpipe, 1f1b, interleaved or zb)");
}

const char* pipelineKindName(PipelineKind k) {
    switch (k) {
    case PipelineKind::GPipe:
        return "gpipe";
    case PipelineKind::OneFOneB:
        return "1f1b";
    case PipelineKind::Interleaved:
        return "interleaved";
    case PipelineKind::ZeroBubbleH1:
        return "zb-h1";
    }
    return "?";
}

namespace {

struct Op {
    int micro;
    int chunk;
    PipelinePass pass;
};

/// Device s's operations in the schedule's order.
std::vector<Op> orderOf(const PipelineSetup& st, int s) {
    const int p = st.stages, m = st.microBatches, v = st.chunks;
    std::vector<Op> ops;
    switch (st.kind) {
    case PipelineKind::GPipe:
        // All forwards, then all backwards (GPipe's synchronous flush).
        for (int i = 0; i < m; ++i)
            ops.push_back({i, 0, PipelinePass::Forward});
        for (int i = 0; i < m; ++i)
            ops.push_back({i, 0, PipelinePass::Backward});
        return ops;
    case PipelineKind::OneFOneB: {
        // p − s − 1 warm-up forwards, then forward/backward pairs, then the remaining
        // backwards (PipeDream-Flush, Narayanan et al. 2021 §2.2.1, Figure 4 top).
        const int warm = std::min(p - s - 1, m);
        int f = 0, b = 0;
        for (; f < warm; ++f)
            ops.push_back({f, 0, PipelinePass::Forward});
        while (f < m) {
            ops.push_back({f++, 0, PipelinePass::Forward});
            ops.push_back({b++, 0, PipelinePass::Backward});
        }
        while (b < m)
            ops.push_back({b++, 0, PipelinePass::Backward});
        return ops;
    }
    case PipelineKind::Interleaved: {
        // Megatron-LM's interleaved schedule (schedules.py, get_model_chunk_id): the k-th
        // forward of a device is micro-batch (k / pv)·p + k mod p of chunk (k mod pv) / p — groups
        // of p micro-batches go through chunk 0, then chunk 1, …; backwards the same with the
        // chunks in reverse. Warm-up forwards, then one forward and one backward in turn, then
        // the remaining backwards (Narayanan et al. 2021 §2.2.2, Figure 4 bottom).
        const int total = v * m, warm = interleavedWarmup(p, m, v, s);
        auto at = [&](int k, bool forward) {
            const int inGroup = k % (p * v);
            const int chunk = forward ? inGroup / p : v - 1 - inGroup / p;
            return Op{(k / (p * v)) * p + k % p, chunk,
                      forward ? PipelinePass::Forward : PipelinePass::Backward};
        };
        int f = 0, b = 0;
        for (; f < warm; ++f)
            ops.push_back(at(f, true));
        while (f < total) {
            ops.push_back(at(f++, true));
            ops.push_back(at(b++, false));
        }
        while (b < total)
            ops.push_back(at(b++, false));
        return ops;
    }
    case PipelineKind::ZeroBubbleH1: {
        // ZB-H1 (Qi et al. 2024 §2.1, Figure 3 top): 1F1B's warm-up and F/B alternation with B
        // the input gradient only, and device s holding back its first s W passes, so every
        // device keeps p micro-batches in flight (1F1B's first-stage peak) and its B passes
        // are not delayed by W; each later step is F, B, W; the cool-down alternates B and W,
        // then the held-back W passes fill the tail.
        const int warm = std::min(p - s - 1, m);
        int f = 0, b = 0, w = 0;
        for (; f < warm; ++f)
            ops.push_back({f, 0, PipelinePass::Forward});
        for (int k = 0; f < m; ++k) {
            ops.push_back({f++, 0, PipelinePass::Forward});
            ops.push_back({b++, 0, PipelinePass::InputGrad});
            if (k >= s)
                ops.push_back({w++, 0, PipelinePass::WeightGrad});
        }
        while (b < m) {
            ops.push_back({b++, 0, PipelinePass::InputGrad});
            ops.push_back({w++, 0, PipelinePass::WeightGrad});
        }
        while (w < m)
            ops.push_back({w++, 0, PipelinePass::WeightGrad});
        return ops;
    }
    }
    return ops;
}

} // namespace

PipelineResult simulatePipeline(const PipelineSetup& st) {
    // 1. Check the setup; per-stage forward/backward (and W) times (one value: every stage).
    // 2. Per device its ordered operations; repeatedly start the next operation of any device
    //    whose input is ready (the earliest start first), until every device is done.
    //    Dependencies run over virtual stages k = chunk·p + device.
    // 3. Busy time, bubble measures, and per device the largest number of (micro-batch, chunk)
    //    pairs between their forward and their backward (ZB-H1: their W).
    const int p = st.stages, m = st.microBatches, v = st.chunks;
    const std::size_t np = static_cast<std::size_t>(std::max(p, 0));
    if (p < 1)
        throw std::invalid_argument("stages: expected at least 1, got " + std::to_string(p));
    if (m < 1)
        throw std::invalid_argument("micro-batches: expected at least 1, got " + std::to_string(m));
    if (v < 1)
        throw std::invalid_argument("chunks: expected at least 1, got " + std::to_string(v));
    if (v > 1 && st.kind != PipelineKind::Interleaved)
        throw std::invalid_argument("chunks: " + std::to_string(v) +
                                    " model chunks per device "
                                    "need the interleaved schedule (others use 1)");
    if (st.kind == PipelineKind::Interleaved && p > 1 && m % p != 0)
        throw std::invalid_argument("micro-batches: the interleaved schedule needs a multiple of "
                                    "the stages (" +
                                    std::to_string(p) + "), got " + std::to_string(m));
    auto perStage = [&](const std::vector<double>& vals, const char* what) {
        if (vals.size() != 1 && vals.size() != std::size_t(p))
            throw std::invalid_argument(std::string(what) + ": expected 1 or " + std::to_string(p) +
                                        " values (one per stage), got " +
                                        std::to_string(vals.size()));
        std::vector<double> out(std::size_t(p), vals[0]);
        if (vals.size() == std::size_t(p))
            out = vals;
        for (double t : out)
            if (!(t >= 0) || t > 1e300)
                throw std::invalid_argument(std::string(what) + ": times must be finite and ≥ 0");
        return out;
    };
    std::vector<double> tf = perStage(st.forward, "forward"),
                        tb = perStage(st.backward, "backward");
    std::vector<double> tw(np, 0.0);
    if (st.kind == PipelineKind::ZeroBubbleH1) {
        if (st.weightGrad.empty())
            for (std::size_t s = 0; s < np; ++s)
                tw[s] = tb[s] / 2;
        else
            tw = perStage(st.weightGrad, "weight gradient (W)");
        for (std::size_t s = 0; s < np; ++s) {
            if (tw[s] > tb[s])
                throw std::invalid_argument("weight gradient (W): " + std::to_string(tw[s]) +
                                            " on stage " + std::to_string(s) +
                                            " is longer than its whole backward " +
                                            std::to_string(tb[s]));
            tb[s] -= tw[s]; // B
        }
    } else if (!st.weightGrad.empty()) {
        throw std::invalid_argument(
            "weight gradient (W): only the zb schedule splits the backward");
    }
    if (!(st.sendTime >= 0))
        throw std::invalid_argument("send time: expected ≥ 0");
    for (std::size_t s = 0; s < np; ++s) { // interleaved: a chunk holds 1/v of the device's layers
        tf[s] /= v;
        tb[s] /= v;
    }
    const int V = p * v; // virtual stages
    const double kNotYet = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> fDone(std::size_t(V),
                                           std::vector<double>(std::size_t(m), kNotYet));
    auto bDone = fDone;
    std::vector<std::vector<Op>> order(np);
    std::size_t left = 0;
    for (int s = 0; s < p; ++s) {
        order[std::size_t(s)] = orderOf(st, s);
        left += order[std::size_t(s)].size();
    }
    const double send = p > 1 ? st.sendTime : 0.0; // one device: chunks pass nothing on
    std::vector<std::size_t> next(np, 0);
    std::vector<double> freeAt(np, 0.0);
    PipelineResult r;
    std::vector<std::vector<PipelineSlot>> perStageSlots(np);
    for (; left > 0; --left) {
        int bestStage = -1;
        double bestStart = kNotYet;
        for (int s = 0; s < p; ++s) {
            if (next[std::size_t(s)] >= order[std::size_t(s)].size())
                continue;
            const Op op = order[std::size_t(s)][next[std::size_t(s)]];
            const std::size_t k = std::size_t(op.chunk * p + s), i = std::size_t(op.micro);
            double ready = 0;
            if (op.pass == PipelinePass::Forward) {
                ready = k == 0 ? 0 : fDone[k - 1][i] + send;
            } else if (op.pass == PipelinePass::WeightGrad) {
                ready = bDone[k][i];
            } else {
                ready = fDone[k][i];
                if (k + 1 < std::size_t(V))
                    ready = std::max(ready, bDone[k + 1][i] + send);
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
        const std::size_t k = std::size_t(op.chunk * p + bestStage);
        const double dur = op.pass == PipelinePass::Forward      ? tf[s]
                           : op.pass == PipelinePass::WeightGrad ? tw[s]
                                                                 : tb[s];
        const double end = bestStart + dur;
        if (op.pass == PipelinePass::Forward)
            fDone[k][std::size_t(op.micro)] = end;
        else if (op.pass != PipelinePass::WeightGrad)
            bDone[k][std::size_t(op.micro)] = end;
        freeAt[s] = end;
        perStageSlots[s].push_back({bestStage, op.micro, op.pass != PipelinePass::Forward,
                                    bestStart, end, op.chunk, op.pass});
        r.makespan = std::max(r.makespan, end);
    }
    double busy = 0;
    r.peakInFlight.assign(np, 0);
    for (int s = 0; s < p; ++s) {
        int inFlight = 0;
        for (const PipelineSlot& sl : perStageSlots[std::size_t(s)]) {
            busy += sl.end - sl.start;
            // Activations are kept from the forward until the pass that last needs them: the
            // backward, or ZB-H1's W (B alone frees nothing: W still reads the inputs).
            if (sl.pass == PipelinePass::Forward)
                ++inFlight;
            else if (sl.pass != PipelinePass::InputGrad)
                --inFlight;
            r.peakInFlight[std::size_t(s)] = std::max(r.peakInFlight[std::size_t(s)], inFlight);
            r.slots.push_back(sl);
        }
        r.peakActivations.push_back(double(r.peakInFlight[std::size_t(s)]) / double(v));
    }
    r.bubbleFraction = r.makespan > 0 ? 1.0 - busy / (double(p) * r.makespan) : 0.0;
    r.bubbleOverIdeal = busy > 0 ? (double(p) * r.makespan - busy) / busy : 0.0;
    return r;
}

} // namespace aisys::engine::dist
