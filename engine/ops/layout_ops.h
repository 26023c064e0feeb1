// Memory layouts of a 4-D activation and the two ops the layout pass inserts (factories in
// op_library.h):
//   aisys:LayoutCast  copies a tensor from one layout to another (attrs from, to, channels);
//   aisys:LayoutConv  a 2-D Conv computing directly on its input's layout (attr layout), with
//                     W in OIHW and its output in the same layout.
// Layouts (logical tensor N×C×H×W):
//   NCHW     offset = ((n·C + c)·H + h)·W + w                     physical [N, C, H, W]
//   NHWC     offset = ((n·H + h)·W + w)·C + c                     physical [N, H, W, C]
//   NC4HW4   C1 = ⌈C/4⌉, offset = (((n·C1 + c/4)·H + h)·W + w)·4 + c%4   physical [N, C1, H, W, 4]
//   NC1HWC0  the same with C0 = 16 lanes (Ascend fp16)             physical [N, C1, H, W, 16]
// Blocked layouts pad the last channel block with zeros: size N·C1·C0·H·W.
#pragma once

#include "engine/graph/ops.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aisys::engine::ops {

enum class Layout { NCHW, NHWC, NC4HW4, NC1HWC0 };

const char* layoutName(Layout l);
/// "NCHW", "NHWC", "NC4HW4", "NC1HWC0"; nullopt for anything else.
std::optional<Layout> parseLayout(const std::string& name);
/// Channels per block: 4 (NC4HW4), 16 (NC1HWC0), 0 for the unblocked layouts.
std::int64_t layoutBlock(Layout l);
/// The physical shape of a logical [N, C, H, W] tensor.
Shape physicalShape(Layout l, const Shape& nchw);
/// Elements of the physical tensor (padding included).
std::int64_t physicalSize(Layout l, const Shape& nchw);
/// The logical [N, C, H, W] of a physical shape; `channels` is C (needed for blocked layouts).
Shape logicalShape(Layout l, const Shape& physical, std::int64_t channels);
/// Flat element offset of logical element (n, c, h, w) of a tensor of logical shape `nchw`.
std::int64_t layoutOffset(Layout l, const Shape& nchw, std::int64_t n, std::int64_t c,
                          std::int64_t h, std::int64_t w);

} // namespace aisys::engine::ops
