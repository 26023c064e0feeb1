// The outcomes the compiler, framework, chip and compression lessons state in their steps and
// exercises, re-run through their Labs with the exercise's parameters (lessons/README.md, "How a
// lesson is checked", step 2): memory-format, memory-planning, control-flow, tpu-v2-v3,
// compiler-algebraic, compiler-constant-folding-dce, quantization, pruning.
#include "engine/compress/memory_format.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

bool has(const aisys::viz::Scene& s, const std::string& want) {
    return textOf(s).find(want) != std::string::npos;
}

/// The line after the first line equal to `label` (or after the `skip`-th line after it).
std::string after(const aisys::viz::Scene& s, const std::string& label, int skip = 0) {
    const auto lines = linesOf(s);
    for (std::size_t i = 0; i + 1 + skip < lines.size(); ++i)
        if (lines[i] == label)
            return lines[i + 1 + skip];
    return "<no " + label + ">";
}

/// The first number in `s` after `key`, or NaN.
double numberAfter(const std::string& s, const std::string& key) {
    const auto p = s.find(key);
    return p == std::string::npos ? std::nan("") : std::atof(s.c_str() + p + key.size());
}

ParamSet one(const std::string& name, ParamValue v) {
    ParamSet p;
    p.set(name, std::move(v));
    return p;
}

/// The last frame of lesson `id`'s Lab run with the parameters of its last step and `over`.
aisys::viz::Scene lastFrame(const std::string& id, const ParamSet& over) {
    const Lesson& l = shippedLesson(id);
    ParamSet p = l.params;
    for (const auto& st : l.steps)
        p.merge(st.set);
    p.merge(over);
    const auto run = runLab(l.labId, p);
    return run->scene(run->frameCount() - 1, {});
}

} // namespace

TEST(LessonExercises, MemoryFormatPaddingVanishesAtSixteenChannelsAndReturnsWithC0ThirtyTwo) {
    // "set c to 16 and watch NC1HWC0's padding vanish; set c0 to 32 (int8) and it comes back."
    using namespace aisys::engine::compress;
    for (auto [c, c0] : std::vector<std::pair<int, int>>{{6, 16}, {16, 16}, {16, 32}}) {
        ParamSet over;
        over.set("c", std::int64_t{c});
        over.set("c0", std::int64_t{c0});
        const auto s = stepScene("memory-format", 5, Lang::En, over);
        const FormatLayout l = layoutOf(MemoryFormat::NC1HWC0, 1, c, 3, 3, c0);
        // The compare frame's NC1HWC0 row ends with "highlighted at A, padding P".
        const auto lines = linesOf(s);
        std::string row;
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (lines[i] == "NC1HWC0")
                for (std::size_t j = i; j < lines.size() && row.empty(); ++j)
                    if (lines[j].rfind("highlighted at ", 0) == 0)
                        row = lines[j];
        EXPECT_EQ(numberAfter(row, "padding "), double(l.paddingSize())) << c << "/" << c0 << row;
        if (c == 16 && c0 == 16)
            EXPECT_EQ(l.paddingSize(), 0);
        else
            EXPECT_GT(l.paddingSize(), 0);
    }
}

TEST(LessonExercises, MemoryPlanningResidualKeepsR2AliveAcrossThreeNodes) {
    // "switch network to residual — the skip connection keeps r2 alive across three nodes (and
    // the input x, which the caller owns and is not planned) — and turn inplace and reuse off
    // and on to see which saving each one brings."
    const auto s = stepScene("memory-planning", 0, Lang::En, one("graph", std::string("residual")));
    const int from = std::atoi(fact(s, "relu2 (Relu)", "position").c_str());
    const int to = std::atoi(fact(s, "add2 (Add)", "position").c_str());
    EXPECT_EQ(fact(s, "r2", "lifetime"),
              "[" + std::to_string(from) + ", " + std::to_string(to) + "]");
    EXPECT_EQ(to - from - 1, 3); // conv3, relu3, conv4 run while r2 waits for add2
    EXPECT_EQ(fact(s, "x", "lifetime"), "<no x / lifetime>");
    // Each switch alone saves against one buffer per value; together they reach the lower bound.
    auto arena = [](bool inplace, bool reuse) {
        ParamSet over = one("graph", std::string("residual"));
        over.set("inplace", inplace);
        over.set("reuse", reuse);
        const auto sc = stepScene("memory-planning", 0, Lang::En, over);
        return std::make_pair(kib(after(sc, "planned arena (buffers end to end)")),
                              kib(after(sc, "lower bound: max bytes alive at once")));
    };
    const double none = arena(false, false).first;
    EXPECT_NEAR(none, kib(after(s, "every value in its own buffer")), 0.01);
    EXPECT_LT(arena(true, false).first, none);
    EXPECT_LT(arena(false, true).first, none);
    const auto both = arena(true, true);
    EXPECT_NEAR(both.first, both.second, 0.01);
}

