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
/// `activation` is one of "" (none), Relu, LeakyRelu (activation_alpha, default 0.01), Clip
/// (activation_min, activation_max), Sigmoid, Tanh, HardSigmoid (activation_alpha 0.2,
/// activation_beta 0.5), HardSwish, Gelu (erf form); it applies that op's element-wise formula.

/// The activations a fused op can apply (the names above, without "").
bool fusableActivation(const std::string& op);

} // namespace aisys::engine::ops
