// Address functions of NCHW, NHWC, NC4HW4 and NC1HWC0.
#include "engine/compress/memory_format.h"

#include <stdexcept>

namespace aisys::engine::compress {

const char* formatName(MemoryFormat f) {
    switch (f) {
    case MemoryFormat::NCHW:
        return "NCHW";
    case MemoryFormat::NHWC:
        return "NHWC";
    case MemoryFormat::NC4HW4:
        return "NC4HW4";
    case MemoryFormat::NC1HWC0:
        return "NC1HWC0";
    }
    return "?";
}

MemoryFormat parseFormat(const std::string& s) {
    for (MemoryFormat f : allFormats())
        if (s == formatName(f))
            return f;
    throw std::invalid_argument("memory format '" + s +
                                "': expected NCHW, NHWC, NC4HW4 or NC1HWC0");
}

std::vector<MemoryFormat> allFormats() {
    return {MemoryFormat::NCHW, MemoryFormat::NHWC, MemoryFormat::NC4HW4, MemoryFormat::NC1HWC0};
}

std::int64_t FormatLayout::channelBlocks() const {
    return (c + block - 1) / block;
}

std::vector<std::int64_t> FormatLayout::storedShape() const {
    switch (format) {
    case MemoryFormat::NCHW:
        return {n, c, h, w};
    case MemoryFormat::NHWC:
        return {n, h, w, c};
    case MemoryFormat::NC4HW4:
    case MemoryFormat::NC1HWC0:
        return {n, channelBlocks(), h, w, block};
    }
    return {};
}

std::int64_t FormatLayout::paddedSize() const {
    std::int64_t s = 1;
    for (std::int64_t d : storedShape())
        s *= d;
    return s;
}

std::vector<std::int64_t> FormatLayout::storedStrides() const {
    const auto shape = storedShape();
    std::vector<std::int64_t> st(shape.size(), 1);
    for (int k = static_cast<int>(shape.size()) - 2; k >= 0; --k)
        st[k] = st[k + 1] * shape[k + 1];
    return st;
}

std::int64_t FormatLayout::offset(std::int64_t in, std::int64_t ic, std::int64_t ih,
                                  std::int64_t iw) const {
    switch (format) {
    case MemoryFormat::NCHW:
        return ((in * c + ic) * h + ih) * w + iw;
    case MemoryFormat::NHWC:
        return ((in * h + ih) * w + iw) * c + ic;
    case MemoryFormat::NC4HW4:
    case MemoryFormat::NC1HWC0:
        return (((in * channelBlocks() + ic / block) * h + ih) * w + iw) * block + ic % block;
    }
    return -1;
}

bool FormatLayout::coordsOf(std::int64_t off, std::int64_t& on, std::int64_t& oc, std::int64_t& oh,
                            std::int64_t& ow) const {
    if (off < 0 || off >= paddedSize())
        return false;
    switch (format) {
    case MemoryFormat::NCHW:
        ow = off % w;
        oh = off / w % h;
        oc = off / (w * h) % c;
        on = off / (w * h * c);
        return true;
    case MemoryFormat::NHWC:
        oc = off % c;
        ow = off / c % w;
        oh = off / (c * w) % h;
        on = off / (c * w * h);
        return true;
    case MemoryFormat::NC4HW4:
    case MemoryFormat::NC1HWC0: {
        const std::int64_t lane = off % block;
        ow = off / block % w;
        oh = off / (block * w) % h;
        const std::int64_t cb = off / (block * w * h) % channelBlocks();
        on = off / (block * w * h * channelBlocks());
        oc = cb * block + lane;
        return oc < c;
    }
    }
    return false;
}

FormatLayout layoutOf(MemoryFormat f, std::int64_t n, std::int64_t c, std::int64_t h,
                      std::int64_t w, std::int64_t c0) {
    if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || c0 <= 0)
        throw std::invalid_argument("layout: N, C, H, W and C0 must be positive, got " +
                                    std::to_string(n) + "x" + std::to_string(c) + "x" +
                                    std::to_string(h) + "x" + std::to_string(w) + ", C0 " +
                                    std::to_string(c0));
    FormatLayout l;
    l.format = f;
    l.n = n;
    l.c = c;
    l.h = h;
    l.w = w;
    l.block = f == MemoryFormat::NC4HW4 ? 4 : f == MemoryFormat::NC1HWC0 ? c0 : 1;
    return l;
}

} // namespace aisys::engine::compress