TEST(LessonExercises, ControlFlowFiringsGrowWithTheIterationsTheGraphDoesNot) {
    // "s = 3 and i = 3 come out in the root frame. Try n from 0 to 6: the number of firings
    // grows with the iterations, the graph does not."
    int previous = -1;
    std::size_t nodes = 0;
    for (int n = 0; n <= 6; ++n) {
        const auto done = stepScene("control-flow", 5, Lang::En, one("n", std::int64_t{n}));
        const int firings = int(numberAfter(done.caption, "Finished after "));
        EXPECT_GT(firings, previous) << "n = " << n << ": " << done.caption;
        previous = firings;
        const std::string results = textOf(done);
        EXPECT_NEAR(numberAfter(results, "exit s → "), n * (n - 1) / 2.0, 1e-9) << results;
        EXPECT_NEAR(numberAfter(results, "exit i → "), n, 1e-9) << results;
        const auto graph = stepScene("control-flow", 3, Lang::En, one("n", std::int64_t{n}));
        std::size_t boxes = 0;
        for (const auto& p : graph.list.prims)
            boxes += p.kind == aisys::viz::PrimKind::Box && p.id != 0;
        if (n == 0)
            nodes = boxes;
        EXPECT_EQ(boxes, nodes) << "n = " << n;
    }
    EXPECT_TRUE(has(stepScene("control-flow", 5, Lang::En), "exit s → 3.000   exit i → 3.000"));
}

TEST(LessonExercises, TpuBf16StoresABigNumberThatFp16Cannot) {
    // "x = 100 000 rounds to 99 840 in BF16 … but becomes +inf in FP16."
    const float x = 100000.0f;
    std::uint32_t bits;
    std::memcpy(&bits, &x, 4);
    bits = (bits + 0x7fff + ((bits >> 16) & 1)) & 0xffff0000u; // round to nearest even
    float bf16;
    std::memcpy(&bf16, &bits, 4);
    EXPECT_EQ(bf16, 99840.0f);
    EXPECT_GT(x, 65504.0f); // FP16's largest finite value
    const auto s = stepScene("tpu-v2-v3", 1, Lang::En);
    EXPECT_EQ(after(s, "5 exp bits, 10 mantissa bits", 1), "+inf") << textOf(s);
    EXPECT_EQ(after(s, "8 exp bits, 7 mantissa bits", 1), "99840") << textOf(s);
}

TEST(LessonExercises, TpuLargerBatchHelpsTheBatchBoundRowsMost) {
    // "raise the batch size … The MLP, LSTM and fc rows, whose M is the batch itself, gain most
    // in proportion — at batch 64 six to eight times their utilization at batch 8"; a conv's M
    // (batch × output pixels) is long already and grows less in proportion.
    auto percents = [](const aisys::viz::Scene& s, const std::string& row) {
        std::vector<double> v;
        for (int k = 0; k < 3; ++k)
            v.push_back(std::atof(after(s, row, 1 + k).c_str()));
        return v;
    };
    const auto small = stepScene("tpu-v2-v3", 2, Lang::En);
    const auto big = stepScene("tpu-v2-v3", 2, Lang::En, one("batch", std::int64_t{64}));
    ASSERT_TRUE(has(big, "batch 64"));
    for (int a = 0; a < 3; ++a) { // 1×256², 4×128², 16×64²
        double worstBatchRow = 1e9, bestConv = 0;
        for (const char* r : {"MLP 1024²", "LSTM gates", "fc 2048→1000"}) {
            const double gain = percents(big, r)[a] / percents(small, r)[a];
            EXPECT_GE(gain, 6.0) << r << " " << a; // "six to eight times"
            EXPECT_LE(gain, 8.0) << r << " " << a;
            worstBatchRow = std::min(worstBatchRow, gain);
        }
        for (const char* r :
             {"conv1 7×7/2", "res2 3×3", "res3 3×3", "res4 3×3", "res5 3×3", "res5 1×1"})
            bestConv = std::max(bestConv, percents(big, r)[a] / percents(small, r)[a]);
        EXPECT_GT(worstBatchRow, 5.0) << a;
        EXPECT_GT(worstBatchRow, 2 * bestConv) << a;
    }
}

