// Schedule strings and primitives: the parser's columns, each legality rule, the printed nest.
#include "engine/loops/nest_print.h"
#include "engine/loops/schedule.h"
#include "engine/loops/schedule_parse.h"

#include <gtest/gtest.h>
#include <random>

namespace {

using namespace aisys::engine::loops;

/// The nest after `text`, or the first error (parse or legality).
Checked<LoopNest> sched(const ComputeDef& d, const std::string& text) {
    auto p = parseSchedule(text);
    if (!p)
        return Checked<LoopNest>::fail(p.error);
    return schedule(d, *p.value);
}

std::string loopNames(const LoopNest& n) {
    std::string s;
    for (const Loop& l : n.loops())
        s += (s.empty() ? "" : " ") + n.vars()[l.var].name;
    return s;
}

} // namespace

TEST(ScheduleParse, ReadsPrimitivesWithTheirColumns) {
    auto p = parseSchedule(" tile(i,j,32,32); reorder(i.o, j.o,k,i.i,j.i);vectorize(j.i,8);");
    ASSERT_TRUE(p) << p.error;
    ASSERT_EQ(p.value->size(), 3u);
    EXPECT_EQ((*p.value)[0].name, "tile");
    EXPECT_EQ((*p.value)[0].column, 2);
    EXPECT_EQ((*p.value)[1].args, (std::vector<std::string>{"i.o", "j.o", "k", "i.i", "j.i"}));
    EXPECT_EQ((*p.value)[2].column, 47);
    EXPECT_EQ((*p.value)[2].text(), "vectorize(j.i, 8)");
    EXPECT_TRUE(parseSchedule("")) << "the empty schedule is the naive nest";
}

TEST(ScheduleParse, MalformedStringsNameTheColumn) {
    struct Case {
        const char* text;
        const char* error;
    };
    for (const Case& c : {
             Case{"tile(i,j,32,32", "column 15: expected ',' or ')' after '32', got the end"},
             Case{"split i,4)", "column 7: expected '(' after 'split', got 'i'"},
             Case{"split(i,,4)",
                  "column 9: expected a loop name or an integer in split(…), got ','"},
             Case{"split(i,4) reorder(j,i)", "column 12: expected ';' between primitives"},
             Case{"split(i,4x)", "column 10: expected ',' or ')' after the number 4, got 'x'"},
             Case{"3split(i)", "column 1: expected a primitive name"},
             Case{"split(i.,4)", "column 8: loop name 'i.' ends with '.'"},
         }) {
        auto p = parseSchedule(c.text);
        ASSERT_FALSE(p) << c.text;
        EXPECT_EQ(p.error.rfind(c.error, 0), 0u) << c.text << " → " << p.error;
    }
}

TEST(Schedule, TileSplitsAndReordersLikeTheCourse) {
    auto n = sched(matmul(64, 64, 64), "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i)");
    ASSERT_TRUE(n) << n.error;
    EXPECT_EQ(loopNames(*n.value), "i.o j.o k i.i j.i");
    EXPECT_EQ(n.value->boxIterations(), 64 * 64 * 64);
    // Moving the reduction loop k is legal and says why.
    ASSERT_FALSE(n.value->notes().empty());
    EXPECT_NE(n.value->notes().back().find("loop k carries the reduction into C[i][j]; moving "
                                           "it is legal: + is associative and commutative"),
              std::string::npos)
        << n.value->notes().back();
}

TEST(Schedule, SplitWithATailIsGuarded) {
    auto n = sched(matmul(10, 8, 4), "split(i,4)");
    ASSERT_TRUE(n) << n.error;
    EXPECT_EQ(loopNames(*n.value), "i.o i.i j k");
    EXPECT_EQ(n.value->vars()[n.value->loops()[0].var].extent, 3); // ⌈10/4⌉
    ASSERT_EQ(n.value->notes().size(), 1u);
    EXPECT_NE(n.value->notes()[0].find("the tail is guarded by `if (i < 10)`"), std::string::npos);
    const std::string text = nestText(*n.value);
    EXPECT_NE(text.find("i = i.o * 4 + i.i;"), std::string::npos) << text;
    EXPECT_NE(text.find("if (i < 10)"), std::string::npos) << text;
}

