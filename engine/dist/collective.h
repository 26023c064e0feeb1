// Collective operations and their algorithms as schedules: what every rank sends, to whom and
// which elements, round by round.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::dist {

/// The primitives.
enum class Op {
    Broadcast,
    Scatter,
    Gather,
    Reduce,
    AllReduce,
    AllGather,
    ReduceScatter,
    AllToAll,
    Barrier
};
/// The algorithms.
enum class Algo {
    Linear,
    Ring,
    Binomial,
    DoubleBinaryTree,
    RecursiveDoubling,
    Rabenseifner,
    Bruck,
    Hierarchical
};

/// "broadcast", "scatter", "gather", "reduce", "all-reduce", "all-gather", "reduce-scatter",
/// "all-to-all", "barrier".
const char* opName(Op op);
/// "linear", "ring", "binomial", "double-binary-tree", "recursive-doubling", "rabenseifner",
/// "bruck", "hierarchical".
const char* algoName(Algo algo);
/// By name (also "allreduce", "alltoall", "tree" = binomial, "dbt", "rd", "halving-doubling").
std::optional<Op> parseOp(const std::string& name);
std::optional<Algo> parseAlgo(const std::string& name);
/// Comma-separated names, for messages and help.
std::string opNames();
std::string algoNames();
/// The algorithms that implement `op`, in algoNames() order.
std::vector<Algo> algorithmsFor(Op op);

/// `len` elements read at `src` in the sender's buffer and written at `dst` in the receiver's
/// (or, for a local piece, both in the rank's own buffer).
struct Piece {
    std::int64_t src = 0, dst = 0, len = 0;
};

/// How a received piece lands: copied over, or combined with the op's reduction (sum; for a
/// barrier, max of "has heard from rank i" flags).
enum class Combine : std::uint8_t { Copy, Reduce };

/// One message of a round.
struct PlannedSend {
    int to = 0;
    Combine combine = Combine::Copy;
    int firstPiece = 0, pieceCount = 0; ///< into RoundPlan::pieces
};

/// What one rank does in one round: local copies first, then its sends (which read the buffer
/// as it is at the start of the round), and how many messages it receives in the round.
struct RoundPlan {
    std::vector<Piece> local;
    std::vector<Piece> pieces;
    std::vector<PlannedSend> sends;
    int receives = 0;
    void clear() {
        local.clear();
        pieces.clear();
        sends.clear();
        receives = 0;
    }
    /// Appends a send of the pieces given.
    void send(int to, Combine c, std::initializer_list<Piece> ps);
    /// Appends a send of [begin, end) to the same place at the receiver (a zero-byte message
    /// when the range is empty: the receiver still counts it).
    void sendRange(int to, Combine c, std::int64_t begin, std::int64_t end);
};

/// What a schedule is built for. `count` is the element count of the buffer the op works on
/// per rank, as nccl-tests' "count" × ranks for the gathering ops: all-reduce, broadcast,
/// reduce: the vector; all-gather, reduce-scatter, gather, scatter: the whole concatenated
/// array (rank r's share is block r); all-to-all: the send buffer (block d goes to rank d);
/// barrier: p flags.
struct ScheduleSpec {
    Op op = Op::AllReduce;
    Algo algo = Algo::Ring;
    int ranks = 2;
    std::int64_t count = 0;
    int root = 0;
    int ranksPerNode = 0; ///< hierarchical: ranks of one node (consecutive ranks)
    int segments = 1;     ///< ring broadcast/reduce and double binary tree: pipeline segments
};

/// A collective algorithm, round by round. Round semantics (the simulator's contract): a rank
/// enters round k when it has finished round k-1 (every message it sent in k-1 delivered,
/// every message it expects in k-1 received); on entering it does its local copies, then
/// starts its sends, which read its buffer at that instant; received pieces land on arrival
/// (an early arrival for a later round waits until the rank enters that round).
class Schedule {
public:
    virtual ~Schedule() = default;
    /// Rounds of the whole collective (some ranks idle in some rounds).
    virtual int rounds() const = 0;
    /// Fills `out` (cleared first) with rank `rank`'s part of round `round`.
    virtual void plan(int rank, int round, RoundPlan& out) const = 0;
    /// Buffer regions of `count` elements per rank (all-to-all: send, work, receive = 3).
    virtual int regions() const { return 1; }
};

/// The schedule of spec.algo for spec.op, or nullptr with `error` saying why (unknown
/// combination, a rank count the algorithm cannot handle, a count too small).
/// Non-powers of two: recursive doubling and Rabenseifner's all-reduce fold the first 2r ranks
/// in pairs (r = p − 2^⌊log₂p⌋, MPICH's approach): the even rank of each pair sends its vector
/// to the odd one in a first round and gets the result back in a last round. Recursive
/// doubling all-gather and recursive halving reduce-scatter need a power of two (use bruck or
/// ring).
std::unique_ptr<Schedule> makeSchedule(const ScheduleSpec& spec, std::string& error);

/// [begin, end) of block j when `count` elements are split into p nearly equal blocks.
inline std::int64_t blockBegin(std::int64_t count, int p, std::int64_t j) {
    return j * count / p;
}

} // namespace aisys::engine::dist
