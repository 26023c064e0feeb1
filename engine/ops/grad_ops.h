// Factories of the internal backward ops ("aisys:" domain) that gradient rules emit where the
// ONNX op set has no single op for the job (ops.cpp lists them, one per line).
#pragma once

#include "engine/graph/ops.h"

#include <string>

namespace aisys::engine::ops {

/// aisys:<Op>Grad(dY, X) → dY·f'(X) for Relu LeakyRelu HardSigmoid HardSwish Erf Gelu Elu Selu
/// Softplus Softsign (the forward op's attributes on the node) (activation_grad.cpp).
OpDef activationGradOp(const std::string& forwardType);
/// aisys:ClipGrad(dY, X, min?, max?) → dY where min ≤ X ≤ max.
OpDef clipGradOp();
/// aisys:ConvWeightGrad(X, dY) → dW of Conv with the node's window attributes (nn_conv.cpp).
OpDef convWeightGradOp();
/// aisys:MaxPoolGrad / aisys:AveragePoolGrad(dY, X) → dX (pooling.cpp).
OpDef poolGradOp(const std::string& forwardType);
/// aisys:GatherElementsGrad(dY, indices) → zeros of `shape` with dY added along `axis` at the
/// indices (TopK's backward) (reduce.cpp).
OpDef gatherElementsGradOp();
/// aisys:SliceGrad(dY) → zeros of `shape` with dY at starts + i·steps (index_grad.cpp).
OpDef sliceGradOp();
/// aisys:GatherGrad(dY, indices) → zeros of `shape` with dY rows added at the indices.
OpDef gatherGradOp();
/// aisys:PadGrad(dY) → the adjoint of Pad (`pads`, `mode`) into `shape`.
OpDef padGradOp();

} // namespace aisys::engine::ops
