// Megatron-style tensor parallelism on real shards (see tensor_parallel.h).
//
// The layer and its split (Shoeybi et al., "Megatron-LM", arXiv:1909.08053, §3, Figures 3–4):
//  - attention: Wq, Wk, Wv split by columns = by heads (rank r holds heads r·a/t …), Wo by
//    rows; each rank's output is a partial sum of the layer's output;
//  - MLP: A split by columns (GeLU needs no communication), B by rows; partial sums again;
//  - f: identity forward, all-reduce of the input's gradient backward; g: all-reduce of the
//    partial sums forward, identity backward — two all-reduces forward and two backward per
//    layer;
//  - output layer E split by vocabulary columns and a vocabulary-parallel cross-entropy that
//    exchanges per-token scalars instead of the b·s·v logits: the maximum logit, the sum of
//    exponentials and the target's logit (Megatron-LM megatron/core/tensor_parallel/
//    cross_entropy.py, _VocabParallelCrossEntropy: all-reduce MAX, then SUM, SUM). The
//    simulator reduces by sum only, so the maximum is an all-gather of the t local maxima
//    followed by a local max (t·b·s floats instead of b·s).
// Each rank's pieces run eagerly on an engine tape; their backward is the captured tape's
// reverse-mode graph (engine/autodiff) fed with the incoming gradient as the seed.
#include "engine/dist/tensor_parallel.h"

#include "engine/autodiff/reverse.h"
#include "engine/dist/simulate.h"
#include "engine/eager/functions.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace aisys::engine::dist {

namespace eg = engine::eager;

double TensorParallelResult::worstRelative() const {
    double w = 0;
    for (const TpComparison& c : compared)
        w = std::max(w, c.maxAbsRef > 0 ? c.maxAbsDiff / c.maxAbsRef : c.maxAbsDiff);
    return w;
}

std::string checkTensorParallel(const TransformerLayerShape& s, int t) {
    const std::pair<const char*, int> fields[] = {{"batch", s.batch},   {"seq", s.seq},
                                                  {"hidden", s.hidden}, {"heads", s.heads},
                                                  {"ffn", s.ffn},       {"vocab", s.vocab}};
    for (const auto& [name, v] : fields)
        if (v < 1)
            return std::string(name) + ": expected at least 1, got " + std::to_string(v);
    if (t < 1)
        return "tensor-parallel ranks: expected at least 1, got " + std::to_string(t);
    if (s.hidden % s.heads != 0)
        return "hidden " + std::to_string(s.hidden) + " is not divisible by heads " +
               std::to_string(s.heads) + " (each head needs hidden/heads dimensions)";
    auto divides = [&](const char* what, int n) -> std::string {
        if (n % t == 0)
            return "";
        return "tensor parallel " + std::to_string(t) + " does not divide " + what + " " +
               std::to_string(n) + " (each rank must hold the same number of " + what + ")";
    };
    for (std::string e :
         {divides("heads", s.heads), divides("ffn", s.ffn), divides("vocab", s.vocab)})
        if (!e.empty())
            return e;
    return "";
}

namespace {

/// Deterministic values in [−scale, scale] (a 64-bit LCG, Knuth's MMIX constants).
Tensor randomTensor(Shape shape, double scale, std::uint64_t& state) {
    std::vector<float> v(std::size_t(numElements(shape)));
    for (float& x : v) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        x = float(scale * (double(state >> 11) / double(1ull << 53) * 2.0 - 1.0));
    }
    return Tensor::f32(std::move(shape), std::move(v));
}

