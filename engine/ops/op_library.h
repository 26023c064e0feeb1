// The factories of every built-in op definition, declared once here; op_registry.cpp lists
// them, one line per op, and each is defined in the file named next to it.
#pragma once

#include "engine/graph/ops.h"

#include <string>

namespace aisys::engine::ops {

/// Element-wise float math, one formula each (unary/math.cpp).
OpDef sqrtOp();
OpDef expOp();
OpDef logOp();
OpDef reciprocalOp();
OpDef sinOp();
OpDef cosOp();
OpDef tanhOp();
OpDef erfOp();
OpDef floorOp();
OpDef ceilOp();
OpDef roundOp();
/// The unary ops with a file of their own (unary/<file>.cpp), listed once in unary/ops.def:
/// Celu, ThresholdedRelu, the trigonometric and hyperbolic functions.
#define AISYS_UNARY_FILE(factory, file) OpDef factory();
#include "engine/ops/unary/ops.def"
#undef AISYS_UNARY_FILE
/// Activations (unary/activations.cpp).
OpDef sigmoidOp();
OpDef hardSigmoidOp();
OpDef hardSwishOp();
OpDef geluOp();
OpDef leakyReluOp();
OpDef eluOp();
OpDef seluOp();
OpDef softplusOp();
OpDef softsignOp();
/// Element-wise ops on every numeric type (unary/numeric.cpp).
OpDef negOp();
OpDef absOp();
OpDef reluOp();
OpDef signOp();
/// Identity and Dropout (inference: copies; optional mask output all true)
/// (elementwise_unary.cpp).
OpDef identityOp(const std::string& type);
/// Clip (min/max attributes before opset 11, optional inputs since).
OpDef clipOp();
/// Not (bool).
OpDef notOp();
/// Cast between all engine types ("to" attribute holds an ONNX TensorProto data type).
OpDef castOp();

/// Broadcasting binary arithmetic: Add Sub Mul Div Pow PRelu (elementwise_binary.cpp).
OpDef arithmeticOp(const std::string& type);
/// Broadcasting comparisons with a bool result: Equal Greater Less GreaterOrEqual LessOrEqual.
OpDef compareOp(const std::string& type);
/// Broadcasting And Or Xor on bool tensors.
OpDef logicalOp(const std::string& type);
/// Mod (fmod=0: sign of the divisor, integers; fmod=1: C fmod).
OpDef modOp();
/// IsNaN and IsInf (detect_negative, detect_positive): bool results (elementwise_unary.cpp).
OpDef isNanInfOp(const std::string& type);
/// Where(cond, x, y) with three-way broadcasting.
OpDef whereOp();

/// MatMul with numpy batching (matmul.cpp).
OpDef matMulOp();
/// Gemm: alpha·op(A)·op(B) + beta·C.
OpDef gemmOp();

/// Conv (im2col + Eigen GEMM; groups, dilations, pads, strides, auto_pad) (nn_conv.cpp).
OpDef convOp();
/// What Conv's kernel applies to each output channel right after computing it: the bias
/// (input 2, if given) and, when `clamp`, min(max(·, lo), hi) — Relu is lo 0, hi ∞; Relu6 /
/// Clip are lo, hi. aisys:FusedConv uses it so the activation costs no pass of its own.
struct ConvEpilogue {
    bool clamp = false;
    double lo = 0, hi = 0;
};
/// Conv's forward kernel (every output element written) with an epilogue.
void convForward(const OpCall& c, const std::vector<const Tensor*>& in, Tensor& out,
                 const ConvEpilogue& ep);
/// ConvTranspose (GEMM + col2im).
OpDef convTransposeOp();

/// MaxPool, AveragePool (pooling.cpp).
OpDef poolOp(const std::string& type);
/// GlobalAveragePool, GlobalMaxPool.
OpDef globalPoolOp(const std::string& type);

/// BatchNormalization (inference), InstanceNormalization, LayerNormalization
/// (normalization.cpp).
OpDef batchNormOp();
OpDef instanceNormOp();
OpDef layerNormOp();
/// Softmax and LogSoftmax (opset < 13: coerced to 2-D at axis; 13+: along one axis).
OpDef softmaxOp(const std::string& type);

/// ReduceMean ReduceSum ReduceMax ReduceMin ReduceProd (reduce.cpp).
OpDef reduceOp(const std::string& type);
/// ArgMax, ArgMin.
OpDef argOp(const std::string& type);
/// TopK (k from input 1, known before running or at run time).
OpDef topKOp();

/// Reshape Flatten Squeeze Unsqueeze: views that keep the data (shape_ops.cpp).
OpDef reshapeLikeOp(const std::string& type);
/// Transpose.
OpDef transposeOp();
/// Shape and Size.
OpDef shapeOp(const std::string& type);
/// ConstantOfShape.
OpDef constantOfShapeOp();
/// Constant (value / value_float / value_floats / value_int / value_ints attributes).
OpDef constantOp();
/// Expand.
OpDef expandOp();

/// Concat, Split, Slice, Gather (tensor_index.cpp); Tile, Pad (tile_pad.cpp).
OpDef concatOp();
OpDef splitOp();
OpDef sliceOp();
OpDef gatherOp();
OpDef tileOp();
OpDef padOp();

/// Range, Trilu, CumSum (generate_ops.cpp).
OpDef rangeOp();
OpDef triluOp();
OpDef cumSumOp();
/// LSTM (recurrent.cpp).
OpDef lstmOp();

/// Resize (nearest, linear; every coordinate_transformation_mode) (resize.cpp).
OpDef resizeOp();

/// QuantizeLinear and DequantizeLinear (per-tensor and per-axis) (quantize.cpp).
OpDef quantizeLinearOp();
OpDef dequantizeLinearOp();

/// Max and Min (any numeric type; NaN wins for floats), Sum and Mean (f32/f64) over one or more
/// inputs broadcast together (variadic.cpp).
OpDef variadicOp(const std::string& type);

/// If: runs then_branch or else_branch by the single bool in input 0; Loop: trip count M and
/// condition (both optional), loop-carried values, scan outputs (control_flow.cpp).
OpDef ifOp();
OpDef loopOp();

/// aisys:Fused, the node operator fusion produces (fused_kernel.h, fused_kernel.cpp).
OpDef fusedSubgraphOp();
/// aisys:FusedConv / FusedGemm / FusedMatMul: the producer `base` with its bias, scale and
/// activation applied in its kernel (fused_ops.h, fused_ops.cpp).
OpDef fusedOp(const std::string& base);
/// aisys:LayoutCast and aisys:LayoutConv (layout_ops.h, layout_ops.cpp).
OpDef layoutCastOp();
OpDef layoutConvOp();

/// aisys:FakeQuant(X) → s·(clamp(round(X/s) + z, qmin, qmax) − z) over the signed range of
/// `bits` (2..16). With a `scale` attribute the parameters are fixed (`zero_point` too); without
/// one the scale follows the tensor, s = max|X| / qmax, z = 0 (weights during QAT). Gradient
/// (straight-through): dY inside the clipping range [(qmin − z)·s, (qmax − z)·s], 0 outside
/// (a fixed scale emits aisys:ClipGrad; a dynamic one clips nothing, so dX = dY)
/// (fake_quant.cpp).
OpDef fakeQuantOp();

// The internal backward ops ("aisys:" domain) that gradient rules emit where the ONNX op set
// has no single op for the job.
/// aisys:<Op>Grad(dY, X) → dY·f'(X), f' from the forward op's formula and attributes (copied
/// onto the node); the registry derives one for every op with OpDef::derivativeKernel
/// (activation_grad.cpp).
OpDef derivativeGradOp(const OpDef& forward);
/// aisys:ClipGrad(dY, X, min?, max?) → dY where min ≤ X ≤ max (activation_grad.cpp).
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
/// aisys:GatherGrad(dY, indices) → zeros of `shape` with dY rows added at the indices
/// (index_grad.cpp).
OpDef gatherGradOp();
/// aisys:PadGrad(dY) → the adjoint of Pad (`pads`, `mode`) into `shape` (index_grad.cpp).
OpDef padGradOp();

} // namespace aisys::engine::ops
