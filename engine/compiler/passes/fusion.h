// Operator fusion by fusion category with a post-dominator analysis, after TVM's FuseOps
// (src/relay/analysis/graph_partitioner.cc): groups of nodes become one aisys:Fused node.
#pragma once

#include "engine/compiler/pass.h"
#include "engine/graph/ops.h"

#include <string>
#include <vector>

namespace aisys::engine::compiler {

/// One node of the post-dominator tree (parallel to PostDomTree::order).
struct PostDomNode {
    int node = -1;   ///< node index in the graph
    int parent = -1; ///< node index of the immediate post-dominator, -1 when none
    int depth = 1;   ///< 1 for a root
    /// The strongest (max) pattern of the edges on the paths from the node to its parent:
    /// elementwise when every path is element-wise, opaque for a graph output.
    FusionCategory pattern = FusionCategory::Elementwise;
};

/// The post-dominator tree over a graph's nodes: a node's parent is the nearest node that every
/// path from it to the graph's outputs passes through (the LCA of its consumers' tree nodes).
struct PostDomTree {
    std::vector<int> order;         ///< topological order (TVM's post-DFS order)
    std::vector<PostDomNode> nodes; ///< one per entry of `order`
    /// The entry for graph node n, or nullptr.
    const PostDomNode* of(int n) const;
};

/// A node's pattern for fusion: its op's category, opaque for multi-output nodes and ops the
/// registry does not know.
FusionCategory nodePattern(const Graph& g, int n, const OpRegistry& ops = OpRegistry::builtin());
/// The pattern of the edge consumer←input: the consumer's pattern, except that a broadcast op
/// reading an input of its output's shape is element-wise on that edge.
FusionCategory edgePattern(const Graph& g, int consumer, int value,
                           const OpRegistry& ops = OpRegistry::builtin());

/// Builds the post-dominator tree (shapes should be inferred for exact edge patterns).
PostDomTree postDominatorTree(const Graph& g, const OpRegistry& ops = OpRegistry::builtin());

/// Whose pattern picks a node's fusion rule (fusion.cpp, step 4).
enum class FusionRule {
    /// The lab's own rule: the node's own op category. An element-wise node that already holds
    /// a Conv (its group's anchor) is still element-wise, so it may fuse on into an injective
    /// op or a reduction: Conv → ReLU → ReduceSum becomes one group.
    Lab,
    /// TVM's FuseOps (GraphPartitioner::RunFuse, apache/tvm v0.14.0
    /// src/relay/analysis/graph_partitioner.cc): the pattern of the node's own group record,
    /// which becomes out-element-wise-fusable when an anchored group is merged into it
    /// (MergeFromTo, CombinePattern). Such a node fuses on only in phase 0 and only along an
    /// element-wise post-dominator edge: Conv → ReLU → ReduceSum becomes {Conv, ReLU}, {ReduceSum}.
    Tvm,
};

/// The rule's name as the pass and the lessons say it: "lab" or "tvm".
const char* fusionRuleName(FusionRule r);

struct FusionOptions {
    int maxFuseDepth = 256; ///< TVM's max_fuse_depth: no group grows beyond this many nodes
    FusionRule rule = FusionRule::Lab; ///< whose pattern picks the rule (step 4)
};

/// One fused group (TVM's Group after the union-find is resolved).
struct FusionGroup {
    std::vector<int> members; ///< node indices, in topological order
    int root = -1;            ///< the member the others were fused into (the group's sink)
    int anchor = -1;          ///< the out-elementwise-fusable member (Conv, MatMul...), or -1
    FusionCategory pattern = FusionCategory::Elementwise; ///< max of the members' patterns
    std::string kernel; ///< "elementwise", "epilogue" or "subgraph" (see fused_kernel.h)
    /// Activation bytes kernels no longer read or write: the members' activation reads and
    /// writes minus the fused node's (intermediates gone, shared inputs read once).
    double bytesSaved = 0;
};

/// The grouping: every node's group, and the groups of two or more nodes.
struct FusionPlan {
    PostDomTree tree;
    std::vector<int> groupOf;        ///< per node: index into `groups`, -1 for a singleton
    std::vector<FusionGroup> groups; ///< only groups with at least two members
};

/// Runs the grouping (TVM's phases 0 and 1, with `opt.rule`) on `g` (shapes inferred).
FusionPlan planFusion(const Graph& g, const FusionOptions& opt = {},
                      const OpRegistry& ops = OpRegistry::builtin());

/// Rebuilds every value's consumer list from the node inputs, one entry per reading input (the
/// Graph convention: a node reading a value twice is listed twice).
void relinkConsumers(Graph& g);

/// "operator-fusion" (the lab's rule) or "operator-fusion-tvm" (TVM's rule): replaces every
/// planned group by one aisys:Fused node whose "body" holds the members; attributes "members",
/// "kernel", "pattern", "bytes_saved" say what and why.
class FusionPass : public Pass {
public:
    explicit FusionPass(FusionOptions opt = {}) : m_opt(opt) {}
    std::string name() const override {
        return m_opt.rule == FusionRule::Tvm ? "operator-fusion-tvm" : "operator-fusion";
    }
    std::string description() const override;
    PassResult run(Graph& g) const override;

private:
    FusionOptions m_opt;
};

/// "horizontal-fusion": sibling element-wise nodes or fused chains reading one value, with one
/// output shape and no path between them, become one multi-output aisys:Fused loop
/// (passes/fusion_horizontal.cpp). Only by name: not part of a level.
class HorizontalFusionPass : public Pass {
public:
    std::string name() const override { return "horizontal-fusion"; }
    std::string description() const override;
    PassResult run(Graph& g) const override;
};

} // namespace aisys::engine::compiler
