// TPU generation facts (v1, v2, v3, v4i, v4) and the numbers derived from them: peak from the
// MAC array and clock, the roofline ridge point, on-chip buffer sizes.
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::tpu {

/// One TPU generation as published (the numbers of each row and their sources are in
/// specs.cpp; TPUv1 is 75 W TDP with 34 GB/s DDR3, where the course errs). 0 = not published.
struct TpuGeneration {
    std::string name;         ///< "TPUv1"
    int nodeNm = 0;           ///< process node
    int dieMm2 = 0;           ///< die area
    int onChipMB = 0;         ///< on-chip memory
    int clockMHz = 0;         ///< core clock
    std::string memory;       ///< off-chip memory ("DDR3 8 GiB")
    double memGBs = 0;        ///< off-chip bandwidth
    int powerW = 0;           ///< chip power: TDP, or the measured mean where `powerIsMean`
    bool powerIsMean = false; ///< powerW is the measured mean power, not a TDP (TPUv4)
    double peakTops = 0;      ///< published peak (INT8 for v1, BF16 after)
    int mxusPerChip = 0;      ///< matrix units per chip
    int mxuDim = 0;           ///< each MXU is mxuDim × mxuDim MACs
    std::string dataType;     ///< "INT8", "BF16 × BF16 → FP32"
    std::string useCase;      ///< "inference", "training"
    std::string source;       ///< where the row's numbers come from (paper and table)
};

/// v1, v2, v3, v4i, v4 in order.
const std::vector<TpuGeneration>& tpuGenerations();
/// By name ("TPUv1"); throws std::invalid_argument for an unknown name.
const TpuGeneration& tpuGeneration(const std::string& name);

/// Peak from the MAC array: mxus × dim² MACs × 2 ops × clock, in TOPS.
double peakTopsFromArray(const TpuGeneration& g);
/// Roofline ridge point in ops per byte of off-chip traffic: peak / bandwidth.
double ridgeOpsPerByte(const TpuGeneration& g);
/// Attainable TOPS at operational intensity `opsPerByte`: min(peak, intensity × bandwidth).
double attainableTops(const TpuGeneration& g, double opsPerByte);

/// TPUv1's matrix unit and buffers (ISCA 2017), the sizes the course derives.
struct TpuV1Buffers {
    int mxuDim = 256;              ///< 256×256 MACs, 8-bit
    int accumulatorEntries = 4096; ///< rows of 256 × 32-bit accumulators
    int accumulatorBits = 32;
    int unifiedBufferMiB = 24; ///< activations
    int weightTileKiB = 64;    ///< one 256×256 8-bit weight tile (double-buffered)
    int weightFifoTiles = 4;   ///< the weight FIFO is four tiles deep
    int partialSumBits = 16;   ///< the MXU emits 256 16-bit products per clock
    /// Accumulator capacity in bytes: entries × 256 × 4 B = 4 MiB.
    long long accumulatorBytes() const {
        return static_cast<long long>(accumulatorEntries) * mxuDim * accumulatorBits / 8;
    }
    /// One weight tile: 256 × 256 × 1 B.
    long long weightTileBytes() const { return static_cast<long long>(mxuDim) * mxuDim; }
};

} // namespace aisys::engine::tpu
