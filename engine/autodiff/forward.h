// Forward-mode autodiff: dual numbers (value + tangent·ε, ε² = 0) and a graph evaluator that
// carries a tangent with every element (a Jacobian-vector product in one pass).
#pragma once

#include "engine/graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::engine {

/// A dual number v + v̇·ε with ε² = 0: arithmetic on it carries the derivative along.
struct Dual {
    double value = 0;
    double tangent = 0;
};

/// Dual arithmetic (the evaluator's sums and products; the element-wise functions are not
/// written here: evaluateDual takes each op's derivative from its OpDef formula).
Dual operator+(Dual a, Dual b);
Dual operator-(Dual a, Dual b);
Dual operator*(Dual a, Dual b);
Dual operator/(Dual a, Dual b);
Dual operator-(Dual a);

/// A tensor of dual numbers.
struct DualTensor {
    Shape shape;
    std::vector<Dual> data;
    /// The values / the tangents as f64 tensors.
    Tensor values() const;
    Tensor tangents() const;
};

/// Ops the dual evaluator supports: every op whose element-wise formula (OpDef::elementwise)
/// has a partial derivative per operand (broadcasting), ReduceSum/ReduceMean (axes attribute
/// or input, keepdims) and 2-D MatMul.
bool dualSupports(const std::string& op);

/// Evaluates every value of `g` on duals: inputs get the given values and tangents (a missing
/// tangent is zero; initializers have zero tangents). Returns every value by name. Throws
/// std::invalid_argument naming the node when its op is not supported.
std::map<std::string, DualTensor> evaluateDual(const Graph& g,
                                               const std::map<std::string, Tensor>& values,
                                               const std::map<std::string, Tensor>& tangents);

} // namespace aisys::engine
