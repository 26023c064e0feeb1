// Names of the ops and algorithms, the dispatcher, and the linear, ring and binomial schedules.
#include "engine/dist/schedule_kit.h"

#include <utility>

namespace aisys::engine::dist {

namespace {

const std::pair<Op, const char*> kOps[] = {{Op::Broadcast, "broadcast"},
                                           {Op::Scatter, "scatter"},
                                           {Op::Gather, "gather"},
                                           {Op::Reduce, "reduce"},
                                           {Op::AllReduce, "all-reduce"},
                                           {Op::AllGather, "all-gather"},
                                           {Op::ReduceScatter, "reduce-scatter"},
                                           {Op::AllToAll, "all-to-all"},
                                           {Op::Barrier, "barrier"}};
const std::pair<Algo, const char*> kAlgos[] = {{Algo::Linear, "linear"},
                                               {Algo::Ring, "ring"},
                                               {Algo::Binomial, "binomial"},
                                               {Algo::DoubleBinaryTree, "double-binary-tree"},
                                               {Algo::RecursiveDoubling, "recursive-doubling"},
                                               {Algo::Rabenseifner, "rabenseifner"},
                                               {Algo::Bruck, "bruck"},
                                               {Algo::Hierarchical, "hierarchical"}};

/// Absolute rank of relative rank `rel` for `root`.
int absRank(int rel, int root, int p) {
    return (rel + root) % p;
}
int relRank(int r, int root, int p) {
    return (r - root + p) % p;
}

/// The blocks of relative ranks [rel0, rel1) as at most two pieces (absolute blocks wrap).
void sendRelBlocks(RoundPlan& out, int to, int rel0, int rel1, const ScheduleSpec& s) {
    const int p = s.ranks;
    const int a0 = absRank(rel0, s.root, p), len = rel1 - rel0;
    const std::int64_t n = s.count;
    if (a0 + len <= p) {
        out.sendRange(to, Combine::Copy, blockBegin(n, p, a0), blockBegin(n, p, a0 + len));
    } else {
        const std::int64_t b0 = blockBegin(n, p, a0), b1 = blockBegin(n, p, a0 + len - p);
        out.send(to, Combine::Copy, {{b0, b0, n - b0}, {0, 0, b1}});
    }
}

std::string unsupported(const ScheduleSpec& s) {
    std::string list;
    for (Algo a : algorithmsFor(s.op))
        list += (list.empty() ? "" : ", ") + std::string(algoName(a));
    return std::string(algoName(s.algo)) + " does not implement " + opName(s.op) +
           " (algorithms for " + opName(s.op) + ": " + list + ")";
}

} // namespace

const char* opName(Op op) {
    for (const auto& [o, n] : kOps)
        if (o == op)
            return n;
    return "?";
}

const char* algoName(Algo algo) {
    for (const auto& [a, n] : kAlgos)
        if (a == algo)
            return n;
    return "?";
}

std::optional<Op> parseOp(const std::string& name) {
    for (const auto& [o, n] : kOps)
        if (name == n)
            return o;
    const std::pair<const char*, Op> aliases[] = {{"allreduce", Op::AllReduce},
                                                  {"allgather", Op::AllGather},
                                                  {"reducescatter", Op::ReduceScatter},
                                                  {"alltoall", Op::AllToAll},
                                                  {"bcast", Op::Broadcast}};
    for (const auto& [a, o] : aliases)
        if (name == a)
            return o;
    return std::nullopt;
}

std::optional<Algo> parseAlgo(const std::string& name) {
    for (const auto& [a, n] : kAlgos)
        if (name == n)
            return a;
    const std::pair<const char*, Algo> aliases[] = {{"tree", Algo::Binomial},
                                                    {"dbt", Algo::DoubleBinaryTree},
                                                    {"rd", Algo::RecursiveDoubling},
                                                    {"halving-doubling", Algo::Rabenseifner},
                                                    {"dissemination", Algo::Bruck}};
    for (const auto& [a, o] : aliases)
        if (name == a)
            return o;
    return std::nullopt;
}

std::string opNames() {
    std::string s;
    for (const auto& [o, n] : kOps)
        s += (s.empty() ? "" : ", ") + std::string(n);
    return s;
}

std::string algoNames() {
    std::string s;
    for (const auto& [a, n] : kAlgos)
        s += (s.empty() ? "" : ", ") + std::string(n);
    return s;
}

std::vector<Algo> algorithmsFor(Op op) {
    using A = Algo;
    switch (op) {
    case Op::Broadcast:
        return {A::Linear, A::Ring, A::Binomial};
    case Op::Reduce:
        return {A::Linear, A::Ring, A::Binomial};
    case Op::Scatter:
    case Op::Gather:
        return {A::Linear, A::Binomial};
    case Op::AllReduce:
        return {
            A::Linear,       A::Ring,        A::Binomial, A::DoubleBinaryTree, A::RecursiveDoubling,
            A::Rabenseifner, A::Hierarchical};
    case Op::AllGather:
        return {A::Linear, A::Ring, A::RecursiveDoubling, A::Bruck};
    case Op::ReduceScatter:
        return {A::Linear, A::Ring, A::Rabenseifner};
    case Op::AllToAll:
        return {A::Linear, A::Bruck};
    case Op::Barrier:
        return {A::Linear, A::RecursiveDoubling, A::Bruck};
    }
    return {};
}

void RoundPlan::send(int to, Combine c, std::initializer_list<Piece> ps) {
    PlannedSend s{to, c, int(pieces.size()), 0};
    for (const Piece& p : ps)
        if (p.len > 0) {
            pieces.push_back(p);
            ++s.pieceCount;
        }
    sends.push_back(s);
}

void RoundPlan::sendRange(int to, Combine c, std::int64_t begin, std::int64_t end) {
    send(to, c, {{begin, begin, end - begin}});
}

int ceilLog2(int p) {
    int l = 0;
    while ((1 << l) < p)
        ++l;
    return l;
}

int floorPow2(int p) {
    int m = 1;
    while (m * 2 <= p)
        m *= 2;
    return m;
}

std::unique_ptr<Schedule> makeSchedule(const ScheduleSpec& s, std::string& error) {
    if (s.ranks < 1) {
        error = "ranks must be at least 1, got " + std::to_string(s.ranks);
        return nullptr;
    }
    if (s.root < 0 || s.root >= s.ranks) {
        error = "root " + std::to_string(s.root) + " is not a rank (0.." +
                std::to_string(s.ranks - 1) + ")";
        return nullptr;
    }
    if (s.op != Op::Barrier && s.count < 1) {
        error =
            std::string(opName(s.op)) + " needs at least 1 element, got " + std::to_string(s.count);
        return nullptr;
    }
    if (s.op == Op::AllToAll && s.count % s.ranks != 0) {
        error = "all-to-all needs the element count (" + std::to_string(s.count) +
                ") to be a multiple of the ranks (" + std::to_string(s.ranks) +
                "): rank r sends block d of count/ranks elements to rank d";
        return nullptr;
    }
    if (s.segments < 1) {
        error = "pipeline segments must be at least 1";
        return nullptr;
    }
    bool known = false;
    for (Algo a : algorithmsFor(s.op))
        known = known || a == s.algo;
    if (!known) {
        error = unsupported(s);
        return nullptr;
    }
    switch (s.algo) {
    case Algo::Linear:
        return linearSchedule(s, error);
    case Algo::Ring:
        return ringSchedule(s, error);
    case Algo::Binomial:
        return binomialSchedule(s, error);
    case Algo::DoubleBinaryTree:
        return doubleBinaryTreeSchedule(s, error);
    case Algo::RecursiveDoubling:
        return recursiveDoublingSchedule(s, error);
    case Algo::Rabenseifner:
        return rabenseifnerSchedule(s, error);
    case Algo::Bruck:
        return bruckSchedule(s, error);
    case Algo::Hierarchical:
        return hierarchicalSchedule(s, error);
    }
    error = unsupported(s);
    return nullptr;
}

std::unique_ptr<Schedule> linearSchedule(const ScheduleSpec& s, std::string& error) {
    const int p = s.ranks;
    const std::int64_t n = s.count;
    auto block = [=](int a) { return std::pair{blockBegin(n, p, a), blockBegin(n, p, a + 1)}; };
    // One partner per round: the root serves relative rank k+1 in round k (broadcast, scatter,
    // reduce, gather); the all-to-all-style ops pair rank r with r+k+1 in round k.
    switch (s.op) {
    case Op::Broadcast:
    case Op::Reduce:
    case Op::Scatter:
    case Op::Gather: {
        const Op op = s.op;
        return std::make_unique<FnSchedule>(p - 1, [=](int r, int k, RoundPlan& out) {
            const int rel = relRank(r, s.root, p), peer = absRank(k + 1, s.root, p);
            const bool fromRoot = op == Op::Broadcast || op == Op::Scatter;
            if (rel == 0) {
                if (fromRoot) {
                    auto [b, e] = op == Op::Scatter ? block(peer) : std::pair{std::int64_t(0), n};
                    out.sendRange(peer, Combine::Copy, b, e);
                } else {
                    out.receives = 1;
                }
            } else if (rel == k + 1) {
                if (fromRoot) {
                    out.receives = 1;
                } else if (op == Op::Reduce) {
                    out.sendRange(s.root, Combine::Reduce, 0, n);
                } else {
                    auto [b, e] = block(r);
                    out.sendRange(s.root, Combine::Copy, b, e);
                }
            }
        });
    }
    case Op::AllReduce: {
        ScheduleSpec red = s, bc = s;
        red.op = Op::Reduce;
        bc.op = Op::Broadcast;
        std::shared_ptr<Schedule> a = linearSchedule(red, error), b = linearSchedule(bc, error);
        return std::make_unique<FnSchedule>(2 * (p - 1), [=](int r, int k, RoundPlan& out) {
            if (k < p - 1)
                a->plan(r, k, out);
            else
                b->plan(r, k - (p - 1), out);
        });
    }
    case Op::AllGather:
    case Op::ReduceScatter: {
        const bool reduce = s.op == Op::ReduceScatter;
        return std::make_unique<FnSchedule>(p - 1, [=](int r, int k, RoundPlan& out) {
            const int d = (r + k + 1) % p;
            auto [b, e] = block(reduce ? d : r);
            out.sendRange(d, reduce ? Combine::Reduce : Combine::Copy, b, e);
            out.receives = 1;
        });
    }
    case Op::AllToAll: {
        const std::int64_t bs = n / p;
        return std::make_unique<FnSchedule>(
            std::max(1, p - 1),
            [=](int r, int k, RoundPlan& out) {
                if (k == 0) // own block: send buffer → receive buffer
                    out.local.push_back({r * bs, 2 * n + r * bs, bs});
                if (p == 1)
                    return;
                const int d = (r + k + 1) % p;
                out.send(d, Combine::Copy, {{d * bs, 2 * n + r * bs, bs}});
                out.receives = 1;
            },
            3);
    }
    case Op::Barrier:
        return std::make_unique<FnSchedule>(p > 1 ? 2 : 0, [=](int r, int k, RoundPlan& out) {
            const bool root = r == s.root;
            if (k == 0) {
                if (root)
                    out.receives = p - 1;
                else
                    out.sendRange(s.root, Combine::Reduce, 0, p);
            } else if (root) {
                for (int q = 0; q < p; ++q)
                    if (q != s.root)
                        out.sendRange(q, Combine::Copy, 0, p);
            } else {
                out.receives = 1;
            }
        });
    }
    error = unsupported(s);
    return nullptr;
}

std::unique_ptr<Schedule> ringSchedule(const ScheduleSpec& s, std::string& error) {
    const int p = s.ranks;
    const std::int64_t n = s.count;
    auto id = [](int j) { return j; };
    switch (s.op) {
    case Op::AllReduce: // reduce-scatter, then all-gather: 2(p−1) rounds
        return std::make_unique<FnSchedule>(2 * (p - 1), [=](int r, int k, RoundPlan& out) {
            if (k < p - 1)
                ringStep(p, r, id, k, true, 0, n, out);
            else
                ringStep(p, r, id, k - (p - 1), false, 0, n, out);
        });
    case Op::ReduceScatter:
    case Op::AllGather: {
        const bool reduce = s.op == Op::ReduceScatter;
        return std::make_unique<FnSchedule>(
            p - 1, [=](int r, int k, RoundPlan& out) { ringStep(p, r, id, k, reduce, 0, n, out); });
    }
    case Op::Broadcast:
    case Op::Reduce: {
        // A chain through the relative ranks 0 → 1 → … → p−1 (broadcast) or back (reduce),
        // pipelined in S segments: segment g crosses chain link i in round g + i.
        const int S = s.segments;
        const bool bcast = s.op == Op::Broadcast;
        const int rounds = p > 1 ? S + p - 2 : 0;
        return std::make_unique<FnSchedule>(rounds, [=](int r, int k, RoundPlan& out) {
            const int rel = relRank(r, s.root, p);
            // Chain position: broadcast sends rel → rel+1; reduce sends rel → rel−1, position
            // counted from the far end (p−1−rel).
            const int pos = bcast ? rel : p - 1 - rel;
            const int g = k - pos; // segment this rank forwards in round k
            if (pos < p - 1 && g >= 0 && g < S) {
                const int to = absRank(bcast ? rel + 1 : rel - 1, s.root, p);
                out.sendRange(to, bcast ? Combine::Copy : Combine::Reduce, blockBegin(n, S, g),
                              blockBegin(n, S, g + 1));
            }
            const int gin = k - (pos - 1); // segment arriving from the previous position
            if (pos > 0 && gin >= 0 && gin < S)
                out.receives = 1;
        });
    }
    default:
        error = unsupported(s);
        return nullptr;
    }
}

std::unique_ptr<Schedule> binomialSchedule(const ScheduleSpec& s, std::string& error) {
    const int p = s.ranks, L = ceilLog2(p);
    const std::int64_t n = s.count;
    // Round k pairs relative ranks at distance m = 2^k: broadcast and scatter send from rel to
    // rel+m (scatter from the top distance down), reduce and gather from rel+m to rel.
    auto bcast = [=](int r, int k, RoundPlan& out) {
        const int rel = relRank(r, s.root, p), m = 1 << k;
        if (rel < m && rel + m < p)
            out.sendRange(absRank(rel + m, s.root, p), Combine::Copy, 0, n);
        else if (rel >= m && rel < 2 * m)
            out.receives = 1;
    };
    auto reduce = [=](int r, int k, RoundPlan& out) {
        const int rel = relRank(r, s.root, p), m = 1 << k;
        if ((rel & (2 * m - 1)) == m)
            out.sendRange(absRank(rel - m, s.root, p), Combine::Reduce, 0, n);
        else if ((rel & (2 * m - 1)) == 0 && rel + m < p)
            out.receives = 1;
    };
    switch (s.op) {
    case Op::Broadcast:
        return std::make_unique<FnSchedule>(L, bcast);
    case Op::Reduce:
        return std::make_unique<FnSchedule>(L, reduce);
    case Op::AllReduce: // reduce to the root, then broadcast from it
        return std::make_unique<FnSchedule>(2 * L, [=](int r, int k, RoundPlan& out) {
            if (k < L)
                reduce(r, k, out);
            else
                bcast(r, k - L, out);
        });
    case Op::Gather:
        return std::make_unique<FnSchedule>(L, [=](int r, int k, RoundPlan& out) {
            const int rel = relRank(r, s.root, p), m = 1 << k;
            if ((rel & (2 * m - 1)) == m)
                sendRelBlocks(out, absRank(rel - m, s.root, p), rel, std::min(rel + m, p), s);
            else if ((rel & (2 * m - 1)) == 0 && rel + m < p)
                out.receives = 1;
        });
    case Op::Scatter:
        return std::make_unique<FnSchedule>(L, [=](int r, int k, RoundPlan& out) {
            const int rel = relRank(r, s.root, p), m = 1 << (L - 1 - k);
            if ((rel & (2 * m - 1)) == 0 && rel + m < p)
                sendRelBlocks(out, absRank(rel + m, s.root, p), rel + m, std::min(rel + 2 * m, p),
                              s);
            else if ((rel & (2 * m - 1)) == m)
                out.receives = 1;
        });
    default:
        error = unsupported(s);
        return nullptr;
    }
}

} // namespace aisys::engine::dist
