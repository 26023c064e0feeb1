// The boxes and edges of a graph picture (see graph_topology.h).
#include "lessons/common/graph_topology.h"

#include <variant>

namespace aisys::lessons {

GraphTopology graphTopology(const engine::Graph& g, const TopologyOptions& opt) {
    // 1. Source boxes: values without a producer that the options keep, by value id.
    // 2. One box per node; an expanded fused node gives one box per body member instead, its
    //    body-internal edges at once, and its outputs map to the members that produce them.
    // 3. Reads (collected in node order) become edges from the box producing the value, when it
    //    has one; then one sink box per graph output with the edge into it.
    GraphTopology t;
    std::map<int, int> producerBox; // value id → box producing it
    auto push = [&](GraphBox b) {
        t.boxes.push_back(std::move(b));
        return static_cast<int>(t.boxes.size()) - 1;
    };
    for (std::size_t v = 0; v < g.values.size(); ++v) {
        const engine::Value& val = g.values[v];
        if (val.producer >= 0)
            continue;
        const int vi = static_cast<int>(v);
        if (opt.sourceBox && !opt.sourceBox(vi))
            continue;
        const int b = push({GraphBox::Kind::Source, vi, -1, -1, "", val.name});
        t.boxOfSource[vi] = b;
        producerBox[vi] = b;
    }
    struct Read {
        int box, value;
    };
    std::vector<Read> reads;
    for (std::size_t ni = 0; ni < g.nodes.size(); ++ni) {
        const engine::Node& n = g.nodes[ni];
        const int nodeIndex = static_cast<int>(ni);
        auto body = n.attrs.find("body");
        const bool expand = opt.expandFused && n.op == "aisys:Fused" && body != n.attrs.end() &&
                            std::holds_alternative<engine::Subgraph>(body->second);
        if (!expand) {
            const int b = push({GraphBox::Kind::Op, -1, nodeIndex, -1, n.op, n.name});
            t.boxOfNode[nodeIndex] = b;
            for (int v : n.inputs)
                if (v >= 0)
                    reads.push_back({b, v});
            for (int v : n.outputs)
                producerBox[v] = b;
            continue;
        }
        const engine::Graph& sub = std::get<engine::Subgraph>(body->second).graph();
        FusedGroup grp{nodeIndex, n.name, {}};
        std::map<int, int> local; // body value id → member box
        std::map<int, int> outer; // body input value id → outer value id
        for (std::size_t k = 0; k < sub.inputs.size() && k < n.inputs.size(); ++k)
            if (n.inputs[k] >= 0)
                outer[sub.inputs[k]] = n.inputs[k];
        for (std::size_t mi = 0; mi < sub.nodes.size(); ++mi) {
            const engine::Node& m = sub.nodes[mi];
            const int b =
                push({GraphBox::Kind::Op, -1, nodeIndex, static_cast<int>(mi), m.op, m.name});
            grp.members.push_back(b);
            for (int v : m.inputs) {
                if (v < 0)
                    continue;
                if (auto it = local.find(v); it != local.end())
                    t.links.push_back({it->second, b, -1, sub.values[v].name});
                else if (auto o = outer.find(v); o != outer.end())
                    reads.push_back({b, o->second});
            }
            for (int v : m.outputs)
                local[v] = b;
        }
        for (std::size_t k = 0; k < n.outputs.size() && k < sub.outputs.size(); ++k)
            if (auto it = local.find(sub.outputs[k]); it != local.end())
                producerBox[n.outputs[k]] = it->second;
        t.fused.push_back(std::move(grp));
    }
    for (const Read& r : reads)
        if (auto it = producerBox.find(r.value); it != producerBox.end())
            t.links.push_back({it->second, r.box, r.value, g.values[r.value].name});
    for (int o : g.outputs) {
        const int b = push({GraphBox::Kind::Sink, o, -1, -1, "", g.values[o].name});
        t.boxOfSink[o] = b;
        if (auto it = producerBox.find(o); it != producerBox.end())
            t.links.push_back({it->second, b, o, g.values[o].name});
    }
    return t;
}

} // namespace aisys::lessons
