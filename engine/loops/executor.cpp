// The executor: an odometer over the nest's loops, derived variables resolved back to the axes,
// guards for split tails, values and addresses from the affine indices.
#include "engine/loops/executor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>

namespace aisys::engine::loops {

ArrayData seededData(const ComputeDef& def, std::uint32_t seed) {
    ArrayData d;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> u(-4, 4);
    for (std::size_t a = 0; a < def.arrays.size(); ++a) {
        std::vector<double> v(static_cast<std::size_t>(def.arrays[a].elements()), 0.0);
        if (static_cast<int>(a) != def.out.array)
            for (double& x : v)
                x = u(rng);
        d.arrays.push_back(std::move(v));
    }
    return d;
}

namespace {

/// An access as element index = constant + Σ stride[a]·axis[a].
struct FlatRef {
    int array = 0;
    std::int64_t constant = 0;
    std::vector<std::int64_t> stride;
    std::uint64_t base = 0; ///< the array's byte offset
};

FlatRef flatten(const ComputeDef& def, const ArrayRef& r) {
    FlatRef f;
    f.array = r.array;
    f.stride.assign(def.axes.size(), 0);
    f.base = static_cast<std::uint64_t>(def.arrays[r.array].offset);
    const std::vector<std::int64_t>& dims = def.arrays[r.array].dims;
    std::int64_t rowStride = 1;
    for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
        const AffineIndex& ix = r.index[d];
        f.constant += ix.constant * rowStride;
        for (std::size_t a = 0; a < def.axes.size(); ++a)
            f.stride[a] += ix.coef[a] * rowStride;
        rowStride *= dims[d];
    }
    return f;
}

std::int64_t element(const FlatRef& f, const std::int64_t* axis, std::size_t nAxes) {
    std::int64_t e = f.constant;
    for (std::size_t a = 0; a < nAxes; ++a)
        e += f.stride[a] * axis[a];
    return e;
}

double evaluate(Body body, const double* in, std::size_t n) {
    switch (body) {
    case Body::MulAcc:
        return in[0] * in[1];
    case Body::Mean: {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
            s += in[i];
        return s / static_cast<double>(n);
    }
    case Body::MulAddRelu:
        return std::max(in[0] * in[1] + in[2], 0.0);
    case Body::Add:
    case Body::Max:
        return in[0];
    case Body::Fill:
        return -std::numeric_limits<double>::infinity();
    case Body::ExpSub:
        return std::exp(in[0] - in[1]);
    case Body::Div:
        return in[0] / in[1];
    }
    return 0;
}

/// The output's new value: v, or combined with the old one (a sum, or a max).
double combine(const ComputeDef& def, double old, double v) {
    if (!def.accumulate)
        return v;
    return def.body == Body::Max ? std::max(old, v) : old + v;
}

/// Batches trace events for the sink.
struct Emitter {
    TraceSink* sink;
    std::array<TraceEvent, 4096> buf;
    std::size_t n = 0;
    void put(std::uint64_t address, int array, bool write) {
        buf[n++] = {address, static_cast<std::uint16_t>(array), write};
        if (n == buf.size())
            flush();
    }
    void flush() {
        if (n)
            sink->consume(std::span<const TraceEvent>(buf.data(), n));
        n = 0;
    }
};

constexpr int kMaxLanes = 64;

/// Loop values in `val` → every derived variable → the axes; false if a guard fails.
bool resolve(const std::vector<VarRelation>& rel, const std::vector<LoopVar>& vars,
             std::vector<std::int64_t>& val) {
    for (auto r = rel.rbegin(); r != rel.rend(); ++r) {
        if (r->kind == VarRelation::Kind::Split) {
            val[r->parent] = val[r->outer] * r->factor + val[r->inner];
        } else {
            const std::int64_t e = vars[r->inner].extent;
            val[r->outer] = val[r->parent] / e;
            val[r->inner] = val[r->parent] % e;
        }
    }
    for (const VarRelation& r : rel)
        if (r.guarded && val[r.parent] >= vars[r.parent].extent)
            return false;
    return true;
}

} // namespace

