// A 3D-parallelism planner: for a GPT-style transformer and a cluster of nodes × GPUs, every
// DP × TP × PP (× ZeRO stage, micro-batch size, activation recomputation) that multiplies to the
// world size is checked — divisibility, memory per device — and the rest are ranked by an
// estimated step time (compute with the 1F1B bubble, tensor-, pipeline- and data-parallel
// communication from the α-β closed forms). Model and cluster from presets or flat TOML files.
#pragma once

#include "engine/dist/zero_memory.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::dist {

/// A GPT-style decoder: ffn = 4·hidden, learned position embeddings, tied output embedding.
struct ModelSpec {
    std::string name;
    int layers = 0, hidden = 0, heads = 0, seq = 0, vocab = 0;
    int globalBatch = 0; ///< sequences per step
};

/// Nodes of GPUs: bandwidths per GPU and per direction.
struct ClusterSpec {
    std::string name;
    int nodes = 0, gpusPerNode = 0;
    double memoryBytes = 0;          ///< per GPU
    double peakFlops = 0;            ///< 16-bit dense peak per GPU, FLOP/s
    double efficiency = 0;           ///< fraction of peak the model's GEMMs reach (an assumption)
    double intraBw = 0, interBw = 0; ///< bytes/s inside a node (NVLink), across (NIC)
    double intraAlpha = 0, interAlpha = 0; ///< seconds
    int world() const { return nodes * gpusPerNode; }
};

/// One candidate and its estimates (per device, the busiest: pipeline stage 0).
struct Plan {
    int dp = 1, tp = 1, pp = 1;
    int microBatch = 1;   ///< b, sequences per micro-batch
    int microBatches = 1; ///< m = global batch / (dp · b)
    ZeroStage zero = ZeroStage::None;
    bool recompute = false;
    double parameters = 0;      ///< on the device
    double modelStateBytes = 0; ///< parameters, gradients, optimizer (ZeRO)
    double activationBytes = 0;
    double memoryBytes = 0;
    double compute = 0, bubble = 0, tpComm = 0, ppComm = 0, dpComm = 0, step = 0; ///< seconds
    double tflopsPerGpu = 0;   ///< the paper's count (with recomputation when on) / (n · step)
    std::string reason;        ///< why it was rejected (empty: it fits)
    std::string label() const; ///< "DP 16 × TP 8 × PP 8, b 1, ZeRO-1, recompute"
};

struct PlanReport {
    double parameters = 0; ///< the whole model
    double flopsPerStep = 0;
    std::vector<Plan> ranked;   ///< fitting plans, fastest first
    std::vector<Plan> rejected; ///< with their reasons
};

struct PlanOptions {
    std::vector<int> microBatchSizes{1, 2, 4, 8};
    std::vector<ZeroStage> zeroStages{ZeroStage::None, ZeroStage::OptimizerStates,
                                      ZeroStage::Gradients, ZeroStage::Parameters};
    std::vector<bool> recompute{false, true};
    /// Evaluate only this DP × TP × PP (0: enumerate).
    int dp = 0, tp = 0, pp = 0;
};

/// Narayanan et al. 2021 §5.1, Eq. (2): 12·l·h²·(1 + 13/(12h) + (V + s)/(12·l·h)).
double transformerParameters(const ModelSpec& m);
/// FLOPs of one step: with recomputation 96·B·s·l·h²·(1 + s/(6h) + V/(16·l·h)) (Narayanan et al.
/// §5.1, Eq. (3)); without, 72·B·s·l·h²·(1 + s/(6h) + V/(12·l·h)) (Korthikanti et al. 2022,
/// App. A).
double transformerStepFlops(const ModelSpec& m, bool recompute);

/// "" or what is wrong with the model or cluster (a field ≤ 0, hidden not divisible by heads).
std::string checkModel(const ModelSpec& m);
std::string checkCluster(const ClusterSpec& c);

/// Evaluates one plan (fills the estimates, or `reason`).
Plan evaluatePlan(const ModelSpec& m, const ClusterSpec& c, Plan p);

/// Every plan (or the one in `opt`), checked and ranked. Throws std::invalid_argument for a bad
/// model or cluster, or a fixed plan whose DP × TP × PP is not the world size.
PlanReport planParallelism(const ModelSpec& m, const ClusterSpec& c, const PlanOptions& opt = {});

/// Presets: "gpt3-175b", "megatron-145b", "megatron-1.7b", "gpt3-1.3b"; clusters "dgx-a100"
/// (128 DGX A100 80 GB), "dgx-a100-40gb". nullopt for another name.
std::optional<ModelSpec> modelPreset(const std::string& name);
std::optional<ClusterSpec> clusterPreset(const std::string& name);
std::string modelPresetNames();
std::string clusterPresetNames();

/// A flat TOML file (`key = value`: numbers, quoted strings with units such as "80GB",
/// "300GB/s", "5us", comments): the model's keys layers, hidden, heads, seq, vocab, batch
/// (name optional); the cluster's nodes, gpus_per_node, memory, peak (TFLOP/s number or
/// "312TFLOP/s"), efficiency, intra_bw, inter_bw, intra_alpha, inter_alpha (name optional).
/// Errors name where:line and the key: an unknown key, a value of the wrong kind, a key twice,
/// a table or array (not supported), a missing key.
std::optional<ModelSpec> parseModelToml(const std::string& text, const std::string& where,
                                        std::string& error);
std::optional<ClusterSpec> parseClusterToml(const std::string& text, const std::string& where,
                                            std::string& error);

} // namespace aisys::engine::dist
