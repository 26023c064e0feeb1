// Helpers the built-in passes share: a Pass from a name, a description and a function; small
// queries about constants and single consumers.
#pragma once

#include "engine/compiler/graph_edit.h"
#include "engine/compiler/pass.h"

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

} // namespace aisys::engine::compiler::passes
