// Pipeline-parallel schedules as event-driven timelines: GPipe (all forwards, then all
// backwards) and 1F1B (PipeDream-Flush: warm-up forwards, then one forward and one backward
// in turn), with unbalanced stages allowed; makespan, bubble fraction and the activations each
// stage holds at its peak.
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::dist {

/// Which schedule.
enum class PipelineKind { GPipe, OneFOneB };

/// One pipeline's shape and costs.
struct PipelineSetup {
    PipelineKind kind = PipelineKind::GPipe;
    int stages = 4;       ///< p, one per device
    int microBatches = 8; ///< m
    /// Forward and backward time of one micro-batch per stage (size 1: every stage the same;
    /// else one per stage — unbalanced stages).
    std::vector<double> forward{1.0}, backward{2.0};
    double sendTime = 0; ///< time to pass an activation / gradient to the next stage
};

/// One slot of the timeline: stage s ran micro-batch i's forward or backward over
/// [start, end).
struct PipelineSlot {
    int stage = 0, micro = 0;
    bool backward = false;
    double start = 0, end = 0;
};

/// The simulated timeline.
struct PipelineResult {
    std::vector<PipelineSlot> slots; ///< in start order per stage, stages one after another
    double makespan = 0;
    /// 1 − Σ busy / (p · makespan): the share of device time spent waiting.
    double bubbleFraction = 0;
    /// Per stage: the most micro-batches whose forward ran and backward did not yet (the
    /// activations it must keep): m for GPipe, min(m, p − s) for 1F1B (s from 0).
    std::vector<int> peakInFlight;
};

/// (p − 1) / (m + p − 1): the bubble fraction of balanced GPipe and 1F1B without send time
/// (GPipe, Huang et al. 2019 §2.2; Narayanan et al. 2021 §2.2.1).
double balancedBubbleFraction(int stages, int microBatches);

/// Simulates the schedule: every stage runs its operations in the schedule's order, each as
/// soon as the stage is free and its input is there (forward of micro-batch i after the
/// previous stage's forward of i; backward after the next stage's backward of i and this
/// stage's forward). Throws std::invalid_argument for impossible setups (no stages, no
/// micro-batches, a negative time, per-stage lists of the wrong length), naming the field.
PipelineResult simulatePipeline(const PipelineSetup& setup);

/// "gpipe" / "1f1b" → kind; throws std::invalid_argument naming the valid ones.
PipelineKind parsePipelineKind(const std::string& name);
const char* pipelineKindName(PipelineKind k);

} // namespace aisys::engine::dist
