// Tensor Cores: the generations (dense FP16 FMA per Tensor Core per clock and the per-clock MMA
// shape), a GEMM tiled thread block → warp → fragment (16×16×16, WMMA's m16n16k16) → per-clock
// MMA, its instruction count, Tensor Core cycles and padding waste, the tiled product itself
// (FP16 inputs, FP32 accumulation), and peak TFLOPS from the parts.
#pragma once

#include "engine/hw/roofline/device.h"

#include <functional>
#include <string>
#include <vector>

namespace aisys::engine::hw::gpu {

/// One Tensor Core generation.
struct TensorCoreGen {
    std::string name;         ///< "volta", "turing", "ampere", "hopper"
    std::string architecture; ///< "Volta (V100)"
    int generation = 1;
    std::string device;  ///< the device file its peak is recomputed from ("" = none)
    int fmaPerClock = 0; ///< dense FP16 FMA per Tensor Core per clock
    int tensorCoresPerSm = 0;
    int m = 0, n = 0, k = 0;     ///< the per-clock MMA shape (m × n × k = fmaPerClock)
    bool shapePublished = false; ///< the vendor states the shape (Volta); else a same-size one
    std::string source;          ///< whitepaper section for the FMA rate (and shape)
    std::string shapeSource;
};
const std::vector<TensorCoreGen>& tensorCoreGens();
/// By name ("volta", "v100", "sm70", ...; case-insensitive) or nullptr.
const TensorCoreGen* findTensorCoreGen(const std::string& name);
std::string tensorCoreGenNames();

/// Tile sizes of a tiled GEMM: a thread block computes blockM × blockN of C stepping K by
/// blockK; its warps each compute warpM × warpN; a warp's tile is 16×16 fragments, each
/// `mma_sync` a 16×16×16 D = A·B + C.
struct TcTiling {
    int blockM = 128, blockN = 128, blockK = 32;
    int warpM = 64, warpN = 64;
    static constexpr int kFrag = 16;
};
/// "" or what is wrong: tiles must be positive multiples of 16, warp tiles must divide block
/// tiles.
std::string checkTiling(const TcTiling& t);

struct TcPlan {
    std::string error;
    bool ok() const { return error.empty(); }
    long long M = 0, N = 0, K = 0;
    long long gridM = 0, gridN = 0; ///< thread blocks along M and N
    long long kSteps = 0;           ///< ⌈K / blockK⌉
    int warpsPerBlock = 0;
    int fragmentsPerWarp = 0;         ///< (warpM/16) × (warpN/16)
    long long mmaPerWarpPerKStep = 0; ///< fragmentsPerWarp × blockK/16
    long long mmaSync = 0;            ///< mma_sync calls of the whole GEMM (padded tiles)
    long long mmaMinimal = 0;         ///< ⌈M/16⌉⌈N/16⌉⌈K/16⌉: padding to 16 only
    long long usefulFma = 0;          ///< M × N × K
    long long issuedFma = 0;          ///< mmaSync × 4096
    double paddingWaste = 0;          ///< 1 − useful / issued
    long long clocksPerMma = 0;       ///< 4096 / (FMA per clock) on one Tensor Core
    long long perClockOps = 0;        ///< per-clock MMA shapes in one 16×16×16 fragment
    long long tensorCoreClocks = 0;   ///< mmaSync × clocksPerMma, summed over Tensor Cores
    double gpuClocks = 0;             ///< tensorCoreClocks / (SMs × TC per SM): perfect spread
    double timeUs = 0;                ///< gpuClocks / clock (0 without a device)
};

/// Plans C[M×N] = A[M×K]·B[K×N] on generation `g` with `sms` SMs at `clockGHz` (0 = no time).
TcPlan planTensorCoreGemm(long long M, long long N, long long K, const TcTiling& t,
                          const TensorCoreGen& g, int sms = 0, double clockGHz = 0);

/// What the tiled GEMM is doing: the block (bm, bn), warp (wm, wn), k step, fragment (fm, fn,
/// fk) and, for each per-clock MMA, its offsets inside the fragment.
struct TcEvent {
    long long bm = 0, bn = 0, kStep = 0;
    int wm = 0, wn = 0, fm = 0, fn = 0, fk = 0;
};

/// D = A·B + C through the hierarchy, row-major float matrices (A M×K, B K×N, C M×N), with A
/// and B rounded to FP16 and products accumulated in FP32 per fragment (as WMMA does with a
/// float accumulator). Every 16×16×16 fragment is computed as its per-clock m×n×k MMAs of `g`.
/// Edges are zero-padded. `onMma` (optional) sees every mma_sync. Returns the number of
/// per-clock MMAs executed.
long long tiledTensorCoreGemm(const std::vector<float>& A, const std::vector<float>& B,
                              const std::vector<float>& C, std::vector<float>& D, int M, int N,
                              int K, const TcTiling& t, const TensorCoreGen& g,
                              const std::function<void(const TcEvent&)>& onMma = {});

/// The reference: D = fp16(A)·fp16(B) + C in double, rounded to float.
void referenceGemm(const std::vector<float>& A, const std::vector<float>& B,
                   const std::vector<float>& C, std::vector<float>& D, int M, int N, int K);

/// Peak TFLOPS from the parts: SMs × Tensor Cores per SM × FMA per clock × 2 × clock (GHz) / 1000.
double tensorCorePeakTflops(int sms, int tensorCoresPerSm, double fmaPerClock, double clockGHz);

} // namespace aisys::engine::hw::gpu
