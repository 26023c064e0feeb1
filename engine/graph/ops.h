// The op registry: each op declares, in one place, its ONNX type, attributes, shape inference,
// cost, forward kernel, gradient rule, fusion category and element-wise formula.
#pragma once

#include "engine/graph/graph.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aisys::engine {

/// How an op fuses with its neighbours (TVM's pattern kinds).
enum class FusionCategory {
    Elementwise,
    Broadcast,
    Injective,
    Reduction,
    OutElementwiseFusable,
    Opaque
};
const char* fusionCategoryName(FusionCategory c);

/// Inferred type of one output; -1 in the shape marks a dimension unknown before running.
struct TensorType {
    DType dtype = DType::F32;
    Shape shape;
};

/// The facts shape inference, cost functions and kernels see.
struct OpCall {
    const Node& node;
    std::vector<TensorType> in; ///< one per node input (an omitted input has an empty type)
    /// Input values known before running (initializers, folded constants; at run time every
    /// input), parallel to `in`; nullptr where unknown or omitted.
    std::vector<const Tensor*> constants = {};
    /// The graph's default-domain opset version.
    std::int64_t opset = kLatestOpset;

    /// Number of inputs the node lists (omitted optional ones included).
    std::size_t inputCount() const { return in.size(); }
    /// True when input i exists and is not an omitted optional input.
    bool has(std::size_t i) const { return i < node.inputs.size() && node.inputs[i] >= 0; }
    /// The known value of input i, or nullptr.
    const Tensor* constant(std::size_t i) const {
        return i < constants.size() ? constants[i] : nullptr;
    }
    /// Number of outputs the node declares.
    std::size_t outputCount() const { return node.outputs.size(); }
};

/// The value of a graph value id known before running (initializer, folded constant), or nullptr.
using KnownValueFn = std::function<const Tensor*(int value)>;
/// The call of node `n` of `g` before running: each input's type from the graph and its value
/// where `known` gives one; an omitted input has an empty type and no value; the graph's opset.
OpCall opCall(const Graph& g, const Node& n, const KnownValueFn& known = {});
/// The call of node `n` at run time: each input's type and value from `inputs` (parallel to
/// n.inputs, nullptr for an omitted input).
OpCall opCall(const Node& n, const std::vector<const Tensor*>& inputs,
              std::int64_t opset = kLatestOpset);

/// An attribute an op reads, with its default written as ONNX would ("" = required/none).
struct AttrSpec {
    std::string name;
    std::string defaultValue;
};

/// Output types from input types; throws std::invalid_argument("what was expected").
using InferFn = std::function<std::vector<TensorType>(const OpCall&)>;
/// Cost of one call given its output types.
using CostFn = std::function<double(const OpCall&, const std::vector<TensorType>& out)>;
/// Computes outputs (already allocated with the inferred types); an omitted input is nullptr.
using ForwardFn = std::function<void(const OpCall&, const std::vector<const Tensor*>& in,
                                     std::vector<Tensor>& out)>;

class GradBuilder; // engine/ops/grad_builder.h
/// A gradient rule: appends the backward nodes of one forward node through `b` (ordinary ops
/// of the registry), given the upstream gradient of each output ("" where none flows), and
/// returns the gradient value of each input ("" where none is needed or defined).
using GradientFn =
    std::function<std::vector<std::string>(GradBuilder& b, const std::vector<std::string>& dOut)>;

/// Attribute values an element-wise formula reads, resolved from its node once per call.
struct ScalarParams {
    double alpha = 0;
    double beta = 0;
    int variant = 0; ///< an alternative form of the formula (Gelu: 1 = the tanh approximation)
};

/// An element-wise formula over n consecutive elements: out[i] = f(a[i], b[i], c[i]). b and c
/// are nullptr beyond the formula's operands and where an optional operand is omitted (the
/// formula then reads its parameters); out may be a.
template <class T>
using BlockFn = void (*)(const ScalarParams& p, T* out, const T* a, const T* b, const T* c,
                         std::int64_t n);
