// Sliding-window geometry shared by Conv, ConvTranspose and pooling: kernel, strides,
// dilations, pads (explicit or auto_pad) and output sizes.
#pragma once

#include "engine/graph/ops.h"

#include <cstdint>
#include <vector>

namespace aisys::engine::ops {

/// Per spatial dimension: input, kernel, stride, dilation, pads and output size.
struct WindowGeometry {
    std::vector<std::int64_t> in, kernel, stride, dilation, padBegin, padEnd, out;
    std::size_t rank() const { return in.size(); }
    /// Product of the output sizes / kernel sizes.
    std::int64_t outCount() const;
    std::int64_t kernelCount() const;
};

/// Geometry of a forward window op (Conv, pooling) from the node's attributes: kernel_shape
/// (or `kernel` when the attribute is absent), strides, dilations, pads, auto_pad, ceil_mode.
/// Unknown input sizes (-1) give unknown output sizes.
WindowGeometry windowGeometry(const Node& n, const std::vector<std::int64_t>& inSpatial,
                              const std::vector<std::int64_t>& kernel);

/// The spatial part of an N, C, D1... shape; throws unless the rank is at least 3.
std::vector<std::int64_t> spatialDims(const Shape& s, const char* what);

} // namespace aisys::engine::ops
