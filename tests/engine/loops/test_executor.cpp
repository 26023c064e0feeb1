// The executor: every legal schedule computes the naive nest's output, and its trace has the
// same accesses in another order; the reference against hand-written loops.
#include "engine/loops/executor.h"
#include "engine/loops/schedule.h"
#include "engine/loops/schedule_parse.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>

namespace {

using namespace aisys::engine::loops;

/// Collects the whole trace (small nests only).
struct Collect : TraceSink {
    std::vector<TraceEvent> ev;
    void consume(std::span<const TraceEvent> e) override {
        ev.insert(ev.end(), e.begin(), e.end());
    }
};

LoopNest nestOf(const ComputeDef& d, const std::string& text) {
    auto p = parseSchedule(text);
    EXPECT_TRUE(p) << p.error;
    auto n = schedule(d, p ? *p.value : std::vector<Primitive>{});
    EXPECT_TRUE(n) << text << ": " << n.error;
    return n ? *n.value : LoopNest(d);
}

/// Accesses as sorted (address, write) pairs: the multiset a schedule must preserve.
std::vector<std::pair<std::uint64_t, bool>> accessSet(const std::vector<TraceEvent>& ev) {
    std::vector<std::pair<std::uint64_t, bool>> s;
    for (const TraceEvent& e : ev)
        s.push_back({e.address, e.write});
    std::sort(s.begin(), s.end());
    return s;
}

void expectSameAsNaive(const ComputeDef& d, const std::string& text) {
    SCOPED_TRACE(d.op + " with \"" + text + "\"");
    const ArrayData ref = reference(d, 3);
    LoopNest naive(d), nest = nestOf(d, text);
    ArrayData got = seededData(d, 3);
    Collect naiveTrace, trace;
    execute(naive, nullptr, &naiveTrace);
    const RunStats st = execute(nest, &got, &trace);
    EXPECT_EQ(got.arrays[d.out.array], ref.arrays[d.out.array]);
    EXPECT_EQ(st.loads + st.stores, static_cast<std::int64_t>(trace.ev.size()));
    EXPECT_EQ(accessSet(trace.ev), accessSet(naiveTrace.ev));
}

} // namespace

TEST(LoopsReference, MatmulAndConvolutionMatchHandWrittenLoops) {
    const ComputeDef mm = matmul(5, 7, 3);
    const ArrayData r = reference(mm, 1);
    const ArrayData in = seededData(mm, 1);
    const auto &A = in.arrays[0], &B = in.arrays[1];
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 7; ++j) {
            double s = 0;
            for (int k = 0; k < 3; ++k)
                s += A[i * 3 + k] * B[k * 7 + j];
            EXPECT_EQ(r.arrays[2][i * 7 + j], s) << i << "," << j;
        }
    // NCHW: N=1, IC=2, 5×4 input, OC=3, 3×2 kernel → 3×3 output.
    const ComputeDef cv = convNchw(1, 2, 5, 4, 3, 3, 2);
    const ArrayData rc = reference(cv, 2), ic = seededData(cv, 2);
    for (int oc = 0; oc < 3; ++oc)
        for (int oh = 0; oh < 3; ++oh)
            for (int ow = 0; ow < 3; ++ow) {
                double s = 0;
                for (int c = 0; c < 2; ++c)
                    for (int kh = 0; kh < 3; ++kh)
                        for (int kw = 0; kw < 2; ++kw)
                            s += ic.arrays[0][(c * 5 + oh + kh) * 4 + ow + kw] *
                                 ic.arrays[1][((oc * 2 + c) * 3 + kh) * 2 + kw];
                EXPECT_EQ(rc.arrays[2][(oc * 3 + oh) * 3 + ow], s);
            }
    // NHWC computes the same numbers on transposed data: compare one point by hand.
    const ComputeDef nh = convNhwc(1, 2, 5, 4, 3, 3, 2);
    const ArrayData rn = reference(nh, 2), in2 = seededData(nh, 2);
    double s = 0; // O[0][1][2][1]
    for (int kh = 0; kh < 3; ++kh)
        for (int kw = 0; kw < 2; ++kw)
            for (int c = 0; c < 2; ++c)
                s += in2.arrays[0][((1 + kh) * 4 + 2 + kw) * 2 + c] *
                     in2.arrays[1][((kh * 2 + kw) * 2 + c) * 3 + 1];
    EXPECT_EQ(rn.arrays[2][(1 * 3 + 2) * 3 + 1], s);
    // Blur: the mean of the 3×3 window.
    const ComputeDef bl = blur3x3(3, 4);
    const ArrayData rb = reference(bl, 4), ib = seededData(bl, 4);
    double w = 0;
    for (int dy = 0; dy < 3; ++dy)
        for (int dx = 0; dx < 3; ++dx)
            w += ib.arrays[0][(2 + dy) * 6 + 1 + dx];
    EXPECT_DOUBLE_EQ(rb.arrays[1][2 * 4 + 1], w / 9);
}

