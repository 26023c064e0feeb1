// GPU execution: Little's law with the course's A100 numbers, the warp scheduler, SIMT with
// masks against each lane run alone, occupancy against the CUDA guides' worked examples and the
// calculator's rules, coalescing against the Best Practices Guide's access patterns.
#include "engine/hw/gpu/coalescing.h"
#include "engine/hw/gpu/latency.h"
#include "engine/hw/gpu/occupancy.h"
#include "engine/hw/gpu/simt.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace aisys::engine::hw::gpu;

TEST(LatencyHiding, CourseA100Numbers) {
    // SYLLABUS §2.6: A100 HBM 1555 GB/s × 404 ns = 628,220 B → 39,264 threads of 16 B;
    // 108 SM × 2048 = 221,184 resident → 5.6×.
    const LatencyHiding h = latencyHiding(1555, 404, 16, 1, 108, 2048);
    ASSERT_TRUE(h.ok());
    EXPECT_DOUBLE_EQ(h.bytesInFlight, 628220);
    EXPECT_EQ(h.threadsNeeded, 39264);
    EXPECT_EQ(h.warpsNeeded, 1227);
    EXPECT_EQ(h.threadsAvailable, 221184);
    EXPECT_NEAR(h.ratio, 5.63, 0.005);
    // The per-level table: L1 19,400 GB/s 27 ns → 32,738; L2 4,000 150 → 37,500;
    // NVLink 300 700 → 13,125; PCIe 25 1,470 → 2,297.
    EXPECT_EQ(latencyHiding(19400, 27).threadsNeeded, 32738);
    EXPECT_EQ(latencyHiding(4000, 150).threadsNeeded, 37500);
    EXPECT_EQ(latencyHiding(300, 700).threadsNeeded, 13125);
    EXPECT_EQ(latencyHiding(25, 1470).threadsNeeded, 2297);
    // Xeon 8280: 131 GB/s × 89 ns = 11,659 B → 729 requests of 16 B.
    EXPECT_DOUBLE_EQ(latencyHiding(131, 89).bytesInFlight, 11659);
    EXPECT_EQ(latencyHiding(131, 89).threadsNeeded, 729);
    // ILP: two requests in flight per thread halve the threads.
    EXPECT_EQ(latencyHiding(1555, 404, 16, 2).threadsNeeded, 19632);
    EXPECT_FALSE(latencyHiding(0, 404).ok());
    EXPECT_FALSE(latencyHiding(1555, -1).ok());
}

TEST(LatencyHiding, AchievedBandwidth) {
    // 108 warps (one per SM) move 108 × 32 × 16 B per 404 ns.
    EXPECT_NEAR(achievedBandwidthGBs(1555, 404, 108), 108 * 32 * 16 / 404.0, 1e-9);
    EXPECT_DOUBLE_EQ(achievedBandwidthGBs(1555, 404, 1227), 1555); // enough warps
    EXPECT_LT(achievedBandwidthGBs(1555, 404, 1226), 1555);        // one short
    EXPECT_DOUBLE_EQ(achievedBandwidthGBs(1555, 404, 6912), 1555); // every warp of A100
}

TEST(WarpScheduler, IssueRateIsMinOfOneAndWarpsOverLatency) {
    for (int latency : {0, 3, 7, 20})
        for (int warps : {1, 2, 4, 8, 16, 32}) {
            const SchedulerTrace t = simulateScheduler(warps, latency, 200);
            const double expect = std::min(1.0, double(warps) / (latency + 1));
            EXPECT_NEAR(t.steadyIssueRate, expect, 1e-12) << warps << " warps, L=" << latency;
            for (int c = 0; c < t.cycles; ++c) {
                int issuing = 0;
                for (WarpState s : t.state[c])
                    issuing += s == WarpState::Issue;
                EXPECT_EQ(issuing, t.issuedWarp[c] >= 0 ? 1 : 0);
                // Never a stall while a warp is ready.
                if (t.issuedWarp[c] < 0) {
                    for (WarpState s : t.state[c])
                        EXPECT_NE(s, WarpState::Ready);
                }
            }
        }
    // A warp waits exactly `latency` cycles after issuing.
    const SchedulerTrace t = simulateScheduler(2, 4, 12);
    EXPECT_EQ(t.issuedWarp[0], 0);
    EXPECT_EQ(t.issuedWarp[1], 1);
    for (int c = 1; c <= 4; ++c)
        EXPECT_EQ(t.state[c][0], WarpState::Waiting);
    EXPECT_EQ(t.issuedWarp[5], 0);
    EXPECT_THROW(simulateScheduler(0, 4, 10), std::invalid_argument);
}

