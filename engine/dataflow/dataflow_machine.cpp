// The tagged-token dataflow machine and the course's cond / while examples.
#include "engine/dataflow/dataflow_machine.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine {

const char* dfKindName(DfKind k) {
    switch (k) {
    case DfKind::Const:
        return "Const";
    case DfKind::Add:
        return "Add";
    case DfKind::Sub:
        return "Sub";
    case DfKind::Mul:
        return "Mul";
    case DfKind::Less:
        return "Less";
    case DfKind::Greater:
        return "Greater";
    case DfKind::Neg:
        return "Neg";
    case DfKind::Switch:
        return "Switch";
    case DfKind::Merge:
        return "Merge";
    case DfKind::Enter:
        return "Enter";
    case DfKind::Exit:
        return "Exit";
    case DfKind::NextIteration:
        return "NextIteration";
    case DfKind::Identity:
        return "Identity";
    }
    return "?";
}

std::string DfToken::tag() const {
    if (frames.empty())
        return "root";
    std::string s;
    for (std::size_t i = 0; i < frames.size(); ++i)
        s += (i ? "/" : "") + frames[i] + ":" +
             (iterations[i] < 0 ? std::string("*") : std::to_string(iterations[i]));
    return s;
}

bool DfToken::sameTag(const DfToken& o) const {
    if (frames != o.frames)
        return false;
    for (std::size_t i = 0; i < iterations.size(); ++i)
        if (iterations[i] != o.iterations[i] && iterations[i] >= 0 && o.iterations[i] >= 0)
            return false; // -1 marks a loop-invariant token: it matches every iteration
    return true;
}

int DataflowMachine::add(DfNode node) {
    for (auto [p, o] : node.inputs)
        if (p < 0 || p >= static_cast<int>(m_nodes.size()) || o < 0 || o >= m_nodes[p].outputs())
            throw std::invalid_argument("node '" + node.name + "' reads a missing output");
    m_nodes.push_back(std::move(node));
    return static_cast<int>(m_nodes.size()) - 1;
}

void DataflowMachine::emit(int n, int output, const DfToken& t, DfFiring& f) {
    f.produced.push_back({output, t});
    bool consumed = false;
    for (int c = 0; c < static_cast<int>(m_nodes.size()); ++c)
        for (int j = 0; j < static_cast<int>(m_nodes[c].inputs.size()); ++j)
            if (m_nodes[c].inputs[j] == std::make_pair(n, output)) {
                consumed = true;
                DfEdgeToken e{n, output, c, j, t};
                // A loop-invariant Enter token stays available to every iteration.
                if (m_nodes[n].kind == DfKind::Enter && m_nodes[n].constant)
                    m_constants.push_back(e);
                else
                    m_pending.push_back(e);
            }
    if (!consumed && !t.dead && output == 0 && m_nodes[n].kind != DfKind::Switch)
        m_sinks.push_back({n, t});
}

