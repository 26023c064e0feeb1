// Factories of the built-in op definitions, one per op family (ops.cpp lists them, one per line).
#pragma once

#include "engine/graph/ops.h"

#include <string>

namespace aisys::engine::ops {

/// Element-wise unary ops on floats: Sqrt Exp Log Reciprocal Sigmoid HardSigmoid HardSwish
/// Tanh Erf Gelu LeakyRelu Elu Softplus Sin Cos Floor Ceil (elementwise_unary.cpp).
OpDef floatUnaryOp(const std::string& type);
/// Element-wise unary ops on any numeric type: Neg Abs Relu Sign (elementwise_unary.cpp).
OpDef numericUnaryOp(const std::string& type);
/// Identity and Dropout (inference: copies; optional mask output all true).
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

/// Resize (nearest, linear; every coordinate_transformation_mode) (resize.cpp).
OpDef resizeOp();

/// QuantizeLinear and DequantizeLinear (per-tensor and per-axis) (quantize.cpp).
OpDef quantizeLinearOp();
OpDef dequantizeLinearOp();

} // namespace aisys::engine::ops