RunStats execute(const LoopNest& nest, ArrayData* data, TraceSink* sink, int markLoop) {
    const ComputeDef& def = nest.def();
    const std::vector<LoopVar>& vars = nest.vars();
    const std::vector<VarRelation>& rel = nest.relations();
    const std::vector<Loop>& loops = nest.loops();
    const std::size_t nAxes = def.axes.size(), nLoads = def.loads.size();
    std::vector<FlatRef> loads;
    for (const ArrayRef& r : def.loads)
        loads.push_back(flatten(def, r));
    const FlatRef out = flatten(def, def.out);
    RunStats st;
    Emitter em{sink, {}, 0};

    // 1. The innermost loop runs as one group when it is vectorized, else each point alone.
    const bool vec = !loops.empty() && loops.back().kind == LoopKind::Vectorized;
    const std::size_t depth = loops.size() - (vec ? 1 : 0);
    const std::int64_t lanes = vec ? vars[loops.back().var].extent : 1;
    std::vector<std::int64_t> val(vars.size(), 0), idx(depth, 0);
    std::vector<std::int64_t> laneElem(static_cast<std::size_t>(lanes) * (nLoads + 1));
    std::array<bool, kMaxLanes> laneOk{};
    std::vector<double> in(nLoads);
    std::vector<double> laneIn(static_cast<std::size_t>(lanes) * nLoads);

    for (std::size_t d = 0; d < depth; ++d)
        if (vars[loops[d].var].extent <= 0)
            return st;
    const bool mark = sink && markLoop >= 0 && markLoop < static_cast<int>(depth);
    std::int64_t ordinal = 0;
    std::size_t changed = 0; // the outermost loop whose counter moved in the last step
    for (;;) {
        for (std::size_t d = 0; d < depth; ++d)
            val[loops[d].var] = idx[d];
        if (mark && changed <= static_cast<std::size_t>(markLoop)) {
            em.flush();
            sink->iteration(ordinal++, idx[markLoop]);
        }
        // 3. One group: resolve each lane, then loads lane by lane per access, then stores.
        int valid = 0;
        for (std::int64_t l = 0; l < lanes; ++l) {
            if (vec)
                val[loops.back().var] = l;
            laneOk[l] = resolve(rel, vars, val); // 2. the point's axes, or a guarded tail
            if (!laneOk[l]) {
                ++st.skipped;
                continue;
            }
            ++valid;
            std::int64_t* e = &laneElem[l * (nLoads + 1)];
            for (std::size_t r = 0; r < nLoads; ++r)
                e[r] = element(loads[r], val.data(), nAxes);
            e[nLoads] = element(out, val.data(), nAxes);
        }
        if (valid > 0) {
            ++st.vectorGroups;
            st.lanesUsed += valid;
            st.lanesOffered += lanes;
            st.bodyIterations += valid;
            for (std::size_t r = 0; r <= nLoads; ++r) {
                if (r == nLoads && !def.accumulate)
                    break;
                const FlatRef& f = r < nLoads ? loads[r] : out;
                for (std::int64_t l = 0; l < lanes; ++l)
                    if (laneOk[l]) {
                        const std::int64_t e = laneElem[l * (nLoads + 1) + r];
                        ++st.loads;
                        if (sink)
                            em.put(f.base + static_cast<std::uint64_t>(e) * kElemBytes, f.array,
                                   false);
                        if (data && r < nLoads)
                            laneIn[l * nLoads + r] = data->arrays[f.array][e];
                    }
            }
            for (std::int64_t l = 0; l < lanes; ++l)
                if (laneOk[l]) {
                    const std::int64_t e = laneElem[l * (nLoads + 1) + nLoads];
                    ++st.stores;
                    if (sink)
                        em.put(out.base + static_cast<std::uint64_t>(e) * kElemBytes, out.array,
                               true);
                    if (data) {
                        for (std::size_t r = 0; r < nLoads; ++r)
                            in[r] = laneIn[l * nLoads + r];
                        const double v = evaluate(def.body, in.data(), nLoads);
                        double& o = data->arrays[out.array][e];
                        o = combine(def, o, v);
                    }
                }
        }
        // 4. Advance the odometer, innermost (non-vector) loop first; done when all wrap.
        bool done = true;
        for (std::size_t d = depth; d > 0; --d) {
            changed = d - 1;
            if (++idx[d - 1] < vars[loops[d - 1].var].extent) {
                done = false;
                break;
            }
            idx[d - 1] = 0;
        }
        if (done)
            break;
    }
    if (sink)
        em.flush();
    return st;
}

