// graphText: the deterministic printer (see graph_print.h).
#include "engine/compiler/graph_print.h"

#include <cstdio>
#include <sstream>

namespace aisys::engine::compiler {

namespace {

/// "f32[N,3,8,8]": symbolic dimensions by name in the full form, "?" in the short one.
std::string typeText(const Value& v, bool full = true) {
    std::string s = std::string(dtypeName(v.dtype)) + "[";
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        if (i)
            s += ",";
        if (full && i < v.dimParams.size() && !v.dimParams[i].empty())
            s += v.dimParams[i];
        else
            s += v.shape[i] < 0 ? std::string("?") : std::to_string(v.shape[i]);
    }
    return s + "]";
}

/// Fixed-point with `decimals` digits, without a sign on zero ("-0.00" is "0.00").
std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s(buf);
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
        s.erase(0, 1);
    return s;
}

/// An attribute in the short form.
std::string shortAttrText(const AttrValue& a) {
    if (auto* i = std::get_if<std::int64_t>(&a))
        return std::to_string(*i);
    if (auto* d = std::get_if<double>(&a))
        return fixed(*d, 5);
    if (auto* s = std::get_if<std::string>(&a))
        return "\"" + *s + "\"";
    if (auto* iv = std::get_if<std::vector<std::int64_t>>(&a)) {
        std::string t;
        for (auto x : *iv)
            t += (t.empty() ? "" : ",") + std::to_string(x);
        return "[" + t + "]";
    }
    if (auto* sv = std::get_if<std::vector<std::string>>(&a))
        return "[" + std::to_string(sv->size()) + " names]";
    if (std::holds_alternative<Subgraph>(a))
        return "<graph>";
    if (auto* t = std::get_if<Tensor>(&a))
        return t->numel() == 1 ? fixed(t->at(0), 4) : "<tensor>";
    return "<…>";
}

/// Nodes in topological order, or in list order when the graph has a cycle.
std::vector<int> printOrder(const Graph& g) {
    try {
        return g.topoOrder();
    } catch (const std::exception&) {
        std::vector<int> order;
        for (std::size_t n = 0; n < g.nodes.size(); ++n)
            order.push_back(static_cast<int>(n));
        return order;
    }
}

std::string num(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", d);
    return buf;
}

std::string attrText(const AttrValue& a) {
    if (auto* i = std::get_if<std::int64_t>(&a))
        return std::to_string(*i);
    if (auto* d = std::get_if<double>(&a))
        return num(*d);
    if (auto* s = std::get_if<std::string>(&a))
        return "\"" + *s + "\"";
    if (auto* is = std::get_if<std::vector<std::int64_t>>(&a)) {
        std::string out = "[";
        for (std::size_t i = 0; i < is->size(); ++i)
            out += (i ? "," : "") + std::to_string((*is)[i]);
        return out + "]";
    }
    if (auto* ds = std::get_if<std::vector<double>>(&a)) {
        std::string out = "[";
        for (std::size_t i = 0; i < ds->size(); ++i)
            out += (i ? "," : "") + num((*ds)[i]);
        return out + "]";
    }
    if (auto* t = std::get_if<Tensor>(&a)) {
        std::string out =
            std::string("tensor ") + dtypeName(t->dtype()) + shapeToString(t->shape());
        if (t->numel() <= 8) {
            out += " {";
            for (std::int64_t i = 0; i < t->numel(); ++i)
                out += (i ? "," : "") + num(t->at(i));
            out += "}";
        }
        return out;
    }
    if (auto* ss = std::get_if<std::vector<std::string>>(&a)) {
        std::string out = "[";
        for (std::size_t i = 0; i < ss->size(); ++i)
            out += (i ? "," : "") + ("\"" + (*ss)[i] + "\"");
        return out + "]";
    }
    if (auto* sg = std::get_if<Subgraph>(&a))
        return "graph(" + std::to_string(sg->graph().nodes.size()) + " nodes)";
    return "?";
}

} // namespace

