// The pass manager: a registry of passes by kebab-case name, pipelines given as data (a list of
// names or a level O0–O3), and an instrumentation hook with a snapshot, the rewrite log and the
// cost numbers after every pass.
#pragma once

#include "engine/compiler/pass.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aisys::engine::compiler {

/// The numbers the pass-by-pass view shows (definitions in engine/compiler/README.md).
struct GraphStats {
    int nodes = 0;
    /// Nodes that launch a kernel: every node except the ones that only rename or reinterpret
    /// a buffer or read metadata (see launchesKernel).
    int kernels = 0;
    /// Activation bytes that kernels read plus write (initializers, i.e. weights, excluded):
    /// the traffic between kernels that fusion removes. 0 for a value of unknown size.
    double activationBytes = 0;
    /// Weight (initializer) bytes that kernels read.
    double weightBytes = 0;
    /// Peak bytes of live activations (graph inputs included, initializers excluded) when the
    /// nodes run in topological order: at each node, every value produced and not yet past its
    /// last reader, plus the node's outputs (inputs and outputs coexist while the kernel runs).
    /// The interpreter's Trace::peakLiveBytes samples after freeing instead, so it can be lower.
    double peakBytes = 0;
    /// False when some shape was unknown (the byte figures then count those values as 0).
    bool complete = true;
};

/// True when a node launches a kernel. False for Constant, Identity, Dropout (inference copy),
/// the view ops Reshape, Flatten, Squeeze, Unsqueeze (a new shape over the same buffer) and the
/// metadata reads Shape, Size.
bool launchesKernel(const Node& n);
/// Computes the numbers for a graph whose shapes are inferred (a copy is inferred if needed).
GraphStats graphStats(const Graph& g);

/// A registered pass and the optimization level from which it runs.
struct PassInfo {
    std::unique_ptr<Pass> pass;
    int level = 1; ///< 1, 2 or 3: the pass is part of O<level> and higher; 0 = only by name
};

/// Passes by name, in pipeline order (a level's pipeline is its passes in registration order).
class PassRegistry {
public:
    /// Every built-in pass (one line each in pass_registry.cpp).
    static const PassRegistry& builtin();
    /// Registers a pass; throws std::logic_error for a duplicate or non-kebab-case name.
    void add(std::unique_ptr<Pass> pass, int level);
    const Pass* find(const std::string& name) const;
    std::vector<std::string> names() const;
    const std::vector<PassInfo>& passes() const { return m_passes; }
    /// The names in the pipeline of level 0–3 (O0 is empty).
    std::vector<std::string> levelPasses(int level) const;

private:
    std::vector<PassInfo> m_passes;
};

/// A pipeline as data.
struct Pipeline {
    std::vector<std::string> passes;
    /// The pipeline repeats while a round changed the graph, at most this many rounds (levels
    /// use 4 so that one run reaches a fixed point: running the level again changes nothing).
    int maxRounds = 1;
    std::string label; ///< "O2" or "a,b,c"
};

/// Parses "-O0".."-O3" / "O0".."O3" or a comma-separated list of pass names. Throws
/// std::invalid_argument naming an unknown pass and listing the valid names.
Pipeline parsePipeline(const std::string& text,
                       const PassRegistry& registry = PassRegistry::builtin());
/// The pipeline of level 0–3.
Pipeline levelPipeline(int level, const PassRegistry& registry = PassRegistry::builtin());

/// What one pass did.
struct PassRecord {
    std::string pass;
    int round = 1;
    PassResult result;
    GraphStats stats;  ///< after the pass
    Graph snapshot;    ///< the graph after the pass (empty unless snapshots are on)
    double millis = 0; ///< wall time of the pass
};

/// A whole run: the numbers before, one record per pass run, the numbers after.
struct PipelineReport {
    std::string pipeline;
    GraphStats before;
    std::vector<PassRecord> passes;
    GraphStats after;
};

/// Called after every pass with its record (snapshot included when snapshots are on).
using PassHook = std::function<void(const PassRecord&)>;

/// Runs a pipeline on a graph.
class PassManager {
public:
    explicit PassManager(Pipeline pipeline, const PassRegistry& registry = PassRegistry::builtin());
    void setHook(PassHook hook) { m_hook = std::move(hook); }
    /// Keep a copy of the graph after every pass in the records (default off).
    void setSnapshots(bool on) { m_snapshots = on; }
    /// Verify the graph after every pass (default on): a failure throws std::logic_error
    /// naming the pass and the problem.
    void setVerify(bool on) { m_verify = on; }
    /// Compute GraphStats after every pass (default on).
    void setStats(bool on) { m_stats = on; }
    /// Infers shapes, runs the passes in order, returns the report.
    PipelineReport run(Graph& g) const;

private:
    Pipeline m_pipeline;
    const PassRegistry& m_registry;
    PassHook m_hook;
    bool m_snapshots = false;
    bool m_verify = true;
    bool m_stats = true;
};

/// Human-readable report: one line of numbers per pass, then its rewrite log.
std::string reportText(const PipelineReport& report, bool withLog = true);
/// The report as JSON (keys: pipeline, before, passes[{pass, round, changed, millis, stats,
/// log[{kind, rule, before, after}]}], after).
std::string reportJson(const PipelineReport& report);
const char* rewriteKindName(RewriteEntry::Kind k);

} // namespace aisys::engine::compiler