/// Columns [c0, c0 + n) of a rows × cols matrix.
Tensor columns(const Tensor& m, std::int64_t c0, std::int64_t n) {
    const std::int64_t rows = m.shape()[0], cols = m.shape()[1];
    Tensor out(DType::F32, {rows, n});
    out.matF32(rows, n) = m.matF32(rows, cols).middleCols(c0, n);
    return out;
}
Tensor rowsOf(const Tensor& m, std::int64_t r0, std::int64_t n) {
    const std::int64_t rows = m.shape()[0], cols = m.shape()[1];
    Tensor out(DType::F32, {n, cols});
    out.matF32(n, cols) = m.matF32(rows, cols).middleRows(r0, n);
    return out;
}
/// Shards side by side (columns) or stacked (rows).
Tensor joinColumns(const std::vector<Tensor>& parts) {
    const std::int64_t rows = parts[0].shape()[0], n = parts[0].shape()[1];
    Tensor out(DType::F32, {rows, n * std::int64_t(parts.size())});
    for (std::size_t r = 0; r < parts.size(); ++r)
        out.matF32(rows, n * std::int64_t(parts.size())).middleCols(std::int64_t(r) * n, n) =
            parts[r].matF32(rows, n);
    return out;
}
Tensor joinRows(const std::vector<Tensor>& parts) {
    const std::int64_t n = parts[0].shape()[0], cols = parts[0].shape()[1];
    Tensor out(DType::F32, {n * std::int64_t(parts.size()), cols});
    for (std::size_t r = 0; r < parts.size(); ++r)
        out.matF32(n * std::int64_t(parts.size()), cols).middleRows(std::int64_t(r) * n, n) =
            parts[r].matF32(n, cols);
    return out;
}

Tensor addTensors(const Tensor& a, const Tensor& b) {
    Tensor out = a;
    float* o = out.data<float>();
    const float* q = b.data<float>();
    for (std::int64_t i = 0; i < out.numel(); ++i)
        o[i] += q[i];
    return out;
}

TpComparison compare(const std::string& name, const Tensor& got, const Tensor& want) {
    if (got.numel() != want.numel())
        throw std::logic_error("tensor parallel: " + name + " has a different size"); // our bug
    TpComparison c{name, 0, 0};
    for (std::int64_t i = 0; i < got.numel(); ++i) {
        c.maxAbsDiff = std::max(c.maxAbsDiff, std::fabs(got.at(i) - want.at(i)));
        c.maxAbsRef = std::max(c.maxAbsRef, std::fabs(want.at(i)));
    }
    return c;
}

/// Causal mask [seq, seq]: 0 on and below the diagonal, −1e9 above.
Tensor causalMask(int seq) {
    std::vector<float> v(std::size_t(seq) * std::size_t(seq), 0.0f);
    for (int i = 0; i < seq; ++i)
        for (int j = i + 1; j < seq; ++j)
            v[std::size_t(i) * std::size_t(seq) + std::size_t(j)] = -1e9f;
    return Tensor::f32({seq, seq}, std::move(v));
}

/// Causal self-attention of x [b, s, h] over `heads` heads with Wq/Wk/Wv [h, heads·d] and
/// Wo [heads·d, h]: with all heads the layer's attention, with a rank's heads its partial sum.
eg::Tensor attention(eg::Tape& tape, const eg::Tensor& x, const eg::Tensor& wq,
                     const eg::Tensor& wk, const eg::Tensor& wv, const eg::Tensor& wo,
                     const TransformerLayerShape& s, int heads) {
    const std::int64_t d = s.hidden / s.heads, b = s.batch, q = s.seq;
    auto split = [&](const eg::Tensor& w, std::vector<std::int64_t> perm) {
        return eg::transpose(eg::reshape(eg::matmul(x, w), {b, q, heads, d}), std::move(perm));
    };
    const eg::Tensor Q = split(wq, {0, 2, 1, 3}); // [b, heads, s, d]
    const eg::Tensor K = split(wk, {0, 2, 3, 1}); // [b, heads, d, s]
    const eg::Tensor V = split(wv, {0, 2, 1, 3});
    const eg::Tensor scores =
        eg::matmul(Q, K) * (1.0 / std::sqrt(double(d))) + tape.constant(causalMask(s.seq));
    const eg::Tensor ctx = eg::matmul(eg::softmax(scores, -1), V); // [b, heads, s, d]
    const eg::Tensor merged = eg::reshape(eg::transpose(ctx, {0, 2, 1, 3}), {b, q, heads * d});
    return eg::matmul(merged, wo);
}

