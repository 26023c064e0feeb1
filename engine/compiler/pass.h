// The graph compiler's pass interface: a pass rewrites a Graph in place and logs what it did.
// The pass manager (pass_manager.h) runs a pipeline given as data and snapshots each pass.
#pragma once

#include "engine/graph/graph.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aisys::engine::compiler {

/// One rewrite a pass made, for the pass-by-pass view and the --report json.
struct RewriteEntry {
    enum class Kind { Removed, Added, Merged, Changed };
    Kind kind = Kind::Changed;
    std::string rule;                ///< which rule did it, e.g. "x*1 -> x", "conv-bn-fold"
    std::vector<std::string> before; ///< node names the rule consumed (or the node removed)
    std::vector<std::string> after;  ///< node names the rule produced (or the node added)
};

/// What a pass did to the graph.
struct PassResult {
    bool changed = false;
    std::vector<RewriteEntry> log;
};

/// A graph-to-graph transformation. Stateless: `run` may be called on many graphs.
class Pass {
public:
    virtual ~Pass() = default;
    /// Kebab-case name used in pipelines and on the CLI: "constant-folding".
    virtual std::string name() const = 0;
    /// One sentence for `aisyslab optimize --list-passes` and the GUI.
    virtual std::string description() const = 0;
    /// Rewrites `g`; the result must pass Graph::verify() and compute the same outputs.
    virtual PassResult run(Graph& g) const = 0;
};

} // namespace aisys::engine::compiler