TEST(LessonExercises, CompilerAlgebraicCountsAndTheSinglePassQuestions) {
    // Step 2: "Two kernels fewer, 4 KiB less traffic"; step 3: "Five nodes and three kernels go".
    const auto a = stepScene("compiler-algebraic", 1, Lang::En);
    const auto in = passRow(a, "input graph"), alg = passRow(a, "algebraic-simplification");
    ASSERT_EQ(in.size(), 5u);
    ASSERT_EQ(alg.size(), 5u);
    EXPECT_EQ(std::atoi(in[2].c_str()) - std::atoi(alg[2].c_str()), 2);
    EXPECT_NEAR(kib(in[3]) - kib(alg[3]), 4.0, 0.15);
    const auto r = stepScene("compiler-algebraic", 2, Lang::En);
    const auto red = passRow(r, "redundant-node-elimination");
    ASSERT_EQ(red.size(), 5u);
    EXPECT_EQ(std::atoi(alg[1].c_str()) - std::atoi(red[1].c_str()), 5);
    EXPECT_EQ(std::atoi(alg[2].c_str()) - std::atoi(red[2].c_str()), 3);
    // The exercise's questions have one answer each: of the O1 passes alone, only
    // redundant-node-elimination removes the Transpose pair; dead-code elimination alone finds
    // the unused branch.
    for (const char* pass :
         {"constant-folding", "dead-code-elimination", "common-subexpression-elimination",
          "redundant-node-elimination", "algebraic-simplification"}) {
        const auto s = lastFrame("compiler-algebraic", one("pipeline", std::string(pass)));
        EXPECT_EQ(has(s, "Transpose o Transpose = identity: to_nchw"),
                  std::string(pass) == "redundant-node-elimination")
            << pass;
        if (std::string(pass) == "dead-code-elimination") {
            EXPECT_TRUE(has(s, "unreachable from outputs: unused_exp")) << textOf(s);
            EXPECT_TRUE(has(s, "unreachable from outputs: unused_neg")) << textOf(s);
        }
    }
}

TEST(LessonExercises, ConstantFoldingAndDceCountsAndTheBiggerInput) {
    // Step 2: "Five nodes and three kernels are gone"; step 3: bytes drop "by exactly 4 KiB",
    // and the peak falls; step 4 (16×16): the folded shape computations cost the same, the dead
    // branch 16 KiB.
    const auto cf = stepScene("compiler-constant-folding-dce", 1, Lang::En);
    const auto in = passRow(cf, "input graph"), fold = passRow(cf, "constant-folding");
    ASSERT_EQ(fold.size(), 5u);
    EXPECT_EQ(std::atoi(in[1].c_str()) - std::atoi(fold[1].c_str()), 5);
    EXPECT_EQ(std::atoi(in[2].c_str()) - std::atoi(fold[2].c_str()), 3);
    const auto dce =
        passRow(stepScene("compiler-constant-folding-dce", 2, Lang::En), "dead-code-elimination");
    ASSERT_EQ(dce.size(), 5u);
    EXPECT_NEAR(kib(fold[3]) - kib(dce[3]), 4.0, 0.15);
    EXPECT_LT(kib(dce[4]), kib(fold[4]));
    const auto big = stepScene("compiler-constant-folding-dce", 3, Lang::En);
    const auto bin = passRow(big, "input graph"), bfold = passRow(big, "constant-folding"),
               bdce = passRow(big, "dead-code-elimination");
    ASSERT_EQ(bdce.size(), 5u);
    EXPECT_NEAR(kib(bin[3]) - kib(bfold[3]), kib(in[3]) - kib(fold[3]), 0.15);
    EXPECT_NEAR(kib(bfold[3]) - kib(bdce[3]), 16.0, 0.15);
}

namespace {

/// The int8 GEMM frame's accumulators (the cells after "acc (int32)") and max |Y − Y'|.
std::pair<std::vector<double>, double> gemmNumbers(const aisys::viz::Scene& s) {
    const auto lines = linesOf(s);
    std::vector<double> acc;
    double err = std::nan("");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i] == "acc (int32)")
            for (std::size_t j = i + 1; j < lines.size() && lines[j] != "qY (requantized)"; ++j)
                acc.push_back(std::atof(lines[j].c_str()));
        if (lines[i].find("max |Y − Y'| = ") != std::string::npos)
            err = numberAfter(lines[i], "max |Y − Y'| = ");
    }
    return {acc, err};
}