TEST(LoopsExecutor, EveryCourseScheduleComputesTheNaiveOutput) {
    const ComputeDef mm = matmul(20, 19, 13); // extents that 4, 8 and 32 do not divide
    for (const char* s : {"", "reorder(i,k,j)", "reorder(k,j,i)", "tile(i,j,8,8)",
                          "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)",
                          "split(k,4);reorder(k.o,i,j,k.i);unroll(k.i)", "fuse(i,j);parallel(i_j)",
                          "split(i,3);split(i.i,2);fuse(i.o,i.i.o);vectorize(k,13)",
                          "reorder(i,k,j);vectorize(j,8)",
                          "tile(i,j,4,4);fuse(i.o,j.o);"
                          "parallel(i.o_j.o);unroll(j.i)"})
        if (std::string(s).find("vectorize(k") == std::string::npos)
            expectSameAsNaive(mm, s);
    const ComputeDef nchw = convNchw(2, 3, 7, 6, 4, 3, 3);
    for (const char* s : {"", "reorder(n,oc,ic,kh,kw,oh,ow)",
                          "reorder(n,oc,ic,kh,kw,oh,ow);tile(oh,ow,2,4);vectorize(ow.i)",
                          "fuse(n,oc);parallel(n_oc);split(ic,2)", "split(kw,2);unroll(kw.i)"})
        expectSameAsNaive(nchw, s);
    const ComputeDef nhwc = convNhwc(1, 5, 6, 6, 3, 3, 3);
    for (const char* s : {"", "reorder(n,kh,kw,ic,oh,ow,oc)",
                          "reorder(n,oh,kh,kw,ic,ow,oc);"
                          "vectorize(oc)"})
        expectSameAsNaive(nhwc, s);
    const ComputeDef bl = blur3x3(9, 11);
    for (const char* s :
         {"", "reorder(x,y)", "tile(y,x,4,4);vectorize(x.i)", "fuse(y,x);split(y_x,7)"})
        expectSameAsNaive(bl, s);
    const ComputeDef acc = accumulate(12, 20);
    for (const char* s : {"", "split(j,8);reorder(j.o,i,j.i)", "tile(i,j,4,8);unroll(j.i)"})
        expectSameAsNaive(acc, s);
    const ComputeDef ew = elementwise(6, 10);
    for (const char* s : {"", "vectorize(j,4)", "fuse(i,j);vectorize(i_j,16)"})
        expectSameAsNaive(ew, s);
}

TEST(LoopsExecutor, RandomLegalSchedulesComputeTheNaiveOutput) {
    // Random primitives on random loops; the legal ones are kept and the result checked.
    std::mt19937 rng(2026);
    const std::vector<ComputeDef> defs = {matmul(9, 7, 6), convNchw(1, 3, 6, 5, 2, 3, 2),
                                          convNhwc(2, 2, 5, 5, 3, 2, 2), blur3x3(7, 5),
                                          elementwise(5, 9)};
    const char* prims[] = {"split", "reorder", "fuse", "unroll", "vectorize", "parallel", "tile"};
    int legal = 0, checked = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const ComputeDef& d = defs[trial % defs.size()];
        LoopNest n(d);
        std::string applied;
        for (int step = 0; step < 4; ++step) {
            const auto& loops = n.loops();
            auto name = [&](std::size_t i) { return n.vars()[loops[i].var].name; };
            const std::size_t a = rng() % loops.size(), b = rng() % loops.size();
            Primitive p{prims[rng() % 7], {}, 1};
            const std::string f = std::to_string(2 + rng() % 5);
            if (p.name == "split" || p.name == "unroll" || p.name == "vectorize")
                p.args = {name(a), f};
            else if (p.name == "parallel")
                p.args = {name(a)};
            else if (p.name == "fuse")
                p.args = {name(a), name(std::min(a + 1, loops.size() - 1))};
            else if (p.name == "tile")
                p.args = {name(a), name(b), f, "3"};
            else
                p.args = {name(a), name(b)};
            if (n.apply(p).empty()) {
                ++legal;
                applied += p.text() + ";";
            }
        }
        SCOPED_TRACE(d.op + ": " + applied);
        ArrayData got = seededData(d, 9);
        execute(n, &got, nullptr);
        EXPECT_EQ(got.arrays[d.out.array], reference(d, 9).arrays[d.out.array]);
        ++checked;
    }
    EXPECT_EQ(checked, 300);
    EXPECT_GT(legal, 300) << "the random schedules should mostly be legal";
}