TEST(Schedule, FuseJoinsAdjacentLoops) {
    auto n = sched(blur3x3(4, 4), "fuse(y,x);parallel(y_x)");
    ASSERT_TRUE(n) << n.error;
    EXPECT_EQ(loopNames(*n.value), "y_x");
    EXPECT_EQ(n.value->vars()[n.value->loops()[0].var].extent, 16);
    const std::string text = nestText(*n.value);
    EXPECT_NE(text.find("parallel for (y_x = 0; y_x < 16; y_x++)"), std::string::npos) << text;
    EXPECT_NE(text.find("y = y_x / 4;"), std::string::npos) << text;
    EXPECT_NE(text.find("x = y_x % 4;"), std::string::npos) << text;
}

TEST(Schedule, VectorizeWithLanesSplitsTheInnermostLoop) {
    auto n =
        sched(matmul(64, 64, 64), "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)");
    ASSERT_TRUE(n) << n.error;
    EXPECT_EQ(loopNames(*n.value), "i.o j.o k i.i j.i.o j.i.i");
    EXPECT_EQ(n.value->loops().back().kind, LoopKind::Vectorized);
    EXPECT_NE(nestText(*n.value).find("vectorized for (j.i.i = 0; j.i.i < 8; j.i.i++)  // 8 "
                                      "lanes"),
              std::string::npos);
}

TEST(Schedule, IllegalPrimitivesAreRejectedWithPrimitiveLoopAndRule) {
    struct Case {
        const char* schedule;
        const char* error;
    };
    const ComputeDef mm = matmul(64, 64, 64);
    for (const Case& c : {
             Case{"vectorize(i,8)", "column 1: vectorize(i, 8): loop i is not the innermost loop "
                                    "(k is); vectorize applies to the innermost loop only"},
             Case{"vectorize(k,8)", "column 1: vectorize(k, 8): loop k carries the reduction "
                                    "into C[i][j]; all lanes would write the same element"},
             Case{"split(k,100);vectorize(k.i)",
                  "column 14: vectorize(k.i): loop k.i has extent 100; a vectorized loop needs a "
                  "constant extent of 2…64 lanes"},
             Case{"parallel(k)", "column 1: parallel(k): loop k carries the reduction into "
                                 "C[i][j]; parallel iterations would race"},
             Case{"fuse(i,k)", "column 1: fuse(i, k): loop k is not directly inside loop i"},
             Case{"reorder(j,j)", "column 1: reorder(j, j): loop j is listed twice"},
             Case{"split(q,4)", "column 1: split(q, 4): no loop named 'q' in the nest"},
             Case{"split(i,0)", "column 1: split(i, 0): the split factor must be 1…1048576, got 0"},
             Case{"split(i,2000000)", "column 1: split(i, 2000000): the split factor must be "
                                      "1…1048576"},
             Case{"split(i,x)", "column 1: split(i, x): argument 2 must be an integer, got 'x'"},
             Case{"split(i,4);split(i,2)", "column 12: split(i, 2): no loop named 'i'"},
             Case{"reorder(i,k,j);vectorize(j,8);reorder(j.i,k)",
                  "column 31: reorder(j.i, k): loop j.i is vectorized and would no longer be "
                  "innermost"},
             Case{"fuse(i,j);unroll(i_j)", "column 11: unroll(i_j): loop i_j has extent 4096; a "
                                           "full unroll needs an extent of at most 64"},
             Case{"parallel(i);split(i,4)", "column 13: split(i, 4): loop i is already parallel"},
             Case{"compute_at(C,i)", "column 1: compute_at(C, i): matmul has a single stage"},
             Case{"skew(i,j)", "column 1: unknown primitive 'skew'"},
         }) {
        auto n = sched(mm, c.schedule);
        ASSERT_FALSE(n) << c.schedule;
        EXPECT_EQ(n.error.rfind(c.error, 0), 0u) << c.schedule << " → " << n.error;
    }
    // unroll(i) with extent 65 fails, with 64 passes: the rule's boundary.
    EXPECT_FALSE(sched(matmul(65, 4, 4), "unroll(i)"));
    EXPECT_TRUE(sched(matmul(64, 4, 4), "unroll(i)"));
}

