// Closed-form SCALE-Sim report: agreement with the cycle-stepped array, with SCALE-Sim v2's own
// golden test outputs, and the memory model's limits.
#include "engine/hw/systolic/systolic.h"

#include <gtest/gtest.h>

#include <random>

using namespace aisys::engine::systolic;

namespace {
const Dataflow kAll[] = {Dataflow::WS, Dataflow::OS, Dataflow::IS};

// SCALE-Sim v2 test/general: topologies/GEMM_mnk/test_mnk_input.csv (M=256, N=128, K=256),
// 32×32 array, 64 KB SRAMs, USER bandwidth 10 words/cycle.
MemoryConfig goldenMemory() {
    MemoryConfig m;
    m.ifmapSramKB = m.filterSramKB = m.ofmapSramKB = 64;
    m.bandwidth = 10;
    m.userBandwidth = true;
    return m;
}
const Layer kGolden = Layer::gemm("Test 1", 256, 256, 128);
} // namespace

TEST(SystolicReport, CycleSteppedArrayAgreesWithClosedFormsForRandomShapes) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> dim(1, 12), arr(1, 6);
    for (int iter = 0; iter < 120; ++iter) {
        const int M = dim(rng), K = dim(rng), N = dim(rng);
        const ArrayConfig ac{arr(rng), arr(rng)};
        const Matrix A = Matrix::Ones(M, K), B = Matrix::Ones(K, N);
        for (Dataflow df : kAll) {
            const std::string where = std::string(dataflowName(df)) + " M=" + std::to_string(M) +
                                      " K=" + std::to_string(K) + " N=" + std::to_string(N) +
                                      " R=" + std::to_string(ac.rows) +
                                      " C=" + std::to_string(ac.cols);
            const LayerReport rep = analyzeLayer(Layer::gemm("g", M, K, N), ac, df);
            SystolicArray sa(ac, df, A, B);
            ASSERT_EQ(sa.foldCount(), rep.folds) << where;
            ASSERT_EQ(sa.totalCycles(), rep.computeCycles) << where;
            std::int64_t left = 0, top = 0, bottom = 0, macs = 0, lastEvent = 0;
            double mapSum = 0;
            for (std::int64_t f = 0; f < sa.foldCount(); ++f) {
                const FoldInfo fi = sa.fold(f);
                mapSum += double(fi.rowsUsed * fi.colsUsed) / double(ac.rows * ac.cols);
                SystolicStepper st(sa, f);
                std::int64_t foldLast = -1;
                while (!st.done()) {
                    st.step();
                    const EdgeFeed e = sa.feed(f, st.cycle());
                    for (const auto& w : e.left)
                        left += w.valid;
                    for (const auto& w : e.top)
                        top += w.valid;
                    for (const auto& w : e.bottom)
                        bottom += w.valid;
                    for (int r = 0; r < ac.rows; ++r)
                        for (int c = 0; c < ac.cols; ++c)
                            if (st.state(r, c).active) {
                                ++macs;
                                foldLast = st.cycle();
                            }
                    if (!e.bottom.empty())
                        for (const auto& w : e.bottom)
                            if (w.valid)
                                foldLast = std::max(foldLast, st.cycle());
                }
                // Every output of the fold is out before the fold ends; a full fold uses
                // its last cycle (2R+C+T−3 for WS/IS, R+C+T−3 for OS).
                ASSERT_LT(foldLast, fi.cycles) << where;
                if (fi.rowsUsed == ac.rows && fi.colsUsed == ac.cols) {
                    ASSERT_EQ(foldLast, fi.cycles - 1) << where << " fold " << f;
                }
                lastEvent = std::max(lastEvent, fi.startCycle + foldLast);
            }
            EXPECT_EQ(macs, rep.macs) << where;
            // SCALE-Sim counts every fold at full length, so the layer's last event is at
            // folds·cyclesPerFold − 1 exactly when the last fold fills the array.
            const FoldInfo last = sa.fold(sa.foldCount() - 1);
            if (last.rowsUsed == ac.rows && last.colsUsed == ac.cols) {
                EXPECT_EQ(lastEvent, rep.computeCycles) << where;
            } else {
                EXPECT_LE(lastEvent, rep.computeCycles) << where;
            }
            EXPECT_NEAR(mapSum / double(rep.folds) * 100.0, rep.mappingEfficiency, 1e-9) << where;
            // Words crossing the edges are SCALE-Sim's SRAM reads and writes.
            const std::int64_t ifmapWords = df == Dataflow::IS ? top : left;
            const std::int64_t filterWords =
                df == Dataflow::WS ? top : (df == Dataflow::IS ? left : top);
            EXPECT_EQ(ifmapWords, rep.ifmapSramReads) << where;
            EXPECT_EQ(filterWords, rep.filterSramReads) << where;
            const std::int64_t quirk = df == Dataflow::OS ? rep.folds * (ac.rows + ac.cols) : 0;
            EXPECT_EQ(bottom, rep.ofmapSramWrites - quirk) << where;
        }
    }
}

