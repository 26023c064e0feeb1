// Occupancy: how many thread blocks of a kernel are resident on one SM, from its threads,
// registers per thread and shared memory per block, for each compute capability — the rules of
// NVIDIA's CUDA Occupancy Calculator (cuda_occupancy.h in the CUDA Toolkit) over the limits of
// the CUDA C++ Programming Guide's table "Technical Specifications per Compute Capability".
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::hw::gpu {

/// The per-SM limits of one compute capability.
struct SmArch {
    std::string name;         ///< "sm80"
    std::string capability;   ///< "8.0"
    std::string architecture; ///< "Ampere (A100)"
    int maxThreadsPerBlock = 1024;
    int maxThreadsPerSm = 2048;
    int maxBlocksPerSm = 32;
    int registersPerSm = 65536;
    int maxRegistersPerBlock = 65536;
    int maxRegistersPerThread = 255;
    int registerAllocUnit = 256;           ///< registers per warp are allocated in units of this
    int subPartitions = 4;                 ///< a warp's registers come from one of these quarters
    int sharedPerSm = 0;                   ///< the largest shared-memory carveout, bytes
    int sharedPerBlockDefault = 48 * 1024; ///< without opting in
    int sharedPerBlockOptIn = 0;    ///< with cudaFuncSetAttribute(MaxDynamicSharedMemorySize)
    int sharedReservedPerBlock = 0; ///< the driver's system use per block (1 KB from 8.0)
    int sharedAllocUnit = 256;
    std::vector<int> carveoutsKB; ///< shared-memory sizes an SM can be configured to
    std::string source;
    int maxWarpsPerSm() const { return maxThreadsPerSm / 32; }
};

/// sm70 (V100), sm75 (T4), sm80 (A100), sm86 (RTX 30), sm89 (L4 / RTX 40), sm90 (H100).
const std::vector<SmArch>& smArchs();
/// By name ("sm80", "80", "8.0", "ampere" → sm80, "volta", "hopper"), or nullptr.
const SmArch* findSmArch(const std::string& name);
/// "sm70, sm75, sm80, sm86, sm89, sm90".
std::string smArchNames();

/// Which limit bounds the blocks per SM.
enum class OccLimit { Warps, Registers, SharedMemory, Blocks };
const char* occLimitName(OccLimit l);

struct Occupancy {
    std::string error; ///< "" or why the block cannot launch (what, got, expected)
    bool ok() const { return error.empty(); }
    int warpsPerBlock = 0;
    int registersPerWarp = 0;  ///< allocated: ⌈regs × 32 / unit⌉ × unit
    int registersPerBlock = 0; ///< registersPerWarp × warpsPerBlock
    int sharedPerBlock = 0;    ///< allocated: ⌈smem + reserved / unit⌉ × unit
    int sharedCarveout = 0;    ///< the SM's shared-memory size used (bytes)
    int limitWarps = 0, limitRegisters = 0, limitShared = 0, limitBlocks = 0; ///< blocks/SM
    int blocksPerSm = 0;
    std::vector<OccLimit> limiting; ///< every limit equal to blocksPerSm
    int activeWarps = 0;
    double occupancy = 0; ///< active warps / max warps per SM
};

/// The occupancy of a block of `threads` threads using `regsPerThread` registers and
/// `sharedPerBlock` bytes of shared memory (static + dynamic) on `a`. Shared memory above the
/// 48 KB default is taken as opted in (up to the architecture's opt-in maximum); the SM's
/// carveout is its largest (the default carveout preference).
Occupancy occupancy(const SmArch& a, int threads, int regsPerThread, int sharedPerBlock);

/// A grid of `gridBlocks` blocks over `sms` SMs with `blocksPerSm` resident each: waves =
/// ⌈grid / (sms × blocksPerSm)⌉; block b runs on SM b mod sms in wave b / (sms × blocksPerSm)
/// (the round-robin the course draws; real hardware assigns dynamically).
struct GridMapping {
    int waves = 0;
    std::vector<int> smOfBlock, waveOfBlock;
    double lastWaveFill = 0; ///< fraction of the last wave's slots used (tail effect)
};
GridMapping mapGrid(int gridBlocks, int sms, int blocksPerSm);

/// The global index of thread (blockIdx, threadIdx) in a 1-D launch: blockIdx × blockDim +
/// threadIdx (CUDA C++ Programming Guide, "Thread Hierarchy").
inline long long globalThreadIndex(int blockIdx, int blockDim, int threadIdx) {
    return static_cast<long long>(blockIdx) * blockDim + threadIdx;
}

} // namespace aisys::engine::hw::gpu
