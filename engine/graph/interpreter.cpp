// Interpreter: topological execution with per-node cost and live-memory records.
#include "engine/graph/interpreter.h"

#include "engine/core/memory_budget.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace aisys::engine {

double Trace::totalFlops() const {
    double s = 0;
    for (const auto& r : records)
        s += r.flops;
    return s;
}

Interpreter::Interpreter(Graph graph, const OpRegistry& ops)
    : m_graph(std::move(graph)), m_ops(ops), m_budget(defaultMemoryBudget()) {
    if (auto err = m_graph.verify(); !err.empty())
        throw std::invalid_argument(err);
    inferShapes(m_graph, m_ops);
    m_order = m_graph.topoOrder();
    m_lastUse.assign(m_graph.values.size(), -1);
    for (std::size_t pos = 0; pos < m_order.size(); ++pos)
        for (int v : m_graph.nodes[m_order[pos]].inputs)
            if (v >= 0)
                m_lastUse[v] = static_cast<int>(pos);
    for (int o : m_graph.outputs)
        m_lastUse[o] = static_cast<int>(m_order.size()); // outputs live to the end
    m_inputs.resize(m_graph.values.size());
    m_inputView.assign(m_graph.values.size(), nullptr);
    m_defs.reserve(m_graph.nodes.size());
    for (const Node& node : m_graph.nodes)
        m_defs.push_back(m_ops.find(node.op));
    m_inputLive.assign(m_graph.values.size(), 0);
    // Initializers are read in place from the graph: the interpreter holds no copy of weights.
    m_init.assign(m_graph.values.size(), nullptr);
    for (const auto& [id, t] : m_graph.initializers)
        m_init[id] = &t;
    reset();
}

int Interpreter::checkedInput(const std::string& name, const Tensor& t) const {
    int id = m_graph.findValue(name);
    bool isInput = false;
    for (int in : m_graph.inputs)
        isInput |= in == id;
    if (!isInput)
        throw std::invalid_argument("'" + name + "' is not an input of the graph");
    const Value& v = m_graph.values[id];
    bool fits = t.dtype() == v.dtype && t.shape().size() == v.shape.size();
    for (std::size_t i = 0; fits && i < v.shape.size(); ++i)
        fits = v.shape[i] < 0 || v.shape[i] == t.shape()[i]; // -1: any size
    if (!fits)
        throw std::invalid_argument("input '" + name + "': expected " + dtypeName(v.dtype) + " " +
                                    shapeToString(v.shape) + ", got " + dtypeName(t.dtype()) + " " +
                                    shapeToString(t.shape()));
    return id;
}

void Interpreter::dropInput(int id) {
    if (m_inputLive[id] && !m_graph.values[id].initializer)
        m_live -= known(id)->bytes();
    m_inputLive[id] = 0;
}

void Interpreter::setInput(const std::string& name, Tensor t) {
    const int id = checkedInput(name, t);
    dropInput(id);
    m_inputView[id] = nullptr;
    m_inputs[id] = std::move(t);
    m_inputLive[id] = 1;
    if (!m_graph.values[id].initializer)
        m_live += m_inputs[id]->bytes();
}

void Interpreter::setInputView(const std::string& name, const Tensor& t) {
    const int id = checkedInput(name, t);
    dropInput(id);
    m_inputs[id].reset();
    m_inputView[id] = &t;
    m_inputLive[id] = 1;
    if (!m_graph.values[id].initializer)
        m_live += t.bytes();
}

Tensor Interpreter::takeValue(int id) {
    if (id >= 0 && id < static_cast<int>(m_values.size()) && m_values[id]) {
        Tensor t = std::move(*m_values[id]);
        m_values[id].reset();
        m_live -= t.bytes();
        return t;
    }
    const Tensor* t = value(id);
    if (!t)
        throw std::invalid_argument("value " + std::to_string(id) + " has no value");
    return *t;
}

void Interpreter::reset() {
    m_values.assign(m_graph.values.size(), std::nullopt);
    // Inputs fed by copy stay; views are forgotten (their tensors may be gone by now).
    std::fill(m_inputView.begin(), m_inputView.end(), nullptr);
    for (std::size_t i = 0; i < m_inputs.size(); ++i)
        m_inputLive[i] = m_inputs[i] ? 1 : 0;
    m_trace = {};
    m_trace.records.reserve(m_order.size());
    m_live = countLiveBytes();
}

const Tensor* Interpreter::known(int v) const {
    if (m_values[v])
        return &*m_values[v];
    if (m_inputLive[v])
        return m_inputView[v] ? m_inputView[v] : &*m_inputs[v];
    return m_init[v];
}

std::size_t Interpreter::countLiveBytes() const {
    std::size_t s = 0;
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (m_values[i])
            s += m_values[i]->bytes();
        else if (m_inputLive[i] && !m_graph.values[i].initializer)
            s += known(static_cast<int>(i))->bytes();
    }
    return s;
}

