// Post-training quantization (see ptq.h and engine/compiler/quant/README.md).
//
// 1. Targets: every Conv, Gemm and MatMul. A float initializer at input 1 is a weight (its
//    channel axis: Conv 0, Gemm transB ? 0 : 1, MatMul the last); every non-initializer float
//    input among inputs 0 and 1 is an activation to calibrate.
// 2. Calibrate: run the float graph on each feed and collect every activation's values; the
//    calibrator (min-max, percentile, KL) gives its range, the scheme its scale and zero point.
// 3. Weights: quantize to an i8 initializer (per channel or per tensor) and read it through
//    DequantizeLinear; biases stay float.
// 4. Activations: insert QuantizeLinear → DequantizeLinear once per value and point every
//    target reading it at the dequantized value.
// 5. Report dq(q(x)) against x per tensor, and the model's first output against the float one.
#include "engine/compiler/quant/ptq.h"

#include "engine/compiler/graph_edit.h"
#include "engine/graph/interpreter.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::engine::quant {

namespace {

struct Target {
    int node = -1;
    std::vector<int> actSlots;
    int weightSlot = -1;
    int weightAxis = 0;
};

/// Step 1.
std::vector<Target> findTargets(const Graph& g) {
    std::vector<Target> out;
    for (int n = 0; n < static_cast<int>(g.nodes.size()); ++n) {
        const Node& node = g.nodes[n];
        if ((node.op != "Conv" && node.op != "Gemm" && node.op != "MatMul") ||
            node.inputs.size() < 2 || node.inputs[1] < 0)
            continue;
        Target t;
        t.node = n;
        for (int slot = 0; slot < 2 && slot < static_cast<int>(node.inputs.size()); ++slot) {
            const int v = node.inputs[slot];
            if (v < 0 || g.values[v].dtype != DType::F32)
                continue;
            if (!g.values[v].initializer)
                t.actSlots.push_back(slot);
            else if (slot == 1 && g.values[v].shape.size() >= 2)
                t.weightSlot = slot;
        }
        const auto rank = static_cast<int>(g.values[node.inputs[1]].shape.size());
        t.weightAxis = node.op == "Conv"   ? 0
                       : node.op == "Gemm" ? (attrInt(node, "transB", 0) ? 0 : 1)
                                           : rank - 1;
        if (t.weightSlot >= 0 || !t.actSlots.empty())
            out.push_back(t);
    }
    return out;
}

void feed(Interpreter& it, const Feed& f) {
    for (const auto& [name, t] : f)
        it.setInput(name, t);
}

std::vector<float> floats(const Tensor& t) {
    std::vector<float> v(static_cast<std::size_t>(t.numel()));
    for (std::int64_t i = 0; i < t.numel(); ++i)
        v[static_cast<std::size_t>(i)] = static_cast<float>(t.at(i));
    return v;
}

Tensor scaleTensor(const QuantParams& p) {
    Tensor s(DType::F32,
             p.perChannel() ? Shape{static_cast<std::int64_t>(p.scale.size())} : Shape{});
    for (std::size_t i = 0; i < p.scale.size(); ++i)
        s.data<float>()[i] = p.scale[i];
    return s;
}

Tensor zeroTensor(const QuantParams& p) {
    Tensor z(p.type,
             p.perChannel() ? Shape{static_cast<std::int64_t>(p.zeroPoint.size())} : Shape{});
    for (std::size_t i = 0; i < p.zeroPoint.size(); ++i) {
        if (p.type == DType::I8)
            z.data<std::int8_t>()[i] = static_cast<std::int8_t>(p.zeroPoint[i]);
        else
            z.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(p.zeroPoint[i]);
    }
    return z;
}

std::map<std::string, AttrValue> axisAttr(const QuantParams& p) {
    if (!p.perChannel())
        return {};
    return {{"axis", static_cast<std::int64_t>(p.axis)}};
}

} // namespace

std::vector<Tensor> runFirstOutput(const Graph& g, const std::vector<Feed>& feeds) {
    std::vector<Tensor> out;
    Interpreter it(g);
    for (const Feed& f : feeds) {
        it.reset();
        feed(it, f);
        it.run();
        out.push_back(*it.value(it.graph().outputs.at(0)));
    }
    return out;
}

