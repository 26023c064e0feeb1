// Fused ops the graph compiler produces ("aisys" domain; factory fusedOp in op_library.h): a
// producer (Conv, Gemm, MatMul) with its bias, scale and activation applied in the same kernel,
// so the intermediate tensor is never written and read back.
#pragma once

#include "engine/graph/ops.h"

#include <string>

namespace aisys::engine::ops {

/// aisys:FusedConv(X, W, B?) = act(Conv(X, W, B)) with Conv's attributes plus `activation`.
/// aisys:FusedGemm(A, B, C?) = act(Gemm(A, B, C)) with Gemm's attributes plus `activation`.
/// aisys:FusedMatMul(A, B, bias?, residual?) = act(alpha·(A·B) + bias) + residual, N-D like
/// MatMul; bias and residual broadcast to the product's shape without enlarging it.
/// `activation` is "" (none) or an op whose OpDef says `fusedActivation` (Relu, LeakyRelu,
/// Clip, Sigmoid, Tanh, HardSigmoid, HardSwish, Gelu); it applies that op's element-wise
/// formula with that op's attributes, held with an "activation_" prefix (activation_alpha,
/// activation_beta, activation_min, activation_max, activation_approximate; absent ones take
/// the op's defaults).

/// The activations a fused op can apply: the ops whose OpDef says `fusedActivation`.
bool fusableActivation(const std::string& op);

} // namespace aisys::engine::ops
