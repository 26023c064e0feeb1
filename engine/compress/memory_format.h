// Memory formats of a 4-D activation: the linear address of element (n, c, h, w) in NCHW,
// NHWC, NC4HW4 (channels in blocks of 4) and NC1HWC0 (Ascend, C0 = 16), with padded sizes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::compress {

enum class MemoryFormat { NCHW, NHWC, NC4HW4, NC1HWC0 };

/// "NCHW", "NHWC", "NC4HW4", "NC1HWC0".
const char* formatName(MemoryFormat f);
/// Inverse of formatName; throws std::invalid_argument naming the four names.
MemoryFormat parseFormat(const std::string& s);
/// All four, in the order above.
std::vector<MemoryFormat> allFormats();

/// A logical N×C×H×W tensor stored in one format.
struct FormatLayout {
    MemoryFormat format = MemoryFormat::NCHW;
    std::int64_t n = 1, c = 1, h = 1, w = 1;
    /// Channel block: 1 (NCHW, NHWC), 4 (NC4HW4), C0 (NC1HWC0, default 16).
    std::int64_t block = 1;

    /// Blocks of channels: ⌈C / block⌉ (C for the unblocked formats).
    std::int64_t channelBlocks() const;
    /// The stored shape, outermost first: NCHW [N,C,H,W]; NHWC [N,H,W,C];
    /// NC4HW4 [N,⌈C/4⌉,H,W,4]; NC1HWC0 [N,C1,H,W,C0].
    std::vector<std::int64_t> storedShape() const;
    /// Elements the storage holds, padding included (NC4HW4: N·⌈C/4⌉·4·H·W).
    std::int64_t paddedSize() const;
    /// Elements that are padding (channels C..⌈C/b⌉·b − 1).
    std::int64_t paddingSize() const { return paddedSize() - n * c * h * w; }
    /// Element offset of logical (n, c, h, w):
    /// NCHW ((n·C + c)·H + h)·W + w; NHWC ((n·H + h)·W + w)·C + c;
    /// blocked (((n·C1 + c/b)·H + h)·W + w)·b + c mod b.
    std::int64_t offset(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) const;
    /// Strides (in elements) of the stored shape.
    std::vector<std::int64_t> storedStrides() const;
    /// Logical coordinates of a storage offset, or false when it is padding.
    bool coordsOf(std::int64_t offset, std::int64_t& n, std::int64_t& c, std::int64_t& h,
                  std::int64_t& w) const;
};

/// The layout of an N×C×H×W tensor in `f` (`c0` is the NC1HWC0 block: 16 for fp16, 32 for
/// int8). Throws std::invalid_argument for non-positive dimensions or c0.
FormatLayout layoutOf(MemoryFormat f, std::int64_t n, std::int64_t c, std::int64_t h,
                      std::int64_t w, std::int64_t c0 = 16);

} // namespace aisys::engine::compress
