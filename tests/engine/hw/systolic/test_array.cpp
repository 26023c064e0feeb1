// Cycle-level systolic array: the product through the PEs equals Eigen's, the random-access
// state equals the replayed registers, and the stepped timing equals the closed forms.
#include "engine/hw/systolic/systolic.h"

#include <gtest/gtest.h>

#include <random>

using namespace aisys::engine::systolic;

namespace {

Matrix randomInts(std::int64_t rows, std::int64_t cols, std::mt19937& rng) {
    std::uniform_int_distribution<int> d(-9, 9);
    Matrix m(rows, cols);
    for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j)
            m(i, j) = d(rng);
    return m;
}

const Dataflow kAll[] = {Dataflow::WS, Dataflow::OS, Dataflow::IS};

void expectSame(const PeState& x, const PeState& y, const std::string& where) {
    EXPECT_EQ(x.used, y.used) << where;
    EXPECT_EQ(x.active, y.active) << where;
    EXPECT_EQ(x.stationaryLoaded, y.stationaryLoaded) << where;
    EXPECT_EQ(x.k, y.k) << where;
    EXPECT_EQ(x.m, y.m) << where;
    EXPECT_EQ(x.n, y.n) << where;
    EXPECT_EQ(x.a, y.a) << where;
    EXPECT_EQ(x.b, y.b) << where;
    EXPECT_EQ(x.stationary, y.stationary) << where;
    EXPECT_EQ(x.psum, y.psum) << where;
    EXPECT_EQ(x.macsDone, y.macsDone) << where;
}

} // namespace

TEST(SystolicArray, ProductThroughThePesEqualsEigenForRandomShapes) {
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> dim(1, 13), arr(1, 6);
    for (int iter = 0; iter < 150; ++iter) {
        const int M = dim(rng), K = dim(rng), N = dim(rng);
        const ArrayConfig ac{arr(rng), arr(rng)};
        const Matrix A = randomInts(M, K, rng), B = randomInts(K, N, rng);
        for (Dataflow df : kAll) {
            SystolicArray sa(ac, df, A, B);
            const Matrix C = sa.run();
            ASSERT_EQ(C, A * B) << dataflowName(df) << " M=" << M << " K=" << K << " N=" << N
                                << " array " << ac.rows << "x" << ac.cols;
        }
    }
}

TEST(SystolicArray, RandomAccessStateEqualsReplayedRegisters) {
    std::mt19937 rng(99);
    std::uniform_int_distribution<int> dim(1, 9), arr(1, 5);
    for (int iter = 0; iter < 40; ++iter) {
        const int M = dim(rng), K = dim(rng), N = dim(rng);
        const ArrayConfig ac{arr(rng), arr(rng)};
        const Matrix A = randomInts(M, K, rng), B = randomInts(K, N, rng);
        for (Dataflow df : kAll) {
            SystolicArray sa(ac, df, A, B);
            for (std::int64_t f = 0; f < sa.foldCount(); ++f) {
                SystolicStepper st(sa, f);
                while (!st.done()) {
                    st.step();
                    const auto snap = sa.snapshot(f, st.cycle());
                    const auto fast = sa.snapshot(f, st.cycle(), false);
                    const auto act = sa.activity(f, st.cycle());
                    for (int r = 0; r < ac.rows; ++r)
                        for (int c = 0; c < ac.cols; ++c) {
                            const std::string where = std::string(dataflowName(df)) + " fold " +
                                                      std::to_string(f) + " cycle " +
                                                      std::to_string(st.cycle()) + " PE " +
                                                      std::to_string(r) + "," + std::to_string(c);
                            const PeState replayed = st.state(r, c);
                            expectSame(sa.state(f, st.cycle(), r, c), replayed, where);
                            expectSame(snap[std::size_t(r * ac.cols + c)], replayed, where);
                            // Without psums: the same state, psum 0 (OS: its stationary too).
                            PeState noPsum = replayed;
                            noPsum.psum = 0;
                            if (df == Dataflow::OS)
                                noPsum.stationary = 0;
                            expectSame(fast[std::size_t(r * ac.cols + c)], noPsum,
                                       where + " (no psum)");
                            ASSERT_EQ(act(r, c), replayed.macsDone) << where;
                        }
                    if (::testing::Test::HasFailure())
                        return;
                }
            }
        }
    }
}

TEST(SystolicArray, CourseExampleOutputStationary3x3FinishesAtSeven) {
    std::mt19937 rng(3);
    const Matrix A = randomInts(3, 3, rng), B = randomInts(3, 3, rng);
    SystolicArray sa({3, 3}, Dataflow::OS, A, B);
    EXPECT_EQ(sa.cyclesPerFold(), 7);
    EXPECT_EQ(sa.foldCount(), 1);
    // The last MAC is PE (2,2) doing k = 2 at cycle 6 (the 7th cycle).
    const PeState last = sa.state(0, 6, 2, 2);
    EXPECT_TRUE(last.active);
    EXPECT_EQ(last.k, 2);
    EXPECT_EQ(last.psum, (A * B)(2, 2));
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            EXPECT_EQ(sa.activity(0)(r, c), 3) << "each output PE does exactly K MACs";
}

TEST(SystolicArray, SramAddressesFollowScaleSimsOperandMatrices) {
    // 5×5×2 ifmap, 3×3 filter, stride 2 → SCALE-Sim ofmap ceil((5 − 3 + 2)/2) = 2 per side.
    const Layer l = Layer::conv("c", 5, 5, 3, 3, 2, 4, 2);
    const GemmShape g = l.gemmShape();
    ASSERT_EQ(g.M, 4);
    ASSERT_EQ(g.K, 18);
    std::mt19937 rng(5);
    SystolicArray sa({4, 4}, Dataflow::WS, randomInts(g.M, g.K, rng), randomInts(g.K, g.N, rng));
    sa.setLayer(l, 0, 10000000, 20000000);
    // Window m = 3 starts at ifmap (2, 2); k = 13 is filter row 2, col 0, channel 1:
    // pixel (4, 2) channel 1 → (4·5 + 2)·2 + 1.
    EXPECT_EQ(sa.addressA(3, 13), (4 * 5 + 2) * 2 + 1);
    EXPECT_EQ(sa.addressB(13, 2), 10000000 + 2 * 18 + 13);
    EXPECT_EQ(sa.addressC(3, 2), 20000000 + 4 * 3 + 2);
    // A 4×4×1 ifmap with 3×3/2 → 2×2 windows; the second window column starts at ifmap col 2
    // and its filter col 2 reads col 4, past the edge: address −1 (a null request).
    const Layer e = Layer::conv("e", 4, 4, 3, 3, 1, 1, 2);
    SystolicArray se({2, 2}, Dataflow::OS, Matrix::Ones(4, 9), Matrix::Ones(9, 1));
    se.setLayer(e);
    EXPECT_EQ(se.addressA(1, 2), -1);
    EXPECT_EQ(se.addressA(1, 1), 3);
    EXPECT_THROW(se.setLayer(Layer::gemm("g", 3, 3, 3)), std::invalid_argument);
}
