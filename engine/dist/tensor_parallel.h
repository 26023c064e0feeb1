// Megatron-style tensor parallelism executed on real shards: one transformer layer (attention
// split by heads, column-then-row MLP) and a vocabulary-parallel cross-entropy, each rank's
// piece run forward and backward by the engine (eager tape + reverse-mode autodiff), the f/g
// collectives done on the collective simulator; compared with the unsharded layer.
#pragma once

#include "engine/core/tensor.h"
#include "engine/dist/collective.h"
#include "engine/dist/topology.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine::dist {

/// The layer: tokens X [batch, seq, hidden]; causal self-attention with `heads` heads
/// (Wq, Wk, Wv, Wo: hidden × hidden), residual; MLP GeLU(H1·A)·B (A: hidden × ffn, B: ffn ×
/// hidden), residual; logits H2·E (E: hidden × vocab); loss = mean cross-entropy against the
/// targets. No layer norm, no biases (they are replicated in Megatron and change nothing here).
struct TransformerLayerShape {
    int batch = 2, seq = 4, hidden = 8, heads = 4, ffn = 32, vocab = 16;
};

/// How the shards talk.
struct TensorParallelConfig {
    int ranks = 2;                   ///< t, the tensor-parallel group
    std::string topology = "switch"; ///< a built-in shape (topologyNames())
    ShapeParams net;                 ///< α, β of its links (ranks is set to t)
    Algo algo = Algo::Ring;          ///< the all-reduce and all-gather algorithm
    unsigned seed = 1;               ///< weights, tokens and targets
};

/// One collective of the step.
struct TpCollective {
    std::string what;  ///< "g: attention output (forward)"…
    std::string phase; ///< "forward" / "backward"
    Op op = Op::AllReduce;
    std::int64_t bytes = 0; ///< nccl-tests' size S
    double time = 0;        ///< simulated seconds
    double busbw = 0;       ///< GB/s
    double rankBytes = 0;   ///< bytes rank 0 sent
    bool verified = false;  ///< the simulator's own check of every rank's result
};

/// The sharded value against the unsharded one.
struct TpComparison {
    std::string name; ///< "loss", "H2", "dX", "dWq", …
    double maxAbsDiff = 0;
    double maxAbsRef = 0; ///< the largest |reference| element (scale of the difference)
};

struct TensorParallelResult {
    double loss = 0, referenceLoss = 0;
    std::vector<TpComparison> compared; ///< forward values, then every gradient
    std::vector<TpCollective> collectives;
    double commTime = 0;      ///< Σ collective times (they are on the critical path)
    double commBytesRank = 0; ///< Σ bytes rank 0 sent
    /// max over `compared` of maxAbsDiff / maxAbsRef (the difference relative to the value's
    /// scale).
    double worstRelative() const;
};

/// Checks the shape against t (heads, hidden/heads, ffn and vocab divisible by t; hidden
/// divisible by heads; everything ≥ 1). Returns "" or the message naming the field.
std::string checkTensorParallel(const TransformerLayerShape& s, int ranks);

/// Runs one training step's forward and backward sharded over t ranks and unsharded, and
/// compares. Throws std::invalid_argument with checkTensorParallel's message or a topology
/// error.
TensorParallelResult runTensorParallel(const TransformerLayerShape& shape,
                                       const TensorParallelConfig& cfg);

} // namespace aisys::engine::dist