double maxAbs(const std::vector<double>& v) {
    double m = 0;
    for (double x : v)
        m = std::max(m, std::abs(x));
    return m;
}

} // namespace

TEST(LessonExercises, QuantizationFourBitAccumulatorsShrinkAndSymmetricLeavesOneTerm) {
    // "set bits to 4: the integers and so the int32 accumulators shrink, while the error
    // against the float Y grows. Then try scheme = symmetric: za = 0 removes −za·Σqb as well,
    // and only Σqa·qb is left."
    const auto [acc8, err8] = gemmNumbers(stepScene("quantization", 6, Lang::En));
    const auto [acc4, err4] =
        gemmNumbers(stepScene("quantization", 6, Lang::En, one("bits", std::int64_t{4})));
    ASSERT_EQ(acc8.size(), 9u);
    ASSERT_EQ(acc4.size(), 9u);
    EXPECT_LT(maxAbs(acc4), maxAbs(acc8) / 10);
    EXPECT_GT(err4, err8);
    const auto sym =
        stepScene("quantization", 6, Lang::En, one("scheme", std::string("symmetric")));
    const std::string t = textOf(sym);
    EXPECT_NE(t.find("za = 0 "), std::string::npos) << t;
    // "[Σ qa·qb] v + [−zb·Σqa] 0 + [−za·Σqb] 0 + [K·za·zb] 0 = v".
    const double core = numberAfter(t, "qa·qb] ");
    EXPECT_EQ(numberAfter(t, "[−zb·Σqa] "), 0.0) << t;
    EXPECT_EQ(numberAfter(t, "[−za·Σqb] "), 0.0) << t;
    EXPECT_EQ(numberAfter(t, "[K·za·zb] "), 0.0) << t;
    EXPECT_EQ(numberAfter(t, "   =   "), core) << t;
    EXPECT_EQ(core, gemmNumbers(sym).first.at(0));
}

TEST(LessonExercises, PruningChannelsLosesMoreThanUnstructuredAndFineTuningWinsItBack) {
    // "accuracy without fine-tuning drops more than with unstructured pruning … the last bar
    // is the same pruned network after 30 full-batch fine-tuning steps."
    const auto channel = stepScene("pruning", 3, Lang::En);
    const auto unstructured =
        stepScene("pruning", 3, Lang::En, one("mode", std::string("unstructured-global")));
    const double dense = std::atof(after(channel, "accuracy, dense").c_str());
    const double prunedC = std::atof(after(channel, "accuracy, pruned").c_str());
    const double prunedU = std::atof(after(unstructured, "accuracy, pruned").c_str());
    EXPECT_LT(prunedC, prunedU);
    EXPECT_LE(prunedU, dense);
    EXPECT_GT(std::atof(after(channel, "after fine-tuning 30 steps").c_str()), prunedC);
}

namespace {
/// The last SIMT frame of the gpu-simt lesson with its steps' parameters and `over`.
aisys::viz::Scene simtEnd(const ParamSet& over) {
    const Lesson& l = shippedLesson("gpu-simt");
    ParamSet p = l.params;
    for (const auto& st : l.steps)
        p.merge(st.set);
    p.merge(over);
    const auto run = runLab(l.labId, p);
    int first = 0;
    for (const auto& ph : run->phases()) {
        if (ph.name == "simt")
            return run->scene(first + ph.frames - 1, {});
        first += ph.frames;
    }
    return {};
}
} // namespace

TEST(LessonExercises, GpuLatencyHidingSixWarpsHideFiveCyclesAndIlpHalvesTheThreads) {
    // "It takes 6 warps (L + 1): the steady issue rate becomes 1.00."
    const auto six = stepScene("gpu-latency-hiding", 3, Lang::En);
    EXPECT_EQ(after(six, "steady issue rate = min(1, W/(L+1))"), "1.00");
    EXPECT_EQ(after(six, "warps to hide the latency"), "6");
    const auto five = stepScene("gpu-latency-hiding", 3, Lang::En, one("warps", std::int64_t{5}));
    EXPECT_EQ(after(five, "steady issue rate = min(1, W/(L+1))"), "0.83");
    // Step 3 (4 warps): 4/6. Step 1: 39,264 threads; step 2 (two requests each): 19,632.
    EXPECT_EQ(
        after(stepScene("gpu-latency-hiding", 2, Lang::En), "steady issue rate = min(1, W/(L+1))"),
        "0.67");
    EXPECT_EQ(after(stepScene("gpu-latency-hiding", 0, Lang::En), "threads needed"), "39,264");
    EXPECT_EQ(after(stepScene("gpu-latency-hiding", 1, Lang::En), "threads needed"), "19,632");
    EXPECT_EQ(after(stepScene("gpu-latency-hiding", 0, Lang::En), "resident threads"), "221,184");
}

