// Trace tables: forward rows from the dual evaluator, reverse rows from the backward graph.
#include "engine/autodiff/trace_table.h"

#include "engine/autodiff/forward.h"
#include "engine/autodiff/reverse.h"
#include "engine/graph/interpreter.h"

namespace aisys::engine {

Graph courseExample() {
    Graph g;
    g.name = "f(x1,x2) = ln x1 + x1*x2 - sin x2";
    g.addInput("x1", DType::F64, {});
    g.addInput("x2", DType::F64, {});
    g.addNode("Log", "ln", {"x1"}, {"v1"});
    g.addNode("Mul", "mul", {"x1", "x2"}, {"v2"});
    g.addNode("Sin", "sin", {"x2"}, {"v3"});
    g.addNode("Add", "add", {"v1", "v2"}, {"v4"});
    g.addNode("Sub", "sub", {"v4", "v3"}, {"v5"});
    g.markOutput("v5");
    return g;
}

namespace {

TraceRow rowOf(const Graph& g, int value) {
    TraceRow r;
    const Value& v = g.values[value];
    r.name = v.name;
    if (v.producer < 0) {
        r.op = v.initializer ? "constant" : "input";
        return r;
    }
    const Node& n = g.nodes[v.producer];
    r.op = n.op;
    for (int in : n.inputs)
        r.inputs.push_back(in >= 0 ? g.values[in].name : "");
    return r;
}

} // namespace

std::vector<TraceRow> forwardTrace(const Graph& g, const std::map<std::string, Tensor>& values,
                                   const std::map<std::string, Tensor>& tangents) {
    const auto env = evaluateDual(g, values, tangents);
    std::vector<TraceRow> rows;
    auto add = [&](int v) {
        TraceRow r = rowOf(g, v);
        const DualTensor& d = env.at(r.name);
        r.value = d.values();
        r.derivative = d.tangents();
        rows.push_back(std::move(r));
    };
    for (int in : g.inputs)
        add(in);
    for (int n : g.topoOrder())
        for (int out : g.nodes[n].outputs)
            add(out);
    return rows;
}

std::vector<TraceRow> reverseTrace(const Graph& g, const std::map<std::string, Tensor>& values,
                                   const std::string& output) {
    // 1. Differentiate `output` with respect to every graph input.
    // 2. Run forward + backward once; read each value and its adjoint.
    std::vector<std::string> wrt;
    for (int in : g.inputs)
        wrt.push_back(g.values[in].name);
    const BackwardGraph bg = buildBackward(g, {output}, wrt);
    Interpreter ip(bg.graph);
    for (const auto& [name, t] : values)
        ip.setInput(name, t);
    ip.run();
    std::vector<TraceRow> rows;
    auto add = [&](int v) {
        TraceRow r = rowOf(g, v);
        r.value = *ip.value(r.name);
        auto it = bg.adjoints.find(r.name);
        r.derivative = it != bg.adjoints.end() ? *ip.value(it->second)
                                               : Tensor(r.value.dtype(), r.value.shape());
        rows.push_back(std::move(r));
    };
    const auto order = g.topoOrder();
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        for (int out : g.nodes[*it].outputs)
            add(out);
    for (auto it = g.inputs.rbegin(); it != g.inputs.rend(); ++it)
        add(*it);
    return rows;
}

} // namespace aisys::engine
