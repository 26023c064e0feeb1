// A TensorFlow-1-style dynamic dataflow machine: Switch, Merge, Enter, Exit, NextIteration,
// with tokens tagged by frame and iteration (Arvind's tagged-token model), fired one node a step.
#pragma once

#include <string>
#include <vector>

namespace aisys::engine {

/// Node kinds of the control-flow machine.
enum class DfKind {
    Const, ///< emits `value` once when the machine starts (in the root frame)
    Add,
    Sub,
    Mul, ///< two inputs, same tag
    Less,
    Greater,       ///< two inputs → 1 or 0
    Neg,           ///< one input
    Switch,        ///< inputs (data, pred) → output 0 if pred is false, output 1 if true;
                   ///< the other output gets a dead token
    Merge,         ///< forwards the first live token of any input (dead only if all are dead)
    Enter,         ///< enters frame `frame`: the token's tag gets (frame, iteration 0);
                   ///< with `constant` the token is available to every iteration
    Exit,          ///< leaves the innermost frame; dead tokens are dropped
    NextIteration, ///< iteration + 1; dead tokens are dropped (the loop is over)
    Identity,
};

/// "Switch", "Merge", ... for pictures.
const char* dfKindName(DfKind k);

/// One node: its kind, its inputs (node, output index) and a constant or a frame name.
struct DfNode {
    std::string name;
    DfKind kind = DfKind::Identity;
    std::vector<std::pair<int, int>> inputs; ///< (producer node, its output index)
    double value = 0;                        ///< Const
    std::string frame;                       ///< Enter
    bool constant = false;                   ///< Enter: loop-invariant
    int outputs() const { return kind == DfKind::Switch ? 2 : 1; }
};

/// A token: a value (or dead), tagged with its frame path and iteration.
struct DfToken {
    double value = 0;
    bool dead = false;
    std::vector<std::string> frames; ///< innermost last ("" = root)
    std::vector<int> iterations;     ///< parallel to frames
    std::string tag() const;         ///< e.g. "loop/2"
    bool sameTag(const DfToken& o) const;
};

/// A token waiting on an edge (producer output → consumer input).
struct DfEdgeToken {
    int producer = -1, output = 0;
    int consumer = -1, input = 0;
    DfToken token;
};

/// One firing: which node consumed which tokens and what it produced.
struct DfFiring {
    int node = -1;
    std::vector<DfToken> consumed;
    std::vector<std::pair<int, DfToken>> produced; ///< (output index, token)
    std::vector<DfEdgeToken> pending;              ///< every token on an edge after the firing
};

/// The machine: add nodes, then run to completion, recording every firing.
class DataflowMachine {
public:
    /// Adds a node; returns its index. Inputs must name existing nodes and outputs.
    int add(DfNode node);
    const std::vector<DfNode>& nodes() const { return m_nodes; }
    /// Adds an input to an existing node (a Merge's NextIteration back edge, which can only be
    /// named once the NextIteration node exists).
    void patchInput(int node, std::pair<int, int> source);
    /// Runs until no node can fire (or `maxFirings`, then throws std::runtime_error).
    /// Order: the consumer of the oldest waiting token that can fire goes first (deterministic).
    void run(int maxFirings = 2000);
    const std::vector<DfFiring>& firings() const { return m_firings; }
    /// Live tokens that reached nodes with no consumers (the results), by node.
    std::vector<std::pair<int, DfToken>> results() const;

private:
    bool tryFire(int n);
    void emit(int n, int output, const DfToken& t, DfFiring& f);

    std::vector<DfNode> m_nodes;
    std::vector<DfEdgeToken> m_pending;
    std::vector<DfEdgeToken> m_constants; ///< loop-invariant tokens (never consumed)
    std::vector<DfFiring> m_firings;
    std::vector<std::pair<int, DfToken>> m_sinks;
    std::vector<std::pair<int, DfToken>> m_mergedTags; ///< (merge node, tag it forwarded live)
};

/// The course's examples as machines: `y = x > 0 ? 2·x : −x`, and the loop
/// `i = 0; s = 0; while (i < n) { s = s + i; i = i + 1; }` returning s.
DataflowMachine makeCondExample(double x);
DataflowMachine makeWhileExample(int n);

} // namespace aisys::engine