TEST(LessonExercises, GpuSimtUniformBranchCostsOnePath) {
    // Step 1: 11 cycles vs 7, 63.6 %; nested: 10 vs 8; exercise (uniform): 7 cycles, 100.0 %.
    const auto ifelse = simtEnd(one("kernel", std::string("ifelse")));
    EXPECT_EQ(after(ifelse, "warp cycles so far"), "11");
    EXPECT_EQ(after(ifelse, "longest lane alone"), "7 cycles");
    EXPECT_EQ(after(ifelse, "SIMT efficiency"), "63.6 %");
    const auto nested = simtEnd(one("kernel", std::string("nested")));
    EXPECT_EQ(after(nested, "warp cycles so far"), "10");
    EXPECT_EQ(after(nested, "longest lane alone"), "8 cycles");
    EXPECT_EQ(after(nested, "divergent branches"), "2");
    const auto uniform = simtEnd({});
    EXPECT_EQ(after(uniform, "warp cycles so far"), "7");
    EXPECT_EQ(after(uniform, "divergent branches"), "0");
    EXPECT_EQ(after(uniform, "SIMT efficiency"), "100.0 %");
    // "fed with all-even data the same code does not diverge".
    ParamSet even = one("kernel", std::string("oddeven"));
    even.set("data", std::string("2,4,6,8,10,12,14,16"));
    EXPECT_EQ(after(simtEnd(even), "divergent branches"), "1"); // lanes 8..31: ids
    std::string all;
    for (int i = 0; i < 32; ++i)
        all += (i ? "," : "") + std::to_string(2 * i);
    even.set("data", all);
    EXPECT_EQ(after(simtEnd(even), "divergent branches"), "0");
}

TEST(LessonExercises, GpuOccupancySharedMemoryThenRegistersBindAndAColumnIsStride32) {
    // Step 1: 3 blocks, shared memory, 37.5 %; step 2: 12 blocks 75 %; exercise: 4 blocks by
    // registers, 50.0 %; coalescing: 5 sectors 80 %; exercise: 32 sectors 12.5 %.
    const auto s1 = stepScene("gpu-occupancy", 0, Lang::En);
    EXPECT_EQ(after(s1, "resident blocks = min(limits)"), "3");
    EXPECT_EQ(after(s1, "limited by"), "shared memory");
    EXPECT_EQ(after(s1, "occupancy"), "24 / 64 warps = 37.5 %");
    const auto s2 = stepScene("gpu-occupancy", 1, Lang::En);
    EXPECT_EQ(after(s2, "resident blocks = min(limits)"), "12");
    EXPECT_EQ(after(s2, "occupancy"), "48 / 64 warps = 75.0 %");
    const auto s3 = stepScene("gpu-occupancy", 2, Lang::En);
    EXPECT_EQ(after(s3, "resident blocks = min(limits)"), "4");
    EXPECT_EQ(after(s3, "limited by"), "registers");
    EXPECT_EQ(after(s3, "occupancy"), "32 / 64 warps = 50.0 %");
    EXPECT_NE(textOf(s3).find("9 blocks fit"), std::string::npos);
    const auto c1 = stepScene("gpu-occupancy", 3, Lang::En);
    EXPECT_EQ(after(c1, "32-byte sectors"), "5");
    EXPECT_EQ(after(c1, "efficiency"), "80.0 %");
    const auto c2 = stepScene("gpu-occupancy", 4, Lang::En);
    EXPECT_EQ(after(c2, "32-byte sectors"), "32");
    EXPECT_EQ(after(c2, "efficiency"), "12.5 %");
    EXPECT_EQ(after(stepScene("gpu-occupancy", 4, Lang::En, one("stride", std::int64_t{2})),
                    "efficiency"),
              "50.0 %");
}

