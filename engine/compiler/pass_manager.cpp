// Pass registry, pipeline parsing, the pass manager and its reports (see pass_manager.h).
#include "engine/compiler/pass_manager.h"

#include "engine/graph/ops.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <stdexcept>

namespace aisys::engine::compiler {

bool launchesKernel(const Node& n) {
    static const std::set<std::string> free = {"Constant",  "Identity", "Dropout",
                                               "Reshape",   "Flatten",  "Squeeze",
                                               "Unsqueeze", "Shape",    "Size"};
    return free.count(n.op) == 0;
}

namespace {

double valueBytes(const Value& v, bool& complete) {
    for (auto d : v.shape)
        if (d < 0) {
            complete = false;
            return 0;
        }
    return static_cast<double>(numElements(v.shape)) * static_cast<double>(dtypeSize(v.dtype));
}

bool shapesKnown(const Graph& g) {
    for (const Value& v : g.values)
        for (auto d : v.shape)
            if (d < 0)
                return false;
    return true;
}

} // namespace

GraphStats graphStats(const Graph& graph) {
    Graph copy;
    const Graph* gp = &graph;
    if (!shapesKnown(graph)) {
        // Inference may fill shapes the last edit left open; on failure count what is known.
        copy = graph;
        try {
            inferShapes(copy);
            gp = &copy;
        } catch (const std::invalid_argument&) {
        }
    }
    const Graph& g = *gp;
    GraphStats s;
    s.nodes = static_cast<int>(g.nodes.size());
    for (const Node& n : g.nodes) {
        if (!launchesKernel(n))
            continue;
        ++s.kernels;
        for (int v : n.inputs) {
            if (v < 0)
                continue;
            if (g.values[v].initializer)
                s.weightBytes += valueBytes(g.values[v], s.complete);
            else
                s.activationBytes += valueBytes(g.values[v], s.complete);
        }
        for (int v : n.outputs)
            s.activationBytes += valueBytes(g.values[v], s.complete);
    }
    // Peak live bytes, the interpreter's accounting: inputs live from the start, a computed
    // value from its producer until its last reader ran; outputs live to the end.
    std::vector<int> order;
    try {
        order = g.topoOrder();
    } catch (const std::invalid_argument&) {
        s.complete = false;
        return s;
    }
    const int nv = static_cast<int>(g.values.size());
    std::vector<int> lastUse(nv, -1);
    for (std::size_t pos = 0; pos < order.size(); ++pos)
        for (int v : g.nodes[order[pos]].inputs)
            if (v >= 0)
                lastUse[v] = static_cast<int>(pos);
    for (int o : g.outputs)
        lastUse[o] = static_cast<int>(order.size());
    double live = 0;
    for (int v : g.inputs)
        live += valueBytes(g.values[v], s.complete);
    s.peakBytes = live;
    // dying[pos]: the values whose last reader runs at pos (or, unread, their producer).
    std::vector<std::vector<int>> dying(order.size());
    for (std::size_t pos = 0; pos < order.size(); ++pos)
        for (int v : g.nodes[order[pos]].outputs)
            if (lastUse[v] < 0)
                dying[pos].push_back(v);
    for (int v = 0; v < nv; ++v)
        if (lastUse[v] >= 0 && lastUse[v] < static_cast<int>(order.size()) &&
            !g.values[v].initializer)
            dying[static_cast<std::size_t>(lastUse[v])].push_back(v);
    for (std::size_t pos = 0; pos < order.size(); ++pos) {
        for (int v : g.nodes[order[pos]].outputs)
            live += valueBytes(g.values[v], s.complete);
        s.peakBytes = std::max(s.peakBytes, live);
        for (int v : dying[pos])
            live -= valueBytes(g.values[v], s.complete);
    }
    return s;
}

namespace {

bool kebab(const std::string& s) {
    if (s.empty() || s.front() == '-' || s.back() == '-')
        return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

} // namespace

void PassRegistry::add(std::unique_ptr<Pass> pass, int level) {
    const std::string name = pass->name();
    if (!kebab(name))
        throw std::logic_error("pass name '" + name + "' is not kebab-case");
    if (find(name))
        throw std::logic_error("pass '" + name + "' registered twice");
    if (level < 0 || level > 3)
        throw std::logic_error("pass '" + name + "': level must be 0..3");
    m_passes.push_back({std::move(pass), level});
}

const Pass* PassRegistry::find(const std::string& name) const {
    for (const auto& p : m_passes)
        if (p.pass->name() == name)
            return p.pass.get();
    return nullptr;
}

std::vector<std::string> PassRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& p : m_passes)
        out.push_back(p.pass->name());
    return out;
}

std::vector<std::string> PassRegistry::levelPasses(int level) const {
    std::vector<std::string> out;
    for (const auto& p : m_passes)
        if (p.level >= 1 && p.level <= level)
            out.push_back(p.pass->name());
    return out;
}

Pipeline levelPipeline(int level, const PassRegistry& registry) {
    if (level < 0 || level > 3)
        throw std::invalid_argument("optimization level " + std::to_string(level) +
                                    " out of range: expected O0, O1, O2 or O3");
    Pipeline p;
    p.passes = registry.levelPasses(level);
    p.maxRounds = 4;
    p.label = "O" + std::to_string(level);
    return p;
}

