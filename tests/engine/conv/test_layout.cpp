// Layouts as address maps: each is a bijection from the logical index space onto the stored
// buffer minus its padding, and the padded size is the formula's; NZ and zZ reproduce the
// course's 4×4 / 2×2 example; bad shapes are refused by name.
#include "engine/conv/layout.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

namespace {

using namespace aisys::engine::conv;

/// Walks every logical index: the offsets are distinct and in range, indexOf inverts offset,
/// and the offsets that indexOf refuses (padding) number paddedSize − logicalSize.
void expectBijection(const AddressMap& m) {
    std::vector<std::int64_t> idx(m.dims.size(), 0);
    std::set<std::int64_t> seen;
    for (std::int64_t flat = 0; flat < m.logicalSize(); ++flat) {
        std::int64_t r = flat;
        for (std::size_t i = m.dims.size(); i-- > 0;) {
            idx[i] = r % m.dims[i];
            r /= m.dims[i];
        }
        const std::int64_t off = m.offset(idx);
        ASSERT_GE(off, 0);
        ASSERT_LT(off, m.paddedSize());
        ASSERT_TRUE(seen.insert(off).second)
            << layoutName(m.layout) << " offset " << off << " twice";
        std::vector<std::int64_t> back;
        ASSERT_TRUE(m.indexOf(off, back));
        ASSERT_EQ(back, idx);
    }
    std::int64_t padding = 0;
    for (std::int64_t off = 0; off < m.paddedSize(); ++off) {
        std::vector<std::int64_t> back;
        if (!m.indexOf(off, back))
            ++padding;
        else
            ASSERT_EQ(m.offset(back), off);
    }
    EXPECT_EQ(padding, m.paddedSize() - m.logicalSize());
    std::vector<std::int64_t> unused;
    EXPECT_FALSE(m.indexOf(m.paddedSize(), unused));
}

std::vector<std::int64_t> memoryOrder(const AddressMap& m) {
    std::vector<std::int64_t> out;
    for (std::int64_t off = 0; off < m.paddedSize(); ++off) {
        std::vector<std::int64_t> idx;
        out.push_back(m.indexOf(off, idx) ? idx[0] * m.dims[1] + idx[1] : -1);
    }
    return out;
}

} // namespace

TEST(Layout, TheCourseNzExampleAndItsZzSibling) {
    // SYLLABUS §3.3: a 4×4 matrix with 2×2 fractals in NZ is 0,1,4,5,8,9,12,13,2,3,6,7,10,11,14,15.
    EXPECT_EQ(memoryOrder(makeAddressMap(Layout::NZ, {4, 4}, 2, 2)),
              (std::vector<std::int64_t>{0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15}));
    EXPECT_EQ(memoryOrder(makeAddressMap(Layout::zZ, {4, 4}, 2, 2)),
              (std::vector<std::int64_t>{0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15}));
}

TEST(Layout, PaddedSizesAreTheFormulas) {
    EXPECT_EQ(makeAddressMap(Layout::NC4HW4, {2, 6, 3, 5}).paddedSize(), 2 * 8 * 3 * 5);
    EXPECT_EQ(makeAddressMap(Layout::NC1HWC0, {1, 17, 2, 2}).paddedSize(), 32 * 4);
    EXPECT_EQ(makeAddressMap(Layout::NC1HWC0, {1, 17, 2, 2}, 32).paddedSize(), 32 * 4);
    EXPECT_EQ(makeAddressMap(Layout::NHWC, {1, 3, 2, 2}).paddedSize(), 12);
    const AddressMap nz = makeAddressMap(Layout::NZ, {20, 33});
    EXPECT_EQ(nz.paddedSize(), 32 * 48); // ⌈20/16⌉·16 × ⌈33/16⌉·16
    EXPECT_EQ(nz.storedShape, (std::vector<std::int64_t>{3, 2, 16, 16})); // [N1, M1, M0, N0]
    EXPECT_EQ(makeAddressMap(Layout::zZ, {20, 33}).storedShape,
              (std::vector<std::int64_t>{2, 3, 16, 16}));
    // The NC4HW4 formula of the course: (((n·⌈C/4⌉ + c/4)·H + h)·W + w)·4 + c%4.
    const AddressMap b = makeAddressMap(Layout::NC4HW4, {2, 6, 3, 5});
    EXPECT_EQ(b.offset({1, 5, 2, 4}), (((1 * 2 + 1) * 3 + 2) * 5 + 4) * 4 + 1);
}

TEST(Layout, EveryLayoutIsABijectionOntoThePaddedBuffer) {
    for (Layout l : {Layout::NCHW, Layout::NHWC, Layout::NC4HW4, Layout::NC1HWC0})
        for (const std::vector<std::int64_t>& d :
             {std::vector<std::int64_t>{1, 1, 1, 1}, {2, 3, 3, 2}, {1, 5, 2, 3}, {2, 17, 2, 1}})
            expectBijection(makeAddressMap(l, d));
    for (Layout l : {Layout::NZ, Layout::zZ})
        for (const std::vector<std::int64_t>& d :
             {std::vector<std::int64_t>{1, 1}, {16, 16}, {17, 31}, {40, 5}})
            expectBijection(makeAddressMap(l, d));
}

RC_GTEST_PROP(LayoutProperty, RandomShapesAndBlocksAreBijections, ()) {
    Layout l = *rc::gen::element(Layout::NCHW, Layout::NHWC, Layout::NC4HW4, Layout::NC1HWC0,
                                 Layout::NZ, Layout::zZ);
    AddressMap m;
    if (isFractal(l))
        m = makeAddressMap(
            l, {*rc::gen::inRange<std::int64_t>(1, 40), *rc::gen::inRange<std::int64_t>(1, 40)},
            *rc::gen::inRange<std::int64_t>(1, 17), *rc::gen::inRange<std::int64_t>(1, 17));
    else
        m = makeAddressMap(
            l,
            {*rc::gen::inRange<std::int64_t>(1, 3), *rc::gen::inRange<std::int64_t>(1, 40),
             *rc::gen::inRange<std::int64_t>(1, 5), *rc::gen::inRange<std::int64_t>(1, 5)},
            *rc::gen::inRange<std::int64_t>(1, 33));
    expectBijection(m);
    RC_ASSERT(!::testing::Test::HasFailure());
}

TEST(Layout, BadShapesAreRefusedByName) {
    try {
        makeAddressMap(Layout::NZ, {4, 4, 4});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "NZ is a matrix layout: --shape needs M,N (2 sizes), got 3");
    }
    try {
        makeAddressMap(Layout::NC4HW4, {1, 0, 2, 2});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "NC4HW4: C must be at least 1, got 0");
    }
    EXPECT_THROW(makeAddressMap(Layout::NCHW, {1, 2, 3}), std::invalid_argument);
    EXPECT_THROW(makeAddressMap(Layout::NZ, {4, 4}, 65, 16), std::invalid_argument);
    const AddressMap m = makeAddressMap(Layout::NCHW, {1, 2, 2, 2});
    EXPECT_THROW(m.offset({0, 2, 0, 0}), std::invalid_argument);
    Layout out;
    EXPECT_FALSE(parseLayout("nz", out));
    EXPECT_TRUE(parseLayout("zZ", out));
    EXPECT_EQ(out, Layout::zZ);
}