eg::Tensor mlp(eg::Tape& tape, const eg::Tensor& x, const eg::Tensor& a, const eg::Tensor& bw) {
    return eg::matmul(tape.apply1("Gelu", {eg::matmul(x, a)}), bw);
}

/// Vector-Jacobian product of a captured tape: the gradients of `outs` (seeded with `seeds`)
/// with respect to `wrt`, the tape's inputs fed with `feeds`.
std::map<std::string, Tensor> vjp(const eg::Tape& tape, const std::vector<eg::Tensor>& outs,
                                  const std::vector<Tensor>& seeds,
                                  const std::vector<std::string>& wrt,
                                  std::map<std::string, Tensor> feeds) {
    const Graph g = tape.capture(outs);
    std::vector<std::string> names;
    for (const eg::Tensor& o : outs)
        names.push_back(o.name());
    const BackwardGraph bg = buildBackward(g, names, wrt);
    for (std::size_t i = 0; i < outs.size(); ++i) {
        const std::string& seed = bg.seeds.at(names[i]);
        const int id = bg.graph.findValue(seed);
        if (std::find(bg.graph.inputs.begin(), bg.graph.inputs.end(), id) != bg.graph.inputs.end())
            feeds[seed] = seeds[i].reshaped(outs[i].shape());
    }
    return runBackward(bg, feeds).gradients;
}

/// One rank's tape for one piece of the layer, kept from forward to backward.
struct ShardPiece {
    std::unique_ptr<eg::Tape> tape = std::make_unique<eg::Tape>();
    std::vector<eg::Tensor> outs;
    std::map<std::string, Tensor> feeds;
};

class Comm {
public:
    Comm(const TensorParallelConfig& cfg, TensorParallelResult& res) : m_cfg(cfg), m_res(res) {
        ShapeParams p = cfg.net;
        p.ranks = cfg.ranks;
        std::string err;
        auto topo = makeTopology(cfg.topology, p, err);
        if (!topo)
            throw std::invalid_argument("topology: " + err);
        m_topo = std::move(*topo);
    }
    /// Sum of every rank's tensor (same shape), on the simulator.
    std::vector<Tensor> allReduce(const std::vector<Tensor>& in, const std::string& what,
                                  const std::string& phase) {
        std::vector<Tensor> flat;
        for (const Tensor& t : in)
            flat.push_back(t.reshaped({t.numel()}));
        std::vector<Tensor> out = run(Op::AllReduce, flat, what, phase);
        for (Tensor& t : out)
            t = t.reshaped(in[0].shape());
        return out;
    }
    /// Every rank's tensor of n elements → the t·n concatenation on every rank.
    std::vector<Tensor> allGather(const std::vector<Tensor>& in, const std::string& what,
                                  const std::string& phase) {
        const std::int64_t n = in[0].numel(), t = std::int64_t(in.size());
        std::vector<Tensor> bufs;
        for (std::int64_t r = 0; r < t; ++r) {
            Tensor b(DType::F32, {n * t});
            std::copy_n(in[std::size_t(r)].data<float>(), n, b.data<float>() + r * n);
            bufs.push_back(std::move(b));
        }
        return run(Op::AllGather, bufs, what, phase);
    }

private:
    std::vector<Tensor> run(Op op, std::vector<Tensor> bufs, const std::string& what,
                            const std::string& phase) {
        if (m_cfg.ranks == 1) // nothing to exchange
            return bufs;
        CollectiveConfig c;
        c.op = op;
        c.algo = m_cfg.algo;
        c.bytes = bufs[0].numel() * 4;
        c.payloadBudget = std::max(c.payloadBudget, bufs[0].numel() * std::int64_t(bufs.size()));
        c.inputs = std::move(bufs);
        c.keepBuffers = true;
        std::string err;
        auto r = simulateCollective(m_topo, c, err);
        if (!r)
            throw std::invalid_argument(what + ": " + err);
        m_res.collectives.push_back({what, phase, op, r->size, r->time, r->busbw,
                                     r->rankBytes.empty() ? 0 : r->rankBytes[0], r->verified});
        m_res.commTime += r->time;
        m_res.commBytesRank += m_res.collectives.back().rankBytes;
        return r->buffers;
    }

