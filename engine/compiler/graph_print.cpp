// graphText: the deterministic printer (see graph_print.h).
#include "engine/compiler/graph_print.h"

#include <cstdio>
#include <sstream>

namespace aisys::engine::compiler {

namespace {

std::string typeText(const Value& v) {
    std::string s = std::string(dtypeName(v.dtype)) + "[";
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        if (i)
            s += ",";
        if (i < v.dimParams.size() && !v.dimParams[i].empty())
            s += v.dimParams[i];
        else
            s += v.shape[i] < 0 ? std::string("?") : std::to_string(v.shape[i]);
    }
    return s + "]";
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
    std::vector<int> order;
    try {
        order = g.topoOrder();
    } catch (const std::invalid_argument&) {
        for (std::size_t n = 0; n < g.nodes.size(); ++n)
            order.push_back(static_cast<int>(n));
    }
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

} // namespace aisys::engine::compiler
