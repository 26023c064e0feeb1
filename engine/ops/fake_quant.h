// aisys:FakeQuant — quantize-dequantize in float for quantization-aware training, with the
// straight-through estimator as its gradient.
#pragma once

#include "engine/graph/ops.h"

namespace aisys::engine::ops {

/// aisys:FakeQuant(X) → s·(clamp(round(X/s) + z, qmin, qmax) − z) over the signed range of
/// `bits` (2..16). With a `scale` attribute the parameters are fixed (`zero_point` too); without
/// one the scale follows the tensor, s = max|X| / qmax, z = 0 (weights during QAT). Gradient
/// (straight-through): dY inside the clipping range [(qmin − z)·s, (qmax − z)·s], 0 outside
/// (a fixed scale emits aisys:ClipGrad; a dynamic one clips nothing, so dX = dY).
OpDef fakeQuantOp();

} // namespace aisys::engine::ops
