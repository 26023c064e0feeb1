// Conversion between ONNX TensorProto / TypeProto and engine tensors and value types.
#pragma once

#include "engine/core/tensor.h"
#include "engine/graph/graph.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace aisys::engine::onnxio {

/// Engine tensor from a TensorProto (raw_data, typed fields, or external data read from
/// inside `baseDir`). Throws OnnxError naming the tensor and the problem.
Tensor tensorFromProto(const onnx::TensorProto& p, const std::string& baseDir);
/// TensorProto with raw_data (little-endian), dims and data type.
void tensorToProto(const Tensor& t, const std::string& name, onnx::TensorProto& p);

/// Fills a value's dtype, shape and dimParams from a ValueInfoProto; throws OnnxError for a
/// non-tensor or non-engine type.
void valueTypeFromProto(const onnx::ValueInfoProto& info, Value& v);
/// Writes a value's name, dtype, shape (dim_value, or dim_param / unknown) to a ValueInfoProto.
void valueTypeToProto(const Value& v, onnx::ValueInfoProto& info);

/// The file an external-data location names, checked to stay inside `baseDir`: relative, no
/// "..", and (after resolving links) under the folder. Throws OnnxError otherwise.
std::string resolveExternalPath(const std::string& location, const std::string& baseDir,
                                const std::string& tensorName);

} // namespace aisys::engine::onnxio