void Interpreter::checkBudget(const Node& node, const std::vector<TensorType>& outTypes) const {
    // 1. Each output's bytes, refused when its shape overflows or it alone exceeds the budget.
    // 2. The values held now plus the new outputs, refused beyond the budget.
    const std::size_t live = liveBytes();
    std::size_t added = 0;
    for (std::size_t i = 0; i < outTypes.size(); ++i) {
        const TensorType& t = outTypes[i];
        if (!shapeKnown(t.shape))
            continue; // assigned by the kernel (If, Loop)
        const auto bytes = checkedBytes(t.dtype, t.shape);
        const auto what = [&] { // built only for a refusal
            return "output '" + m_graph.values[node.outputs[i]].name + "' " + dtypeName(t.dtype) +
                   " " + shapeToString(t.shape);
        };
        if (!bytes)
            throw std::invalid_argument(what() + " has more elements or bytes than fit in 64 bits");
        if (*bytes > m_budget || live + added + *bytes > m_budget)
            throw std::invalid_argument(
                what() + " would take " + byteSizeText(double(*bytes)) + " with " +
                byteSizeText(double(live + added)) + " already held; the memory budget is " +
                byteSizeText(double(m_budget)) + " (raise it with --max-memory)");
        added += *bytes;
    }
}

bool Interpreter::step() {
    // 1. Pick the next node of the order and gather its inputs (all must be known).
    // 2. Allocate outputs with the inferred types and run the kernel, timing it.
    // 3. Record flops, bytes moved and live bytes; free values past their last use.
    const int pos = executed();
    if (pos >= static_cast<int>(m_order.size()))
        return false;
    const int n = m_order[pos];
    const Node& node = m_graph.nodes[n];
    const OpDef* def = m_defs[static_cast<std::size_t>(n)];
    if (!def)
        throw std::invalid_argument("node '" + node.name + "': op '" + node.op +
                                    "' is not implemented");
    std::vector<const Tensor*> in;
    std::size_t read = 0;
    for (int v : node.inputs) {
        if (v < 0) { // omitted optional input
            in.push_back(nullptr);
            continue;
        }
        const Tensor* t = known(v);
        if (!t)
            throw std::invalid_argument("node '" + node.name + "': input '" +
                                        m_graph.values[v].name + "' has no value (set it first)");
        in.push_back(t);
        read += t->bytes();
    }
    const OpCall call = opCall(node, in, m_graph.opset());
    // Types come from the actual inputs (symbolic or data-dependent dims become concrete).
    std::vector<TensorType> outTypes;
    std::vector<Tensor> out;
    auto t0 = std::chrono::steady_clock::now();
    try {
        if (def->sizesOwnOutputs) {
            // If, Loop: not inferred again (that would re-infer the subgraphs on every run);
            // the kernel assigns every output, whose sizes are checked once it has.
            out.assign(node.outputs.size(), Tensor());
            def->forward(call, in, out);
            for (const Tensor& t : out)
                outTypes.push_back({t.dtype(), t.shape()});
            checkBudget(node, outTypes);
        } else {
            outTypes = def->infer(call);
            outTypes.resize(node.outputs.size());
            checkBudget(node, outTypes);
            out = outputBuffers(*def, outTypes, [&](std::size_t i) {
                return m_graph.values[node.outputs[i]].name;
            });
            def->forward(call, in, out);
        }
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("node '" + node.name + "' (" + node.op + "): " + e.what());
    } catch (const std::bad_alloc&) {
        throw std::invalid_argument("node '" + node.name + "' (" + node.op +
                                    "): out of memory while running it (memory budget " +
                                    byteSizeText(double(m_budget)) + ")");
    } catch (const std::length_error& e) {
        throw std::invalid_argument("node '" + node.name + "' (" + node.op +
                                    "): a buffer would be too large (" + e.what() + ")");
    }
    auto t1 = std::chrono::steady_clock::now();
    NodeRecord rec;
    rec.node = n;
    rec.order = pos;
    rec.flops = def->flops(call, outTypes);
    rec.bytesRead = read;
    for (std::size_t i = 0; i < out.size(); ++i) {
        rec.bytesWritten += out[i].bytes();
        auto& slot = m_values[node.outputs[i]];
        if (slot)
            m_live -= slot->bytes();
        m_live += out[i].bytes();
        slot = std::move(out[i]);
    }
    rec.micros = std::chrono::duration<double, std::micro>(t1 - t0).count();
    if (m_freeDead) // a value whose last reader just ran is one of this node's inputs
        for (int v : node.inputs)
            if (v >= 0 && m_lastUse[v] == pos && !m_graph.values[v].initializer) {
                if (m_values[v]) {
                    m_live -= m_values[v]->bytes();
                    m_values[v].reset();
                }
                dropInput(v);
            }
    rec.liveBytes = liveBytes();
    m_trace.peakLiveBytes = std::max(m_trace.peakLiveBytes, rec.liveBytes);
    m_trace.records.push_back(rec);
    return true;
}

void Interpreter::run() {
    while (step()) {
    }
}

const Tensor* Interpreter::value(int id) const {
    if (id < 0 || id >= static_cast<int>(m_values.size()))
        return nullptr;
    return known(id);
}

const Tensor* Interpreter::value(const std::string& name) const {
    return value(m_graph.findValue(name));
}

} // namespace aisys::engine
