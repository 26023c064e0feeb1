// Closed-form per-layer report with SCALE-Sim v2's definitions (see README.md for derivations).
#pragma once

#include "engine/hw/systolic/layer.h"

#include <cstdint>
#include <string>

namespace aisys::engine::systolic {

/// SRAM/DRAM system of SCALE-Sim: three double-buffered scratchpads (ifmap, filter, ofmap)
/// in front of DRAM with a fixed bandwidth in words per cycle. Word size: 1 byte (SCALE-Sim).
struct MemoryConfig {
    std::int64_t ifmapSramKB = 6;  ///< IfmapSramSzkB
    std::int64_t filterSramKB = 6; ///< FilterSramSzkB
    std::int64_t ofmapSramKB = 2;  ///< OfmapSramSzkB
    double bandwidth = 10;         ///< DRAM words per cycle per buffer (Bandwidth)
    bool doubleBuffered = true;    ///< false: the whole buffer is active (no prefetch overlap)
    /// true: SCALE-Sim's InterfaceBandwidth = USER (reads and writes limited by `bandwidth`).
    /// false: CALC mode — reads never stall (bandwidth 10 is used only to count DRAM
    /// traffic) and the ofmap drains at `cols` words per cycle.
    bool userBandwidth = true;
    std::int64_t ifmapOffset = 0;         ///< IfmapOffset (SRAM/DRAM address of ifmap word 0)
    std::int64_t filterOffset = 10000000; ///< FilterOffset
    std::int64_t ofmapOffset = 20000000;  ///< OfmapOffset
    /// Throws std::invalid_argument for sizes ≤ 0 or bandwidth ≤ 0.
    void validate() const;
};

/// One layer on one array in one dataflow. Percentages are 0..100 like SCALE-Sim's report.
struct LayerReport {
    std::string name;
    Dataflow dataflow = Dataflow::WS;
    ArrayConfig array;
    GemmShape gemm;
    SpatioTemporal st;
    std::int64_t rowFolds = 0;      ///< ⌈Sr / R⌉
    std::int64_t colFolds = 0;      ///< ⌈Sc / C⌉
    std::int64_t folds = 0;         ///< rowFolds · colFolds
    std::int64_t cyclesPerFold = 0; ///< WS, IS: 2R + C + T − 2;  OS: R + C + T − 2
    std::int64_t computeCycles = 0; ///< folds · cyclesPerFold − 1 (no memory stalls)
    std::int64_t stallCycles = 0;   ///< cycles the array waited for DRAM (memory model)
    std::int64_t totalCycles = 0;   ///< computeCycles + stallCycles
    std::int64_t macs = 0;          ///< M·K·N
    /// SCALE-Sim: num_compute·100 / (total_cycles · R·C), where num_compute =
    /// (ofmap pixels incl. filters) · window = M·N·K.
    double overallUtilization = 0;
    /// SCALE-Sim: mean over folds of (rows used · cols used) / (R·C), ×100.
    double mappingEfficiency = 0;
    /// SCALE-Sim: mean over folds of (used PEs · T) / (R·C · fold cycles'), ×100, where
    /// fold cycles' is SCALE-Sim's per-fold count (see README: 2R+2C+T−3 for WS/IS).
    double computeUtilization = 0;
    std::int64_t ifmapSramReads = 0;  ///< words read from the ifmap SRAM
    std::int64_t filterSramReads = 0; ///< words read from the filter SRAM
    std::int64_t ofmapSramWrites = 0; ///< words written to the ofmap SRAM
    // Filled by the memory model only (0 from analyzeLayer):
    std::int64_t ifmapDramReads = 0, filterDramReads = 0, ofmapDramWrites = 0;
    std::int64_t ifmapDramStart = 0, ifmapDramStop = 0;
    std::int64_t filterDramStart = 0, filterDramStop = 0;
    std::int64_t ofmapDramStart = 0, ofmapDramStop = 0;
    std::int64_t ifmapSramStart = 0, ifmapSramStop = 0;
    std::int64_t filterSramStart = 0, filterSramStop = 0;
    std::int64_t ofmapSramStart = 0, ofmapSramStop = 0;
};

/// SCALE-Sim's overall utilization in %: macs·100 / (totalCycles·R·C), rounded once.
double overallUtilizationPercent(std::int64_t macs, std::int64_t totalCycles,
                                 const ArrayConfig& array);

/// Closed forms, no memory stalls (infinite bandwidth). O(folds). Validates its inputs.
LayerReport analyzeLayer(const Layer& layer, const ArrayConfig& array, Dataflow df);

/// Closed forms plus SCALE-Sim's double-buffered scratchpad model: stall cycles from finite
/// SRAM sizes and DRAM bandwidth; DRAM read/write counts and start/stop cycles.
LayerReport simulateLayer(const Layer& layer, const ArrayConfig& array, Dataflow df,
                          const MemoryConfig& mem);

} // namespace aisys::engine::systolic