    const TensorParallelConfig& m_cfg;
    TensorParallelResult& m_res;
    Topology m_topo;
};

struct Weights {
    Tensor x, wq, wk, wv, wo, a, b, e;
    std::vector<int> targets;
};

Weights makeWeights(const TransformerLayerShape& s, unsigned seed) {
    std::uint64_t st = 0x9E3779B97F4A7C15ull ^ seed;
    const double sh = 1.0 / std::sqrt(double(s.hidden)), sf = 1.0 / std::sqrt(double(s.ffn));
    Weights w;
    w.x = randomTensor({s.batch, s.seq, s.hidden}, 1.0, st);
    w.wq = randomTensor({s.hidden, s.hidden}, sh, st);
    w.wk = randomTensor({s.hidden, s.hidden}, sh, st);
    w.wv = randomTensor({s.hidden, s.hidden}, sh, st);
    w.wo = randomTensor({s.hidden, s.hidden}, sh, st);
    w.a = randomTensor({s.hidden, s.ffn}, sh, st);
    w.b = randomTensor({s.ffn, s.hidden}, sf, st);
    w.e = randomTensor({s.hidden, s.vocab}, sh, st);
    for (int i = 0; i < s.batch * s.seq; ++i) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        w.targets.push_back(int((st >> 33) % std::uint64_t(s.vocab)));
    }
    return w;
}

/// One-hot targets over vocabulary columns [v0, v0 + n): [b, s, n].
Tensor oneHot(const TransformerLayerShape& s, const std::vector<int>& targets, int v0, int n) {
    Tensor t(DType::F32, {s.batch, s.seq, n});
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (targets[i] >= v0 && targets[i] < v0 + n)
            t.data<float>()[std::int64_t(i) * n + (targets[i] - v0)] = 1.0f;
    return t;
}

/// The unsharded layer on one tape: forward values and every gradient.
struct Reference {
    Tensor h1, h2, dx, dwq, dwk, dwv, dwo, da, db, de;
    double loss = 0;
};

Reference reference(const TransformerLayerShape& s, const Weights& w) {
    eg::Tape tape;
    const eg::Tensor x = tape.input("X", w.x);
    const eg::Tensor wq = tape.parameter("Wq", w.wq), wk = tape.parameter("Wk", w.wk),
                     wv = tape.parameter("Wv", w.wv), wo = tape.parameter("Wo", w.wo),
                     a = tape.parameter("A", w.a), b = tape.parameter("B", w.b),
                     e = tape.parameter("E", w.e);
    const eg::Tensor h1 = x + attention(tape, x, wq, wk, wv, wo, s, s.heads);
    const eg::Tensor h2 = h1 + mlp(tape, h1, a, b);
    // Cross-entropy through LogSoftmax over the whole vocabulary (not the sharded formula).
    const eg::Tensor ls =
        tape.apply1("LogSoftmax", {eg::matmul(h2, e)}, {{"axis", std::int64_t(-1)}});
    const eg::Tensor picked = eg::sum(ls * tape.constant(oneHot(s, w.targets, 0, s.vocab)));
    const eg::Tensor loss = picked * (-1.0 / double(s.batch * s.seq));
    Reference r;
    r.h1 = h1.value();
    r.h2 = h2.value();
    r.loss = loss.value().at(0);
    auto g = vjp(tape, {loss}, {Tensor::f32({}, {1.0f})},
                 {"X", "Wq", "Wk", "Wv", "Wo", "A", "B", "E"}, {{"X", w.x}});
    r.dx = g.at("X");
    r.dwq = g.at("Wq");
    r.dwk = g.at("Wk");
    r.dwv = g.at("Wv");
    r.dwo = g.at("Wo");
    r.da = g.at("A");
    r.db = g.at("B");
    r.de = g.at("E");
    return r;
}

} // namespace

