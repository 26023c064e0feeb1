// Memory planning (see memory_plan.h and engine/compiler/README.md, "memory-planning").
//
// 1. Order the nodes topologically (Graph::topoOrder) and number the positions 0..n-1.
// 2. Every node output that is not an initializer gets a closed interval [start, end]: start is
//    the position of its producer, end the position of its last reader (n for graph outputs,
//    start for a value nobody reads). Inputs and outputs of one node coexist while it runs, so
//    closed intervals that share a position overlap.
// 3. Walk the intervals by start. An output of an element-wise (or broadcast) op, or of a fused
//    element-wise chain (aisys:Fused, kernel "elementwise"), may take the buffer of an input
//    that dies at this very node when both have the same dtype, shape and bytes (in place:
//    element k is read before element k is written).
// 4. Otherwise pick, among buffers whose last value ended before `start`, the smallest that is
//    large enough (best fit); if none is large enough, grow the largest free one; if none is
//    free, open a new buffer.
// 5. Lay the buffers end to end in one arena (offset = sum of earlier sizes); report the arena,
//    the no-reuse total, the interpreter's natural peak and the live-bytes curve.
#include "engine/compiler/passes/memory_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace aisys::engine::compiler {

const LiveInterval* MemoryPlan::intervalOf(int value) const {
    for (const auto& iv : intervals)
        if (iv.value == value)
            return &iv;
    return nullptr;
}

bool lifetimesOverlap(const LiveInterval& a, const LiveInterval& b) {
    if (a.start > b.end || b.start > a.end)
        return false;
    // An in-place output starts exactly where the input it overwrites ends.
    if (b.inPlaceOf == a.value && a.end == b.start)
        return false;
    if (a.inPlaceOf == b.value && b.end == a.start)
        return false;
    return true;
}

namespace {

std::size_t valueBytes(const Value& v) {
    return static_cast<std::size_t>(typeBytes({v.dtype, v.shape}));
}

/// Per value: position of its last reader, -1 when none (the Interpreter's rule).
std::vector<int> lastUses(const Graph& g, const std::vector<int>& order) {
    std::vector<int> last(g.values.size(), -1);
    for (std::size_t p = 0; p < order.size(); ++p)
        for (int v : g.nodes[order[p]].inputs)
            if (v >= 0)
                last[v] = static_cast<int>(p);
    for (int o : g.outputs)
        last[o] = static_cast<int>(order.size());
    return last;
}

/// The Interpreter's free-dead-values peak: live bytes after each node, once values past their
/// last use are freed (graph inputs counted until their last use, unread values never freed).
std::size_t naturalPeak(const Graph& g, const std::vector<int>& order,
                        const std::vector<int>& last) {
    std::vector<bool> live(g.values.size(), false);
    for (int in : g.inputs)
        if (!g.values[in].initializer)
            live[in] = true;
    std::size_t peak = 0;
    for (std::size_t p = 0; p < order.size(); ++p) {
        for (int v : g.nodes[order[p]].outputs)
            if (v >= 0)
                live[v] = true;
        std::size_t sum = 0;
        for (std::size_t v = 0; v < live.size(); ++v) {
            if (live[v] && last[v] >= 0 && last[v] <= static_cast<int>(p))
                live[v] = false;
            if (live[v])
                sum += valueBytes(g.values[v]);
        }
        peak = std::max(peak, sum);
    }
    return peak;
}

/// True when `node` may write output 0 over input `in` element by element.
bool inPlaceLegal(const Graph& g, const Node& node, int in, const OpRegistry& ops) {
    const OpDef* def = ops.find(node.op);
    // A fused element-wise chain reads every operand of element k before writing element k.
    const bool fusedChain =
        node.op == "aisys:Fused" && attrString(node, "kernel", "") == "elementwise";
    if (!def || (def->category != FusionCategory::Elementwise &&
                 def->category != FusionCategory::Broadcast && !fusedChain))
        return false;
    if (node.outputs.empty() || node.outputs[0] < 0 || in < 0)
        return false;
    const Value& o = g.values[node.outputs[0]];
    const Value& i = g.values[in];
    return i.producer >= 0 && !i.initializer && i.dtype == o.dtype && i.shape == o.shape &&
           valueBytes(i) == valueBytes(o) && valueBytes(o) > 0;
}

} // namespace

