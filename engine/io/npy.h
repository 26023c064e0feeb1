// NPY files (numpy's .npy, format versions 1, 2 and 3): read and write engine tensors.
#pragma once

#include "engine/core/tensor.h"

#include <stdexcept>
#include <string>

namespace aisys::engine {

/// A malformed, truncated or unsupported NPY file; the message says what and where.
class NpyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses NPY bytes: little-endian (or byte-sized) f32 f64 i64 i32 i8 u8 bool in C order.
/// `label` names the source in messages. Throws NpyError.
Tensor parseNpy(const std::string& bytes, const std::string& label = "npy data");
/// Reads an NPY file. Throws NpyError.
Tensor readNpy(const std::string& path);
/// Encodes a tensor as NPY: version 1.0, or 2.0 when the header needs more than 65535 bytes.
std::string encodeNpy(const Tensor& t);
/// Writes encodeNpy(t) to a file. Throws NpyError when it cannot.
void writeNpy(const Tensor& t, const std::string& path);

} // namespace aisys::engine
