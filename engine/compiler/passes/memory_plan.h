// Memory planning: liveness intervals over a topological order, in-place reuse for element-wise
// ops whose input dies there, and best-fit sharing of buffers laid end to end in one arena.
#pragma once

#include "engine/compiler/pass.h"
#include "engine/graph/ops.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aisys::engine::compiler {

/// The lifetime of one planned value (a node output that is not an initializer).
struct LiveInterval {
    int value = -1;         ///< value id
    int start = 0;          ///< position (in MemoryPlan::order) of the node that writes it
    int end = 0;            ///< position of its last reader; order.size() for graph outputs
    std::size_t bytes = 0;  ///< 0 when a dimension is unknown
    int buffer = -1;        ///< buffer id it is assigned to
    int inPlaceOf = -1;     ///< value id whose buffer it overwrites in place, -1 when none
    std::size_t offset = 0; ///< byte offset of its buffer in the arena
};

/// One buffer of the arena: its size is the largest value ever placed in it.
struct PlannedBuffer {
    int id = -1;
    std::size_t bytes = 0;
    std::size_t offset = 0;  ///< buffers are laid end to end: offset = sum of earlier sizes
    std::vector<int> values; ///< value ids placed in it, in start order
};

/// The result of planning: data a Lab can draw as a lifetime (Gantt) chart.
struct MemoryPlan {
    std::vector<int> order;              ///< node execution order (Graph::topoOrder)
    std::vector<LiveInterval> intervals; ///< one per planned value, by start then value id
    std::vector<PlannedBuffer> buffers;  ///< by id
    std::size_t arenaBytes = 0;          ///< sum of buffer sizes (the planned peak)
    std::size_t noReuseBytes = 0;        ///< every planned value in its own buffer
    std::size_t naturalPeakBytes = 0;    ///< the Interpreter's free-dead-values peak (inputs too)
    std::size_t inputBytes = 0;          ///< graph inputs (caller-owned, not in the arena)
    std::size_t maxLiveBytes = 0;        ///< max of liveCurve: a lower bound on any arena
    std::vector<std::size_t> liveCurve;  ///< per position: bytes of planned values alive there
    int inPlaceCount = 0;
    /// Interval of a value, or nullptr when it is not planned.
    const LiveInterval* intervalOf(int value) const;
};

struct MemoryPlanOptions {
    bool inPlace = true; ///< let element-wise ops overwrite an input that dies at them
    bool reuse = true;   ///< share buffers between values whose lifetimes do not overlap
};

/// Plans the memory of `g` (shapes must be inferred; unknown sizes plan as 0 bytes).
MemoryPlan planMemory(const Graph& g, const MemoryPlanOptions& opt = {},
                      const OpRegistry& ops = OpRegistry::builtin());

/// Runs `g` with every planned value living in one arena at its planned offset: a node's inputs
/// are read back from the arena, its outputs written there after its kernel ran. A plan that let
/// two live values overlap would corrupt a read and change the outputs (the tests compare with
/// the Interpreter). `inputs` by name; returns the graph outputs in order. Needs known shapes.
std::vector<Tensor> runWithPlan(const Graph& g, const MemoryPlan& plan,
                                const std::map<std::string, Tensor>& inputs,
                                const OpRegistry& ops = OpRegistry::builtin());

/// True when two intervals are alive at a common position (closed intervals: a node's inputs
/// and its outputs coexist while it runs) and neither is the in-place continuation of the other.
bool lifetimesOverlap(const LiveInterval& a, const LiveInterval& b);

/// "memory-planning": computes the plan and logs it; the graph is not changed. When a sink is
/// given, the last plan is stored there (the Lab reads it).
class MemoryPlanPass : public Pass {
public:
    explicit MemoryPlanPass(std::shared_ptr<MemoryPlan> sink = nullptr, MemoryPlanOptions opt = {})
        : m_sink(std::move(sink)), m_opt(opt) {}
    std::string name() const override { return "memory-planning"; }
    std::string description() const override;
    PassResult run(Graph& g) const override;

private:
    std::shared_ptr<MemoryPlan> m_sink;
    MemoryPlanOptions m_opt;
};

} // namespace aisys::engine::compiler
