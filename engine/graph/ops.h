// The op registry: each op declares, in one place, its ONNX type, shape inference, cost,
// forward kernel and fusion category.
#pragma once

#include "engine/graph/graph.h"

#include <functional>
#include <string>
#include <vector>

namespace aisys::engine {

/// How an op fuses with its neighbours (TVM's pattern kinds).
enum class FusionCategory { Elementwise, Broadcast, Injective, Reduction, OutElementwiseFusable,
                            Opaque };
const char* fusionCategoryName(FusionCategory c);

/// Inferred type of one output.
struct TensorType {
    DType dtype = DType::F32;
    Shape shape;
};

/// The facts the cost functions and kernels see.
struct OpCall {
    const Node& node;
    std::vector<TensorType> in;
};

/// Everything the engine knows about one op type.
struct OpDef {
    std::string type;
    FusionCategory category = FusionCategory::Opaque;
    /// Output types from input types; throws std::invalid_argument("what was expected").
    std::function<std::vector<TensorType>(const OpCall&)> infer;
    /// Floating-point operations (a multiply-add counts as 2).
    std::function<double(const OpCall&, const std::vector<TensorType>& out)> flops;
    /// Computes outputs (already allocated with the inferred types).
    std::function<void(const Node&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out)>
        forward;
};

/// One explicit list of ops (one line per op in ops.cpp).
class OpRegistry {
public:
    static const OpRegistry& builtin();
    const OpDef* find(const std::string& type) const;
    std::vector<std::string> types() const;

private:
    std::vector<OpDef> m_ops;
};

/// Numpy-style broadcast of two shapes; throws std::invalid_argument when incompatible.
Shape broadcastShapes(const Shape& a, const Shape& b);

/// Runs inference for node `n` of `g` and stores the result in its output values.
/// Throws std::invalid_argument with "node 'name' (Op): problem".
void inferNode(Graph& g, int n, const OpRegistry& ops = OpRegistry::builtin());
/// Infers every node in topological order.
void inferShapes(Graph& g, const OpRegistry& ops = OpRegistry::builtin());

} // namespace aisys::engine
