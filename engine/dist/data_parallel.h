// Data parallelism with gradient buckets and backward/all-reduce overlap: the backward runs layer
// by layer from the last; each layer's gradient joins the open bucket (in that order, PyTorch
// DDP's assignment); a full bucket's all-reduce runs on the collective simulator as soon as its
// last gradient is ready and the previous bucket's all-reduce is done (one communication
// stream); what is left after the backward is the exposed communication.
#pragma once

#include "engine/dist/collective.h"
#include "engine/dist/topology.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::dist {

struct DataParallelSetup {
    /// Per layer, first to last: backward time (seconds) and gradient bytes. One value of
    /// either applies to every layer (`layers` of them).
    std::vector<double> backward{1e-3};
    std::vector<std::int64_t> gradBytes{std::int64_t(4) << 20};
    int layers = 8;
    /// A bucket closes when it holds at least this many bytes (PyTorch DDP bucket_cap_mb,
    /// default 25 MiB); ≤ 0: one bucket per layer.
    std::int64_t bucketBytes = std::int64_t(25) << 20;
    /// The first bucket's cap (DDP: 1 MiB, dist._DEFAULT_FIRST_BUCKET_BYTES); ≤ 0: bucketBytes.
    std::int64_t firstBucketBytes = 0;
    int ranks = 8;
    std::string topology = "ring"; ///< a built-in shape (topologyNames())
    ShapeParams net;               ///< α, β (ranks set to `ranks`)
    Algo algo = Algo::Ring;
    std::int64_t chunkBytes = 0; ///< network chunk of each all-reduce
};

struct GradientBucket {
    int firstLayer = 0, lastLayer = 0; ///< layers lastLayer … firstLayer (backward order)
    std::int64_t bytes = 0;
    double ready = 0;          ///< its last gradient computed (its lowest layer's backward end)
    double start = 0, end = 0; ///< its all-reduce
    bool verified = false;     ///< the simulator's check of every rank's sum
};

struct DataParallelResult {
    std::vector<GradientBucket> buckets; ///< in launch order (from the last layer)
    std::vector<double> layerEnd;        ///< per layer (first to last): its backward's end
    double backwardTime = 0;             ///< Σ layer backward
    double commTime = 0;                 ///< Σ bucket all-reduce times
    double stepTime = 0;                 ///< backward + exposed communication
    double exposedComm = 0;              ///< stepTime − backwardTime
    double noOverlapTime = 0;            ///< backward, then every all-reduce: backward + commTime
};

/// Simulates one backward step. Throws std::invalid_argument naming the field for bad input
/// (no layers, lists of the wrong length, negative times or sizes, a size not a multiple of 4,
/// fewer than 1 rank, an unknown topology).
DataParallelResult simulateDataParallel(const DataParallelSetup& setup);

} // namespace aisys::engine::dist
