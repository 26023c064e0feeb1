// Graph construction, lookup, topological order and the structural verifier.
#include "engine/graph/graph.h"

#include <algorithm>
#include <queue>
#include <stdexcept>

namespace aisys::engine {

Subgraph::Subgraph() : m_graph(std::make_unique<Graph>()) {}
Subgraph::Subgraph(Graph g) : m_graph(std::make_unique<Graph>(std::move(g))) {}
Subgraph::Subgraph(const Subgraph& other)
    : m_graph(std::make_unique<Graph>(*other.m_graph)), m_bindings(other.m_bindings) {}
Subgraph::Subgraph(Subgraph&& other) noexcept
    : m_graph(std::move(other.m_graph)), m_bindings(std::move(other.m_bindings)),
      m_runCache(std::move(other.m_runCache)) {
    other.m_graph = std::make_unique<Graph>();
}
Subgraph& Subgraph::operator=(const Subgraph& other) {
    if (this != &other) {
        m_graph = std::make_unique<Graph>(*other.m_graph);
        m_bindings = other.m_bindings;
        m_runCache.reset();
    }
    return *this;
}
Subgraph& Subgraph::operator=(Subgraph&& other) noexcept {
    std::swap(m_graph, other.m_graph);
    std::swap(m_bindings, other.m_bindings);
    std::swap(m_runCache, other.m_runCache);
    return *this;
}
Subgraph::~Subgraph() = default;

bool Subgraph::operator==(const Subgraph& other) const {
    return *m_graph == *other.m_graph;
}

int Graph::addValue(const std::string& name) {
    if (findValue(name) >= 0)
        throw std::invalid_argument("value '" + name + "' is defined twice");
    Value v;
    v.name = name;
    values.push_back(std::move(v));
    return static_cast<int>(values.size()) - 1;
}

int Graph::addInput(const std::string& name, DType dtype, Shape shape) {
    int id = addValue(name);
    values[id].dtype = dtype;
    values[id].shape = std::move(shape);
    inputs.push_back(id);
    return id;
}

int Graph::addOuterRef(const std::string& name, DType dtype, Shape shape) {
    int id = addValue(name);
    values[id].dtype = dtype;
    values[id].shape = std::move(shape);
    outerRefs.push_back(id);
    return id;
}

int Graph::addInitializer(const std::string& name, Tensor t) {
    int id = addValue(name);
    values[id].dtype = t.dtype();
    values[id].shape = t.shape();
    values[id].initializer = true;
    initializers[id] = std::move(t);
    return id;
}

int Graph::addNode(const std::string& op, const std::string& name,
                   const std::vector<std::string>& ins, const std::vector<std::string>& outs,
                   std::map<std::string, AttrValue> attrs) {
    Node n;
    n.name = name;
    n.op = op;
    n.attrs = std::move(attrs);
    int index = static_cast<int>(nodes.size());
    for (const auto& in : ins) {
        if (in.empty()) {
            n.inputs.push_back(-1);
            continue;
        }
        int id = findValue(in);
        if (id < 0)
            throw std::invalid_argument("node '" + name + "' reads unknown value '" + in + "'");
        n.inputs.push_back(id);
    }
    // Subgraphs' outer references become implicit inputs (each outer value once), and every
    // subgraph learns which node input each of its outer references reads.
    std::vector<int> implicit;
    for (auto& [attrName, value] : n.attrs) {
        auto* sub = std::get_if<Subgraph>(&value);
        if (!sub)
            continue;
        std::vector<int> bindings;
        for (int ref : sub->graph().outerRefs) {
            const std::string& refName = sub->graph().values[ref].name;
            int id = findValue(refName);
            if (id < 0)
                throw std::invalid_argument("node '" + name + "': subgraph '" + attrName +
                                            "' reads '" + refName +
                                            "', which is not a value of the enclosing graph");
            auto it = std::find(implicit.begin(), implicit.end(), id);
            if (it == implicit.end()) {
                implicit.push_back(id);
                it = implicit.end() - 1;
            }
            bindings.push_back(static_cast<int>(ins.size() + (it - implicit.begin())));
        }
        sub->setBindings(std::move(bindings));
    }
    n.inputs.insert(n.inputs.end(), implicit.begin(), implicit.end());
    n.implicitInputs = static_cast<int>(implicit.size());
    for (const auto& out : outs) {
        int id = addValue(out);
        values[id].producer = index;
        n.outputs.push_back(id);
    }
    for (int id : n.inputs)
        if (id >= 0)
            values[id].consumers.push_back(index);
    nodes.push_back(std::move(n));
    return index;
}

void Graph::markOutput(const std::string& name) {
    int id = findValue(name);
    if (id < 0)
        throw std::invalid_argument("graph output '" + name + "' is not a value of the graph");
    outputs.push_back(id);
}

std::int64_t Graph::opset() const {
    auto it = opsetImports.find("");
    if (it == opsetImports.end())
        it = opsetImports.find("ai.onnx");
    return it == opsetImports.end() ? kLatestOpset : it->second;
}

std::vector<std::string> Graph::bindDims(const std::map<std::string, std::int64_t>& dims) {
    std::vector<std::string> bound;
    for (const auto& [dimName, size] : dims) {
        if (size < 0)
            throw std::invalid_argument("dimension '" + dimName + "' bound to negative size " +
                                        std::to_string(size));
        bool used = false;
        for (Value& v : values)
            for (std::size_t i = 0; i < v.dimParams.size() && i < v.shape.size(); ++i)
                if (v.dimParams[i] == dimName) {
                    v.shape[i] = size;
                    v.dimParams[i].clear();
                    used = true;
                }
        if (!used)
            throw std::invalid_argument("no value of the graph has a dimension named '" + dimName +
                                        "'");
        bound.push_back(dimName);
    }
    return bound;
}

int Graph::findValue(const std::string& name) const {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i].name == name)
            return static_cast<int>(i);
    return -1;
}