Pipeline parsePipeline(const std::string& text, const PassRegistry& registry) {
    std::string t = text;
    if (t.size() == 3 && t[0] == '-' && t[1] == 'O')
        t = t.substr(1);
    if (t.size() == 2 && t[0] == 'O' && t[1] >= '0' && t[1] <= '9')
        return levelPipeline(t[1] - '0', registry);
    Pipeline p;
    p.label = text;
    std::stringstream ss(text);
    std::string name;
    while (std::getline(ss, name, ',')) {
        if (name.empty())
            continue;
        if (!registry.find(name)) {
            std::string valid;
            for (const auto& n : registry.names())
                valid += (valid.empty() ? "" : ", ") + n;
            throw std::invalid_argument("unknown pass '" + name + "'; valid passes: " + valid +
                                        " (or a level -O0, -O1, -O2, -O3)");
        }
        p.passes.push_back(name);
    }
    if (p.passes.empty())
        throw std::invalid_argument("empty pass list '" + text +
                                    "': expected pass names separated by commas or -O0..-O3");
    return p;
}

PassManager::PassManager(Pipeline pipeline, const PassRegistry& registry)
    : m_pipeline(std::move(pipeline)), m_registry(registry) {
    for (const auto& n : m_pipeline.passes)
        if (!m_registry.find(n))
            throw std::invalid_argument("unknown pass '" + n + "'");
}

PipelineReport PassManager::run(Graph& g) const {
    PipelineReport report;
    report.pipeline = m_pipeline.label;
    inferShapes(g);
    report.before = graphStats(g);
    report.after = report.before;
    for (int round = 1; round <= std::max(1, m_pipeline.maxRounds); ++round) {
        bool changed = false;
        for (const auto& name : m_pipeline.passes) {
            const Pass* pass = m_registry.find(name);
            PassRecord rec;
            rec.pass = name;
            rec.round = round;
            const auto t0 = std::chrono::steady_clock::now();
            rec.result = pass->run(g);
            rec.millis =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
            if (m_verify)
                if (auto err = g.verify(); !err.empty())
                    throw std::logic_error("after pass '" + name + "': " + err);
            changed |= rec.result.changed;
            // Later rounds only report the passes that still changed something.
            if (round > 1 && !rec.result.changed)
                continue;
            if (m_stats)
                rec.stats = graphStats(g);
            if (m_snapshots)
                rec.snapshot = g;
            if (m_hook)
                m_hook(rec);
            report.passes.push_back(std::move(rec));
        }
        if (!changed)
            break;
    }
    report.after = graphStats(g);
    return report;
}

const char* rewriteKindName(RewriteEntry::Kind k) {
    switch (k) {
    case RewriteEntry::Kind::Removed:
        return "removed";
    case RewriteEntry::Kind::Added:
        return "added";
    case RewriteEntry::Kind::Merged:
        return "merged";
    case RewriteEntry::Kind::Changed:
        return "changed";
    }
    return "?";
}

namespace {

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string statsJson(const GraphStats& s) {
    return "{\"nodes\": " + std::to_string(s.nodes) +
           ", \"kernels\": " + std::to_string(s.kernels) +
           ", \"activation_bytes\": " + num(s.activationBytes) +
           ", \"weight_bytes\": " + num(s.weightBytes) + ", \"peak_bytes\": " + num(s.peakBytes) +
           ", \"complete\": " + (s.complete ? "true" : "false") + "}";
}

std::string namesJson(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + jsonString(names[i]);
    return out + "]";
}

std::string statsLine(const GraphStats& s) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "nodes %5d  kernels %5d  act-bytes %12.0f  peak %12.0f%s",
                  s.nodes, s.kernels, s.activationBytes, s.peakBytes, s.complete ? "" : "  (?)");
    return buf;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

} // namespace

std::string reportText(const PipelineReport& r, bool withLog) {
    std::string out = "pipeline " + r.pipeline + "\n";
    out += "  " + std::string(34, ' ') + statsLine(r.before) + "  (input)\n";
    for (const auto& p : r.passes) {
        char head[64];
        std::snprintf(head, sizeof head, "%-34s",
                      (p.pass + (p.round > 1 ? " #" + std::to_string(p.round) : "")).c_str());
        out += "  " + std::string(head) + statsLine(p.stats) +
               (p.result.changed ? "" : "  (no change)") + "\n";
        if (!withLog)
            continue;
        for (const auto& e : p.result.log)
            out += "      " + std::string(rewriteKindName(e.kind)) + " [" + e.rule + "] " +
                   joined(e.before) + (e.after.empty() ? "" : " -> " + joined(e.after)) + "\n";
    }
    out += "  " + std::string(34, ' ') + statsLine(r.after) + "  (output)\n";
    return out;
}

std::string reportJson(const PipelineReport& r) {
    std::string out = "{\"pipeline\": " + jsonString(r.pipeline) +
                      ",\n \"before\": " + statsJson(r.before) + ",\n \"passes\": [";
    for (std::size_t i = 0; i < r.passes.size(); ++i) {
        const auto& p = r.passes[i];
        out += std::string(i ? "," : "") + "\n  {\"pass\": " + jsonString(p.pass) +
               ", \"round\": " + std::to_string(p.round) +
               ", \"changed\": " + (p.result.changed ? "true" : "false") +
               ", \"millis\": " + num(p.millis) + ", \"stats\": " + statsJson(p.stats) +
               ", \"log\": [";
        for (std::size_t j = 0; j < p.result.log.size(); ++j) {
            const auto& e = p.result.log[j];
            out += std::string(j ? ", " : "") + "{\"kind\": \"" + rewriteKindName(e.kind) +
                   "\", \"rule\": " + jsonString(e.rule) + ", \"before\": " + namesJson(e.before) +
                   ", \"after\": " + namesJson(e.after) + "}";
        }
        out += "]}";
    }
    out += "\n ],\n \"after\": " + statsJson(r.after) + "}\n";
    return out;
}

} // namespace aisys::engine::compiler