TensorParallelResult runTensorParallel(const TransformerLayerShape& s,
                                       const TensorParallelConfig& cfg) {
    // 1. Check the split; weights, tokens, targets; the unsharded reference.
    // 2. Forward per rank: attention piece → g → residual; MLP piece → g → residual; output
    //    shard → local max → all-gather → Σexp and target logit → two all-reduces → loss.
    // 3. Backward per rank in reverse, each piece's autodiff seeded with the incoming gradient;
    //    the f all-reduces of the pieces' input gradients.
    // 4. Join the shards' weight gradients and compare everything with the reference.
    if (std::string e = checkTensorParallel(s, cfg.ranks); !e.empty())
        throw std::invalid_argument(e);
    const int t = cfg.ranks;
    const std::size_t nt = std::size_t(t);
    const Weights w = makeWeights(s, cfg.seed);
    const Reference ref = reference(s, w);
    TensorParallelResult res;
    Comm comm(cfg, res);
    const std::int64_t hr = s.hidden / t, fr = s.ffn / t, vr = s.vocab / t;
    const std::int64_t tokens = std::int64_t(s.batch) * s.seq;

    // 2. Forward. X is replicated (f: identity).
    std::vector<ShardPiece> att(nt), ffn(nt), out(nt);
    std::vector<Tensor> part(nt);
    for (std::size_t r = 0; r < nt; ++r) {
        ShardPiece& pc = att[r];
        eg::Tape& tp = *pc.tape;
        const std::int64_t c0 = std::int64_t(r) * hr;
        const eg::Tensor x = tp.input("X", w.x);
        pc.outs = {attention(tp, x, tp.parameter("Wq", columns(w.wq, c0, hr)),
                             tp.parameter("Wk", columns(w.wk, c0, hr)),
                             tp.parameter("Wv", columns(w.wv, c0, hr)),
                             tp.parameter("Wo", rowsOf(w.wo, c0, hr)), s, s.heads / t)};
        pc.feeds = {{"X", w.x}};
        part[r] = pc.outs[0].value();
    }
    const Tensor h1 = addTensors(w.x, comm.allReduce(part, "g: attention output", "forward")[0]);
    for (std::size_t r = 0; r < nt; ++r) {
        ShardPiece& pc = ffn[r];
        eg::Tape& tp = *pc.tape;
        const std::int64_t c0 = std::int64_t(r) * fr;
        pc.outs = {mlp(tp, tp.input("H1", h1), tp.parameter("A", columns(w.a, c0, fr)),
                       tp.parameter("B", rowsOf(w.b, c0, fr)))};
        pc.feeds = {{"H1", h1}};
        part[r] = pc.outs[0].value();
    }
    const Tensor h2 = addTensors(h1, comm.allReduce(part, "g: MLP output", "forward")[0]);
    // Output layer: each rank's vocabulary columns; the per-token maximum of its logits.
    std::vector<Tensor> logits(nt), localMax(nt);
    for (std::size_t r = 0; r < nt; ++r) {
        Tensor l = Tensor(DType::F32, {tokens, vr});
        l.matF32(tokens, vr) = h2.matF32(tokens, s.hidden) *
                               columns(w.e, std::int64_t(r) * vr, vr).matF32(s.hidden, vr);
        localMax[r] = Tensor(DType::F32, {tokens});
        for (std::int64_t i = 0; i < tokens; ++i)
            localMax[r].data<float>()[i] = l.matF32(tokens, vr).row(i).maxCoeff();
        logits[r] = std::move(l);
    }
    const Tensor maxes =
        comm.allGather(localMax, "vocab-parallel CE: maximum logit (all-gather)", "forward")[0];
    Tensor m(DType::F32, {s.batch, s.seq, 1});
    for (std::int64_t i = 0; i < tokens; ++i) {
        float mx = maxes.data<float>()[i];
        for (int r = 1; r < t; ++r)
            mx = std::max(mx, maxes.data<float>()[std::int64_t(r) * tokens + i]);
        m.data<float>()[i] = mx;
    }
    std::vector<Tensor> sumExp(nt), target(nt);
    for (std::size_t r = 0; r < nt; ++r) {
        ShardPiece& pc = out[r];
        eg::Tape& tp = *pc.tape;
        const int v0 = int(r) * int(vr);
        const eg::Tensor lg =
            eg::matmul(tp.input("H2", h2), tp.parameter("E", columns(w.e, v0, vr)));
        const eg::Tensor mx = tp.input("M", m);
        const eg::Tensor hot = tp.input("T", oneHot(s, w.targets, v0, int(vr)));
        pc.outs = {eg::sum(eg::exp(lg - mx), {-1}), eg::sum(lg * hot, {-1})};
        pc.feeds = {{"H2", h2}, {"M", m}, {"T", hot.value()}};
        sumExp[r] = pc.outs[0].value();
        target[r] = pc.outs[1].value();
    }
    const Tensor S = comm.allReduce(sumExp, "vocab-parallel CE: sum of exponentials", "forward")[0];
    const Tensor T = comm.allReduce(target, "vocab-parallel CE: target logit", "forward")[0];
    double loss = 0;
    for (std::int64_t i = 0; i < tokens; ++i)
        loss += std::log(double(S.at(i))) + m.at(i) - T.at(i);
    res.loss = loss / double(tokens);
    res.referenceLoss = ref.loss;

    // 3. Backward. loss = mean(log S + m − T): ∂/∂S = 1/(N·S), ∂/∂T = −1/N on every rank (the
    // all-reduce's backward hands the sum's gradient to every partial).
    Tensor dS(DType::F32, S.shape()), dT(DType::F32, T.shape());
    for (std::int64_t i = 0; i < tokens; ++i) {
        dS.data<float>()[i] = float(1.0 / (double(tokens) * double(S.at(i))));
        dT.data<float>()[i] = float(-1.0 / double(tokens));
    }
    std::vector<Tensor> dE(nt), dA(nt), dB(nt), dWq(nt), dWk(nt), dWv(nt), dWo(nt);
    for (std::size_t r = 0; r < nt; ++r) {
        auto g = vjp(*out[r].tape, out[r].outs, {dS, dT}, {"H2", "E"}, out[r].feeds);
        part[r] = g.at("H2");
        dE[r] = g.at("E");
    }
    const Tensor dH2 = comm.allReduce(part, "f: output layer input gradient", "backward")[0];
    for (std::size_t r = 0; r < nt; ++r) { // g's backward: dH2 itself reaches every rank
        auto g = vjp(*ffn[r].tape, ffn[r].outs, {dH2}, {"H1", "A", "B"}, ffn[r].feeds);
        part[r] = g.at("H1");
        dA[r] = g.at("A");
        dB[r] = g.at("B");
    }
    const Tensor dH1 =
        addTensors(dH2, comm.allReduce(part, "f: MLP input gradient", "backward")[0]);
    for (std::size_t r = 0; r < nt; ++r) {
        auto g = vjp(*att[r].tape, att[r].outs, {dH1}, {"X", "Wq", "Wk", "Wv", "Wo"}, att[r].feeds);
        part[r] = g.at("X");
        dWq[r] = g.at("Wq");
        dWk[r] = g.at("Wk");
        dWv[r] = g.at("Wv");
        dWo[r] = g.at("Wo");
    }
    const Tensor dX =
        addTensors(dH1, comm.allReduce(part, "f: attention input gradient", "backward")[0]);

    // 4. Compare.
    res.compared = {
        {"loss", std::fabs(res.loss - ref.loss), std::fabs(ref.loss)},
        compare("H1", h1, ref.h1),
        compare("H2", h2, ref.h2),
        compare("dX", dX, ref.dx),
        compare("dWq", joinColumns(dWq), ref.dwq),
        compare("dWk", joinColumns(dWk), ref.dwk),
        compare("dWv", joinColumns(dWv), ref.dwv),
        compare("dWo", joinRows(dWo), ref.dwo),
        compare("dA", joinColumns(dA), ref.da),
        compare("dB", joinRows(dB), ref.db),
        compare("dE", joinColumns(dE), ref.de),
    };
    return res;
}

} // namespace aisys::engine::dist
