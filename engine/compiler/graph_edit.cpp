// GraphEditor: the rewriting toolkit the passes share (see graph_edit.h).
#include "engine/compiler/graph_edit.h"

#include "engine/graph/ops.h"

#include <algorithm>
#include <queue>
#include <stdexcept>

namespace aisys::engine::compiler {

GraphEditor::GraphEditor(Graph& g) : m_g(g), m_removed(g.nodes.size(), false) {
    for (const Value& v : g.values)
        m_valueNames.insert(v.name);
    for (const Node& n : g.nodes)
        m_nodeNames.insert(n.name);
}

namespace {

std::string uniqueIn(std::set<std::string>& used, const std::string& hint) {
    const std::string base = hint.empty() ? std::string("t") : hint;
    std::string name = base;
    for (int i = 1; used.count(name); ++i)
        name = base + "_" + std::to_string(i);
    used.insert(name);
    return name;
}

} // namespace

std::string GraphEditor::uniqueValueName(const std::string& hint) {
    return uniqueIn(m_valueNames, hint);
}

std::string GraphEditor::uniqueNodeName(const std::string& hint) {
    return uniqueIn(m_nodeNames, hint);
}

int GraphEditor::addInitializer(const std::string& hint, Tensor t) {
    return m_g.addInitializer(uniqueValueName(hint), std::move(t));
}

int GraphEditor::addNode(const std::string& op, const std::string& nameHint,
                         const std::vector<int>& inputs,
                         const std::vector<std::string>& outputHints,
                         std::map<std::string, AttrValue> attrs) {
    Node n;
    n.name = uniqueNodeName(nameHint);
    n.op = op;
    n.attrs = std::move(attrs);
    n.inputs = inputs;
    const int index = static_cast<int>(m_g.nodes.size());
    for (const auto& hint : outputHints) {
        Value v;
        v.name = uniqueValueName(hint);
        v.producer = index;
        m_g.values.push_back(std::move(v));
        n.outputs.push_back(static_cast<int>(m_g.values.size()) - 1);
    }
    for (int v : n.inputs)
        if (v >= 0)
            m_g.values[v].consumers.push_back(index);
    m_g.nodes.push_back(std::move(n));
    m_removed.push_back(false);
    inferNode(m_g, index);
    return index;
}

int GraphEditor::output(int n) const {
    const Node& node = m_g.nodes[n];
    if (node.outputs.size() != 1)
        throw std::logic_error("node '" + node.name + "' has " +
                               std::to_string(node.outputs.size()) + " outputs, expected 1");
    return node.outputs[0];
}

bool GraphEditor::replaceable(int v) const {
    for (int c : m_g.values[v].consumers) {
        const Node& node = m_g.nodes[c];
        const std::size_t first =
            node.inputs.size() - static_cast<std::size_t>(node.implicitInputs);
        for (std::size_t i = first; i < node.inputs.size(); ++i)
            if (node.inputs[i] == v)
                return false;
    }
    return true;
}

bool GraphEditor::isOutput(int v) const {
    return std::find(m_g.outputs.begin(), m_g.outputs.end(), v) != m_g.outputs.end();
}

bool GraphEditor::isSource(int v) const {
    const Value& val = m_g.values[v];
    return val.producer < 0;
}

const Tensor* GraphEditor::constant(int v) const {
    auto it = m_g.initializers.find(v);
    return it == m_g.initializers.end() ? nullptr : &it->second;
}

void GraphEditor::setInput(int n, std::size_t slot, int v) {
    Node& node = m_g.nodes[n];
    const int old = node.inputs[slot];
    if (old == v)
        return;
    node.inputs[slot] = v;
    // Consumer lists hold one entry per input slot (as Graph::addNode builds them).
    if (old >= 0) {
        auto& cs = m_g.values[old].consumers;
        auto it = std::find(cs.begin(), cs.end(), n);
        if (it != cs.end())
            cs.erase(it);
    }
    if (v >= 0)
        m_g.values[v].consumers.push_back(n);
}

int GraphEditor::lastOutputCopy(int v, int except) const {
    for (bool more = true; more;) {
        more = false;
        for (int c : m_g.values[v].consumers) {
            const Node& node = m_g.nodes[c];
            if (m_removed[c] || node.op != "Identity" || node.outputs.size() != 1)
                continue;
            const int out = node.outputs[0];
            if (out != except && isOutput(out)) {
                v = out; // a DAG: the walk ends
                more = true;
                break;
            }
        }
    }
    return v;
}

void GraphEditor::replaceAllUses(int from, int to) {
    if (from == to)
        return;
    if (!replaceable(from))
        throw std::logic_error("value '" + m_g.values[from].name +
                               "' is read by a subgraph by name and cannot be replaced");
    const std::vector<int> readers = m_g.values[from].consumers;
    for (int c : readers) {
        Node& node = m_g.nodes[c];
        for (std::size_t i = 0; i < node.inputs.size(); ++i)
            if (node.inputs[i] == from)
                setInput(c, i, to);
    }
    if (!isOutput(from))
        return;
    // A graph output keeps its name (callers read outputs by name).
    const std::string outName = m_g.values[from].name;
    const Value target = m_g.values[to];
    const bool plain = target.producer >= 0 && !isOutput(to) && replaceable(to);
    if (plain) {
        // Swap the names so `from` (now unread) keeps a unique one.
        m_g.values[from].name = uniqueValueName(outName + "_dead");
        m_valueNames.erase(target.name);
        m_g.values[to].name = outName;
        for (int& o : m_g.outputs)
            if (o == from)
                o = to;
        return;
    }
    // `to` is a graph input, an initializer or already an output: copy it under the name. The
    // copy reads the last copy of `to`, so the outputs equal to one value form one chain
    // (`to` → copy → copy …) in which no two nodes share (op, inputs): CSE finds nothing to
    // merge and redundant-node-elimination keeps them (output to output), a fixed point.
    const int source = lastOutputCopy(to, from);
    m_g.values[from].name = uniqueValueName(outName + "_dead");
    Node n;
    n.name = uniqueNodeName(outName + "_copy");
    n.op = "Identity";
    n.inputs = {source};
    const int index = static_cast<int>(m_g.nodes.size());
    Value v;
    v.name = outName;
    v.producer = index;
    v.dtype = target.dtype;
    v.shape = target.shape;
    v.dimParams = target.dimParams;
    m_g.values.push_back(std::move(v));
    const int newId = static_cast<int>(m_g.values.size()) - 1;
    n.outputs = {newId};
    m_g.values[source].consumers.push_back(index);
    m_g.nodes.push_back(std::move(n));
    m_removed.push_back(false);
    for (int& o : m_g.outputs)
        if (o == from)
            o = newId;
}

void GraphEditor::removeNode(int n) {
    if (m_removed[n])
        return;
    m_removed[n] = true;
    for (int v : m_g.nodes[n].inputs) {
        if (v < 0)
            continue;
        auto& cs = m_g.values[v].consumers;
        cs.erase(std::remove(cs.begin(), cs.end(), n), cs.end());
    }
}

int GraphEditor::liveNodes() const {
    return static_cast<int>(std::count(m_removed.begin(), m_removed.end(), false));
}

void GraphEditor::makeConstant(int v, Tensor t) {
    Value& val = m_g.values[v];
    val.producer = -1;
    val.initializer = true;
    val.dtype = t.dtype();
    val.shape = t.shape();
    val.dimParams.clear();
    val.typeKnown = true;
    m_g.initializers[v] = std::move(t);
}

void GraphEditor::reinfer(int n) {
    inferNode(m_g, n);
}

void GraphEditor::compact() {
    Graph& g = m_g;
    const int nn = static_cast<int>(g.nodes.size());
    const int nv = static_cast<int>(g.values.size());
    // 1. Which values stay: graph interface, outputs of live nodes, values live nodes read.
    std::vector<bool> keepValue(nv, false);
    for (int v : g.inputs)
        keepValue[v] = true;
    for (int v : g.outputs)
        keepValue[v] = true;
    for (int v : g.outerRefs)
        keepValue[v] = true;
    for (int n = 0; n < nn; ++n) {
        if (m_removed[n])
            continue;
        for (int v : g.nodes[n].inputs)
            if (v >= 0) {
                const int p = g.values[v].producer;
                if (p >= 0 && m_removed[p])
                    throw std::logic_error("node '" + g.nodes[n].name + "' reads '" +
                                           g.values[v].name + "' of removed node '" +
                                           g.nodes[p].name + "'");
                keepValue[v] = true;
            }
        for (int v : g.nodes[n].outputs)
            keepValue[v] = true;
    }
    for (int v : g.outputs) {
        const int p = g.values[v].producer;
        if (p >= 0 && m_removed[p])
            throw std::logic_error("graph output '" + g.values[v].name +
                                   "' is produced by removed node '" + g.nodes[p].name + "'");
    }
    // 2. Topological order of the live nodes (Kahn; ties by old index, so deterministic).
    std::vector<int> pending(nn, 0);
    std::vector<std::vector<int>> users(nn);
    for (int n = 0; n < nn; ++n) {
        if (m_removed[n])
            continue;
        for (int v : g.nodes[n].inputs)
            if (v >= 0 && g.values[v].producer >= 0) {
                ++pending[n];
                users[g.values[v].producer].push_back(n);
            }
    }
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int n = 0; n < nn; ++n)
        if (!m_removed[n] && pending[n] == 0)
            ready.push(n);
    std::vector<int> order;
    while (!ready.empty()) {
        const int n = ready.top();
        ready.pop();
        order.push_back(n);
        for (int u : users[n])
            if (--pending[u] == 0)
                ready.push(u);
    }
    if (static_cast<int>(order.size()) != liveNodes())
        throw std::logic_error("graph edit created a cycle");
    // 3. Renumber values (old order) and nodes (topological order).
    std::vector<int> newValue(nv, -1);
    std::vector<Value> values;
    for (int v = 0; v < nv; ++v)
        if (keepValue[v]) {
            newValue[v] = static_cast<int>(values.size());
            Value val = std::move(g.values[v]);
            val.consumers.clear();
            val.producer = -1;
            values.push_back(std::move(val));
        }
    std::vector<Node> nodes;
    for (int old : order) {
        Node node = std::move(g.nodes[old]);
        const int idx = static_cast<int>(nodes.size());
        for (int& v : node.inputs)
            if (v >= 0) {
                v = newValue[v];
                values[v].consumers.push_back(idx); // one entry per input slot
            }
        for (int& v : node.outputs) {
            v = newValue[v];
            values[v].producer = idx;
        }
        nodes.push_back(std::move(node));
    }
    std::map<int, Tensor> inits;
    for (auto& [v, t] : g.initializers)
        if (keepValue[v])
            inits[newValue[v]] = std::move(t);
    for (int& v : g.inputs)
        v = newValue[v];
    for (int& v : g.outputs)
        v = newValue[v];
    for (int& v : g.outerRefs)
        v = newValue[v];
    g.values = std::move(values);
    g.nodes = std::move(nodes);
    g.initializers = std::move(inits);
    // 4. Restart the editor's bookkeeping on the compacted graph.
    m_removed.assign(g.nodes.size(), false);
    m_valueNames.clear();
    m_nodeNames.clear();
    for (const Value& v : g.values)
        m_valueNames.insert(v.name);
    for (const Node& n : g.nodes)
        m_nodeNames.insert(n.name);
}

void compactGraph(Graph& g) {
    GraphEditor(g).compact();
}

} // namespace aisys::engine::compiler