MemoryPlan planMemory(const Graph& g, const MemoryPlanOptions& opt, const OpRegistry& ops) {
    MemoryPlan plan;
    plan.order = g.topoOrder();
    const int n = static_cast<int>(plan.order.size());
    const std::vector<int> last = lastUses(g, plan.order);
    plan.naturalPeakBytes = naturalPeak(g, plan.order, last);
    for (int in : g.inputs)
        if (!g.values[in].initializer)
            plan.inputBytes += valueBytes(g.values[in]);

    // Step 2: intervals.
    std::map<int, int> intervalIndex; // value id -> index in plan.intervals
    for (int p = 0; p < n; ++p)
        for (int v : g.nodes[plan.order[p]].outputs) {
            if (v < 0 || g.values[v].initializer)
                continue;
            LiveInterval iv;
            iv.value = v;
            iv.start = p;
            iv.end = last[v] >= 0 ? last[v] : p;
            iv.bytes = valueBytes(g.values[v]);
            intervalIndex[v] = static_cast<int>(plan.intervals.size());
            plan.intervals.push_back(iv);
            plan.noReuseBytes += iv.bytes;
        }

    // Steps 3-4: assignment, intervals already ordered by start (then output order).
    std::vector<int> busyUntil; // per buffer: end of the last value placed in it
    std::set<int> claimed;      // buffers taken in place at the current position
    int claimedAt = -1;
    for (auto& iv : plan.intervals) {
        if (iv.start != claimedAt) {
            claimed.clear();
            claimedAt = iv.start;
        }
        const Node& node = g.nodes[plan.order[iv.start]];
        if (opt.inPlace && !node.outputs.empty() && node.outputs[0] == iv.value) {
            for (int in : node.inputs) {
                auto it = intervalIndex.find(in);
                if (it == intervalIndex.end())
                    continue;
                const LiveInterval& src = plan.intervals[it->second];
                if (src.end != iv.start || !inPlaceLegal(g, node, in, ops) ||
                    claimed.count(src.buffer) || busyUntil[src.buffer] != iv.start)
                    continue;
                iv.buffer = src.buffer;
                iv.inPlaceOf = in;
                claimed.insert(src.buffer);
                ++plan.inPlaceCount;
                break;
            }
        }
        if (iv.buffer < 0 && opt.reuse) {
            int best = -1, largest = -1;
            for (int b = 0; b < static_cast<int>(busyUntil.size()); ++b) {
                if (busyUntil[b] >= iv.start)
                    continue;
                const std::size_t size = plan.buffers[b].bytes;
                if (size >= iv.bytes && (best < 0 || size < plan.buffers[best].bytes))
                    best = b;
                if (largest < 0 || size > plan.buffers[largest].bytes)
                    largest = b;
            }
            iv.buffer = best >= 0 ? best : largest;
        }
        if (iv.buffer < 0) {
            iv.buffer = static_cast<int>(plan.buffers.size());
            plan.buffers.push_back({iv.buffer, 0, 0, {}});
            busyUntil.push_back(-1);
        }
        PlannedBuffer& buf = plan.buffers[iv.buffer];
        buf.bytes = std::max(buf.bytes, iv.bytes);
        buf.values.push_back(iv.value);
        busyUntil[iv.buffer] = std::max(busyUntil[iv.buffer], iv.end);
    }

    // Step 5: the arena and the curves.
    for (auto& b : plan.buffers) {
        b.offset = plan.arenaBytes;
        plan.arenaBytes += b.bytes;
    }
    for (auto& iv : plan.intervals)
        iv.offset = plan.buffers[iv.buffer].offset;
    plan.liveCurve.assign(static_cast<std::size_t>(n), 0);
    for (const auto& iv : plan.intervals)
        for (int p = iv.start; p <= std::min(iv.end, n - 1); ++p)
            plan.liveCurve[p] += iv.bytes;
    for (const auto& iv : plan.intervals) // an in-place pair occupies one buffer at the seam
        if (iv.inPlaceOf >= 0 && iv.start < n)
            plan.liveCurve[iv.start] -= iv.bytes;
    for (auto b : plan.liveCurve)
        plan.maxLiveBytes = std::max(plan.maxLiveBytes, b);
    return plan;
}