std::string graphText(const Graph& g) {
    std::ostringstream os;
    os << "graph " << (g.name.empty() ? "(unnamed)" : g.name) << " (";
    for (std::size_t i = 0; i < g.inputs.size(); ++i)
        os << (i ? ", " : "") << "%" << g.values[g.inputs[i]].name << ": "
           << typeText(g.values[g.inputs[i]]);
    os << ") {\n";
    const std::vector<int> order = printOrder(g);
    for (int n : order) {
        const Node& node = g.nodes[n];
        os << "  ";
        for (std::size_t i = 0; i < node.outputs.size(); ++i) {
            const Value& v = g.values[node.outputs[i]];
            os << (i ? ", " : "") << "%" << v.name << ": " << typeText(v);
        }
        os << " = " << node.op << "(";
        for (std::size_t i = 0; i < node.inputs.size(); ++i) {
            const int v = node.inputs[i];
            os << (i ? ", " : "");
            if (v < 0)
                os << "_";
            else
                os << (g.values[v].initializer ? "@" : "%") << g.values[v].name;
        }
        os << ")";
        if (!node.attrs.empty()) {
            os << " {";
            bool first = true;
            for (const auto& [k, a] : node.attrs) {
                os << (first ? "" : ", ") << k << "=" << attrText(a);
                first = false;
            }
            os << "}";
        }
        os << "  # " << node.name << "\n";
    }
    os << "  return ";
    for (std::size_t i = 0; i < g.outputs.size(); ++i)
        os << (i ? ", " : "") << "%" << g.values[g.outputs[i]].name;
    os << "\n}\n";
    std::size_t bytes = 0;
    for (const auto& [v, t] : g.initializers)
        bytes += t.bytes();
    os << "initializers: " << g.initializers.size() << " (" << bytes << " bytes)\n";
    for (const auto& [v, t] : g.initializers)
        os << "  @" << g.values[v].name << ": " << typeText(g.values[v]) << "\n";
    return os.str();
}

std::vector<std::string> graphLines(const Graph& g) {
    // 1. Header: graph name(inputs with types) -> (outputs). 2. Initializers with their types.
    // 3. One line per node in topological order: outs = Op(ins) {attrs}  # name.
    std::vector<std::string> lines;
    std::string head = "graph " + (g.name.empty() ? std::string("main") : g.name) + "(";
    for (std::size_t i = 0; i < g.inputs.size(); ++i)
        head += (i ? ", " : "") + ("%" + g.values[g.inputs[i]].name) + ": " +
                typeText(g.values[g.inputs[i]], false);
    head += ") -> (";
    for (std::size_t i = 0; i < g.outputs.size(); ++i)
        head += (i ? ", " : "") + ("%" + g.values[g.outputs[i]].name);
    lines.push_back(head + ")");
    for (const auto& [id, t] : g.initializers)
        lines.push_back("  init " + g.values[id].name + ": " + typeText(g.values[id], false));
    for (int ni : printOrder(g)) {
        const Node& n = g.nodes[ni];
        std::string l = "  ";
        for (std::size_t k = 0; k < n.outputs.size(); ++k)
            l += (k ? ", " : "") + ("%" + g.values[n.outputs[k]].name);
        l += " = " + n.op + "(";
        for (std::size_t k = 0; k < n.inputs.size(); ++k) {
            const int v = n.inputs[k];
            l +=
                (k ? ", " : "") + (v < 0 ? std::string("_")
                                         : (g.values[v].initializer ? "" : "%") + g.values[v].name);
        }
        l += ")";
        std::string attrs;
        for (const auto& [k, a] : n.attrs)
            if (k != "body")
                attrs += (attrs.empty() ? "" : ", ") + k + "=" + shortAttrText(a);
        if (!attrs.empty())
            l += " {" + attrs + "}";
        lines.push_back(l + "  # " + n.name);
    }
    return lines;
}

} // namespace aisys::engine::compiler
