// Memory coalescing: the 32-byte sectors and 128-byte cache lines one warp's load touches when
// lane i reads element offset + i × stride (CUDA C++ Best Practices Guide, "Coalesced Access to
// Global Memory": a simple access pattern, a sequential but misaligned pattern, strided access).
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::hw::gpu {

struct Coalescing {
    std::string error;
    bool ok() const { return error.empty(); }
    int lanes = 32;
    int elementBytes = 4;
    std::vector<long long> address; ///< byte address of each lane's element
    std::vector<long long> sectors; ///< distinct 32-byte sector indices (address / 32), sorted
    std::vector<long long> lines;   ///< distinct 128-byte line indices, sorted
    long long bytesRequested = 0;   ///< distinct bytes the lanes read (lanes × size unless shared)
    long long bytesMoved = 0;       ///< sectors × 32
    double efficiency = 0;          ///< requested / moved
};

/// Lane i (0..lanes-1) reads `elementBytes` bytes at byte address
/// base + (offset + i × stride) × elementBytes, base aligned to 128 B. Stride may be 0 (every
/// lane reads the same element: a broadcast, one sector) or negative.
Coalescing coalesce(long long stride, long long offset, int elementBytes = 4, int lanes = 32);

} // namespace aisys::engine::hw::gpu