TEST(LoopsExecutor, VectorGroupsCountLanesAndOrderLoadsByAccess) {
    // 10 columns in vectors of 4: groups of 4, 4, 2 lanes per row.
    LoopNest n = nestOf(elementwise(2, 10), "vectorize(j,4)");
    Collect t;
    const RunStats st = execute(n, nullptr, &t);
    EXPECT_EQ(st.vectorGroups, 6);
    EXPECT_EQ(st.lanesUsed, 20);
    EXPECT_EQ(st.lanesOffered, 24);
    EXPECT_EQ(st.skipped, 4);
    ASSERT_GE(t.ev.size(), 16u);
    // The first group: A for 4 lanes, then B, then C, then the stores to out.
    for (int k = 0; k < 16; ++k) {
        EXPECT_EQ(t.ev[k].array, k / 4);
        EXPECT_EQ(t.ev[k].write, k >= 12);
    }
    EXPECT_EQ(t.ev[1].address - t.ev[0].address, 4u);
}

TEST(LoopsExecutor, TraceAddressesAreTheLayoutsByteAddresses) {
    const ComputeDef d = matmul(3, 4, 2);
    Collect t;
    execute(LoopNest(d), nullptr, &t);
    ASSERT_EQ(t.ev.size(), 3u * 4 * 2 * 4); // A, B, C loaded, C stored per point
    // Point (i=1, j=2, k=1): A[1][1], B[1][2], C[1][2].
    const std::size_t at = ((1 * 4 + 2) * 2 + 1) * 4;
    EXPECT_EQ(t.ev[at].address, d.arrays[0].offset + 4u * (1 * 2 + 1));
    EXPECT_EQ(t.ev[at + 1].address, d.arrays[1].offset + 4u * (1 * 4 + 2));
    EXPECT_EQ(t.ev[at + 2].address, d.arrays[2].offset + 4u * (1 * 4 + 2));
    EXPECT_TRUE(t.ev[at + 3].write);
    EXPECT_EQ(d.arrays[1].offset % 64, 0);
    EXPECT_EQ(d.arrays[1].offset, 64); // A is 24 bytes: B starts at the next line
}

TEST(LoopsExecutor, VisitOrderFollowsTheScheduleAndSkipsTails) {
    LoopNest n = nestOf(accumulate(3, 10), "split(j,8);reorder(j.o,i,j.i)");
    const std::vector<PointVisit> v = visitOrder(n, 1000);
    ASSERT_EQ(v.size(), 30u); // 3 × 10 points; the 6 guarded points of the tail are skipped
    EXPECT_EQ(v[0].axes, (std::vector<std::int64_t>{0, 0}));
    EXPECT_EQ(v[7].axes, (std::vector<std::int64_t>{0, 7}));
    EXPECT_EQ(v[8].axes, (std::vector<std::int64_t>{1, 0})); // i advances inside the j tile
    EXPECT_EQ(v[24].axes, (std::vector<std::int64_t>{0, 8}));
    EXPECT_EQ(v[24].loops, (std::vector<std::int64_t>{1, 0, 0})); // j.o, i, j.i
    EXPECT_EQ(v[26].axes, (std::vector<std::int64_t>{1, 8}));
    EXPECT_EQ(visitOrder(n, 5).size(), 5u);
    // The trace visits the same points in the same order: A[i] and B[j] of every point.
    Collect t;
    execute(n, nullptr, &t);
    const ComputeDef& d = n.def();
    for (std::size_t p = 0; p < v.size(); ++p) {
        EXPECT_EQ(t.ev[3 * p].address, d.arrays[1].offset + 4u * v[p].axes[1]);
        EXPECT_EQ(t.ev[3 * p + 1].address, d.arrays[0].offset + 4u * v[p].axes[0]);
    }
}

TEST(LoopsExecutor, MarkedLoopIterationsSplitTheTrace) {
    // Every iteration of the marked loop is announced before its first access.
    struct Marks : TraceSink {
        std::int64_t events = 0;
        std::vector<std::pair<std::int64_t, std::int64_t>> at; // (events so far, counter)
        void consume(std::span<const TraceEvent> e) override { events += std::ssize(e); }
        void iteration(std::int64_t ordinal, std::int64_t counter) override {
            EXPECT_EQ(ordinal, std::ssize(at));
            at.push_back({events, counter});
        }
    };
    LoopNest n = nestOf(matmul(4, 6, 3), "split(j,4);reorder(j.o,i,k,j.i)");
    Marks m;
    execute(n, nullptr, &m, 1); // loop i, inside j.o: 2 × 4 iterations
    ASSERT_EQ(m.at.size(), 8u);
    // j.o = 0: 4 rows of 3 × 4 points; j.o = 1: 4 rows of 3 × 2 points (the tail is guarded).
    for (int r = 0; r < 8; ++r) {
        EXPECT_EQ(m.at[r].second, r % 4);
        EXPECT_EQ(m.at[r].first, r < 4 ? r * 48 : 4 * 48 + (r - 4) * 24);
    }
    EXPECT_EQ(m.events, 4 * 48 + 4 * 24);
    Marks outer;
    execute(n, nullptr, &outer, 0);
    EXPECT_EQ(outer.at, (std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 0}, {192, 1}}));
}