/// The partial derivative of a formula with respect to one operand at one point, in f64.
using PartialFn = double (*)(const ScalarParams& p, double a, double b, double c);

/// An op's element-wise scalar formula, written once in the op's file. The op's own kernel,
/// the fused element-wise kernel (aisys:Fused), the fused producers' activations
/// (aisys:FusedConv/Gemm/MatMul), forward-mode autodiff and the backward kernel
/// aisys:<Op>Grad all evaluate it, so they cannot disagree.
struct ElementwiseFormula {
    int operands = 0;                              ///< 0: the op has no element-wise formula
    ScalarParams (*params)(const Node&) = nullptr; ///< reads and checks the node's attributes
    BlockFn<float> f32 = nullptr;
    BlockFn<double> f64 = nullptr;
    /// ∂f/∂(operand k); nullptr where f is not differentiable in it (piecewise constant, ...).
    std::array<PartialFn, 3> partials = {};

    explicit operator bool() const { return operands > 0; }
    /// The parameters of node `n` (defaults when the formula reads no attribute).
    ScalarParams paramsOf(const Node& n) const { return params ? params(n) : ScalarParams{}; }
    /// True when every operand has a partial derivative (forward-mode autodiff runs the op).
    bool differentiable() const {
        for (int k = 0; k < operands; ++k)
            if (!partials[static_cast<std::size_t>(k)])
                return false;
        return operands > 0;
    }
};

/// Everything the engine knows about one op type.
struct OpDef {
    std::string type; ///< ONNX op type (default domain)
    FusionCategory category = FusionCategory::Opaque;
    InferFn infer;
    /// Floating-point operations (a multiply-add counts as 2).
    CostFn flops;
    ForwardFn forward;
    /// Attributes the op reads, with defaults.
    std::vector<AttrSpec> attrs = {};
    /// Bytes read plus written; empty means "every input and output once".
    CostFn bytes = {};
    /// The reverse-mode rule; empty for ops that are not differentiable.
    GradientFn gradient = {};
    /// The forward kernel writes every element of every output, so the interpreter may hand it
    /// uninitialised buffers (no clearing pass). False: outputs arrive zero-filled.
    bool writesEveryOutput = false;
    /// The element-wise formula; empty (operands 0) for ops that are not element-wise.
    ElementwiseFormula elementwise = {};
    /// Channels of input 0 (axis 1) stay apart: output channel c reads only input channel c
    /// (element-wise unary ops, pooling). Channel-structured pruning walks through such ops.
    bool channelWise = false;
    /// The gradient rule is dX = dY·f'(X) through the backward kernel aisys:<type>Grad, which
    /// the registry derives from `elementwise.partials[0]` (ops/activation_grad.cpp).
    bool derivativeKernel = false;
    /// A fused Conv / Gemm / MatMul (aisys:Fused*) may apply this op to its output in the same
    /// kernel (activation-fusion): element-wise ops whose formula runs on x alone (Clip's bounds
    /// then come from its attributes).
    bool fusedActivation = false;
    /// The forward kernel assigns its outputs itself (If, Loop: their shapes come from running a
    /// subgraph). The interpreter neither infers them again before each run (that would
    /// re-infer the subgraphs every time) nor allocates them: they arrive empty. Every other op
    /// gets buffers of the shape inferred from its actual inputs, and is refused when that shape
    /// still has an unknown dimension (outputBuffers).
    bool sizesOwnOutputs = false;
};

/// One explicit list of ops (one line per op in ops/op_registry.cpp).
class OpRegistry {
public:
    static const OpRegistry& builtin();
    const OpDef* find(const std::string& type) const;
    std::vector<std::string> types() const;

private:
    void add(OpDef def);
    std::vector<OpDef> m_ops;
};

/// Numpy-style broadcast of two shapes; throws std::invalid_argument when incompatible.
/// A -1 (unknown) dimension broadcasts against anything.
Shape broadcastShapes(const Shape& a, const Shape& b);