std::vector<PointVisit> visitOrder(const LoopNest& nest, std::int64_t limit) {
    const std::vector<LoopVar>& vars = nest.vars();
    const std::vector<Loop>& loops = nest.loops();
    std::vector<PointVisit> out;
    std::vector<std::int64_t> val(vars.size(), 0), idx(loops.size(), 0);
    const std::size_t nAxes = nest.def().axes.size();
    while (static_cast<std::int64_t>(out.size()) < limit) {
        for (std::size_t d = 0; d < loops.size(); ++d)
            val[loops[d].var] = idx[d];
        if (resolve(nest.relations(), vars, val))
            out.push_back({idx, std::vector<std::int64_t>(val.begin(), val.begin() + nAxes)});
        bool done = true;
        for (std::size_t d = loops.size(); d > 0; --d) {
            if (++idx[d - 1] < vars[loops[d - 1].var].extent) {
                done = false;
                break;
            }
            idx[d - 1] = 0;
        }
        if (done)
            break;
    }
    return out;
}

namespace {

/// The naive nest of one definition over `d`: the axes as an odometer in their own order,
/// written without a LoopNest.
void runNaive(const ComputeDef& def, ArrayData& d) {
    const std::size_t nAxes = def.axes.size();
    std::vector<FlatRef> loads;
    for (const ArrayRef& r : def.loads)
        loads.push_back(flatten(def, r));
    const FlatRef out = flatten(def, def.out);
    std::vector<std::int64_t> axis(nAxes, 0);
    std::vector<double> in(loads.size());
    for (;;) {
        for (std::size_t r = 0; r < loads.size(); ++r)
            in[r] = d.arrays[loads[r].array][element(loads[r], axis.data(), nAxes)];
        double& o = d.arrays[out.array][element(out, axis.data(), nAxes)];
        o = combine(def, o, evaluate(def.body, in.data(), in.size()));
        std::size_t a = nAxes;
        bool done = true;
        while (a > 0) {
            --a;
            if (++axis[a] < def.axes[a].extent) {
                done = false;
                break;
            }
            axis[a] = 0;
        }
        if (done)
            break;
    }
}

} // namespace

ArrayData reference(const ComputeDef& def, std::uint32_t seed) {
    ArrayData d = seededData(def, seed);
    runNaive(def, d);
    return d;
}

ArrayData seededData(const Pipeline& p, std::uint32_t seed) {
    ArrayData d = seededData(p.stages.front(), seed);
    for (const ComputeDef& s : p.stages)
        std::fill(d.arrays[s.out.array].begin(), d.arrays[s.out.array].end(), 0.0);
    return d;
}

ArrayData reference(const Pipeline& p, std::uint32_t seed) {
    ArrayData d = seededData(p, seed);
    for (const ComputeDef& s : p.stages)
        runNaive(s, d);
    return d;
}

RunStats execute(const std::vector<LoopNest>& stages, ArrayData* data, TraceSink* sink) {
    RunStats all;
    for (const LoopNest& n : stages) {
        const RunStats st = execute(n, data, sink);
        all.bodyIterations += st.bodyIterations;
        all.skipped += st.skipped;
        all.vectorGroups += st.vectorGroups;
        all.lanesUsed += st.lanesUsed;
        all.lanesOffered += st.lanesOffered;
        all.loads += st.loads;
        all.stores += st.stores;
    }
    return all;
}

} // namespace aisys::engine::loops
