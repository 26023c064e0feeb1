// Systolic-array model (SCALE-Sim v2 compatible). See engine/hw/systolic/README.md.
//   layer.h     Dataflow, ArrayConfig, Layer (conv/GEMM → GEMM), SpatioTemporal
//   analysis.h  closed-form LayerReport (folds, cycles, utilizations, SRAM counts) and the
//               memory model (stalls with finite SRAM and DRAM bandwidth)
//   array_sim.h SystolicArray: cycle-level PEs, random-access PeState, edge feed, heat map
//   topology.h  SCALE-Sim topology CSV and .cfg readers
#pragma once

#include "engine/hw/systolic/analysis.h"
#include "engine/hw/systolic/array_sim.h"
#include "engine/hw/systolic/layer.h"
#include "engine/hw/systolic/topology.h"
