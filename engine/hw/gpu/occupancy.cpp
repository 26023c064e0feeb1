#include "engine/hw/gpu/occupancy.h"

#include <algorithm>
#include <cctype>
#include <climits>

namespace aisys::engine::hw::gpu {

namespace {

const char* kGuide = "CUDA C++ Programming Guide (12.x), 'Compute Capabilities', table "
                     "'Technical Specifications per Compute Capability'; allocation units and "
                     "carveouts: cuda_occupancy.h (CUDA Toolkit)";

SmArch make(const char* name, const char* cc, const char* arch, int threadsPerSm, int blocksPerSm,
            int sharedPerSmKB, int optInKB, int reservedKB, int unit, std::vector<int> carve) {
    SmArch a;
    a.name = name;
    a.capability = cc;
    a.architecture = arch;
    a.maxThreadsPerSm = threadsPerSm;
    a.maxBlocksPerSm = blocksPerSm;
    a.sharedPerSm = sharedPerSmKB * 1024;
    a.sharedPerBlockOptIn = optInKB * 1024;
    a.sharedReservedPerBlock = reservedKB * 1024;
    a.sharedAllocUnit = unit;
    a.carveoutsKB = std::move(carve);
    a.source = kGuide;
    return a;
}

int roundUp(long long v, int unit) {
    return static_cast<int>((v + unit - 1) / unit * unit);
}

} // namespace

const std::vector<SmArch>& smArchs() {
    static const std::vector<SmArch> all{
        make("sm70", "7.0", "Volta (V100)", 2048, 32, 96, 96, 0, 256, {0, 8, 16, 32, 64, 96}),
        make("sm75", "7.5", "Turing (T4, RTX 20)", 1024, 16, 64, 64, 0, 256, {32, 64}),
        make("sm80", "8.0", "Ampere (A100)", 2048, 32, 164, 163, 1, 128,
             {0, 8, 16, 32, 64, 100, 132, 164}),
        make("sm86", "8.6", "Ampere (RTX 30, A40)", 1536, 16, 100, 99, 1, 128,
             {0, 8, 16, 32, 64, 100}),
        make("sm89", "8.9", "Ada (L4, RTX 40)", 1536, 24, 100, 99, 1, 128, {0, 8, 16, 32, 64, 100}),
        make("sm90", "9.0", "Hopper (H100)", 2048, 32, 228, 227, 1, 128,
             {0, 8, 16, 32, 64, 100, 132, 164, 196, 228}),
    };
    return all;
}

const SmArch* findSmArch(const std::string& nameIn) {
    std::string n;
    for (char c : nameIn)
        n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::pair<const char*, const char*> alias[] = {
        {"volta", "sm70"},  {"turing", "sm75"}, {"ampere", "sm80"}, {"ada", "sm89"},
        {"hopper", "sm90"}, {"v100", "sm70"},   {"a100", "sm80"},   {"h100", "sm90"}};
    for (const auto& [from, to] : alias)
        if (n == from)
            n = to;
    for (const SmArch& a : smArchs()) {
        std::string digits = a.capability;
        digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
        if (n == a.name || n == a.capability || n == digits || n == "sm_" + digits ||
            n == "compute_" + digits)
            return &a;
    }
    return nullptr;
}

std::string smArchNames() {
    std::string out;
    for (const SmArch& a : smArchs())
        out += (out.empty() ? "" : ", ") + a.name;
    return out;
}

const char* occLimitName(OccLimit l) {
    switch (l) {
    case OccLimit::Warps:
        return "warps";
    case OccLimit::Registers:
        return "registers";
    case OccLimit::SharedMemory:
        return "shared memory";
    case OccLimit::Blocks:
        return "blocks per SM";
    }
    return "?";
}

Occupancy occupancy(const SmArch& a, int threads, int regs, int smem) {
    Occupancy o;
    const std::string where = " on " + a.name + " (compute capability " + a.capability + ")";
    if (threads < 1 || threads > a.maxThreadsPerBlock) {
        o.error = "threads per block " + std::to_string(threads) + " is impossible" + where +
                  ": expected 1.." + std::to_string(a.maxThreadsPerBlock);
        return o;
    }
    if (regs < 0 || regs > a.maxRegistersPerThread) {
        o.error = "registers per thread " + std::to_string(regs) + " is impossible" + where +
                  ": expected 0.." + std::to_string(a.maxRegistersPerThread);
        return o;
    }
    if (smem < 0 || smem > a.sharedPerBlockOptIn) {
        o.error = "shared memory per block " + std::to_string(smem) + " B is impossible" + where +
                  ": expected at most " + std::to_string(a.sharedPerBlockOptIn) + " B (" +
                  std::to_string(a.sharedPerBlockOptIn / 1024) + " KB with opt-in)";
        return o;
    }
    o.warpsPerBlock = (threads + 31) / 32;
    // 1. Warps: resident warps / warps per block.
    o.limitWarps = a.maxWarpsPerSm() / o.warpsPerBlock;
    // 2. Registers: allocated per warp in units; each sub-partition holds a quarter of the file.
    o.registersPerWarp = roundUp(static_cast<long long>(regs) * 32, a.registerAllocUnit);
    o.registersPerBlock = o.registersPerWarp * o.warpsPerBlock;
    const int assumed = o.registersPerWarp * roundUp(o.warpsPerBlock, a.subPartitions);
    if (o.registersPerBlock > a.maxRegistersPerBlock || assumed > a.maxRegistersPerBlock) {
        o.error = "registers per block " + std::to_string(std::max(o.registersPerBlock, assumed)) +
                  " (" + std::to_string(regs) + " per thread × " + std::to_string(threads) +
                  " threads, allocated per warp in units of " +
                  std::to_string(a.registerAllocUnit) + ") exceed the " +
                  std::to_string(a.maxRegistersPerBlock) + " a block may use" + where;
        return o;
    }
    if (o.registersPerWarp == 0)
        o.limitRegisters = INT_MAX;
    else
        o.limitRegisters = (a.registersPerSm / a.subPartitions / o.registersPerWarp) *
                           a.subPartitions / o.warpsPerBlock;
    // 3. Shared memory: static + dynamic + the driver's reserve, in allocation units.
    o.sharedPerBlock =
        roundUp(static_cast<long long>(smem) + a.sharedReservedPerBlock, a.sharedAllocUnit);
    o.sharedCarveout = a.sharedPerSm;
    o.limitShared = o.sharedPerBlock > 0 ? a.sharedPerSm / o.sharedPerBlock : INT_MAX;
    // 4. The hardware's block slots.
    o.limitBlocks = a.maxBlocksPerSm;
    o.blocksPerSm = std::min({o.limitWarps, o.limitRegisters, o.limitShared, o.limitBlocks});
    if (o.blocksPerSm == o.limitWarps)
        o.limiting.push_back(OccLimit::Warps);
    if (o.blocksPerSm == o.limitRegisters)
        o.limiting.push_back(OccLimit::Registers);
    if (o.blocksPerSm == o.limitShared)
        o.limiting.push_back(OccLimit::SharedMemory);
    if (o.blocksPerSm == o.limitBlocks)
        o.limiting.push_back(OccLimit::Blocks);
    o.activeWarps = o.blocksPerSm * o.warpsPerBlock;
    o.occupancy = double(o.activeWarps) / a.maxWarpsPerSm();
    return o;
}

GridMapping mapGrid(int gridBlocks, int sms, int blocksPerSm) {
    GridMapping g;
    if (gridBlocks < 1 || sms < 1 || blocksPerSm < 1)
        return g;
    const long long slots = static_cast<long long>(sms) * blocksPerSm;
    g.waves = static_cast<int>((gridBlocks + slots - 1) / slots);
    for (int b = 0; b < gridBlocks; ++b) {
        g.smOfBlock.push_back(b % sms);
        g.waveOfBlock.push_back(static_cast<int>(b / slots));
    }
    const long long last = gridBlocks - (g.waves - 1) * slots;
    g.lastWaveFill = double(last) / slots;
    return g;
}

} // namespace aisys::engine::hw::gpu