namespace {

/// The pipeline under `text`, or the first error.
Checked<std::vector<LoopNest>> pipelineOf(const Pipeline& p, const std::string& text) {
    auto prims = parseSchedule(text);
    if (!prims)
        return Checked<std::vector<LoopNest>>::fail(prims.error);
    return schedule(p, *prims.value);
}

} // namespace

TEST(LoopsPipeline, SoftmaxIsTheRowsSoftmaxUnderEveryStageSchedule) {
    const Pipeline sm = softmax(5, 12);
    ASSERT_EQ(sm.stages.size(), 5u);
    const ArrayData ref = reference(sm, 4);
    const ArrayData in = seededData(sm, 4);
    // By hand: Y[i][j] = exp(X[i][j] − max_j X[i][j]) / Σ_j exp(…).
    for (int i = 0; i < 5; ++i) {
        double mx = -1e300, sum = 0;
        for (int j = 0; j < 12; ++j)
            mx = std::max(mx, in.arrays[0][i * 12 + j]);
        for (int j = 0; j < 12; ++j)
            sum += std::exp(in.arrays[0][i * 12 + j] - mx);
        double rowSum = 0;
        for (int j = 0; j < 12; ++j) {
            EXPECT_NEAR(ref.arrays[4][i * 12 + j], std::exp(in.arrays[0][i * 12 + j] - mx) / sum,
                        1e-15);
            rowSum += ref.arrays[4][i * 12 + j];
        }
        EXPECT_NEAR(rowSum, 1.0, 1e-14);
    }
    for (const char* s :
         {"", "stage(max);reorder(j,i)", "stage(exp);vectorize(j,4);stage(sum);split(j,5)",
          "stage(max);split(j,8);reorder(j.o,i,j.i);stage(div);fuse(i,j);vectorize(i_j,4)",
          "stage(init);vectorize(i,4);stage(sum);reorder(j,i);unroll(i)"}) {
        SCOPED_TRACE(s);
        auto n = pipelineOf(sm, s);
        ASSERT_TRUE(n) << n.error;
        ArrayData got = seededData(sm, 4);
        Collect t;
        const RunStats st = execute(*n.value, &got, &t);
        EXPECT_EQ(st.loads + st.stores, static_cast<std::int64_t>(t.ev.size()));
        // The sum's terms may arrive in another order: equal to the rounding of f64.
        for (std::size_t e = 0; e < got.arrays[4].size(); ++e)
            EXPECT_NEAR(got.arrays[4][e], ref.arrays[4][e], 1e-15);
    }
}

TEST(LoopsPipeline, StagePicksWhereLaterPrimitivesApplyAndRulesHoldPerStage) {
    const Pipeline sm = softmax(8, 16);
    auto bad = pipelineOf(sm, "stage(max);vectorize(j,8)");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error, "column 12: stage max: vectorize(j, 8): loop j carries the reduction "
                         "into mx[i]; all lanes would write the same element (vectorize a loop "
                         "the output's index depends on)");
    EXPECT_EQ(pipelineOf(sm, "stage(softmax)").error,
              "column 1: stage(softmax): softmax has no stage 'softmax' (its stages: init, max, "
              "exp, sum, div)");
    EXPECT_EQ(pipelineOf(sm, "compute_at(exp,i)").error,
              "column 1: stage div: compute_at(exp, i): compute_at is not implemented: every "
              "stage of softmax runs whole before the next");
    EXPECT_EQ(pipelineOf(Pipeline{"matmul", "", {matmul(2, 2, 2)}}, "stage(max)").error,
              "column 1: stage(max): matmul has no stage 'max'");
    // Without stage(), the last stage (div) is scheduled.
    auto n = pipelineOf(sm, "vectorize(j,8)");
    ASSERT_TRUE(n) << n.error;
    EXPECT_EQ(n.value->back().loops().back().kind, LoopKind::Vectorized);
    EXPECT_EQ((*n.value)[2].loops().back().kind, LoopKind::Serial);
    // The max stage's reorder note says why a max may be reordered.
    auto r = pipelineOf(sm, "stage(max);reorder(j,i)");
    ASSERT_TRUE(r);
    EXPECT_NE((*r.value)[1].notes().back().find("max is associative and commutative"),
              std::string::npos);
}
