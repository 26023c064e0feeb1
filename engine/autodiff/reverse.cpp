// Reverse-mode autodiff: relevance analysis, seeds, rules in reverse topological order, and
// explicit Add nodes where gradients meet (fan-out).
#include "engine/autodiff/reverse.h"

#include "engine/graph/interpreter.h"
#include "engine/ops/grad_builder.h"

#include <stdexcept>

namespace aisys::engine {

namespace {

bool isFloatType(DType t) {
    return t == DType::F32 || t == DType::F64;
}

int valueId(const Graph& g, const std::string& name, const char* role) {
    const int id = g.findValue(name);
    if (id < 0)
        throw std::invalid_argument(std::string(role) + " '" + name +
                                    "' is not a value of the graph");
    if (!isFloatType(g.values[id].dtype))
        throw std::invalid_argument(std::string(role) + " '" + name + "' has type " +
                                    dtypeName(g.values[id].dtype) + "; expected f32 or f64");
    for (auto d : g.values[id].shape)
        if (d < 0)
            throw std::invalid_argument(std::string(role) + " '" + name + "' has shape " +
                                        shapeToString(g.values[id].shape) +
                                        "; bind its symbolic dims before differentiating");
    return id;
}

} // namespace

BackwardGraph buildBackward(const Graph& g, const std::vector<std::string>& outputs,
                            const std::vector<std::string>& wrt, const OpRegistry& ops) {
    // 1. Copy the graph and infer shapes (and values known before running).
    // 2. Relevance: a node is differentiated when one of its inputs depends on a wrt value
    //    and one of its outputs reaches a differentiated output.
    // 3. Seed each output: ones for a one-element output, else a new graph input.
    // 4. Walk the relevant nodes in reverse topological order: sum the gradient contributions
    //    of each output (explicit Add nodes at fan-out), then call the op's gradient rule,
    //    which appends ordinary nodes and returns one gradient per input.
    // 5. Each wrt value's gradient is the sum of its contributions (zeros if none); they
    //    become graph outputs.
    BackwardGraph bg;
    bg.graph = g;
    Graph& G = bg.graph;
    const std::map<int, Tensor> known = inferShapesAndConstants(G, ops);
    const std::vector<int> order = G.topoOrder();
    const std::size_t nv = G.values.size();

    std::vector<char> dependsOnWrt(nv, 0), reachesOutput(nv, 0);
    for (const auto& w : wrt)
        dependsOnWrt[valueId(G, w, "wrt value")] = 1;
    std::vector<int> outIds;
    for (const auto& o : outputs) {
        outIds.push_back(valueId(G, o, "differentiated output"));
        reachesOutput[outIds.back()] = 1;
    }
    for (int n : order) {
        bool dep = false;
        for (int v : G.nodes[n].inputs)
            dep = dep || (v >= 0 && dependsOnWrt[v]);
        if (dep)
            for (int v : G.nodes[n].outputs)
                dependsOnWrt[v] = 1;
    }
    std::vector<int> active;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const Node& node = G.nodes[*it];
        bool reaches = false, dep = false;
        for (int v : node.outputs)
            reaches = reaches || reachesOutput[v];
        for (int v : node.inputs)
            dep = dep || (v >= 0 && dependsOnWrt[v]);
        if (!reaches || !dep)
            continue;
        active.push_back(*it);
        for (int v : node.inputs)
            if (v >= 0)
                reachesOutput[v] = 1;
    }

    bg.firstBackwardNode = static_cast<int>(G.nodes.size());
    GradBuilder b(G, ops, known);
    std::map<int, std::vector<std::string>> parts;
    for (std::size_t i = 0; i < outIds.size(); ++i) {
        // A copy: adding the seed below may reallocate G.values.
        const Value v = G.values[outIds[i]];
        std::string seed = "grad/" + v.name;
        if (numElements(v.shape) == 1) {
            Tensor ones = Tensor::f64(v.shape, {1.0}).cast(v.dtype);
            G.addInitializer(seed, ones);
        } else {
            G.addInput(seed, v.dtype, v.shape);
        }
        bg.seeds[v.name] = seed;
        parts[outIds[i]].push_back(seed);
    }
    auto accumulate = [&](int v) -> std::string {
        auto it = parts.find(v);
        if (it == parts.end() || it->second.empty())
            return {};
        b.beginAccumulate(G.values[v].name);
        std::string total = b.sum(it->second);
        it->second = {total};
        bg.adjoints[G.values[v].name] = total;
        return total;
    };

    for (int n : active) {
        const Node node = G.nodes[n];
        std::vector<std::string> dOut;
        bool any = false;
        for (int v : node.outputs) {
            dOut.push_back(accumulate(v));
            any = any || !dOut.back().empty();
        }
        if (!any)
            continue;
        const OpDef* def = ops.find(node.op);
        if (!def || !def->gradient)
            throw std::invalid_argument("node '" + node.name + "' (" + node.op +
                                        "): the op has no gradient rule, and it lies between a "
                                        "wrt value and a differentiated output");
        std::vector<bool> needs;
        for (int v : node.inputs)
            needs.push_back(v >= 0 && dependsOnWrt[v] && isFloatType(G.values[v].dtype));
        b.begin(n, needs);
        std::vector<std::string> dIn;
        try {
            dIn = def->gradient(b, dOut);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("gradient of node '" + node.name + "' (" + node.op +
                                        "): " + e.what());
        }
        for (std::size_t i = 0; i < dIn.size() && i < node.inputs.size(); ++i) {
            if (dIn[i].empty() || !needs[i])
                continue;
            const int v = node.inputs[i];
            if (b.shape(dIn[i]) != G.values[v].shape)
                throw std::logic_error("gradient rule of " + node.op + " returned shape " +
                                       shapeToString(b.shape(dIn[i])) + " for input '" +
                                       G.values[v].name + "' of shape " +
                                       shapeToString(G.values[v].shape));
            parts[v].push_back(dIn[i]);
        }
    }

    G.outputs = outIds;
    for (const auto& w : wrt) {
        const int v = G.findValue(w);
        std::string grad = accumulate(v);
        if (grad.empty()) {
            grad = "grad/" + w;
            G.addInitializer(grad, Tensor(G.values[v].dtype, G.values[v].shape));
        }
        bg.gradients[w] = grad;
        G.outputs.push_back(G.findValue(grad));
    }
    return bg;
}

GradientResult runBackward(const BackwardGraph& bg, const std::map<std::string, Tensor>& inputs,
                           const OpRegistry& ops) {
    Interpreter ip(bg.graph, ops);
    for (const auto& [name, t] : inputs)
        ip.setInput(name, t);
    ip.run();
    GradientResult r;
    for (const auto& [out, seed] : bg.seeds)
        r.outputs[out] = *ip.value(out);
    for (const auto& [w, grad] : bg.gradients)
        r.gradients[w] = *ip.value(grad);
    return r;
}

} // namespace aisys::engine
