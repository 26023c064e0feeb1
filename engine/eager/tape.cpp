// Tape: eager op execution through the registry and capture of the record into a Graph.
#include "engine/eager/tape.h"

#include <stdexcept>

namespace aisys::engine::eager {

const engine::Tensor& Tensor::value() const {
    if (!m_tape)
        throw std::logic_error("eager::Tensor: empty handle");
    return m_tape->value(m_id);
}

const std::string& Tensor::name() const {
    if (!m_tape)
        throw std::logic_error("eager::Tensor: empty handle");
    return m_tape->name(m_id);
}

int Tape::addValue(const std::string& name, engine::Tensor value, Kind kind) {
    for (const auto& n : m_names)
        if (n == name)
            throw std::invalid_argument("tape: the name '" + name + "' is already used");
    m_values.push_back(std::move(value));
    m_names.push_back(name);
    m_kinds.push_back(kind);
    return static_cast<int>(m_values.size()) - 1;
}

Tensor Tape::input(const std::string& name, engine::Tensor value) {
    return {this, addValue(name, std::move(value), Kind::Input)};
}

Tensor Tape::parameter(const std::string& name, engine::Tensor value) {
    return {this, addValue(name, std::move(value), Kind::Parameter)};
}

Tensor Tape::constant(engine::Tensor value) {
    return {this,
            addValue("const" + std::to_string(m_values.size()), std::move(value), Kind::Constant)};
}

std::vector<Tensor> Tape::apply(const std::string& op, const std::vector<Tensor>& inputs,
                                std::map<std::string, AttrValue> attrs, int outputs) {
    // 1. Look the op up; describe the call (input types, input values) as the Interpreter does.
    // 2. Infer the output types, allocate, run the kernel.
    // 3. Record the op with fresh output values "<op><k>".
    const OpDef* def = m_ops.find(op);
    if (!def)
        throw std::invalid_argument("eager: unsupported op type '" + op + "'");
    TapeRecord rec{op, {}, {}, std::move(attrs)};
    Node node;
    node.op = op;
    node.name = op + std::to_string(m_records.size());
    node.attrs = rec.attrs;
    std::vector<const engine::Tensor*> in;
    for (const Tensor& t : inputs) {
        if (!t.tape()) {
            rec.inputs.push_back(-1);
            node.inputs.push_back(-1);
            in.push_back(nullptr);
            continue;
        }
        if (t.tape() != this)
            throw std::invalid_argument("eager " + op + ": an input lives on another tape");
        rec.inputs.push_back(t.id());
        node.inputs.push_back(t.id());
        in.push_back(&m_values[t.id()]);
    }
    const OpCall call = opCall(node, in);
    for (int i = 0; i < outputs; ++i)
        node.outputs.push_back(static_cast<int>(m_values.size()) + i);
    std::vector<engine::Tensor> out;
    try {
        auto types = def->infer(call);
        types.resize(static_cast<std::size_t>(outputs));
        out = engine::outputBuffers(*def, types);
        def->forward(call, in, out);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("eager " + op + ": " + e.what());
    }
    std::vector<Tensor> result;
    for (auto& t : out) {
        const int id = addValue(op + std::to_string(m_values.size()), std::move(t), Kind::Computed);
        rec.outputs.push_back(id);
        result.emplace_back(this, id);
    }
    m_records.push_back(std::move(rec));
    return result;
}

Graph Tape::capture(const std::vector<Tensor>& outputs) const {
    Graph g;
    g.name = "captured";
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (m_kinds[i] == Kind::Input)
            g.addInput(m_names[i], m_values[i].dtype(), m_values[i].shape());
        else if (m_kinds[i] != Kind::Computed)
            g.addInitializer(m_names[i], m_values[i]);
    }
    for (std::size_t r = 0; r < m_records.size(); ++r) {
        const TapeRecord& rec = m_records[r];
        std::vector<std::string> ins, outs;
        for (int v : rec.inputs)
            ins.push_back(v >= 0 ? m_names[v] : "");
        for (int v : rec.outputs)
            outs.push_back(m_names[v]);
        g.addNode(rec.op, rec.op + "_" + std::to_string(r), ins, outs, rec.attrs);
    }
    for (const Tensor& t : outputs) {
        if (t.tape() != this)
            throw std::invalid_argument("capture: an output lives on another tape");
        g.markOutput(t.name());
    }
    return g;
}

} // namespace aisys::engine::eager
