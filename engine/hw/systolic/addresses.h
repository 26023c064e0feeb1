// SRAM addresses of the operand matrices, as SCALE-Sim's operand_matrix.py computes them.
#pragma once

#include "engine/hw/systolic/layer.h"

#include <cstdint>

namespace aisys::engine::systolic {

/// ifmap A (M×K, im2col'd), filter B (K×N), ofmap C (M×N) → word addresses.
struct OperandAddresses {
    Layer layer;
    std::int64_t ifmapOffset = 0, filterOffset = 10000000, ofmapOffset = 20000000;

    /// calc_ifmap_elem_addr: row m = ofmap pixel (row-major), column k = (filter row, filter
    /// col, channel) with the channel fastest; the ifmap is stored H×W×C. −1 for a word past
    /// the ifmap edge (see Layer::ofmapH).
    std::int64_t a(std::int64_t m, std::int64_t k) const {
        const Layer& L = layer;
        const std::int64_t ew = L.ofmapW();
        const std::int64_t iRow = (m / ew) * L.strideH, iCol = (m % ew) * L.strideW;
        const std::int64_t window = iRow * L.ifmapW * L.channels + iCol * L.channels;
        const std::int64_t fc = L.filterW * L.channels;
        const std::int64_t cRow = k / fc, rest = k % fc;
        if (cRow + iRow >= L.ifmapH || rest / L.channels + iCol >= L.ifmapW)
            return -1; // window past the edge (SCALE-Sim's "padded address")
        return cRow * L.ifmapW * L.channels + (rest / L.channels) * L.channels + rest % L.channels +
               window + ifmapOffset;
    }
    /// calc_filter_elem_addr: filter n is a contiguous window of K words.
    std::int64_t b(std::int64_t k, std::int64_t n) const {
        return filterOffset + n * (layer.filterH * layer.filterW * layer.channels) + k;
    }
    /// calc_ofmap_elem_addr: N·m + n.
    std::int64_t c(std::int64_t m, std::int64_t n) const {
        return ofmapOffset + layer.filters * m + n;
    }
    /// Number of distinct ifmap / filter words (address span above the offset).
    std::int64_t ifmapSpan() const { return layer.ifmapH * layer.ifmapW * layer.channels; }
    std::int64_t filterSpan() const {
        return layer.filterH * layer.filterW * layer.channels * layer.filters;
    }
};

} // namespace aisys::engine::systolic
