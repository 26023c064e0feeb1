// Data parallelism with gradient buckets: the buckets DDP would form, the overlap recurrence
// (a bucket's all-reduce starts when its last gradient is ready and the previous all-reduce is
// done), exposed communication against the ring closed form, and bucket size cutting both ways.
#include "engine/dist/closed_forms.h"
#include "engine/dist/data_parallel.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace aisys::engine::dist;

namespace {

constexpr std::int64_t MiB = std::int64_t(1) << 20;

DataParallelSetup eightLayers() {
    DataParallelSetup s; // 8 layers, 1 ms and 4 MiB each, 8 ranks on a ring, 5 us, 100 GB/s
    s.net.alpha = 5e-6;
    s.net.bandwidth = 100e9;
    return s;
}

double ringAllReduce(std::int64_t bytes, const DataParallelSetup& s) {
    return *closedFormTime(Op::AllReduce, Algo::Ring, s.ranks, bytes / 4, 4, s.net.alpha,
                           s.net.bandwidth);
}

} // namespace

TEST(DataParallel, OneBucketPerLayerHidesAllButTheLastAllReduce) {
    DataParallelSetup s = eightLayers();
    s.bucketBytes = 4 * MiB;
    const DataParallelResult r = simulateDataParallel(s);
    ASSERT_EQ(r.buckets.size(), 8u);
    const double ar = ringAllReduce(4 * MiB, s); // 14α + 2·(7/8)·4 MiB/β ≈ 143 us < 1 ms
    EXPECT_LT(ar, 1e-3);
    for (std::size_t b = 0; b < 8; ++b) {
        SCOPED_TRACE(b);
        EXPECT_EQ(r.buckets[b].lastLayer, 7 - int(b)); // from the last layer
        EXPECT_NEAR(r.buckets[b].ready, (b + 1) * 1e-3, 1e-12);
        EXPECT_NEAR(r.buckets[b].start, r.buckets[b].ready, 1e-12); // never waits: comm < compute
        EXPECT_NEAR(r.buckets[b].end - r.buckets[b].start, ar, 1e-12 * ar);
        EXPECT_TRUE(r.buckets[b].verified);
    }
    EXPECT_NEAR(r.backwardTime, 8e-3, 1e-12);
    EXPECT_NEAR(r.exposedComm, ar, 1e-12);
    EXPECT_NEAR(r.noOverlapTime, 8e-3 + 8 * ar, 1e-12);
}

TEST(DataParallel, OneBigBucketExposesTheWholeAllReduce) {
    DataParallelSetup s = eightLayers();
    s.bucketBytes = 1024 * MiB;
    const DataParallelResult r = simulateDataParallel(s);
    ASSERT_EQ(r.buckets.size(), 1u);
    EXPECT_EQ(r.buckets[0].bytes, 32 * MiB);
    EXPECT_NEAR(r.exposedComm, ringAllReduce(32 * MiB, s), 1e-12);
    EXPECT_NEAR(r.stepTime, r.noOverlapTime, 1e-12); // nothing to overlap with
}

TEST(DataParallel, CommunicationBoundBucketsQueueOnOneStream) {
    DataParallelSetup s = eightLayers();
    s.backward = {1e-4, 2e-4, 5e-5, 1e-4, 3e-4, 1e-4, 1e-4, 2e-4}; // unbalanced layers
    s.gradBytes = {2 * MiB, 6 * MiB, 1 * MiB, 3 * MiB, 8 * MiB, 2 * MiB, 4 * MiB, 1 * MiB};
    s.bucketBytes = 5 * MiB;
    const DataParallelResult r = simulateDataParallel(s);
    // DDP's assignment from the last layer, closing at ≥ 5 MiB: {7, 6} 5, {5, 4} 10, {3, 2, 1} 10,
    // {0} 2.
    ASSERT_EQ(r.buckets.size(), 4u);
    const int first[] = {6, 4, 1, 0};
    const std::int64_t bytes[] = {5 * MiB, 10 * MiB, 10 * MiB, 2 * MiB};
    double free = 0, comm = 0;
    for (std::size_t b = 0; b < 4; ++b) {
        SCOPED_TRACE(b);
        EXPECT_EQ(r.buckets[b].firstLayer, first[b]);
        EXPECT_EQ(r.buckets[b].bytes, bytes[b]);
        EXPECT_NEAR(r.buckets[b].ready, r.layerEnd[std::size_t(first[b])], 1e-15);
        // The recurrence, with the ring's closed form as each all-reduce's time.
        const double start = std::max(r.buckets[b].ready, free);
        free = start + ringAllReduce(bytes[b], s);
        comm += ringAllReduce(bytes[b], s);
        EXPECT_NEAR(r.buckets[b].start, start, 1e-12);
        EXPECT_NEAR(r.buckets[b].end, free, 1e-12);
    }
    EXPECT_NEAR(r.stepTime, std::max(r.backwardTime, free), 1e-12);
    EXPECT_NEAR(r.commTime, comm, 1e-12);
    EXPECT_GT(r.exposedComm, r.buckets.back().end - r.buckets.back().start); // queued
    EXPECT_LT(r.stepTime, r.noOverlapTime);
}

TEST(DataParallel, DdpsSmallFirstBucket) {
    DataParallelSetup s = eightLayers();
    s.gradBytes = {MiB / 2};
    s.firstBucketBytes = MiB; // torch's _DEFAULT_FIRST_BUCKET_BYTES
    const DataParallelResult r = simulateDataParallel(s);
    ASSERT_EQ(r.buckets.size(), 2u); // {7, 6} closes at 1 MiB, {5 … 0} is the rest (< 25 MiB)
    EXPECT_EQ(r.buckets[0].bytes, MiB);
    EXPECT_EQ(r.buckets[1].bytes, 3 * MiB);
}

TEST(DataParallel, BucketSizeCutsBothWays) {
    // Small α: small buckets start early and hide more. Large α: each all-reduce pays
    // 2(p − 1)α, so many small buckets cost more than they hide.
    DataParallelSetup s = eightLayers();
    s.bucketBytes = 4 * MiB;
    const double perLayerFast = simulateDataParallel(s).exposedComm;
    s.bucketBytes = 1024 * MiB;
    const double oneFast = simulateDataParallel(s).exposedComm;
    EXPECT_LT(perLayerFast, oneFast);
    s.net.alpha = 1e-3;
    s.bucketBytes = 4 * MiB;
    const double perLayerSlow = simulateDataParallel(s).exposedComm;
    s.bucketBytes = 1024 * MiB;
    const double oneSlow = simulateDataParallel(s).exposedComm;
    EXPECT_GT(perLayerSlow, oneSlow);
}

TEST(DataParallel, BadSetupsSayWhatIsExpected) {
    DataParallelSetup s = eightLayers();
    s.layers = 0;
    EXPECT_THROW(simulateDataParallel(s), std::invalid_argument);
    s = eightLayers();
    s.backward = {1, 2, 3};
    try {
        simulateDataParallel(s);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("expected 1 or 8 values (one per layer), got 3"),
                  std::string::npos);
    }
    s = eightLayers();
    s.gradBytes = {6};
    EXPECT_THROW(simulateDataParallel(s), std::invalid_argument); // not a multiple of 4
    s = eightLayers();
    s.ranks = 0;
    EXPECT_THROW(simulateDataParallel(s), std::invalid_argument);
    s = eightLayers();
    s.topology = "moebius";
    EXPECT_THROW(simulateDataParallel(s), std::invalid_argument);
}