std::vector<int> Graph::topoOrder() const {
    // 1. Count, per node, the inputs produced by other nodes.
    // 2. Start from nodes with none; pop the smallest index (deterministic order).
    // 3. Releasing a node decrements its consumers; any node left over sits on a cycle.
    std::vector<int> pending(nodes.size(), 0);
    for (std::size_t n = 0; n < nodes.size(); ++n)
        for (int v : nodes[n].inputs)
            if (v >= 0 && values[v].producer >= 0)
                ++pending[n];
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (std::size_t n = 0; n < nodes.size(); ++n)
        if (pending[n] == 0)
            ready.push(static_cast<int>(n));
    std::vector<int> order;
    while (!ready.empty()) {
        int n = ready.top();
        ready.pop();
        order.push_back(n);
        for (int out : nodes[n].outputs)
            for (int c : values[out].consumers)
                if (--pending[c] == 0)
                    ready.push(c);
    }
    if (order.size() != nodes.size()) {
        for (std::size_t n = 0; n < nodes.size(); ++n)
            if (pending[n] > 0)
                throw std::invalid_argument("node '" + nodes[n].name + "' (" + nodes[n].op +
                                            ") is on a cycle");
    }
    return order;
}

std::string Graph::verify() const {
    const int nv = static_cast<int>(values.size());
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        const Node& node = nodes[n];
        for (int v : node.inputs)
            if (v < -1 || v >= nv)
                return "node '" + node.name + "': input id " + std::to_string(v) + " out of range";
        for (int v : node.outputs) {
            if (v < 0 || v >= nv)
                return "node '" + node.name + "': output id " + std::to_string(v) + " out of range";
            if (values[v].producer != static_cast<int>(n))
                return "node '" + node.name + "': output '" + values[v].name +
                       "' names another producer (a value must have a single producer)";
            if (values[v].initializer)
                return "node '" + node.name + "' writes initializer '" + values[v].name + "'";
        }
    }
    for (int v = 0; v < nv; ++v) {
        const Value& val = values[v];
        if (val.producer >= static_cast<int>(nodes.size()))
            return "value '" + val.name + "': producer out of range";
        for (int c : val.consumers) {
            bool reads = false;
            for (int in : nodes[c].inputs)
                reads |= in == v;
            if (!reads)
                return "value '" + val.name + "' lists node '" + nodes[c].name +
                       "' as a consumer, but that node does not read it";
        }
    }
    for (int o : outputs)
        if (o < 0 || o >= nv)
            return "graph output id " + std::to_string(o) + " out of range";
    for (int r : outerRefs)
        if (r < 0 || r >= nv || values[r].producer >= 0)
            return "outer reference id " + std::to_string(r) +
                   " is out of range or produced inside the subgraph";
    for (const Node& node : nodes) {
        if (node.implicitInputs < 0 || node.implicitInputs > static_cast<int>(node.inputs.size()))
            return "node '" + node.name + "': implicit input count out of range";
        for (const auto& [attrName, value] : node.attrs) {
            const auto* sub = std::get_if<Subgraph>(&value);
            if (!sub)
                continue;
            const Graph& sg = sub->graph();
            if (sub->bindings().size() != sg.outerRefs.size())
                return "node '" + node.name + "': subgraph '" + attrName +
                       "' has unbound outer references";
            for (std::size_t j = 0; j < sg.outerRefs.size(); ++j) {
                const int b = sub->bindings()[j];
                if (b < 0 || b >= static_cast<int>(node.inputs.size()) || node.inputs[b] < 0 ||
                    values[node.inputs[b]].name != sg.values[sg.outerRefs[j]].name)
                    return "node '" + node.name + "': subgraph '" + attrName +
                           "' binds outer reference '" + sg.values[sg.outerRefs[j]].name +
                           "' to the wrong value";
            }
            if (auto err = sg.verify(); !err.empty())
                return "node '" + node.name + "' (" + node.op + ") subgraph '" + attrName +
                       "': " + err;
        }
    }
    try {
        (void)topoOrder();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

} // namespace aisys::engine
