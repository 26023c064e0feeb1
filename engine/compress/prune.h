// Magnitude pruning of a graph's weights: unstructured (zeros below a threshold, global or per
// layer) and channel-structured (L1-smallest output channels removed together with the
// consumer's matching input channels), and a sparsity report.
#pragma once

#include "engine/graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::compress {

/// One weighted layer (Conv, Gemm, MatMul with an initializer weight).
struct LayerSparsity {
    std::string node, weight;
    Shape shape;
    std::int64_t params = 0, nonzero = 0;
    double flops = 0;          ///< dense FLOPs (2 per multiply-add) at the current shapes
    double effectiveFlops = 0; ///< flops · nonzero / params (what sparse hardware would do)
    double sparsity() const { return params ? 1.0 - double(nonzero) / double(params) : 0.0; }
};

struct SparsityReport {
    std::vector<LayerSparsity> layers;
    std::int64_t params = 0, nonzero = 0;
    double flops = 0, effectiveFlops = 0;
    double sparsity() const { return params ? 1.0 - double(nonzero) / double(params) : 0.0; }
};

/// Per layer and total parameters, non-zeros and FLOPs (infers shapes on a copy).
SparsityReport sparsityReport(const Graph& g);

/// Zeros the smallest-magnitude weights until `sparsity` (0..1) of them are zero: one
/// threshold over all layers (`global`) or one per layer. Biases are not pruned. Returns the
/// threshold per layer (in report order). Throws std::invalid_argument for sparsity ∉ [0, 1).
std::vector<double> pruneUnstructured(Graph& g, double sparsity, bool global);

/// What structured pruning did to one producer layer.
struct ChannelPruning {
    std::string node;                  ///< the producer (Conv or Gemm)
    std::vector<double> l1;            ///< L1 norm of each original output channel
    std::vector<std::int64_t> removed; ///< removed output channels (ascending)
    std::vector<std::string> adjusted; ///< nodes whose parameters lost the same channels
    std::string skipped;               ///< why the layer was left alone ("" when pruned)
};

/// Removes round(ratio · C) output channels with the smallest L1 norm from every Conv (group 1)
/// and Gemm whose output reaches, through channel-wise ops (activations, pooling,
/// BatchNormalization, Flatten), only Conv / Gemm / MatMul consumers with weight initializers;
/// the consumers' input channels (Conv W[:, c], Gemm/MatMul rows — c·HW..c·HW+HW−1 after a
/// Flatten), BatchNormalization's per-channel parameters and the producer's bias shrink with
/// them. `only` limits it to the named producers. At least one channel stays. Layers whose
/// output reaches anything else (a graph output, Add, Concat, ...) are skipped with the reason.
/// The graph's shapes are re-inferred; it verifies and runs.
std::vector<ChannelPruning> pruneChannels(Graph& g, double ratio,
                                          const std::vector<std::string>& only = {});

} // namespace aisys::engine::compress
