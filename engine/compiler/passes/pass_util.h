// Helpers the built-in passes share: a Pass from a name, a description and a function; small
// queries about constants and single consumers.
#pragma once

#include "engine/compiler/graph_edit.h"
#include "engine/compiler/pass.h"
#include "engine/graph/ops.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::compiler::passes {

/// A pass defined by a function (the passes are stateless).
class FunctionPass : public Pass {
public:
    using Fn = std::function<PassResult(Graph&)>;
    FunctionPass(std::string name, std::string description, Fn fn)
        : m_name(std::move(name)), m_description(std::move(description)), m_fn(std::move(fn)) {}
    std::string name() const override { return m_name; }
    std::string description() const override { return m_description; }
    PassResult run(Graph& g) const override { return m_fn(g); }

private:
    std::string m_name, m_description;
    Fn m_fn;
};

/// Log helpers.
RewriteEntry removed(const std::string& rule, std::vector<std::string> nodes);
RewriteEntry merged(const std::string& rule, std::vector<std::string> before,
                    std::vector<std::string> after);
RewriteEntry changed(const std::string& rule, std::vector<std::string> nodes);

/// The producer node of value v among live nodes, or -1.
int producerOf(const GraphEditor& e, int v);
/// The only live consumer of v when v has exactly one reader node (reading it once) and is not
/// a graph output; else -1.
int soleConsumer(const GraphEditor& e, int v);
/// True when every element of the constant v equals x (v an initializer of a float or int
/// type); nullopt-free convenience.
bool constantAll(const GraphEditor& e, int v, double x);
/// The scalar value of a one-element constant, or nullopt.
std::optional<double> constantScalar(const GraphEditor& e, int v);
/// True for the floating-point types.
bool isFloat(DType t);

/// Runs node n's kernel on its constant inputs (initializers; Shape/Size need only a static
/// input shape). Returns nullopt when an input is not constant, a shape is unknown, an output
/// would exceed `maxElements`, or the op cannot run ahead of time (random, control flow).
std::optional<std::vector<Tensor>> evaluateConstant(const GraphEditor& e, int n,
                                                    std::int64_t maxElements);
/// Runs an op of the registry on given tensors (a scratch node with `attrs`); throws
/// std::invalid_argument when they do not type-check.
Tensor evaluateOp(const std::string& op, const std::vector<const Tensor*>& inputs,
                  std::map<std::string, AttrValue> attrs = {});
/// A stable text key of an attribute map (for CSE); nullopt when an attribute is a subgraph.
std::optional<std::string> attrsKey(const std::map<std::string, AttrValue>& attrs);
/// Removes node n whose output `out` always equals value `in` (readers read `in` instead).
/// Returns false and does nothing when a subgraph reads `out` by name, or `out` is a graph
/// output and `in` a graph input, initializer or output (an Identity copy would be needed: no
/// gain), or another output of n is read.
bool bypass(GraphEditor& e, int n, int out, int in);
/// Removes node n if none of its outputs is read or a graph output, then the same for the
/// producers of its inputs; appends one log entry per removed node.
void removeIfDead(GraphEditor& e, int n, PassResult& r);
/// Declares the "aisys" operator domain (version 1) for a graph that now holds aisys: ops, and
/// the default domain explicitly (an empty opset map meant "default only").
void declareAisysDomain(Graph& g);
/// The static shape of v, or nullopt when a dimension is unknown.
std::optional<Shape> staticShape(const Graph& g, int v);

} // namespace aisys::engine::compiler::passes