TEST(Schedule, TheIterationBoxSaturatesInsteadOfOverflowing) {
    // 2^10 · 2^10 · 513 · 513 · 2^10 · 512 · 512 points > 2^62; every array ≤ 2^40 elements.
    const ComputeDef big = convNchw(1024, 1024, 1024, 1024, 1024, 512, 512);
    EXPECT_EQ(LoopNest(big).boxIterations(), std::int64_t{1} << 62);
}

TEST(Schedule, MakeComputeRefusesSizesItCannotSimulate) {
    EXPECT_TRUE(makeCompute("matmul", {256, 256, 256}));
    auto huge = makeCompute("conv-nchw", {1024, 1024, 1024, 1024, 1024, 3, 3});
    ASSERT_FALSE(huge);
    EXPECT_EQ(huge.error, "op 'conv-nchw': the sizes N,IC,H,W,OC,KH,KW multiply to more than 2^40 "
                          "(no array or iteration space that large can be simulated)");
    EXPECT_EQ(makeCompute("blur3x3", {0, 4}).error,
              "op 'blur3x3': size 1 of H,W is 0; every size must be 1…1048576");
    EXPECT_EQ(makeCompute("conv-nhwc", {1, 1, 2, 2, 1, 3, 3}).error,
              "op 'conv-nhwc': the kernel 3×3 is larger than the input 2×2 (a valid convolution "
              "needs KH ≤ H, KW ≤ W)");
    EXPECT_EQ(makeCompute("matmul", {1 << 16, 1 << 16, 1}).error,
              "op 'matmul': array C would have 4294967296 elements; at most 2^31 are supported");
}

TEST(Schedule, ARejectedPrimitiveLeavesTheNestUnchanged) {
    LoopNest n(matmul(16, 16, 16));
    EXPECT_TRUE(n.apply({"split", {"i", "4"}, 1}).empty());
    const std::string before = nestText(n);
    EXPECT_FALSE(n.apply({"tile", {"j", "q", "4", "4"}, 1}).empty()); // j splits, q does not
    EXPECT_EQ(nestText(n), before);
}

TEST(ScheduleParse, RandomTextNeverCrashesAndEveryErrorHasAColumn) {
    // Random schedules of 1–3 primitives, half of them with one character deleted, inserted or
    // replaced: each parses or names a column; what parses applies or is rejected with a
    // message; the nests that result print.
    std::mt19937 rng(7);
    const std::string alphabet = "splitreodfuvczan(),;.ijk0123456789 -_";
    const std::vector<std::string> prims = {"split",  "tile",      "reorder",  "fuse",
                                            "unroll", "vectorize", "parallel", "compute_at"};
    const std::vector<std::string> args = {"i", "j", "k", "i.o", "i.i", "j.i", "k.o",
                                           "2", "4", "8", "32",  "0",   "-3"};
    int parsed = 0, applied = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        std::string s;
        for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) {
            s += (k ? ";" : "") + prims[rng() % prims.size()] + "(";
            for (int a = 0, m = 1 + static_cast<int>(rng() % 4); a < m; ++a)
                s += (a ? "," : "") + args[rng() % args.size()];
            s += ")";
        }
        if (trial % 2) {
            const std::size_t at = rng() % s.size();
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
            case 0:
                s.erase(at, 1);
                break;
            case 1:
                s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
                break;
            default:
                s[at] = c;
            }
        }
        auto p = parseSchedule(s);
        if (!p) {
            EXPECT_EQ(p.error.rfind("column ", 0), 0u) << s << " → " << p.error;
            continue;
        }
        ++parsed;
        auto n = schedule(matmul(6, 5, 4), *p.value);
        if (!n) {
            EXPECT_EQ(n.error.rfind("column ", 0), 0u) << s << " → " << n.error;
            continue;
        }
        ++applied;
        EXPECT_FALSE(nestText(*n.value).empty());
    }
    EXPECT_GT(parsed, 1500);
    EXPECT_GT(applied, 0); // most random argument lists are rejected: the messages are the point
}
