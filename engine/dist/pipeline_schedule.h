// Pipeline-parallel schedules as event-driven timelines: GPipe (all forwards, then all
// backwards), 1F1B (PipeDream-Flush: warm-up forwards, then one forward and one backward in
// turn), interleaved 1F1B (v model chunks per device) and ZB-H1 (backward split into B, the
// input gradient, and W, the weight gradient), with unbalanced stages allowed; makespan, bubble
// fraction and the activations each stage holds at its peak.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::dist {

/// Which schedule.
enum class PipelineKind { GPipe, OneFOneB, Interleaved, ZeroBubbleH1 };

/// One pipeline's shape and costs.
struct PipelineSetup {
    PipelineKind kind = PipelineKind::GPipe;
    int stages = 4;       ///< p, one per device
    int microBatches = 8; ///< m
    /// Forward and backward time of one micro-batch per stage (size 1: every stage the same;
    /// else one per stage — unbalanced stages).
    /// Interleaved: each device's time is split equally among its v chunks.
    std::vector<double> forward{1.0}, backward{2.0};
    /// ZB-H1: the part of `backward` that is W (the weight gradient); B = backward − W. Empty:
    /// half the backward (T_B = T_W, the paper's assumption with T_F = T_B).
    std::vector<double> weightGrad;
    double sendTime = 0; ///< time to pass an activation / gradient to the next stage
    int chunks = 1;      ///< v, interleaved only: model chunks (virtual stages) per device
};

/// What one slot computes.
enum class PipelinePass : std::uint8_t {
    Forward,
    Backward,   ///< the whole backward (GPipe, 1F1B, interleaved)
    InputGrad,  ///< ZB-H1's B: the gradient of the stage's input
    WeightGrad, ///< ZB-H1's W: the gradient of its weights
};

/// One slot of the timeline: stage s ran micro-batch i's forward or backward over
/// [start, end).
struct PipelineSlot {
    int stage = 0, micro = 0;
    bool backward = false; ///< any backward pass (B, W or whole)
    double start = 0, end = 0;
    int chunk = 0; ///< interleaved: which of the device's model chunks
    PipelinePass pass = PipelinePass::Forward;
};

/// The simulated timeline.
struct PipelineResult {
    std::vector<PipelineSlot> slots; ///< in start order per stage, stages one after another
    double makespan = 0;
    /// 1 − Σ busy / (p · makespan): the share of device time spent waiting.
    double bubbleFraction = 0;
    /// (p · makespan − Σ busy) / Σ busy: idle time over ideal time, Narayanan et al.'s measure
    /// ((p − 1)/m for balanced GPipe/1F1B, (p − 1)/(v·m) interleaved).
    double bubbleOverIdeal = 0;
    /// Per stage: the most micro-batches whose forward ran and whose backward (ZB-H1: W) did
    /// not yet — the activations it must keep: m for GPipe, min(m, p − s) for 1F1B (s from 0);
    /// interleaved counts (micro-batch, chunk) pairs, each 1/v of a stage's activations.
    std::vector<int> peakInFlight;
    /// peakInFlight in units of one micro-batch's activations of a whole stage (÷ v).
    std::vector<double> peakActivations;
};

/// Interleaved 1F1B's warm-up forwards on device s (Megatron-LM schedules.py,
/// forward_backward_pipelining_with_interleaving): min(v·m, 2(p − s − 1) + (v − 1)·p), all v·m
/// when m = p.
int interleavedWarmup(int stages, int microBatches, int chunks, int stage);

/// (p − 1) / (m + p − 1): the bubble fraction of balanced GPipe and 1F1B without send time
/// (GPipe, Huang et al. 2019 §2.2; Narayanan et al. 2021 §2.2.1).
double balancedBubbleFraction(int stages, int microBatches);
/// (p − 1) / (v · m): balanced interleaved 1F1B's idle time over ideal time (Narayanan et al.
/// 2021 §2.2.2: the bubble shrinks by v).
double interleavedBubbleOverIdeal(int stages, int microBatches, int chunks);
/// (p − 1)(T_F + T_B − T_W): each device's idle time under balanced ZB-H1 with B = T_B and
/// W = T_W (Qi et al. 2024, arXiv:2401.10241, §2.1 / Table 2; one third of 1F1B's when
/// T_F = T_B = T_W).
double zbH1BubbleTime(int stages, double forward, double inputGrad, double weightGrad);

/// Simulates the schedule: every stage runs its operations in the schedule's order, each as
/// soon as the stage is free and its input is there (forward of micro-batch i after the
/// previous stage's forward of i; backward after the next stage's backward of i and this
/// stage's forward; ZB-H1's W after the stage's own B; interleaved: virtual stage k = c·p + s,
/// forward of chunk c on device s after virtual stage k − 1). Throws std::invalid_argument for
/// impossible setups (no stages, no micro-batches, a negative time, per-stage lists of the wrong
/// length, W longer than the backward, chunks < 1 or > 1 outside interleaved, interleaved with
/// m not a multiple of p), naming the field.
PipelineResult simulatePipeline(const PipelineSetup& setup);

/// "gpipe" / "1f1b" / "interleaved" / "zb" → kind; throws std::invalid_argument naming the
/// valid ones.
PipelineKind parsePipelineKind(const std::string& name);
const char* pipelineKindName(PipelineKind k);

} // namespace aisys::engine::dist
