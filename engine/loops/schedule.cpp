// Schedule primitives on a loop nest, each checked against the rules written in schedule.h.
#include "engine/loops/schedule.h"

#include <algorithm>
#include <charconv>

namespace aisys::engine::loops {

std::string Primitive::text() const {
    std::string s = name + "(";
    for (std::size_t i = 0; i < args.size(); ++i)
        s += (i ? ", " : "") + args[i];
    return s + ")";
}

LoopNest::LoopNest(ComputeDef def) : m_def(std::move(def)) {
    for (const Axis& a : m_def.axes) {
        m_loops.push_back({static_cast<int>(m_vars.size()), LoopKind::Serial});
        m_vars.push_back({a.name, a.extent, a.reduction});
    }
}

int LoopNest::loopIndex(const std::string& name) const {
    for (std::size_t i = 0; i < m_loops.size(); ++i)
        if (m_vars[m_loops[i].var].name == name)
            return static_cast<int>(i);
    return -1;
}

std::int64_t LoopNest::boxIterations() const {
    // Saturates at 2^62: a box that large is refused by every caller anyway.
    constexpr std::int64_t kCap = std::int64_t{1} << 62;
    std::int64_t n = 1;
    for (const Loop& l : m_loops)
        n = m_vars[l.var].extent > kCap / n ? kCap : n * m_vars[l.var].extent;
    return n;
}

std::string LoopNest::reductionTarget() const {
    return m_def.refText(m_def.out);
}

namespace {

const char* kindName(LoopKind k) {
    switch (k) {
    case LoopKind::Serial:
        return "serial";
    case LoopKind::Parallel:
        return "parallel";
    case LoopKind::Unrolled:
        return "unrolled";
    case LoopKind::Vectorized:
        return "vectorized";
    }
    return "?";
}

constexpr std::int64_t kMaxFactor = std::int64_t{1} << 20;

bool parseInt(const std::string& s, std::int64_t& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

} // namespace

std::string LoopNest::split(const Primitive& p, const std::string& loop, std::int64_t factor,
                            std::string* outerName, std::string* innerName) {
    const int at = loopIndex(loop);
    if (at < 0)
        return p.text() + ": no loop named '" + loop + "' in the nest";
    Loop& l = m_loops[at];
    if (l.kind != LoopKind::Serial)
        return p.text() + ": loop " + loop + " is already " + kindName(l.kind) +
               "; split a loop before annotating it";
    if (factor < 1 || factor > kMaxFactor)
        return p.text() + ": the split factor must be 1…" + std::to_string(kMaxFactor) + ", got " +
               std::to_string(factor);
    const std::string on = loop + ".o", in = loop + ".i";
    for (const LoopVar& v : m_vars)
        if (v.name == on || v.name == in)
            return p.text() + ": a loop named " + v.name + " exists already";
    const LoopVar parent = m_vars[l.var];
    const int parentVar = l.var;
    VarRelation r;
    r.kind = VarRelation::Kind::Split;
    r.parent = parentVar;
    r.factor = factor;
    r.guarded = parent.extent % factor != 0;
    r.outer = static_cast<int>(m_vars.size());
    m_vars.push_back({on, (parent.extent + factor - 1) / factor, parent.reduction});
    r.inner = static_cast<int>(m_vars.size());
    m_vars.push_back({in, factor, parent.reduction});
    m_relations.push_back(r);
    m_loops[at] = {r.outer, LoopKind::Serial};
    m_loops.insert(m_loops.begin() + at + 1, Loop{r.inner, LoopKind::Serial});
    if (r.guarded)
        m_notes.push_back(p.text() + ": " + std::to_string(factor) + " does not divide " + loop +
                          "'s extent " + std::to_string(parent.extent) +
                          "; the tail is guarded by `if (" + loop + " < " +
                          std::to_string(parent.extent) + ")`");
    if (outerName)
        *outerName = on;
    if (innerName)
        *innerName = in;
    return "";
}

std::string LoopNest::reorder(const Primitive& p, const std::vector<std::string>& order) {
    if (order.size() < 2)
        return p.text() + ": reorder needs at least two loops";
    std::vector<int> at;
    for (const std::string& n : order) {
        const int i = loopIndex(n);
        if (i < 0)
            return p.text() + ": no loop named '" + n + "' in the nest";
        if (std::find(at.begin(), at.end(), i) != at.end())
            return p.text() + ": loop " + n + " is listed twice";
        at.push_back(i);
    }
    std::vector<int> slots = at;
    std::sort(slots.begin(), slots.end());
    std::vector<Loop> next = m_loops;
    for (std::size_t k = 0; k < order.size(); ++k)
        next[slots[k]] = m_loops[at[k]];
    for (std::size_t i = 0; i + 1 < next.size(); ++i)
        if (next[i].kind == LoopKind::Vectorized)
            return p.text() + ": loop " + m_vars[next[i].var].name +
                   " is vectorized and would no longer be innermost (vectorize applies to the "
                   "innermost loop only)";
    for (std::size_t k = 0; k < order.size(); ++k) {
        const LoopVar& v = m_vars[m_loops[at[k]].var];
        if (v.reduction && slots[k] != at[k]) {
            m_notes.push_back(
                p.text() + ": loop " + v.name + " carries the reduction into " + reductionTarget() +
                (m_def.body == Body::Max
                     ? "; moving it is legal: max is associative and commutative, so every "
                       "element gets the same maximum (exactly, in float too)"
                     : "; moving it is legal: + is associative and commutative, so every "
                       "element gets the same sum in exact arithmetic (in float the rounding "
                       "may differ)"));
            break;
        }
    }
    m_loops = next;
    ++m_reordered;
    return "";
}

std::string LoopNest::fuse(const Primitive& p, const std::string& outer, const std::string& inner) {
    const int a = loopIndex(outer), b = loopIndex(inner);
    if (a < 0)
        return p.text() + ": no loop named '" + outer + "' in the nest";
    if (b < 0)
        return p.text() + ": no loop named '" + inner + "' in the nest";
    if (b != a + 1)
        return p.text() + ": loop " + inner + " is not directly inside loop " + outer +
               "; fuse joins a loop with the loop directly inside it (reorder first)";
    for (int i : {a, b})
        if (m_loops[i].kind != LoopKind::Serial)
            return p.text() + ": loop " + m_vars[m_loops[i].var].name + " is already " +
                   kindName(m_loops[i].kind) + "; fuse loops before annotating them";
    const std::string name = outer + "_" + inner;
    for (const LoopVar& v : m_vars)
        if (v.name == name)
            return p.text() + ": a loop named " + name + " exists already";
    VarRelation r;
    r.kind = VarRelation::Kind::Fuse;
    r.outer = m_loops[a].var;
    r.inner = m_loops[b].var;
    r.parent = static_cast<int>(m_vars.size());
    const LoopVar &vo = m_vars[r.outer], &vi = m_vars[r.inner];
    m_vars.push_back({name, vo.extent * vi.extent, vo.reduction || vi.reduction});
    m_relations.push_back(r);
    m_loops[a] = {r.parent, LoopKind::Serial};
    m_loops.erase(m_loops.begin() + b);
    return "";
}

std::string LoopNest::annotate(const Primitive& p, const std::string& loop, LoopKind kind) {
    const int at = loopIndex(loop);
    if (at < 0)
        return p.text() + ": no loop named '" + loop + "' in the nest";
    Loop& l = m_loops[at];
    const LoopVar& v = m_vars[l.var];
    if (l.kind != LoopKind::Serial)
        return p.text() + ": loop " + loop + " is already " + kindName(l.kind);
    if (kind == LoopKind::Vectorized) {
        if (at + 1 != static_cast<int>(m_loops.size()))
            return p.text() + ": loop " + loop + " is not the innermost loop (" +
                   m_vars[m_loops.back().var].name +
                   " is); vectorize applies to the innermost loop only";
        if (v.extent < 2 || v.extent > 64)
            return p.text() + ": loop " + loop + " has extent " + std::to_string(v.extent) +
                   "; a vectorized loop needs a constant extent of 2…64 lanes (give a lane "
                   "count to split it: vectorize(" +
                   loop + ", 8))";
    }
    if ((kind == LoopKind::Vectorized || kind == LoopKind::Parallel) && v.reduction)
        return p.text() + ": loop " + loop + " carries the reduction into " + reductionTarget() +
               (kind == LoopKind::Vectorized
                    ? "; all lanes would write the same element (vectorize a loop the output's "
                      "index depends on)"
                    : "; parallel iterations would race on the same element (parallelize a "
                      "loop the output's index depends on)");
    if (kind == LoopKind::Unrolled && v.extent > 64)
        return p.text() + ": loop " + loop + " has extent " + std::to_string(v.extent) +
               "; a full unroll needs an extent of at most 64 (give a factor: unroll(" + loop +
               ", 4))";
    l.kind = kind;
    ++m_annotated;
    if (kind == LoopKind::Vectorized)
        for (const VarRelation& r : m_relations)
            if (r.kind == VarRelation::Kind::Split && r.inner == l.var && r.guarded) {
                const std::int64_t tail = m_vars[r.parent].extent % r.factor;
                m_notes.push_back(p.text() + ": the last vector of " + m_vars[r.parent].name +
                                  " uses " + std::to_string(tail) + " of " +
                                  std::to_string(r.factor) + " lanes (masked tail)");
            }
    return "";
}

std::string LoopNest::apply(const Primitive& p) {
    LoopNest next = *this; // a rejected primitive leaves the nest unchanged
    auto nargs = [&](std::size_t lo, std::size_t hi, const char* form) -> std::string {
        if (p.args.size() < lo || p.args.size() > hi)
            return p.text() + ": expected " + form + ", got " + std::to_string(p.args.size()) +
                   " argument" + (p.args.size() == 1 ? "" : "s");
        return "";
    };
    auto integer = [&](std::size_t i, std::int64_t& v) -> std::string {
        if (!parseInt(p.args[i], v))
            return p.text() + ": argument " + std::to_string(i + 1) + " must be an integer, got '" +
                   p.args[i] + "'";
        return "";
    };
    std::string e;
    std::int64_t f = 0, g = 0;
    if (p.name == "split") {
        if ((e = nargs(2, 2, "split(loop, factor)")).empty() && (e = integer(1, f)).empty())
            e = next.split(p, p.args[0], f);
    } else if (p.name == "tile") {
        std::string xo, xi, yo, yi;
        if ((e = nargs(4, 4, "tile(x, y, fx, fy)")).empty() && (e = integer(2, f)).empty() &&
            (e = integer(3, g)).empty()) {
            if (p.args[0] == p.args[1])
                e = p.text() + ": tile needs two different loops";
            else if ((e = next.split(p, p.args[0], f, &xo, &xi)).empty() &&
                     (e = next.split(p, p.args[1], g, &yo, &yi)).empty())
                e = next.reorder(p, {xo, yo, xi, yi});
        }
    } else if (p.name == "reorder") {
        e = next.reorder(p, p.args);
    } else if (p.name == "fuse") {
        if ((e = nargs(2, 2, "fuse(outer, inner)")).empty())
            e = next.fuse(p, p.args[0], p.args[1]);
    } else if (p.name == "unroll" || p.name == "vectorize") {
        const LoopKind kind = p.name == "unroll" ? LoopKind::Unrolled : LoopKind::Vectorized;
        const char* form = p.name == "unroll" ? "unroll(loop) or unroll(loop, factor)"
                                              : "vectorize(loop) or vectorize(loop, lanes)";
        if ((e = nargs(1, 2, form)).empty()) {
            std::string target = p.args[0];
            if (p.args.size() == 2 && (e = integer(1, f)).empty()) {
                const int at = next.loopIndex(target);
                if (f < 2 || f > 64)
                    e = p.text() + ": the " + (p.name == "unroll" ? "factor" : "lane count") +
                        " must be 2…64, got " + std::to_string(f);
                else if (at >= 0 && next.m_vars[next.m_loops[at].var].extent == f)
                    ; // already the right extent: annotate it as it is
                else if (kind == LoopKind::Vectorized && at >= 0 &&
                         at + 1 != static_cast<int>(next.m_loops.size()))
                    e = p.text() + ": loop " + target + " is not the innermost loop (" +
                        next.m_vars[next.m_loops.back().var].name +
                        " is); vectorize applies to the innermost loop only";
                else if (kind == LoopKind::Vectorized && at >= 0 &&
                         next.m_vars[next.m_loops[at].var].reduction)
                    e = next.annotate(p, target, kind); // the reduction message
                else
                    e = next.split(p, target, f, nullptr, &target);
            }
            if (e.empty())
                e = next.annotate(p, target, kind);
        }
    } else if (p.name == "parallel") {
        if ((e = nargs(1, 1, "parallel(loop)")).empty())
            e = next.annotate(p, p.args[0], LoopKind::Parallel);
    } else if (p.name == "compute_at") {
        e = m_def.stage.empty()
                ? p.text() + ": " + m_def.op +
                      " has a single stage; compute_at moves a producer stage into a loop of its "
                      "consumer and needs a definition of two stages"
                : p.text() + ": compute_at is not implemented: every stage of " + m_def.op +
                      " runs whole before the next";
    } else {
        e = "unknown primitive '" + p.name +
            "' (expected split, tile, reorder, fuse, unroll, vectorize, parallel or compute_at)";
    }
    if (e.empty())
        *this = std::move(next);
    return e;
}

Checked<std::vector<LoopNest>> schedule(const Pipeline& p,
                                        const std::vector<Primitive>& primitives) {
    using R = Checked<std::vector<LoopNest>>;
    std::vector<LoopNest> nests;
    for (const ComputeDef& s : p.stages)
        nests.emplace_back(s);
    std::size_t current = nests.size() - 1;
    for (const Primitive& pr : primitives) {
        const std::string at = "column " + std::to_string(pr.column) + ": ";
        if (pr.name == "stage") {
            std::string names;
            for (const ComputeDef& s : p.stages)
                names += (names.empty() ? "" : ", ") + s.stage;
            if (pr.args.size() != 1)
                return R::fail(at + pr.text() + ": expected stage(name)");
            const int k = p.stageIndex(pr.args[0]);
            if (k < 0 || p.stages.size() == 1)
                return R::fail(at + pr.text() + ": " + p.op + " has no stage '" + pr.args[0] + "'" +
                               (p.stages.size() > 1 ? " (its stages: " + names + ")" : ""));
            current = static_cast<std::size_t>(k);
            continue;
        }
        const std::string e = nests[current].apply(pr);
        if (!e.empty())
            return R::fail(
                at +
                (p.stages.size() > 1 ? "stage " + p.stages[current].stage + ": " : std::string()) +
                e);
    }
    return R{std::move(nests), ""};
}

Checked<LoopNest> schedule(const ComputeDef& def, const std::vector<Primitive>& primitives) {
    LoopNest nest(def);
    for (const Primitive& p : primitives) {
        const std::string e = nest.apply(p);
        if (!e.empty())
            return Checked<LoopNest>::fail("column " + std::to_string(p.column) + ": " + e);
    }
    return Checked<LoopNest>{std::move(nest), ""};
}

} // namespace aisys::engine::loops