TEST(Simt, MasksMatchEveryLaneRunAlone) {
    for (const char* name : {"ifelse", "oddeven", "uniform", "nested"}) {
        const SimtKernel k = parseSimtKernel(simtExample(name));
        ASSERT_TRUE(k.ok()) << name << ": " << k.error;
        std::mt19937 rng(7);
        std::vector<long long> in(32);
        for (auto& v : in)
            v = static_cast<long long>(rng() % 100) - 50;
        const SimtRun r = runSimt(k, in);
        for (int l = 0; l < 32; ++l)
            EXPECT_EQ(r.x[l], runScalarLane(k, l, in[l])) << name << " lane " << l;
        EXPECT_GE(r.cycles, r.uniformCycles);
        EXPECT_EQ(r.cycles == r.uniformCycles, r.divergentBranches == 0) << name;
    }
}

TEST(Simt, DivergenceCostsBothPaths) {
    // x *= 2 (1); if (1); x += 10 @4 | x -= 10 @4; x += 1 (1): both sides run → 1+1+4+4+1 = 11.
    const SimtRun d = runSimt(parseSimtKernel(simtExample("ifelse")), {});
    EXPECT_EQ(d.cycles, 11);
    EXPECT_EQ(d.uniformCycles, 7);
    EXPECT_EQ(d.divergentBranches, 1);
    // Half the lanes idle for 8 of 11 cycles: (3 × 32 + 8 × 16) / (11 × 32).
    EXPECT_NEAR(d.efficiency, (3 * 32 + 8 * 16) / (11.0 * 32), 1e-12);
    // A warp-uniform branch costs one path.
    const SimtRun u = runSimt(parseSimtKernel(simtExample("uniform")), {});
    EXPECT_EQ(u.cycles, 7);
    EXPECT_EQ(u.divergentBranches, 0);
    EXPECT_DOUBLE_EQ(u.efficiency, 1.0);
    // The masks: lanes 0–15 then 16–31, reconverged at end.
    bool sawLow = false, sawHigh = false;
    for (const SimtStep& s : d.steps) {
        sawLow |= s.mask == 0x0000FFFFu && s.cycles == 4;
        sawHigh |= s.mask == 0xFFFF0000u && s.cycles == 4;
    }
    EXPECT_TRUE(sawLow && sawHigh);
    EXPECT_EQ(d.steps.back().mask, 0xFFFFFFFFu);
    // Data-dependent: x % 2 with all-even data does not diverge.
    std::vector<long long> even(32, 4);
    EXPECT_EQ(runSimt(parseSimtKernel(simtExample("oddeven")), even).divergentBranches, 0);
}

TEST(Simt, ParseErrorsNameTheStatement) {
    EXPECT_NE(parseSimtKernel("x += 1; else").error.find("statement 2"), std::string::npos);
    EXPECT_NE(parseSimtKernel("if lane < 4; x += 1").error.find("not closed"), std::string::npos);
    EXPECT_NE(parseSimtKernel("if y < 3; end").error.find("expected 'if lane"), std::string::npos);
    EXPECT_NE(parseSimtKernel("x += two").error.find("integer"), std::string::npos);
    EXPECT_NE(parseSimtKernel("x += 1 @0").error.find("1..1000"), std::string::npos);
    EXPECT_THROW(runSimt(parseSimtKernel("x += 1"), {}, 33), std::invalid_argument);
}

TEST(Occupancy, BestPracticesGuideExample) {
    // CUDA C++ Best Practices Guide, 'Calculating Occupancy': on compute capability 7.0, 128-
    // thread blocks with 37 registers per thread → 12 blocks, 75 %; 320-thread blocks with the
    // same registers → 4 blocks, 63 % (40 of 64 warps = 62.5 %).
    const SmArch& v = *findSmArch("sm70");
    const Occupancy a = occupancy(v, 128, 37, 0);
    ASSERT_TRUE(a.ok()) << a.error;
    EXPECT_EQ(a.blocksPerSm, 12);
    EXPECT_DOUBLE_EQ(a.occupancy, 0.75);
    EXPECT_EQ(a.limiting, std::vector<OccLimit>{OccLimit::Registers});
    const Occupancy b = occupancy(v, 320, 37, 0);
    EXPECT_EQ(b.blocksPerSm, 4);
    EXPECT_DOUBLE_EQ(b.occupancy, 0.625);
}