TEST(SystolicReport, FoldAndCycleFormulas) {
    const Layer l = Layer::gemm("g", 100, 70, 50);
    const LayerReport ws = analyzeLayer(l, {16, 8}, Dataflow::WS);
    EXPECT_EQ(ws.rowFolds, 5); // ⌈K/R⌉ = ⌈70/16⌉
    EXPECT_EQ(ws.colFolds, 7); // ⌈N/C⌉ = ⌈50/8⌉
    EXPECT_EQ(ws.cyclesPerFold, 2 * 16 + 8 + 100 - 2);
    EXPECT_EQ(ws.computeCycles, 35 * 138 - 1);
    const LayerReport os = analyzeLayer(l, {16, 8}, Dataflow::OS);
    EXPECT_EQ(os.rowFolds, 7); // ⌈M/R⌉
    EXPECT_EQ(os.colFolds, 7);
    EXPECT_EQ(os.cyclesPerFold, 16 + 8 + 70 - 2);
    const LayerReport is = analyzeLayer(l, {16, 8}, Dataflow::IS);
    EXPECT_EQ(is.rowFolds, 5);  // ⌈K/R⌉
    EXPECT_EQ(is.colFolds, 13); // ⌈M/C⌉
    EXPECT_EQ(is.cyclesPerFold, 2 * 16 + 8 + 50 - 2);
}

TEST(SystolicReport, ConvMapsToGemmTheScaleSimWay) {
    // ResNet-18 conv1: 224×224×3, 7×7, 64 filters, stride 2. SCALE-Sim's ofmap is
    // ceil((224 − 7 + 2)/2) = 110 (not 109): the last window runs past the edge.
    const Layer c = Layer::conv("conv1", 224, 224, 7, 7, 3, 64, 2);
    EXPECT_EQ(c.ofmapH(), 110);
    EXPECT_EQ(c.ofmapW(), 110);
    const GemmShape g = c.gemmShape();
    EXPECT_EQ(g.M, 110 * 110);
    EXPECT_EQ(g.K, 7 * 7 * 3);
    EXPECT_EQ(g.N, 64);
    const Layer d = Layer::conv("c", 56, 56, 3, 3, 64, 64, 1);
    EXPECT_EQ(d.ofmapH(), 54);
    // GEMM form: M×K ifmap, 1×K filter → ofmap M×1 per filter.
    const GemmShape gg = Layer::gemm("g", 5, 6, 7).gemmShape();
    EXPECT_EQ(gg.M, 5);
    EXPECT_EQ(gg.K, 6);
    EXPECT_EQ(gg.N, 7);
}

TEST(SystolicReport, ScaleSimsTestLayerInCalcAndUserModes) {
    // SCALE-Sim v2 (22f88b1) on its test layer; every value of these runs is compared in
    // engine.hw.systolic.scalesim (scalesim_v2/gemm_test_*). CALC mode never stalls on reads:
    // here the ofmap drains at C words/cycle without stalling either, so total = compute.
    const struct {
        Dataflow df;
        std::int64_t compute, userTotal, userStalls;
        double computeUtil;
    } golden[] = {{Dataflow::WS, 11199, 50519, 39320, 67.19160104986877},
                  {Dataflow::OS, 10175, 50423, 40248, 80.50314465408805},
                  {Dataflow::IS, 14207, 19984, 5777, 50.59288537549411}};
    for (const auto& e : golden) {
        MemoryConfig m = goldenMemory();
        const LayerReport u = simulateLayer(kGolden, {32, 32}, e.df, m);
        EXPECT_EQ(u.computeCycles, e.compute) << dataflowName(e.df);
        EXPECT_EQ(u.totalCycles, e.userTotal) << dataflowName(e.df);
        EXPECT_EQ(u.stallCycles, e.userStalls) << dataflowName(e.df);
        EXPECT_EQ(u.computeUtilization, e.computeUtil) << dataflowName(e.df);
        EXPECT_EQ(u.mappingEfficiency, 100.0);
        m.userBandwidth = false;
        const LayerReport c = simulateLayer(kGolden, {32, 32}, e.df, m);
        EXPECT_EQ(c.stallCycles, 0) << dataflowName(e.df);
        EXPECT_EQ(c.totalCycles, e.compute) << dataflowName(e.df);
        // The SRAM counts do not depend on the memory model.
        EXPECT_EQ(c.ifmapSramReads, u.ifmapSramReads);
        EXPECT_EQ(c.filterSramReads, u.filterSramReads);
        EXPECT_EQ(c.ofmapSramWrites, u.ofmapSramWrites);
    }
}