TEST(LessonExercises, TensorCoresPaddingVanishesAt128AndAmpereTakes16Clocks) {
    // Step 1: 4,096 mma_sync, no padding; step 3: 100³ → 512 mma_sync, 52.32 %; exercise:
    // 128³ → 512, 0.00 %, and on ampere 16 clocks per mma_sync. Generations: 125.3, 311.9,
    // 989.4 TFLOPS.
    const auto s1 = stepScene("tensor-cores", 0, Lang::En);
    EXPECT_EQ(after(s1, "mma_sync calls"), "4096");
    EXPECT_EQ(after(s1, "padding waste"), "0.00 %");
    EXPECT_EQ(after(s1, "clocks per mma_sync"), "64");
    const std::string check = after(s1, "tiled = reference on");
    EXPECT_LT(numberAfter(check, "max error "), 1e-4) << check;
    const auto s3 = stepScene("tensor-cores", 2, Lang::En);
    EXPECT_EQ(after(s3, "mma_sync calls"), "512");
    EXPECT_EQ(after(s3, "padded to 16 only"), "343");
    EXPECT_EQ(after(s3, "padding waste"), "52.32 %");
    const auto ex = stepScene("tensor-cores", 4, Lang::En);
    EXPECT_EQ(after(ex, "mma_sync calls"), "512");
    EXPECT_EQ(after(ex, "padding waste"), "0.00 %");
    const auto amp = stepScene("tensor-cores", 4, Lang::En, one("gen", std::string("ampere")));
    EXPECT_EQ(after(amp, "clocks per mma_sync"), "16");
    const std::string gens = textOf(stepScene("tensor-cores", 3, Lang::En));
    for (const char* peak : {"125.3 TFLOPS", "311.9 TFLOPS", "989.4 TFLOPS"})
        EXPECT_NE(gens.find(peak), std::string::npos) << peak;
    // The fragment phase of Volta has 4 K slices of 16 per-clock 4×4×4 MMAs.
    EXPECT_EQ(after(stepScene("tensor-cores", 1, Lang::En), "MMAs in this slice"), "16");
}

TEST(LessonExercises, NvlinkAcrossDgx2BoardsIsThreeHopsAt150GBs) {
    // Packets: 64 B → 80.00 %, 256 B → 94.12 %; DGX-1 0→5: 2 hops, 3.36 ms, 80 GB/s; PCIe
    // 0→7: 5 hops, 4.26 ms; DGX A100 300, DGX H100 450 GB/s; exercise DGX-2 0→12: 3 hops,
    // 150 GB/s.
    const std::string pk = textOf(stepScene("nvlink-nvswitch", 1, Lang::En));
    EXPECT_NE(pk.find("4 / 5 flits = 80.00 %"), std::string::npos) << pk;
    EXPECT_NE(pk.find("16 / 17 flits = 94.12 %"), std::string::npos) << pk;
    const auto d1 = stepScene("nvlink-nvswitch", 2, Lang::En);
    EXPECT_EQ(after(d1, "hops"), "2");
    EXPECT_EQ(after(d1, "through other GPUs"), "1");
    EXPECT_EQ(after(d1, "time α + n/B"), "3.36 ms");
    EXPECT_EQ(after(d1, "all paths (max flow)"), "80.00 GB/s");
    const auto pcie = stepScene("nvlink-nvswitch", 3, Lang::En);
    EXPECT_EQ(after(pcie, "hops"), "5");
    EXPECT_EQ(after(pcie, "time α + n/B"), "4.26 ms");
    EXPECT_EQ(after(stepScene("nvlink-nvswitch", 4, Lang::En), "all paths (max flow)"),
              "300.00 GB/s");
    EXPECT_EQ(after(stepScene("nvlink-nvswitch", 5, Lang::En), "all paths (max flow)"),
              "450.00 GB/s");
    const auto ex = stepScene("nvlink-nvswitch", 6, Lang::En);
    EXPECT_EQ(after(ex, "hops"), "3");
    EXPECT_EQ(after(ex, "all paths (max flow)"), "150.00 GB/s");
    const std::string gens = textOf(stepScene("nvlink-nvswitch", 0, Lang::En));
    for (const char* g : {"4 × 40 = 160 GB/s", "6 × 50 = 300 GB/s", "12 × 50 = 600 GB/s",
                          "18 × 50 = 900 GB/s", "18 × 100 = 1800 GB/s", "= 31.5 GB/s"})
        EXPECT_NE(gens.find(g), std::string::npos) << g;
}