TEST(Occupancy, CalculatorRules) {
    const SmArch& a100 = *findSmArch("sm80");
    // 256 threads, 64 regs, 48 KB: warps allow 8, registers 4 (2048 per warp, 8 warps per
    // quarter), shared memory 3 ((48 + 1 reserved) KB into 164 KB).
    const Occupancy o = occupancy(a100, 256, 64, 48 * 1024);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.limitWarps, 8);
    EXPECT_EQ(o.limitRegisters, 4);
    EXPECT_EQ(o.limitShared, 3);
    EXPECT_EQ(o.limitBlocks, 32);
    EXPECT_EQ(o.blocksPerSm, 3);
    EXPECT_EQ(o.limiting, std::vector<OccLimit>{OccLimit::SharedMemory});
    EXPECT_DOUBLE_EQ(o.occupancy, 24.0 / 64);
    // Tiny blocks hit the 32 block slots.
    const Occupancy t = occupancy(a100, 32, 16, 0);
    EXPECT_EQ(t.blocksPerSm, 32);
    EXPECT_EQ(t.limiting, std::vector<OccLimit>{OccLimit::Blocks});
    EXPECT_DOUBLE_EQ(t.occupancy, 0.5);
    // 1024 threads × 64 regs uses the whole register file: one block on Hopper.
    const Occupancy h = occupancy(*findSmArch("hopper"), 1024, 64, 0);
    EXPECT_EQ(h.blocksPerSm, 1);
    EXPECT_EQ(h.limiting, std::vector<OccLimit>{OccLimit::Registers});
    // Turing: 1024 threads per SM.
    EXPECT_EQ(occupancy(*findSmArch("7.5"), 1024, 0, 0).blocksPerSm, 1);
    // 255 registers round up to 8192 per warp: 8 warps per SM.
    EXPECT_EQ(occupancy(a100, 64, 255, 0).activeWarps, 8);
    // Allocation granularity: 1 byte of shared memory takes 1 KB reserve + 128 B on sm80.
    EXPECT_EQ(occupancy(a100, 64, 0, 1).sharedPerBlock, 1024 + 128);
    EXPECT_EQ(occupancy(*findSmArch("volta"), 64, 0, 1).sharedPerBlock, 256);
}

TEST(Occupancy, ImpossibleBlocksAreRefused) {
    const SmArch& a100 = *findSmArch("sm80");
    EXPECT_NE(occupancy(a100, 1025, 32, 0).error.find("expected 1..1024"), std::string::npos);
    EXPECT_NE(occupancy(a100, 0, 32, 0).error.find("threads per block 0"), std::string::npos);
    EXPECT_NE(occupancy(a100, 256, 256, 0).error.find("expected 0..255"), std::string::npos);
    EXPECT_NE(occupancy(a100, 256, 32, 200 * 1024).error.find("163 KB"), std::string::npos);
    EXPECT_NE(occupancy(a100, 1024, 65, 0).error.find("exceed the 65536"), std::string::npos);
    EXPECT_EQ(findSmArch("sm99"), nullptr);
    EXPECT_NE(findSmArch("sm_90"), nullptr);
}

TEST(Grid, EveryThreadCoveredOnce) {
    const GridMapping g = mapGrid(1000, 108, 3);
    EXPECT_EQ(g.waves, 4); // 324 slots per wave
    EXPECT_NEAR(g.lastWaveFill, (1000 - 3 * 324) / 324.0, 1e-12);
    std::set<long long> seen;
    for (int b = 0; b < 40; ++b)
        for (int t = 0; t < 256; ++t)
            EXPECT_TRUE(seen.insert(globalThreadIndex(b, 256, t)).second);
    EXPECT_EQ(seen.size(), 40u * 256);
    EXPECT_EQ(*seen.rbegin(), 40 * 256 - 1);
}

TEST(Coalescing, BestPracticesPatterns) {
    // CUDA C++ Best Practices Guide, 'Coalesced Access to Global Memory'.
    const Coalescing aligned = coalesce(1, 0);
    EXPECT_EQ(aligned.sectors.size(), 4u); // 128 B in four 32-byte sectors
    EXPECT_EQ(aligned.lines.size(), 1u);
    EXPECT_DOUBLE_EQ(aligned.efficiency, 1.0);
    const Coalescing misaligned = coalesce(1, 1);
    EXPECT_EQ(misaligned.sectors.size(), 5u); // five sectors
    EXPECT_EQ(misaligned.lines.size(), 2u);
    EXPECT_DOUBLE_EQ(misaligned.efficiency, 0.8);
    const Coalescing stride2 = coalesce(2, 0);
    EXPECT_DOUBLE_EQ(stride2.efficiency, 0.5); // 'a 50% load/store efficiency'
    const Coalescing stride32 = coalesce(32, 0);
    EXPECT_EQ(stride32.sectors.size(), 32u);
    EXPECT_EQ(stride32.lines.size(), 32u);
    EXPECT_DOUBLE_EQ(stride32.efficiency, 0.125);
    const Coalescing bcast = coalesce(0, 5);
    EXPECT_EQ(bcast.sectors.size(), 1u);
    EXPECT_EQ(bcast.bytesRequested, 4);
    // 8-byte elements, stride 1: 256 B, 8 sectors, 2 lines.
    const Coalescing d = coalesce(1, 0, 8);
    EXPECT_EQ(d.sectors.size(), 8u);
    EXPECT_EQ(d.lines.size(), 2u);
    // Negative stride reads the same sectors as the mirrored positive one.
    EXPECT_EQ(coalesce(-1, 31).sectors.size(), 4u);
    EXPECT_FALSE(coalesce(1, 0, 3).ok());
}
