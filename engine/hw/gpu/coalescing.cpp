#include "engine/hw/gpu/coalescing.h"

#include <algorithm>
#include <cstdlib>

namespace aisys::engine::hw::gpu {

Coalescing coalesce(long long stride, long long offset, int elementBytes, int lanes) {
    Coalescing c;
    c.lanes = lanes;
    c.elementBytes = elementBytes;
    if (lanes < 1 || lanes > 32) {
        c.error = "lanes must be 1..32, got " + std::to_string(lanes);
        return c;
    }
    if (elementBytes != 1 && elementBytes != 2 && elementBytes != 4 && elementBytes != 8 &&
        elementBytes != 16) {
        c.error =
            "element size must be 1, 2, 4, 8 or 16 bytes, got " + std::to_string(elementBytes);
        return c;
    }
    if (std::llabs(stride) > (1LL << 24) || std::llabs(offset) > (1LL << 24)) {
        c.error = "stride and offset must be within ±16M elements";
        return c;
    }
    // Addresses relative to a 128-byte aligned base far enough from 0 that negative strides stay
    // positive (the base only shifts every sector index by the same amount).
    const long long base = 1LL << 32;
    std::vector<long long> bytes;
    for (int i = 0; i < lanes; ++i) {
        const long long a = base + (offset + i * stride) * elementBytes;
        c.address.push_back(a - base);
        for (long long b = a; b < a + elementBytes; b += 1) {
            bytes.push_back(b);
            c.sectors.push_back(b / 32 - base / 32);
            c.lines.push_back(b / 128 - base / 128);
        }
    }
    for (auto* v : {&c.sectors, &c.lines, &bytes}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    c.bytesRequested = static_cast<long long>(bytes.size());
    c.bytesMoved = static_cast<long long>(c.sectors.size()) * 32;
    c.efficiency = double(c.bytesRequested) / c.bytesMoved;
    return c;
}

} // namespace aisys::engine::hw::gpu
