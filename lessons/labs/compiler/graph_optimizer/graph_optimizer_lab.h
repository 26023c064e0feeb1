// Lab "graph-optimizer": a graph compiler at work, pass by pass. Frame 0 is the input graph;
// every later frame is the graph after one pass that changed it, in one layout shared by all
// frames (a node keeps its place from frame to frame), with the pass's removed / added /
// merged nodes and its numbers.
#pragma once

#include "engine/compiler/pass_manager.h"
#include "engine/compiler/passes/fusion.h"
#include "lessons/lab.h"
#include "viz/sugiyama.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace aisys::lessons {

/// One box of the picture: an op node, a member of a fused node (drawn inside its hull), or a
/// graph input / output.
struct PictureNode {
    enum class Kind { Op, Input, Output };
    Kind kind = Kind::Op;
    std::string name; ///< node name (unique in the picture), "in:x" / "out:y" for the pills
    std::string op;
    std::string owner; ///< for a member of a fused node: the fused node's name, else ""
    int node = -1;     ///< index in the frame's graph (the fused node for a member), -1 for pills
};

/// A graph as drawn: fused nodes expanded into their members within a group hull.
struct GraphPicture {
    std::vector<PictureNode> nodes;
    std::vector<viz::SugiyamaNode> sizes; ///< per node: box size and name
    std::vector<viz::SugiyamaEdge> edges;
    std::vector<std::string> edgeValue; ///< per edge: the value name it carries
    std::vector<viz::SugiyamaGroup> groups;
    /// Places: boxes and routes taken from the run's one layout of all frames (so a node has
    /// the same place in every frame), group boxes around their members, the common bounds.
    viz::SugiyamaResult layout;
    /// Picture node index by name, or -1.
    int find(const std::string& name) const;
};

/// One frame: the graph after a pass (frame 0: the input graph, pass "").
struct OptimizerFrame {
    std::string pass;
    int round = 0;
    bool changed = false;
    engine::Graph graph;
    engine::compiler::GraphStats stats;
    std::vector<engine::compiler::RewriteEntry> log;
    /// Node names relative to the previous frame's graph: gone, new, kept but rewritten (another
    /// op, other inputs or attributes).
    std::set<std::string> removed, added, rewritten;
    /// Largest |y − y₀| / max(1, |y₀|) over the outputs against the input graph's outputs, both
    /// run by the interpreter on the same seeded inputs (NaN when the run failed: see runError).
    double maxError = 0;
    std::string runError;
    GraphPicture picture;
};

/// Options of one run (the Lab's parameters).
struct OptimizerOptions {
    bool showUnchanged = false; ///< also a frame for each pass that changed nothing
    bool showIr = false;        ///< the printer's text of the graph beside the picture
    bool showPostDom = false;   ///< the post-dominator tree with the fusion groups
    bool showFolding = false;   ///< Conv-BN folding: W' and b' per channel with numbers
    /// The fusion rule the post-dominator panel colours groups by (fusion_rule = tvm; a frame
    /// of operator-fusion-tvm uses TVM's rule in any case).
    engine::compiler::FusionRule fusionRule = engine::compiler::FusionRule::Lab;
};

/// The run: every frame with its picture, computed once.
class OptimizerRun : public LabRun {
public:
    /// Runs `pipeline` on `input` with snapshots; throws std::invalid_argument when the graph
    /// does not verify.
    OptimizerRun(engine::Graph input, std::string source,
                 const engine::compiler::Pipeline& pipeline, OptimizerOptions opt);
    std::vector<Phase> phases() const override;
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

    const std::vector<OptimizerFrame>& frames() const { return m_frames; }
    /// Passes that ran but changed nothing (not shown unless showUnchanged).
    const std::vector<std::string>& unchangedPasses() const { return m_unchanged; }
    const std::string& pipelineLabel() const { return m_pipeline; }
    const std::string& source() const { return m_source; }
    const OptimizerOptions& options() const { return m_opt; }
    /// The scene id of a picture node or fused node by name: the same in every frame, so the
    /// viewport's step animation moves, fades in (added) and fades out (removed) the right box.
    std::uint32_t objectId(const std::string& name) const;
    /// The layout of every node of every frame (the union graph) that the frames share.
    const viz::SugiyamaResult& sharedLayout() const { return m_layout; }

private:
    void layOut();
    void checkOutputs();

    std::string m_source, m_pipeline;
    OptimizerOptions m_opt;
    std::vector<OptimizerFrame> m_frames;
    std::vector<std::string> m_unchanged;
    viz::SugiyamaResult m_layout;
    std::map<std::string, std::uint32_t> m_ids;
};

/// Builds the picture of `g` (boxes, edges, fused groups; no places yet).
GraphPicture buildPicture(const engine::Graph& g);

/// Imports an ONNX file for the Lab (symbolic dims bound to `dim`); the message of the
/// std::invalid_argument it throws names the file and what went wrong.
engine::Graph loadOnnxForLab(const std::string& path, std::int64_t dim);

class GraphOptimizerLab : public Lab {
public:
    std::string id() const override { return "graph-optimizer"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    /// "input", then one phase per built-in pass name (a pass that ran in several rounds has
    /// one phase per round, the lesson files name the first).
    std::vector<std::string> phaseNames() const override;
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