Graph quantizeModel(const Graph& src, const std::vector<Feed>& calibration, const PtqConfig& cfg,
                    PtqReport* report) {
    if (calibration.empty())
        throw std::invalid_argument("post-training quantization needs at least one calibration "
                                    "input set");
    Graph g = src;
    inferShapes(g);
    const std::vector<Target> targets = findTargets(g);
    PtqReport rep;

    // Step 2: collect activation samples.
    std::map<int, std::vector<float>> samples;
    for (const Target& t : targets)
        for (int slot : t.actSlots)
            samples[g.nodes[t.node].inputs[slot]];
    {
        Interpreter it(g);
        for (const Feed& f : calibration) {
            it.reset();
            feed(it, f);
            it.run();
            for (auto& [v, s] : samples) {
                const Tensor* t = it.value(v);
                if (!t)
                    throw std::logic_error("calibration: value '" + g.values[v].name +
                                           "' was not computed");
                const std::vector<float> f32 = floats(*t);
                s.insert(s.end(), f32.begin(), f32.end());
            }
        }
    }

    compiler::GraphEditor e(g);
    // Step 3: weights.
    std::map<int, int> dequantizedWeight;
    for (const Target& t : targets) {
        if (t.weightSlot < 0)
            continue;
        const int w = e.graph().nodes[t.node].inputs[t.weightSlot];
        if (!dequantizedWeight.count(w)) {
            const Tensor wt = *e.constant(w);
            const std::string name = e.graph().values[w].name;
            QuantParams p;
            if (cfg.perChannelWeights) {
                p = chooseParamsPerChannel(wt, t.weightAxis, cfg.weightScheme, DType::I8);
            } else {
                const Range r = minMaxRange(floats(wt));
                p = chooseParams(r.lo, r.hi, cfg.weightScheme, DType::I8);
            }
            const Tensor q = quantize(wt, p);
            rep.tensors.push_back({name, true, p, quantError(wt, dequantize(q, p))});
            const int qv = e.addInitializer(name + "_quantized", q);
            const int sv = e.addInitializer(name + "_scale", scaleTensor(p));
            const int zv = e.addInitializer(name + "_zero_point", zeroTensor(p));
            const int dq = e.addNode("DequantizeLinear", name + "_dequantize", {qv, sv, zv},
                                     {name + "_dequantized"}, axisAttr(p));
            dequantizedWeight[w] = e.output(dq);
        }
        e.setInput(t.node, static_cast<std::size_t>(t.weightSlot), dequantizedWeight.at(w));
    }
    // Step 4: activations.
    const DType actType = cfg.activationScheme == QScheme::Symmetric ? DType::I8 : DType::U8;
    std::map<int, int> dequantizedAct;
    for (const auto& [v, s] : samples) {
        const Range r = calibrate(s, cfg.calibrator, cfg.percentile);
        const QuantParams p = chooseParams(r.lo, r.hi, cfg.activationScheme, actType);
        const Tensor x = Tensor::f32({static_cast<std::int64_t>(s.size())}, s);
        const std::string name = e.graph().values[v].name;
        rep.tensors.push_back({name, false, p, quantError(x, dequantize(quantize(x, p), p))});
        const int sv = e.addInitializer(name + "_scale", scaleTensor(p));
        const int zv = e.addInitializer(name + "_zero_point", zeroTensor(p));
        const int q =
            e.addNode("QuantizeLinear", name + "_quantize", {v, sv, zv}, {name + "_quantized"});
        const int dq = e.addNode("DequantizeLinear", name + "_dequantize", {e.output(q), sv, zv},
                                 {name + "_dequantized"});
        dequantizedAct[v] = e.output(dq);
    }
    for (const Target& t : targets) {
        for (int slot : t.actSlots) {
            const int v = e.graph().nodes[t.node].inputs[slot];
            e.setInput(t.node, static_cast<std::size_t>(slot), dequantizedAct.at(v));
        }
        ++rep.quantizedOps;
    }
    e.compact();

    // Step 5: the model against the float model.
    if (report) {
        const std::vector<Tensor> ref = runFirstOutput(src, calibration);
        const std::vector<Tensor> got = runFirstOutput(g, calibration);
        std::vector<float> a, b;
        std::int64_t rows = 0, agree = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
            const std::vector<float> fa = floats(ref[i]), fb = floats(got[i]);
            a.insert(a.end(), fa.begin(), fa.end());
            b.insert(b.end(), fb.begin(), fb.end());
            const std::int64_t last = ref[i].rank() ? ref[i].shape().back() : 1;
            for (std::int64_t r = 0; last > 0 && r < ref[i].numel() / last; ++r) {
                auto row = [&](const std::vector<float>& f) {
                    auto begin = f.begin() + r * last;
                    return std::max_element(begin, begin + last) - begin;
                };
                agree += row(fa) == row(fb);
                ++rows;
            }
        }
        rep.output = quantError(a, b);
        rep.top1Agreement = rows ? static_cast<double>(agree) / static_cast<double>(rows) : 1.0;
        *report = std::move(rep);
    }
    return g;
}

} // namespace aisys::engine::quant