bool DataflowMachine::tryFire(int n) {
    // 1. Find tokens waiting for this node (pending first, then loop invariants).
    // 2. Merge needs one live token (or dead tokens on every input with one tag); the
    //    others need one token per input, all with the same tag.
    // 3. Compute and emit; record the firing with a snapshot of every token on an edge.
    const DfNode& node = m_nodes[n];
    auto waiting = [&](int input) {
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < m_pending.size(); ++i)
            if (m_pending[i].consumer == n && m_pending[i].input == input)
                idx.push_back(i);
        return idx;
    };
    DfFiring f;
    f.node = n;
    std::vector<std::size_t> take;
    if (node.kind == DfKind::Merge) {
        for (int j = 0; j < static_cast<int>(node.inputs.size()) && take.empty(); ++j)
            for (std::size_t i : waiting(j))
                if (!m_pending[i].token.dead) {
                    take = {i};
                    break;
                }
        if (take.empty()) { // all inputs dead with one tag → a dead output
            auto first = waiting(0);
            for (std::size_t i0 : first) {
                std::vector<std::size_t> all{i0};
                for (int j = 1; j < static_cast<int>(node.inputs.size()); ++j)
                    for (std::size_t i : waiting(j))
                        if (m_pending[i].token.dead &&
                            m_pending[i].token.sameTag(m_pending[i0].token)) {
                            all.push_back(i);
                            break;
                        }
                if (all.size() == node.inputs.size()) {
                    take = all;
                    break;
                }
            }
        }
        if (take.empty())
            return false;
        DfToken out = m_pending[take[0]].token;
        for (std::size_t i : take)
            f.consumed.push_back(m_pending[i].token);
        std::sort(take.rbegin(), take.rend());
        for (std::size_t i : take)
            m_pending.erase(m_pending.begin() + static_cast<long>(i));
        // A live merge also retires the dead token the other branch sends for that tag.
        if (!out.dead)
            m_mergedTags.push_back({n, out});
        emit(n, 0, out, f);
        m_firings.push_back(std::move(f));
        m_firings.back().pending = m_pending;
        m_firings.back().pending.insert(m_firings.back().pending.end(), m_constants.begin(),
                                        m_constants.end());
        return true;
    }
    const int arity = static_cast<int>(node.inputs.size());
    if (arity == 0)
        return false; // constants fire at start
    std::vector<DfToken> in(arity);
    std::vector<std::size_t> used;
    bool found = false;
    for (std::size_t i0 : waiting(0)) {
        in[0] = m_pending[i0].token;
        used = {i0};
        bool ok = true;
        for (int j = 1; j < arity && ok; ++j) {
            ok = false;
            for (std::size_t i : waiting(j))
                if (m_pending[i].token.sameTag(in[0])) {
                    in[j] = m_pending[i].token;
                    used.push_back(i);
                    ok = true;
                    break;
                }
            if (!ok)
                for (const auto& c : m_constants)
                    if (c.consumer == n && c.input == j && c.token.sameTag(in[0])) {
                        in[j] = c.token;
                        ok = true;
                        break;
                    }
        }
        if (ok) {
            found = true;
            break;
        }
    }
    if (!found && arity == 2) { // input 0 may be the loop invariant and input 1 pending
        for (std::size_t i1 : waiting(1))
            for (const auto& c : m_constants)
                if (c.consumer == n && c.input == 0 && c.token.sameTag(m_pending[i1].token)) {
                    in[0] = c.token;
                    in[1] = m_pending[i1].token;
                    used = {i1};
                    found = true;
                    break;
                }
    }
    if (!found)
        return false;
    for (const auto& t : in)
        f.consumed.push_back(t);
    std::sort(used.rbegin(), used.rend());
    for (std::size_t i : used)
        m_pending.erase(m_pending.begin() + static_cast<long>(i));
    // The live token's tag (a loop invariant has iteration -1: take the other one's).
    DfToken base = in[0];
    for (const auto& t : in)
        if (std::find(t.iterations.begin(), t.iterations.end(), -1) == t.iterations.end())
            base = t;
    base.dead = std::any_of(in.begin(), in.end(), [](const DfToken& t) { return t.dead; });
    DfToken out = base;
    switch (node.kind) {
    case DfKind::Add:
        out.value = in[0].value + in[1].value;
        break;
    case DfKind::Sub:
        out.value = in[0].value - in[1].value;
        break;
    case DfKind::Mul:
        out.value = in[0].value * in[1].value;
        break;
    case DfKind::Less:
        out.value = in[0].value < in[1].value ? 1 : 0;
        break;
    case DfKind::Greater:
        out.value = in[0].value > in[1].value ? 1 : 0;
        break;
    case DfKind::Neg:
        out.value = -in[0].value;
        break;
    case DfKind::Identity:
        break;
    case DfKind::Switch: {
        out.value = in[0].value;
        DfToken deadOut = out;
        deadOut.dead = true;
        const bool pred = !out.dead && in[1].value != 0;
        emit(n, 0, pred ? deadOut : out, f);
        emit(n, 1, pred ? out : deadOut, f);
        break;
    }
    case DfKind::Enter:
        out.frames.push_back(node.frame);
        out.iterations.push_back(node.constant ? -1 : 0);
        break;
    case DfKind::Exit:
        if (!out.frames.empty()) {
            out.frames.pop_back();
            out.iterations.pop_back();
        }
        break;
    case DfKind::NextIteration:
        if (!out.iterations.empty())
            ++out.iterations.back();
        break;
    default:
        break;
    }
    const bool dropDead = node.kind == DfKind::Exit || node.kind == DfKind::NextIteration;
    if (node.kind != DfKind::Switch && !(dropDead && out.dead))
        emit(n, 0, out, f);
    m_firings.push_back(std::move(f));
    m_firings.back().pending = m_pending;
    m_firings.back().pending.insert(m_firings.back().pending.end(), m_constants.begin(),
                                    m_constants.end());
    return true;
}

void DataflowMachine::run(int maxFirings) {
    m_pending.clear();
    m_constants.clear();
    m_firings.clear();
    m_sinks.clear();
    m_mergedTags.clear();
    for (int n = 0; n < static_cast<int>(m_nodes.size()); ++n)
        if (m_nodes[n].kind == DfKind::Const) {
            DfFiring f;
            f.node = n;
            DfToken t;
            t.value = m_nodes[n].value;
            emit(n, 0, t, f);
            m_firings.push_back(std::move(f));
            m_firings.back().pending = m_pending;
        }
    while (true) {
        // Dead tokens for a tag a Merge already forwarded live are retired silently.
        for (std::size_t i = 0; i < m_pending.size();) {
            const auto& e = m_pending[i];
            bool retire = false;
            if (e.token.dead && m_nodes[e.consumer].kind == DfKind::Merge)
                for (const auto& [m, tag] : m_mergedTags)
                    retire |= m == e.consumer && tag.sameTag(e.token);
            if (retire)
                m_pending.erase(m_pending.begin() + static_cast<long>(i));
            else
                ++i;
        }
        // The consumer of the oldest waiting token fires first (a FIFO ready queue, as an
        // executor's would be), so dead tokens are retired in the iteration that made them.
        bool fired = false;
        std::vector<bool> tried(m_nodes.size(), false);
        for (std::size_t i = 0; i < m_pending.size() && !fired; ++i) {
            const int c = m_pending[i].consumer;
            if (!tried[c]) {
                tried[c] = true;
                fired = tryFire(c);
            }
        }
        if (!fired)
            break;
        if (static_cast<int>(m_firings.size()) > maxFirings)
            throw std::runtime_error("the dataflow machine did not stop after " +
                                     std::to_string(maxFirings) + " firings");
    }
}