std::vector<Tensor> runWithPlan(const Graph& g, const MemoryPlan& plan,
                                const std::map<std::string, Tensor>& inputs,
                                const OpRegistry& ops) {
    std::vector<std::uint8_t> arena(plan.arenaBytes);
    std::map<int, Tensor> held; // graph inputs and initializers
    for (const auto& [id, t] : g.initializers)
        held[id] = t;
    for (int in : g.inputs) {
        auto it = inputs.find(g.values[in].name);
        if (it == inputs.end() && !g.values[in].initializer)
            throw std::invalid_argument("runWithPlan: no value for input '" + g.values[in].name +
                                        "'");
        if (it != inputs.end())
            held[in] = it->second;
    }
    std::map<int, const LiveInterval*> planned;
    for (const auto& iv : plan.intervals)
        planned[iv.value] = &iv;
    auto read = [&](int v) {
        if (auto h = held.find(v); h != held.end())
            return h->second;
        auto p = planned.find(v);
        if (p == planned.end())
            throw std::invalid_argument("runWithPlan: value '" + g.values[v].name +
                                        "' is neither planned nor given");
        Tensor t(g.values[v].dtype, g.values[v].shape);
        if (t.bytes() != p->second->bytes)
            throw std::invalid_argument("runWithPlan: value '" + g.values[v].name +
                                        "' has no known size");
        std::copy_n(arena.begin() + static_cast<std::ptrdiff_t>(p->second->offset), t.bytes(),
                    static_cast<std::uint8_t*>(t.rawData()));
        return t;
    };
    for (int n : plan.order) {
        const Node& node = g.nodes[n];
        const OpDef* def = ops.find(node.op);
        if (!def)
            throw std::invalid_argument("runWithPlan: unknown op " + node.op);
        std::vector<Tensor> ins;
        ins.reserve(node.inputs.size());
        for (int v : node.inputs)
            ins.push_back(v >= 0 ? read(v) : Tensor());
        std::vector<const Tensor*> ptrs;
        for (std::size_t i = 0; i < node.inputs.size(); ++i)
            ptrs.push_back(node.inputs[i] >= 0 ? &ins[i] : nullptr);
        const OpCall call = opCall(node, ptrs, g.opset());
        std::vector<TensorType> types = def->infer(call);
        types.resize(node.outputs.size());
        std::vector<Tensor> outs = outputBuffers(*def, types, [&](std::size_t i) {
            return g.values[node.outputs[i]].name;
        });
        def->forward(call, ptrs, outs);
        for (std::size_t i = 0; i < outs.size(); ++i) {
            auto p = planned.find(node.outputs[i]);
            if (p == planned.end() || p->second->bytes != outs[i].bytes())
                throw std::invalid_argument("runWithPlan: output '" +
                                            g.values[node.outputs[i]].name +
                                            "' does not match its plan");
            std::copy_n(static_cast<const std::uint8_t*>(outs[i].rawData()), outs[i].bytes(),
                        arena.begin() + static_cast<std::ptrdiff_t>(p->second->offset));
        }
    }
    std::vector<Tensor> result;
    for (int o : g.outputs)
        result.push_back(read(o));
    return result;
}

std::string MemoryPlanPass::description() const {
    return "Plans activation memory: liveness intervals, in-place element-wise ops, best-fit "
           "buffer reuse in one arena (the graph is unchanged).";
}

PassResult MemoryPlanPass::run(Graph& g) const {
    // Shapes are needed for sizes: plan on an inferred copy, the graph itself is untouched.
    Graph typed = g;
    inferShapes(typed);
    MemoryPlan plan = planMemory(typed, m_opt);
    PassResult r;
    r.changed = false;
    for (const auto& iv : plan.intervals) {
        if (iv.inPlaceOf < 0)
            continue;
        const Node& node = typed.nodes[plan.order[iv.start]];
        r.log.push_back({RewriteEntry::Kind::Changed,
                         "in-place: " + typed.values[iv.value].name + " overwrites " +
                             typed.values[iv.inPlaceOf].name + " (buffer " +
                             std::to_string(iv.buffer) + ")",
                         {node.name},
                         {node.name}});
    }
    r.log.push_back({RewriteEntry::Kind::Changed,
                     "memory-plan: " + std::to_string(plan.intervals.size()) + " values in " +
                         std::to_string(plan.buffers.size()) + " buffers, arena " +
                         std::to_string(plan.arenaBytes) + " B (no reuse " +
                         std::to_string(plan.noReuseBytes) + " B, interpreter peak " +
                         std::to_string(plan.naturalPeakBytes) + " B)",
                     {},
                     {}});
    if (m_sink)
        *m_sink = std::move(plan);
    return r;
}

} // namespace aisys::engine::compiler