/// Bytes of a tensor of this type, 0 when a dimension is unknown.
double typeBytes(const TensorType& t);

/// The buffers node `n`'s kernel writes, one per inferred output type (zero-filled unless the op
/// writes every element). An output whose shape still has an unknown dimension is left empty when
/// the op assigns its outputs itself (OpDef::sizesOwnOutputs) and refused otherwise, naming the
/// output (`outputName(i)`, or its index) and its shape — no kernel may write through an
/// unallocated buffer. Every caller that runs a kernel allocates through this.
std::vector<Tensor> outputBuffers(const OpDef& def, const std::vector<TensorType>& types,
                                  const std::function<std::string(std::size_t)>& outputName = {});
/// FLOPs and bytes of one node whose input types (and known constants) are given.
struct NodeCost {
    double flops = 0;
    double bytes = 0;
};
NodeCost nodeCost(const OpDef& def, const OpCall& call, const std::vector<TensorType>& out);

/// Runs inference for node `n` of `g` and stores the result in its output values.
/// Throws std::invalid_argument with "node 'name' (Op): problem".
void inferNode(Graph& g, int n, const OpRegistry& ops = OpRegistry::builtin());
/// Infers every node in topological order, folding small constant subgraphs (Shape → Gather →
/// Concat → Reshape chains) so ops that read shapes from inputs see them.
void inferShapes(Graph& g, const OpRegistry& ops = OpRegistry::builtin());
/// Same as inferShapes, and returns the values it could compute before running (by value id,
/// initializers excluded).
std::map<int, Tensor> inferShapesAndConstants(Graph& g,
                                              const OpRegistry& ops = OpRegistry::builtin());

/// The highest tensor rank shape inference accepts (numpy's NPY_MAXDIMS before numpy 2): a
/// shape input asking for more is refused before any shape is allocated.
constexpr std::int64_t kMaxRank = 32;

/// What shape inference could not do for one node.
struct InferenceProblem {
    int node = -1;
    std::string message; ///< "node 'name' (Op): problem"
};
/// Shape inference that keeps going, for drawing a model that may not run: a node whose op the
/// registry lacks or whose inference fails gets outputs of unknown type (typeKnown false) and
/// one problem; a node reading such a value gets unknown outputs too, without a problem of its
/// own (the root cause is reported once).
std::vector<InferenceProblem> inferShapesTolerant(Graph& g,
                                                  const OpRegistry& ops = OpRegistry::builtin());

/// Symbolic dimensions through the whole graph, without running it: every dim that plain
/// inference leaves unknown (−1) is named after the input dim it equals (Value::dimParams),
/// found by inferring twice more with each symbolic input dim bound to distinct probe sizes; a
/// dim that equals the same number in both probes becomes that number, one that follows no
/// single input dim stays −1 unnamed ("?"). Returns the problems of the plain inference.
std::vector<InferenceProblem> inferSymbolicShapes(Graph& g,
                                                  const OpRegistry& ops = OpRegistry::builtin());

/// A value's shape as drawn: "[N, 3, 48, W]" — a symbolic dim by its name, an unknown one "?",
/// "?" for a value of unknown type.
std::string shapeLabel(const Value& v);

/// Attribute access for kernels and inference; a wrong attribute kind throws
/// std::invalid_argument naming the attribute and the expected kind.
bool hasAttr(const Node& n, const std::string& name);
std::int64_t attrInt(const Node& n, const std::string& name, std::int64_t def);
double attrFloat(const Node& n, const std::string& name, double def);
std::string attrString(const Node& n, const std::string& name, const std::string& def);
std::vector<std::int64_t> attrInts(const Node& n, const std::string& name,
                                   std::vector<std::int64_t> def = {});
std::vector<double> attrFloats(const Node& n, const std::string& name,
                               std::vector<double> def = {});
/// The tensor attribute `name`, or nullptr when absent.
const Tensor* attrTensor(const Node& n, const std::string& name);

} // namespace aisys::engine