std::vector<std::pair<int, DfToken>> DataflowMachine::results() const {
    return m_sinks;
}

namespace {
DfNode dfNode(std::string name, DfKind kind, std::vector<std::pair<int, int>> inputs = {},
              double value = 0, std::string frame = {}, bool constant = false) {
    DfNode n;
    n.name = std::move(name);
    n.kind = kind;
    n.inputs = std::move(inputs);
    n.value = value;
    n.frame = std::move(frame);
    n.constant = constant;
    return n;
}
} // namespace

DataflowMachine makeCondExample(double x) {
    DataflowMachine m;
    int cx = m.add(dfNode("x", DfKind::Const, {}, x));
    int c0 = m.add(dfNode("zero", DfKind::Const, {}, 0));
    int c2 = m.add(dfNode("two", DfKind::Const, {}, 2));
    int pred = m.add(dfNode("x>0", DfKind::Greater, {{cx, 0}, {c0, 0}}));
    int sw = m.add(dfNode("switch", DfKind::Switch, {{cx, 0}, {pred, 0}}));
    int sw2 = m.add(dfNode("switch two", DfKind::Switch, {{c2, 0}, {pred, 0}}));
    int neg = m.add(dfNode("-x", DfKind::Neg, {{sw, 0}}));
    int mul = m.add(dfNode("2·x", DfKind::Mul, {{sw, 1}, {sw2, 1}}));
    m.add(dfNode("merge", DfKind::Merge, {{neg, 0}, {mul, 0}}));
    return m;
}

DataflowMachine makeWhileExample(int n) {
    // i = 0; s = 0; while (i < n) { s = s + i; i = i + 1 }  →  s
    DataflowMachine m;
    int i0 = m.add(dfNode("i = 0", DfKind::Const, {}, 0));
    int s0 = m.add(dfNode("s = 0", DfKind::Const, {}, 0));
    int cn = m.add(dfNode("n", DfKind::Const, {}, double(n)));
    int c1 = m.add(dfNode("1", DfKind::Const, {}, 1));
    int ei = m.add(dfNode("enter i", DfKind::Enter, {{i0, 0}}, 0, "loop"));
    int es = m.add(dfNode("enter s", DfKind::Enter, {{s0, 0}}, 0, "loop"));
    int en = m.add(dfNode("enter n", DfKind::Enter, {{cn, 0}}, 0, "loop", true));
    int e1 = m.add(dfNode("enter 1", DfKind::Enter, {{c1, 0}}, 0, "loop", true));
    // Merge inputs: the Enter now, NextIteration later (patched below once it exists).
    int mi = m.add(dfNode("merge i", DfKind::Merge, {{ei, 0}}));
    int ms = m.add(dfNode("merge s", DfKind::Merge, {{es, 0}}));
    int cond = m.add(dfNode("i < n", DfKind::Less, {{mi, 0}, {en, 0}}));
    int swi = m.add(dfNode("switch i", DfKind::Switch, {{mi, 0}, {cond, 0}}));
    int sws = m.add(dfNode("switch s", DfKind::Switch, {{ms, 0}, {cond, 0}}));
    int adds = m.add(dfNode("s + i", DfKind::Add, {{sws, 1}, {swi, 1}}));
    int addi = m.add(dfNode("i + 1", DfKind::Add, {{swi, 1}, {e1, 0}}));
    int nxs = m.add(dfNode("next s", DfKind::NextIteration, {{adds, 0}}));
    int nxi = m.add(dfNode("next i", DfKind::NextIteration, {{addi, 0}}));
    m.add(dfNode("exit s", DfKind::Exit, {{sws, 0}}));
    m.add(dfNode("exit i", DfKind::Exit, {{swi, 0}}));
    m.patchInput(mi, {nxi, 0});
    m.patchInput(ms, {nxs, 0});
    return m;
}

void DataflowMachine::patchInput(int node, std::pair<int, int> source) {
    if (node < 0 || node >= static_cast<int>(m_nodes.size()) || source.first < 0 ||
        source.first >= static_cast<int>(m_nodes.size()))
        throw std::invalid_argument("patchInput: node index out of range");
    m_nodes[node].inputs.push_back(source);
}

} // namespace aisys::engine
