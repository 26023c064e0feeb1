// Eager execution with a tape: each op runs at once through the registry's kernel and is
// recorded; the tape can be captured into a Graph (tracing) that the Interpreter runs.
#pragma once

#include "engine/graph/ops.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine::eager {

class Tape;

/// A handle to a value computed eagerly (it lives on its tape).
class Tensor {
public:
    Tensor() = default;
    Tensor(Tape* tape, int id) : m_tape(tape), m_id(id) {}
    /// The computed value.
    const engine::Tensor& value() const;
    /// Its name on the tape (the value's name in a captured graph).
    const std::string& name() const;
    /// The first element as a double (what a Python `if` on a tensor reads).
    double item() const { return value().at(0); }
    const Shape& shape() const { return value().shape(); }
    Tape* tape() const { return m_tape; }
    int id() const { return m_id; }

private:
    Tape* m_tape = nullptr;
    int m_id = -1;
};

/// One recorded op application.
struct TapeRecord {
    std::string op;
    std::vector<int> inputs; ///< value ids on the tape (-1: omitted optional input)
    std::vector<int> outputs;
    std::map<std::string, AttrValue> attrs;
};

/// Runs ops eagerly and records them.
class Tape {
public:
    explicit Tape(const OpRegistry& ops = OpRegistry::builtin()) : m_ops(ops) {}
    Tape(const Tape&) = delete;
    Tape& operator=(const Tape&) = delete;

    /// A value fed from outside: a graph input when captured.
    Tensor input(const std::string& name, engine::Tensor value);
    /// A weight: an initializer when captured.
    Tensor parameter(const std::string& name, engine::Tensor value);
    /// A constant made by the program (an initializer when captured).
    Tensor constant(engine::Tensor value);
    /// Runs `op` now (shape inference + the registry's kernel) and records it. Throws
    /// std::invalid_argument naming the op and the problem.
    std::vector<Tensor> apply(const std::string& op, const std::vector<Tensor>& inputs,
                              std::map<std::string, AttrValue> attrs = {}, int outputs = 1);
    /// Single-output apply.
    Tensor apply1(const std::string& op, const std::vector<Tensor>& inputs,
                  std::map<std::string, AttrValue> attrs = {}) {
        return apply(op, inputs, std::move(attrs), 1)[0];
    }

    /// The recorded ops as a graph (inputs, parameters and constants, then every recorded node in
    /// execution order); `outputs` become the graph's outputs. Control flow taken in C++ is not
    /// recorded: the graph holds the ops of the branch that ran (tracing).
    Graph capture(const std::vector<Tensor>& outputs) const;

    const std::vector<TapeRecord>& records() const { return m_records; }
    const engine::Tensor& value(int id) const { return m_values[id]; }
    const std::string& name(int id) const { return m_names[id]; }

private:
    enum class Kind { Input, Parameter, Constant, Computed };
    int addValue(const std::string& name, engine::Tensor value, Kind kind);

    const OpRegistry& m_ops;
    std::vector<engine::Tensor> m_values;
    std::vector<std::string> m_names;
    std::vector<Kind> m_kinds;
    std::vector<TapeRecord> m_records;
};

} // namespace aisys::engine::eager