TEST(SystolicReport, CalcModeNeverStallsWhereUserModeDoes) {
    // CALC: the read buffers never stall (ReadBufferEstimateBw) and the ofmap drains at C
    // words per cycle, as fast as a demand line (≤ C words) fills it, so with SRAMs of ≥ 1 KB
    // and arrays ≤ 16 wide nothing stalls; USER at 1 word/cycle does.
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> dim(1, 40), arr(1, 16), kb(1, 3);
    int userStalled = 0;
    for (int iter = 0; iter < 40; ++iter) {
        const Layer l = Layer::gemm("g", dim(rng), dim(rng), dim(rng));
        const ArrayConfig ac{arr(rng), arr(rng)};
        MemoryConfig m;
        m.ifmapSramKB = kb(rng);
        m.filterSramKB = kb(rng);
        m.ofmapSramKB = kb(rng);
        m.bandwidth = 1;
        for (Dataflow df : kAll) {
            m.userBandwidth = false;
            const LayerReport c = simulateLayer(l, ac, df, m);
            ASSERT_EQ(c.stallCycles, 0) << dataflowName(df) << " iter " << iter;
            ASSERT_EQ(c.totalCycles, c.computeCycles);
            m.userBandwidth = true;
            userStalled += simulateLayer(l, ac, df, m).stallCycles > 0;
        }
    }
    EXPECT_GT(userStalled, 20) << userStalled << " of 120 USER runs stall";
}

TEST(SystolicReport, AmpleMemoryNeverStallsAndTightMemoryDoes) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> dim(1, 120), arr(2, 32);
    MemoryConfig ample;
    ample.ifmapSramKB = ample.filterSramKB = ample.ofmapSramKB = 8192;
    ample.bandwidth = 100000;
    for (int iter = 0; iter < 30; ++iter) {
        const Layer l = Layer::gemm("g", dim(rng), dim(rng), dim(rng));
        const ArrayConfig ac{arr(rng), arr(rng)};
        for (Dataflow df : kAll)
            for (bool dbl : {true, false}) {
                ample.doubleBuffered = dbl;
                const LayerReport r = simulateLayer(l, ac, df, ample);
                ASSERT_EQ(r.stallCycles, 0) << dataflowName(df) << " double=" << dbl;
                ASSERT_EQ(r.totalCycles, r.computeCycles);
            }
    }
    MemoryConfig tight;
    tight.ifmapSramKB = tight.filterSramKB = tight.ofmapSramKB = 1;
    tight.bandwidth = 1;
    const Layer big = Layer::conv("c", 28, 28, 3, 3, 64, 64, 1);
    for (Dataflow df : kAll)
        for (bool dbl : {true, false}) {
            tight.doubleBuffered = dbl;
            const LayerReport r = simulateLayer(big, {16, 16}, df, tight);
            EXPECT_GT(r.stallCycles, 0) << dataflowName(df) << " double=" << dbl;
            EXPECT_EQ(r.totalCycles, r.computeCycles + r.stallCycles)
                << dataflowName(df) << " double=" << dbl;
        }
}

TEST(SystolicReport, BadInputIsRejectedWithAPreciseMessage) {
    auto message = [](auto&& f) {
        try {
            f();
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("(no exception)");
    };
    EXPECT_NE(message([] {
                  analyzeLayer(Layer::gemm("g", 0, 3, 3), {4, 4}, Dataflow::WS);
              }).find("IFMAP height must be > 0"),
              std::string::npos);
    EXPECT_NE(message([] {
                  analyzeLayer(Layer::gemm("g", 3, 3, 3), {0, 4}, Dataflow::WS);
              }).find("rows must be in 1..65536"),
              std::string::npos);
    EXPECT_NE(message([] {
                  analyzeLayer(Layer::conv("c", 5, 5, 7, 3, 1, 1, 1), {4, 4}, Dataflow::OS);
              }).find("filter height 7 is larger than IFMAP height 5"),
              std::string::npos);
    EXPECT_NE(message([] { dataflowFromString("xs"); }).find("unknown dataflow 'xs'"),
              std::string::npos);
    EXPECT_NE(message([] {
                  MemoryConfig m;
                  m.bandwidth = 0;
                  simulateLayer(Layer::gemm("g", 3, 3, 3), {4, 4}, Dataflow::WS, m);
              }).find("bandwidth"),
              std::string::npos);
    EXPECT_NE(message([] {
                  SystolicArray({2, 2}, Dataflow::WS, Matrix(2, 3), Matrix(2, 3));
              }).find("A.cols must equal B.rows"),
              std::string::npos);
    SystolicArray sa({2, 2}, Dataflow::OS, Matrix::Ones(2, 2), Matrix::Ones(2, 2));
    EXPECT_THROW(sa.state(0, 99, 0, 0), std::out_of_range);
    EXPECT_THROW(sa.state(1, 0, 0, 0), std::out_of_range);
    EXPECT_THROW(sa.state(0, 0, 2, 0), std::out_of_range);
}
