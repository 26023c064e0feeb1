// Butterfly-style schedules: recursive doubling, Rabenseifner's recursive halving-doubling and
// Bruck's algorithm (all-gather, all-to-all, dissemination barrier).
#include "engine/dist/schedule_kit.h"

namespace aisys::engine::dist {

namespace {

bool isPow2(int p) {
    return p > 0 && (p & (p - 1)) == 0;
}

std::string needPow2(const ScheduleSpec& s, const char* alternatives) {
    return std::string(algoName(s.algo)) + " " + opName(s.op) +
           " needs a power-of-two rank count, got " + std::to_string(s.ranks) + " (" +
           alternatives + " handle any count)";
}

/// Blocks a0, a0+1, …, a0+len−1 (mod p) of `count` elements as at most two pieces.
void sendBlocksMod(RoundPlan& out, int to, Combine c, int a0, int len, std::int64_t count, int p,
                   std::int64_t base = 0) {
    if (a0 + len <= p) {
        out.sendRange(to, c, base + blockBegin(count, p, a0),
                      base + blockBegin(count, p, a0 + len));
        return;
    }
    const std::int64_t b0 = blockBegin(count, p, a0), b1 = blockBegin(count, p, a0 + len - p);
    out.send(to, c, {{base + b0, base + b0, count - b0}, {base, base, b1}});
}

/// MPICH's fold for p = p' + r ranks (p' = 2^⌊log₂p⌋): of the first 2r ranks the odd ones
/// stand for their pair in the power-of-two core; the rest are shifted down by r.
struct Fold {
    int p, core, extra;
    explicit Fold(int ranks) : p(ranks), core(floorPow2(ranks)), extra(ranks - floorPow2(ranks)) {}
    /// Rank in the core, or −1 for an even rank folded into its odd neighbour.
    int coreRank(int r) const {
        if (r < 2 * extra)
            return r % 2 ? r / 2 : -1;
        return r - extra;
    }
    int rankOf(int c) const { return c < extra ? 2 * c + 1 : c + extra; }
    int rounds() const { return extra > 0 ? 1 : 0; }
    /// First round: each even rank < 2r sends its vector to r+1, which combines it.
    void foldIn(int r, std::int64_t count, RoundPlan& out) const {
        if (r >= 2 * extra)
            return;
        if (r % 2 == 0)
            out.sendRange(r + 1, Combine::Reduce, 0, count);
        else
            out.receives = 1;
    }
    /// Last round: the odd rank sends the result back.
    void foldOut(int r, std::int64_t count, RoundPlan& out) const {
        if (r >= 2 * extra)
            return;
        if (r % 2 == 1)
            out.sendRange(r - 1, Combine::Copy, 0, count);
        else
            out.receives = 1;
    }
};

} // namespace

std::unique_ptr<Schedule> recursiveDoublingSchedule(const ScheduleSpec& s, std::string& error) {
    const int p = s.ranks;
    const std::int64_t n = s.count;
    if (s.op == Op::AllGather) {
        // Round k: exchange the 2^k blocks held (the aligned group of r) with r xor 2^k.
        if (!isPow2(p)) {
            error = needPow2(s, "bruck and ring");
            return nullptr;
        }
        return std::make_unique<FnSchedule>(ceilLog2(p), [=](int r, int k, RoundPlan& out) {
            const int m = 1 << k, lo = r & ~(m - 1);
            out.sendRange(r ^ m, Combine::Copy, blockBegin(n, p, lo), blockBegin(n, p, lo + m));
            out.receives = 1;
        });
    }
    // All-reduce (and the barrier's flags): fold in, log₂p' exchanges of the whole vector with
    // core rank c xor 2^k, fold out.
    const Fold f(p);
    const int L = ceilLog2(f.core), F = f.rounds();
    const std::int64_t len = s.op == Op::Barrier ? p : n;
    return std::make_unique<FnSchedule>(L + 2 * F, [=](int r, int k, RoundPlan& out) {
        if (k < F)
            return f.foldIn(r, len, out);
        if (k >= F + L)
            return f.foldOut(r, len, out);
        const int c = f.coreRank(r);
        if (c < 0)
            return;
        out.sendRange(f.rankOf(c ^ (1 << (k - F))), Combine::Reduce, 0, len);
        out.receives = 1;
    });
}

std::unique_ptr<Schedule> rabenseifnerSchedule(const ScheduleSpec& s, std::string& error) {
    const int p = s.ranks;
    const std::int64_t n = s.count;
    if (s.op == Op::ReduceScatter && !isPow2(p)) {
        error = needPow2(s, "ring and linear");
        return nullptr;
    }
    // Core ranks c split the vector into p' blocks. Reduce-scatter by recursive halving: in
    // step k (distance d = p'/2^(k+1)) c keeps the half of its current group's blocks on its
    // side of d and sends the other half to c xor d, which adds it; c ends with block c. Then
    // the all-gather by recursive doubling (distance 1, 2, …) sends the blocks held to c xor d.
    const Fold f(p);
    const int P = f.core, L = ceilLog2(P), F = f.rounds();
    const bool allReduce = s.op == Op::AllReduce;
    const int rounds = allReduce ? 2 * L + 2 * F : L;
    auto blocks = [=](int a, int b) { return std::pair{blockBegin(n, P, a), blockBegin(n, P, b)}; };
    return std::make_unique<FnSchedule>(rounds, [=](int r, int k, RoundPlan& out) {
        const int fk = allReduce ? F : 0;
        if (allReduce && k < F)
            return f.foldIn(r, n, out);
        if (allReduce && k >= F + 2 * L)
            return f.foldOut(r, n, out);
        const int c = allReduce ? f.coreRank(r) : r;
        if (c < 0)
            return;
        const int step = k - fk;
        if (step < L) { // recursive halving
            const int d = P >> (step + 1), lo = c & ~(2 * d - 1);
            const int sendLo = (c & d) ? lo : lo + d;
            auto [b, e] = blocks(sendLo, sendLo + d);
            out.sendRange(allReduce ? f.rankOf(c ^ d) : (c ^ d), Combine::Reduce, b, e);
        } else { // recursive doubling
            const int d = 1 << (step - L), lo = c & ~(d - 1);
            auto [b, e] = blocks(lo, lo + d);
            out.sendRange(f.rankOf(c ^ d), Combine::Copy, b, e);
        }
        out.receives = 1;
    });
}

std::unique_ptr<Schedule> bruckSchedule(const ScheduleSpec& s, std::string& error) {
    const int p = s.ranks, L = ceilLog2(p);
    const std::int64_t n = s.count;
    switch (s.op) {
    case Op::AllGather:
        // Rank r holds blocks r … r+2^k−1 before round k and sends the first min(2^k, p−2^k)
        // of them to r−2^k (blocks keep their places: the rotation is only in the indices).
        return std::make_unique<FnSchedule>(L, [=](int r, int k, RoundPlan& out) {
            const int m = 1 << k;
            sendBlocksMod(out, (r - m + p) % p, Combine::Copy, r, std::min(m, p - m), n, p);
            out.receives = 1;
        });
    case Op::Barrier: // dissemination: round k, flags to r+2^k, from r−2^k
        return std::make_unique<FnSchedule>(L, [=](int r, int k, RoundPlan& out) {
            out.sendRange((r + (1 << k)) % p, Combine::Reduce, 0, p);
            out.receives = 1;
        });
    case Op::AllToAll: {
        // Regions: send [0,n), work [n,2n), receive [2n,3n); blocks of b = n/p.
        // 1. Work slot δ of rank r takes send block (r+δ) mod p (the item for rank r+δ).
        // 2. Round k: the slots whose δ has bit k set move to rank r+2^k, into the same slots
        //    (an item moves by the bits of its distance δ, so it ends at its destination).
        // 3. After the last round, slot δ of rank r holds the item from rank r−δ: copied to
        //    receive block r−δ.
        const std::int64_t b = n / p;
        return std::make_unique<FnSchedule>(
            L + 1,
            [=](int r, int k, RoundPlan& out) {
                if (k == 0)
                    for (int d = 0; d < p; ++d)
                        out.local.push_back({((r + d) % p) * b, n + d * b, b});
                if (k < L) {
                    const int m = 1 << k;
                    PlannedSend send{(r + m) % p, Combine::Copy, int(out.pieces.size()), 0};
                    for (int d = m; d < p; d += 2 * m) { // runs of δ with bit k set
                        const int end = std::min(p, d + m);
                        out.pieces.push_back({n + d * b, n + d * b, (end - d) * b});
                        ++send.pieceCount;
                    }
                    out.sends.push_back(send);
                    out.receives = 1;
                }
                if (k == L)
                    for (int d = 0; d < p; ++d)
                        out.local.push_back({n + d * b, 2 * n + ((r - d + p) % p) * b, b});
            },
            3);
    }
    default:
        error = std::string("bruck does not implement ") + opName(s.op);
        return nullptr;
    }
}

} // namespace aisys::engine::dist
