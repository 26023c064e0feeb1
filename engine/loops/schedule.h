// A scheduled loop nest: the compute definition's axes split, fused, reordered and annotated
// (unroll, vectorize, parallel) by primitives applied one at a time, each checked for legality.
#pragma once

#include "engine/loops/compute.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::loops {

/// How a loop runs.
enum class LoopKind { Serial, Parallel, Unrolled, Vectorized };

/// A loop variable: an axis of the definition or one made by split / fuse.
struct LoopVar {
    std::string name;
    std::int64_t extent = 1;
    bool reduction = false; ///< derived from a reduction axis (the output index ignores it)
};

/// How derived variables give back their parents. Split: parent = outer·factor + inner, with the
/// guard parent < extent(parent) when the factor does not divide it (the tail). Fuse: outer =
/// fused / extent(inner), inner = fused % extent(inner).
struct VarRelation {
    enum class Kind { Split, Fuse } kind = Kind::Split;
    int parent = 0; ///< Split: the variable split; Fuse: the fused variable
    int outer = 0, inner = 0;
    std::int64_t factor = 1; ///< Split only
    bool guarded = false;    ///< Split only: a tail iteration is skipped by `parent < extent`
};

/// One loop of the nest, outermost first.
struct Loop {
    int var = 0;
    LoopKind kind = LoopKind::Serial;
};

/// A schedule primitive as written: `name(arg, ...)`, at `column` (1-based) of its source text.
struct Primitive {
    std::string name;
    std::vector<std::string> args;
    int column = 1;
    /// "name(a, b)", as the messages quote it.
    std::string text() const;
};

/// The nest of a ComputeDef under a schedule. Starts as the naive nest (one loop per axis, in
/// the axes' order); `apply` changes it or says why it may not.
///
/// The legality rules, for single-statement definitions whose only dependences are the
/// accumulation into the output (matmul and the convolutions) or none at all (blur,
/// element-wise):
/// 1. split, tile, fuse and reorder only change the order in which iteration points are
///    visited, never the set. Every output element receives the same terms; for the
///    reductions the terms arrive in another order, which leaves the sum unchanged in exact
///    arithmetic because + is associative and commutative (in float the rounding may differ).
///    So any order is legal; `apply` notes each reorder that moves a reduction loop.
/// 2. fuse joins a loop with the loop directly inside it.
/// 3. vectorize: only the innermost loop, with a constant extent of 2…64 lanes, and not a
///    reduction loop (all lanes would write the same output element); it stays innermost.
/// 4. parallel: not a reduction loop (the iterations would race on the same element).
/// 5. unroll: a constant extent of at most 64.
/// 6. A loop already vectorized, unrolled or parallel is not split or fused again.
class LoopNest {
public:
    explicit LoopNest(ComputeDef def);

    const ComputeDef& def() const { return m_def; }
    const std::vector<LoopVar>& vars() const { return m_vars; }
    const std::vector<VarRelation>& relations() const { return m_relations; }
    const std::vector<Loop>& loops() const { return m_loops; }
    /// What legal primitives had to say (a reduction moved, a guarded tail, masked lanes).
    const std::vector<std::string>& notes() const { return m_notes; }

    /// Applies one primitive; returns "" or the reason it is rejected (the nest is unchanged):
    /// `split(l, f)` → l.o, l.i; `tile(x, y, fx, fy)`; `reorder(l1, l2, …)` (outer → inner, into
    /// the places those loops hold); `fuse(outer, inner)` → outer_inner; `unroll(l)` or
    /// `unroll(l, f)` (split by f, unroll l.i); `vectorize(l)` or `vectorize(l, lanes)` (split
    /// by lanes unless the extent equals them); `parallel(l)`; `compute_at` is rejected (one
    /// stage).
    std::string apply(const Primitive& p);

    /// Position of loop `name` in the nest, or -1.
    int loopIndex(const std::string& name) const;
    /// Iterations of the innermost body over the whole nest, guarded ones included (saturating
    /// at 2^62).
    std::int64_t boxIterations() const;
    /// The loops of the naive nest (for "schedule is empty").
    bool isNaive() const { return m_relations.empty() && m_annotated == 0 && m_reordered == 0; }

private:
    std::string split(const Primitive& p, const std::string& loop, std::int64_t factor,
                      std::string* outerName = nullptr, std::string* innerName = nullptr);
    std::string reorder(const Primitive& p, const std::vector<std::string>& order);
    std::string fuse(const Primitive& p, const std::string& outer, const std::string& inner);
    std::string annotate(const Primitive& p, const std::string& loop, LoopKind kind);
    std::string reductionTarget() const;

    ComputeDef m_def;
    std::vector<LoopVar> m_vars;
    std::vector<VarRelation> m_relations;
    std::vector<Loop> m_loops;
    std::vector<std::string> m_notes;
    int m_annotated = 0, m_reordered = 0;
};

/// Applies every primitive in order to the naive nest of `def`; the first rejection ends it.
Checked<LoopNest> schedule(const ComputeDef& def, const std::vector<Primitive>& primitives);

/// One nest per stage of `p`. Primitives apply to the last stage until `stage(name)` picks
/// another. Each stage still runs whole before the next (no stage is computed inside another's
/// loops), so the rules of one nest are the rules of each; the first rejection ends it.
Checked<std::vector<LoopNest>> schedule(const Pipeline& p,
                                        const std::vector<Primitive>& primitives);

} // namespace aisys::engine::loops
