// The topology file: `rank`, `ranks`, `switch`, `link` and `ranks-per-node` lines (format in
// engine/dist/README.md), errors naming file:line.
#include "engine/dist/topology.h"
#include "engine/dist/units.h"

#include <fstream>
#include <sstream>

namespace aisys::engine::dist {

namespace {

struct NodeDecl {
    std::string name;
    bool isRank = false;
    int line = 0;
};

struct LinkDecl {
    std::string from, to;
    bool both = true;
    double alpha = 0, bandwidth = 0;
    int line = 0;
};

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line.substr(0, line.find('#')));
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

} // namespace

std::optional<Topology> parseTopology(const std::string& text, const std::string& where,
                                      std::string& error) {
    std::vector<NodeDecl> nodes;
    std::vector<LinkDecl> links;
    std::unordered_map<std::string, int> declared; // name → line
    int ranksPerNode = 0;
    std::istringstream in(text);
    std::string line;
    int lineNo = 0;
    auto fail = [&](const std::string& msg) {
        error = where + ":" + std::to_string(lineNo) + ": " + msg;
        return std::nullopt;
    };
    auto declare = [&](const std::string& name, bool isRank) -> bool {
        if (auto it = declared.find(name); it != declared.end()) {
            error = where + ":" + std::to_string(lineNo) + ": node '" + name +
                    "' is already declared on line " + std::to_string(it->second);
            return false;
        }
        declared[name] = lineNo;
        nodes.push_back({name, isRank, lineNo});
        return true;
    };
    // 1. Read every line: declarations and links (links may name nodes declared later).
    while (std::getline(in, line)) {
        ++lineNo;
        const std::vector<std::string> w = words(line);
        if (w.empty())
            continue;
        if (w[0] == "rank" || w[0] == "switch") {
            if (w.size() != 2)
                return fail("expected '" + w[0] + " NAME'");
            if (!declare(w[1], w[0] == "rank"))
                return std::nullopt;
        } else if (w[0] == "ranks") {
            int count = 0;
            try {
                count = w.size() == 3 ? std::stoi(w[1]) : 0;
            } catch (const std::exception&) {
            }
            if (w.size() != 3 || count < 1)
                return fail("expected 'ranks COUNT PREFIX' with COUNT >= 1 (declares PREFIX0 ...)");
            for (int i = 0; i < count; ++i)
                if (!declare(w[2] + std::to_string(i), true))
                    return std::nullopt;
        } else if (w[0] == "ranks-per-node") {
            try {
                ranksPerNode = w.size() == 2 ? std::stoi(w[1]) : 0;
            } catch (const std::exception&) {
                ranksPerNode = 0;
            }
            if (ranksPerNode < 1)
                return fail("expected 'ranks-per-node G' with G >= 1");
        } else if (w[0] == "link") {
            LinkDecl d;
            d.line = lineNo;
            std::size_t i = 1;
            if (w.size() >= 4 && w[2] == "->") {
                d.from = w[1];
                d.to = w[3];
                d.both = false;
                i = 4;
            } else if (w.size() >= 3 && w[2] != "->") {
                d.from = w[1];
                d.to = w[2];
                i = 3;
            } else {
                return fail("expected 'link A B alpha=T bw=B' or 'link A -> B alpha=T bw=B'");
            }
            bool haveAlpha = false, haveBw = false;
            for (; i < w.size(); ++i) {
                const std::size_t eq = w[i].find('=');
                const std::string key = w[i].substr(0, eq);
                const std::string value = eq == std::string::npos ? "" : w[i].substr(eq + 1);
                std::string err;
                if (key == "alpha") {
                    auto v = parseTime(value, err);
                    if (!v)
                        return fail("alpha: " + err);
                    d.alpha = *v;
                    haveAlpha = true;
                } else if (key == "bw") {
                    if (!value.empty() && value[0] == '-')
                        return fail("bw '" + value + "': bandwidth must be positive");
                    auto v = parseBandwidth(value, err);
                    if (!v)
                        return fail("bw: " + err);
                    d.bandwidth = *v;
                    haveBw = true;
                } else {
                    return fail("unknown link property '" + w[i] +
                                "' (expected alpha=TIME and bw=BANDWIDTH)");
                }
            }
            if (!haveAlpha || !haveBw)
                return fail("link " + d.from + " " + d.to + " needs both alpha= and bw=");
            if (d.from == d.to)
                return fail("link from '" + d.from + "' to itself");
            links.push_back(d);
        } else {
            return fail("unknown keyword '" + w[0] +
                        "' (expected rank, ranks, switch, link or ranks-per-node)");
        }
    }
    // 2. Build: ranks first in their order, then switches; every link end must be declared.
    Topology t;
    t.setName("file:" + where);
    std::vector<int> declLine;
    for (int pass = 0; pass < 2; ++pass)
        for (const NodeDecl& n : nodes)
            if (n.isRank == (pass == 0)) {
                t.addNode(n.name, n.isRank);
                declLine.push_back(n.line);
            }
    if (t.rankCount() == 0) {
        error = where + ": no ranks declared (add 'rank NAME' or 'ranks COUNT PREFIX' lines)";
        return std::nullopt;
    }
    for (const LinkDecl& d : links) {
        lineNo = d.line;
        const int a = t.findNode(d.from), b = t.findNode(d.to);
        if (a < 0 || b < 0)
            return fail("dangling link: unknown node '" + (a < 0 ? d.from : d.to) +
                        "' (declare it with 'rank' or 'switch')");
        if (d.both)
            t.addCable(a, b, d.alpha, d.bandwidth);
        else
            t.addLink(a, b, d.alpha, d.bandwidth);
    }
    if (ranksPerNode > 0) {
        if (t.rankCount() % ranksPerNode != 0) {
            error = where + ": ranks-per-node " + std::to_string(ranksPerNode) +
                    " does not divide the " + std::to_string(t.rankCount()) + " ranks";
            return std::nullopt;
        }
        t.setRanksPerNode(ranksPerNode);
    }
    // 3. Connectivity: name the first disconnected rank with the line that declared it.
    if (std::string v = t.validate(); !v.empty()) {
        for (int r = 1; r < t.rankCount(); ++r)
            if (v.find("rank " + t.nodeName(r) + " ") == 0) {
                error = where + ":" + std::to_string(declLine[r]) + ": " + v;
                return std::nullopt;
            }
        error = where + ": " + v;
        return std::nullopt;
    }
    return t;
}

std::optional<Topology> loadTopology(const std::string& path, std::string& error) {
    std::ifstream f(path);
    if (!f) {
        error = path + ": cannot open the topology file";
        return std::nullopt;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    return parseTopology(ss.str(), path, error);
}

} // namespace aisys::engine::dist
