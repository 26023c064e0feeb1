// ZeRO's model-state memory per device and communication volume per step for data-parallel
// training with mixed-precision Adam (Rajbhandari et al., ZeRO, SC 2020, §5 and §7).
#pragma once

#include <cstdint>

namespace aisys::engine::dist {

/// What ZeRO partitions across the data-parallel devices: nothing (plain data parallelism),
/// optimizer states (stage 1, P_os), + gradients (stage 2, P_os+g), + parameters (stage 3).
enum class ZeroStage { None = 0, OptimizerStates = 1, Gradients = 2, Parameters = 3 };

/// Model-state bytes of one device and the bytes each device moves per step.
struct ZeroMemory {
    double parameters = 0, gradients = 0, optimizerStates = 0; ///< bytes per device
    double total = 0;
    /// Bytes each device sends per step (fp16, 2 bytes an element): 2Ψ elements for stages
    /// 0–2 (the gradient all-reduce as reduce-scatter + all-gather, Ψ each), 3Ψ for stage 3
    /// (parameters all-gathered for forward and for backward, gradients reduce-scattered), §7.
    double communicationBytes = 0;
};

/// Ψ parameters, N_d data-parallel devices, K bytes of optimizer state per parameter (12 for
/// mixed-precision Adam: fp32 parameters, momentum, variance); fp16 parameters and gradients
/// take 2 bytes each. Stage 0: (2 + 2 + K)Ψ; 1: 2Ψ + 2Ψ + KΨ/N_d; 2: 2Ψ + (2 + K)Ψ/N_d;
/// 3: (2 + 2 + K)Ψ/N_d (ZeRO §5.1, Figure 1). Throws std::invalid_argument for Ψ ≤ 0,
/// N_d < 1 or K < 0.
ZeroMemory zeroMemory(double parameters, int devices, ZeroStage stage, double k = 12);

} // namespace aisys::engine::dist
