// LSTM (ONNX LSTM-14, layout 0 and 1, forward/reverse/bidirectional, peepholes, sequence_lens).
#include "engine/ops/dense_gemm.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cmath>
#include <variant>

namespace aisys::engine::ops {

namespace {

/// Sizes of one LSTM call, from X [seq, batch, input] (layout 0) or [batch, seq, input].
struct LstmDims {
    std::int64_t seq, batch, input, hidden, dirs;
    bool batchFirst;
};

LstmDims lstmDims(const OpCall& c, const Shape& x) {
    if (x.size() != 3)
        fail("X must have rank 3 ([seq, batch, input]), got " + shapeToString(x));
    const std::string dir = attrString(c.node, "direction", "forward");
    if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
        fail("direction '" + dir + "': expected forward, reverse or bidirectional");
    const std::int64_t layout = attrInt(c.node, "layout", 0);
    if (layout != 0 && layout != 1)
        fail("layout must be 0 or 1, got " + std::to_string(layout));
    LstmDims d{};
    d.batchFirst = layout == 1;
    d.seq = d.batchFirst ? x[1] : x[0];
    d.batch = d.batchFirst ? x[0] : x[1];
    d.input = x[2];
    d.dirs = dir == "bidirectional" ? 2 : 1;
    d.hidden = attrInt(c.node, "hidden_size", -1);
    const Shape& w = c.in[1].shape;
    if (w.size() != 3)
        fail("W must have rank 3 ([dirs, 4·hidden, input]), got " + shapeToString(w));
    if (d.hidden < 0 && w[1] >= 0)
        d.hidden = w[1] / 4;
    if (d.hidden <= 0)
        fail("hidden_size must be positive (attribute or W's shape), got " +
             std::to_string(d.hidden));
    if (w[0] >= 0 && w[0] != d.dirs)
        fail("W has " + std::to_string(w[0]) + " directions, direction '" + dir + "' needs " +
             std::to_string(d.dirs));
    if (w[1] >= 0 && w[1] != 4 * d.hidden)
        fail("W has " + std::to_string(w[1]) +
             " rows, expected 4 · hidden_size = " + std::to_string(4 * d.hidden));
    const Shape& r = c.in[2].shape;
    if (r.size() != 3 || (r[1] >= 0 && r[1] != 4 * d.hidden) || (r[2] >= 0 && r[2] != d.hidden))
        fail("R must be [dirs, 4·hidden, hidden] = [" + std::to_string(d.dirs) + ", " +
             std::to_string(4 * d.hidden) + ", " + std::to_string(d.hidden) + "], got " +
             shapeToString(r));
    if (auto it = c.node.attrs.find("activations"); it != c.node.attrs.end()) {
        const auto* names = std::get_if<std::vector<std::string>>(&it->second);
        for (std::size_t i = 0; names && i < names->size(); ++i)
            if ((*names)[i] != (i % 3 == 0 ? "Sigmoid" : "Tanh"))
                fail("activations other than Sigmoid, Tanh, Tanh are not supported, got " +
                     (*names)[i] + " at position " + std::to_string(i));
    }
    if (attrInt(c.node, "input_forget", 0) != 0)
        fail("input_forget=1 is not supported");
    // The weights' other sizes must be X's and the hidden size, and the optional inputs the
    // shapes ONNX gives them (the kernels index them with these sizes).
    if (w[2] >= 0 && d.input >= 0 && w[2] != d.input)
        fail("W has input size " + std::to_string(w[2]) + ", X " + std::to_string(d.input));
    if (r[0] >= 0 && r[0] != d.dirs)
        fail("R has " + std::to_string(r[0]) + " directions, expected " + std::to_string(d.dirs));
    auto expectShape = [&](std::size_t i, const char* name, const Shape& want) {
        if (!c.has(i) || !shapeKnown(c.in[i].shape) || !shapeKnown(want))
            return;
        if (c.in[i].shape != want)
            fail(std::string(name) + " must be " + shapeToString(want) + ", got " +
                 shapeToString(c.in[i].shape));
    };
    expectShape(3, "B", {d.dirs, 8 * d.hidden});
    expectShape(4, "sequence_lens", {d.batch});
    const Shape state =
        d.batchFirst ? Shape{d.batch, d.dirs, d.hidden} : Shape{d.dirs, d.batch, d.hidden};
    expectShape(5, "initial_h", state);
    expectShape(6, "initial_c", state);
    expectShape(7, "P", {d.dirs, 3 * d.hidden});
    return d;
}

float sigmoid(float v) {
    return 1.0f / (1.0f + std::exp(-v));
}

} // namespace

OpDef lstmOp() {
    OpDef d;
    d.type = "LSTM";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"direction", "forward"},
               {"hidden_size", ""},
               {"layout", "0"},
               {"clip", "none"},
               {"activations", "Sigmoid, Tanh, Tanh"},
               {"input_forget", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 3, 8);
        if (c.in[0].dtype != DType::F32)
            fail(std::string("X: expected f32, got ") + dtypeName(c.in[0].dtype));
        for (std::size_t i : {1, 2, 3, 5, 6, 7})
            if (c.has(i) && c.in[i].dtype != DType::F32)
                fail("input " + std::to_string(i) + ": expected f32, got " +
                     dtypeName(c.in[i].dtype));
        if (c.has(4) && c.in[4].dtype != DType::I32)
            fail(std::string("sequence_lens: expected i32, got ") + dtypeName(c.in[4].dtype));
        const LstmDims k = lstmDims(c, c.in[0].shape);
        const Shape y = k.batchFirst ? Shape{k.batch, k.seq, k.dirs, k.hidden}
                                     : Shape{k.seq, k.dirs, k.batch, k.hidden};
        const Shape state =
            k.batchFirst ? Shape{k.batch, k.dirs, k.hidden} : Shape{k.dirs, k.batch, k.hidden};
        std::vector<TensorType> out{{DType::F32, y}, {DType::F32, state}, {DType::F32, state}};
        out.resize(std::clamp<std::size_t>(c.outputCount(), 1, 3));
        return out;
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        const Shape& x = c.in[0].shape;
        if (x.size() != 3 || c.in[1].shape.size() != 3)
            return 0.0;
        const double h = static_cast<double>(c.in[2].shape.size() == 3 ? c.in[2].shape[2] : 0);
        const double dirs = static_cast<double>(c.in[1].shape[0]);
        const double steps = static_cast<double>(x[0] * x[1]);
        return dirs * steps * (2.0 * 4 * h * static_cast<double>(x[2]) + 2.0 * 4 * h * h + 10 * h);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Per direction: 1. G = X · Wᵀ + Wb + Rb for every step at once (one GEMM);
        // 2. per step t (reversed for the reverse direction), per batch row within its
        //    sequence length: gates += H · Rᵀ; i = σ(gi + Pi⊙C), f = σ(gf + Pf⊙C),
        //    c̃ = tanh(gc), C = f⊙C + i⊙c̃, o = σ(go + Po⊙C), H = o⊙tanh(C) (gates in the
        //    order i, o, f, c as ONNX stores them; clip bounds the pre-activations).
        const LstmDims k = lstmDims(c, in[0]->shape());
        const std::int64_t h = k.hidden, g4 = 4 * h;
        const bool hasClip = hasAttr(c.node, "clip");
        const float clip = static_cast<float>(attrFloat(c.node, "clip", 0));
        const float* x = in[0]->data<float>();
        // X as [seq, batch, input] rows.
        std::vector<float> xs;
        if (k.batchFirst) {
            xs.resize(static_cast<std::size_t>(k.seq * k.batch * k.input));
            for (std::int64_t b = 0; b < k.batch; ++b)
                for (std::int64_t t = 0; t < k.seq; ++t)
                    std::copy(x + (b * k.seq + t) * k.input, x + (b * k.seq + t + 1) * k.input,
                              xs.data() + (t * k.batch + b) * k.input);
            x = xs.data();
        }
        const auto opt = [&](std::size_t i) {
            return in.size() > i && in[i] ? in[i]->data<float>() : nullptr;
        };
        const float *bias = opt(3), *h0 = opt(5), *c0 = opt(6), *peep = opt(7);
        const std::int32_t* lens = in.size() > 4 && in[4] ? in[4]->data<std::int32_t>() : nullptr;
        std::vector<float> gates(static_cast<std::size_t>(k.seq * k.batch * g4));
        std::vector<float> hs(static_cast<std::size_t>(k.batch * h)), cs(hs.size());
        std::vector<float> step(static_cast<std::size_t>(k.batch * g4));
        float* y = out.empty() ? nullptr : out[0].data<float>();
        const auto yAt = [&](std::int64_t t, std::int64_t dir, std::int64_t b) {
            return k.batchFirst ? y + ((b * k.seq + t) * k.dirs + dir) * h
                                : y + ((t * k.dirs + dir) * k.batch + b) * h;
        };
        const auto stateAt = [&](float* s, std::int64_t dir, std::int64_t b) {
            return k.batchFirst ? s + (b * k.dirs + dir) * h : s + (dir * k.batch + b) * h;
        };
        if (y)
            std::fill(y, y + out[0].numel(), 0.0f);
        for (std::int64_t dir = 0; dir < k.dirs; ++dir) {
            const bool reverse =
                attrString(c.node, "direction", "forward") == "reverse" || dir == 1;
            const float* w = in[1]->data<float>() + dir * g4 * k.input;
            const float* r = in[2]->data<float>() + dir * g4 * h;
            denseGemm<float>(false, true, k.seq * k.batch, g4, k.input, 1.0f, x, k.input, w,
                             k.input, 0.0f, gates.data(), g4);
            if (bias)
                for (std::int64_t row = 0; row < k.seq * k.batch; ++row)
                    for (std::int64_t j = 0; j < g4; ++j)
                        gates[static_cast<std::size_t>(row * g4 + j)] +=
                            bias[dir * 2 * g4 + j] + bias[dir * 2 * g4 + g4 + j];
            for (std::int64_t b = 0; b < k.batch; ++b)
                for (std::int64_t j = 0; j < h; ++j) {
                    const auto at = static_cast<std::size_t>(b * h + j);
                    const std::int64_t s =
                        k.batchFirst ? (b * k.dirs + dir) * h + j : (dir * k.batch + b) * h + j;
                    hs[at] = h0 ? h0[s] : 0.0f;
                    cs[at] = c0 ? c0[s] : 0.0f;
                }
            const float* pi = peep ? peep + dir * 3 * h : nullptr;
            for (std::int64_t s = 0; s < k.seq; ++s) {
                const std::int64_t t = reverse ? k.seq - 1 - s : s;
                std::copy(gates.begin() + t * k.batch * g4, gates.begin() + (t + 1) * k.batch * g4,
                          step.begin());
                denseGemm<float>(false, true, k.batch, g4, h, 1.0f, hs.data(), h, r, h, 1.0f,
                                 step.data(), g4);
                for (std::int64_t b = 0; b < k.batch; ++b) {
                    const std::int64_t len = lens ? lens[b] : k.seq;
                    // Reverse steps start at each row's own last element.
                    const std::int64_t tb = reverse ? len - 1 - s : t;
                    if (s >= len)
                        continue;
                    float* gr = step.data() + b * g4;
                    if (reverse && tb != t) { // a shorter row: recompute its gates at tb
                        std::copy(gates.begin() + (tb * k.batch + b) * g4,
                                  gates.begin() + (tb * k.batch + b + 1) * g4, gr);
                        denseGemm<float>(false, true, 1, g4, h, 1.0f, hs.data() + b * h, h, r, h,
                                         1.0f, gr, g4);
                    }
                    float* hb = hs.data() + b * h;
                    float* cb = cs.data() + b * h;
                    for (std::int64_t j = 0; j < h; ++j) {
                        float gi = gr[j], go = gr[h + j], gf = gr[2 * h + j], gc = gr[3 * h + j];
                        if (hasClip) {
                            gi = std::clamp(gi, -clip, clip);
                            go = std::clamp(go, -clip, clip);
                            gf = std::clamp(gf, -clip, clip);
                            gc = std::clamp(gc, -clip, clip);
                        }
                        const float i = sigmoid(gi + (pi ? pi[j] * cb[j] : 0.0f));
                        const float f = sigmoid(gf + (pi ? pi[2 * h + j] * cb[j] : 0.0f));
                        const float cn = f * cb[j] + i * std::tanh(gc);
                        const float o = sigmoid(go + (pi ? pi[h + j] * cn : 0.0f));
                        cb[j] = cn;
                        hb[j] = o * std::tanh(cn);
                    }
                    if (y)
                        std::copy(hb, hb + h, yAt(tb, dir, b));
                }
            }
            for (std::int64_t b = 0; b < k.batch; ++b) {
                if (out.size() > 1)
                    std::copy(hs.begin() + b * h, hs.begin() + (b + 1) * h,
                              stateAt(out[1].data<float>(), dir, b));
                if (out.size() > 2)
                    std::copy(cs.begin() + b * h, cs.begin() + (b + 1) * h,
                              stateAt(out[2].data<float>(), dir, b));
            }
        }
    };
    return d;
}

} // namespace aisys::engine::ops
