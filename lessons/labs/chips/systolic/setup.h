// What the "systolic" Lab computes once per run: the layer, its matrices, one array model per
// dataflow shown, their reports, and which cycles and folds become frames.
#pragma once

#include "engine/hw/systolic/systolic.h"
#include "lessons/params.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::lessons {

/// One dataflow on the layer: the cycle-level model and its closed-form report.
struct SystolicCase {
    engine::systolic::SystolicArray array;
    engine::systolic::LayerReport report;
    double maxError = -1; ///< max |C_array − A·B| from the cycle-stepped run; −1 = not run
    /// With `bw` > 0: the report of SCALE-Sim's memory model (stalls, DRAM traffic).
    std::optional<engine::systolic::LayerReport> memory;
    std::int64_t globalCycles() const { return array.foldCount() * array.cyclesPerFold(); }
};

/// Everything the pictures need.
struct SystolicSetup {
    engine::systolic::Layer layer;
    bool conv = false;
    bool integers = true;
    bool colourByK = false;               ///< "kindex": colours only, no numbers
    double bandwidth = 0;                 ///< DRAM words per cycle (0 = no memory model)
    std::int64_t sramKB = 64;             ///< each of the three SRAM buffers
    engine::systolic::Matrix ifmap0;      ///< conv: channel 0 of the ifmap (H×W)
    std::vector<SystolicCase> cases;      ///< 1, or WS, OS, IS for "all"
    std::vector<std::int64_t> runFrames;  ///< global cycle (0-based) of each "run" frame
    std::vector<std::int64_t> foldFrames; ///< fold of each "activity" frame
    std::int64_t maxGlobalCycles() const;
};

/// Reads and checks the parameters, builds the matrices (GEMM: random A, B; conv: a random
/// HWC ifmap and filters, im2col'd in SCALE-Sim's order) and the models. Throws
/// std::invalid_argument with a readable message for impossible combinations.
SystolicSetup buildSystolicSetup(const ParamSet& p);

/// Global cycle g → (fold, cycle in fold), clamped to the last cycle of the last fold;
/// `finished` when g is past the end.
struct FoldCycle {
    std::int64_t fold = 0, cycle = 0;
    bool finished = false;
};
FoldCycle foldCycleOf(const SystolicCase& c, std::int64_t g);

} // namespace aisys::lessons
