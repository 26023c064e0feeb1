// QDQ insertion with calibration, and output agreement between a float and a quantized graph.
#include "engine/compress/qdq_insert.h"

#include "engine/graph/interpreter.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace aisys::engine::compress {

namespace {

/// Points input `slot` of node `n` at value `to`, keeping the consumer lists consistent.
void rewire(Graph& g, int n, std::size_t slot, int to) {
    const int from = g.nodes[n].inputs[slot];
    g.nodes[n].inputs[slot] = to;
    if (std::count(g.nodes[n].inputs.begin(), g.nodes[n].inputs.end(), from) == 0) {
        auto& c = g.values[from].consumers;
        c.erase(std::remove(c.begin(), c.end(), n), c.end());
    }
    g.values[to].consumers.push_back(n);
}

bool isTarget(const Node& n) {
    return n.op == "Conv" || n.op == "Gemm" || n.op == "MatMul";
}

/// The output-channel axis of a weight: Conv W [O, I, ...] → 0; Gemm B → 0 when transB else 1;
/// MatMul B [.., K, N] → its last axis.
int channelAxis(const Node& n, const Tensor& w) {
    if (n.op == "Conv")
        return 0;
    if (n.op == "Gemm") {
        const auto it = n.attrs.find("transB");
        const bool t = it != n.attrs.end() && std::get_if<std::int64_t>(&it->second) &&
                       std::get<std::int64_t>(it->second) != 0;
        return t ? 0 : 1;
    }
    return std::max(0, w.rank() - 1);
}

/// Scale and zero-point initializers for a parameter list (scalar when one, 1-D otherwise).
void addQParams(Graph& g, const std::string& base, const std::vector<QParams>& ps,
                std::string& scale, std::string& zero) {
    std::vector<float> s;
    std::vector<std::int8_t> z;
    for (const QParams& p : ps) {
        s.push_back(static_cast<float>(p.scale));
        z.push_back(static_cast<std::int8_t>(p.zeroPoint));
    }
    const Shape shape = ps.size() == 1 ? Shape{} : Shape{static_cast<std::int64_t>(ps.size())};
    scale = base + "_scale";
    zero = base + "_zero_point";
    g.addInitializer(scale, Tensor::of<float>(shape, s));
    g.addInitializer(zero, Tensor::of<std::int8_t>(shape, z));
}

} // namespace

std::map<int, Tensor> runAll(const Graph& g, const Feed& feed) {
    Interpreter it(g);
    for (const auto& [name, t] : feed)
        it.setInput(name, t);
    it.run();
    std::map<int, Tensor> out;
    for (std::size_t v = 0; v < it.graph().values.size(); ++v)
        if (const Tensor* t = it.value(static_cast<int>(v)))
            out[static_cast<int>(v)] = *t;
    return out;
}

QdqReport insertQdq(Graph& g, const std::vector<Feed>& calibration, const QdqOptions& opt) {
    if (opt.bits < 2 || opt.bits > 8)
        throw std::invalid_argument("insertQdq: bits " + std::to_string(opt.bits) +
                                    ": expected 2..8 (values are stored as int8)");
    QdqReport report;
    // 1. Which values feed the targets, and the calibration values of the activations.
    std::vector<std::pair<int, std::size_t>> slots; // (node, input slot)
    std::set<int> activations;
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        const Node& node = g.nodes[n];
        if (!isTarget(node))
            continue;
        for (std::size_t s = 0; s < std::min<std::size_t>(2, node.inputs.size()); ++s) {
            const int v = node.inputs[s];
            if (v < 0 || g.values[v].dtype != DType::F32)
                continue;
            slots.push_back({static_cast<int>(n), s});
            if (!g.initializers.count(v))
                activations.insert(v);
        }
    }
    if (!activations.empty() && calibration.empty())
        throw std::invalid_argument("insertQdq: activations need at least one calibration feed");
    std::map<int, std::vector<float>> observed;
    for (const Feed& f : calibration) {
        const auto values = runAll(g, f);
        for (int v : activations) {
            const auto it = values.find(v);
            if (it == values.end() || it->second.dtype() != DType::F32)
                throw std::invalid_argument("insertQdq: value '" + g.values[v].name +
                                            "' was not computed in calibration");
            const float* d = it->second.data<float>();
            observed[v].insert(observed[v].end(), d, d + it->second.numel());
        }
    }
    // 2. Weights: int8 initializer → DequantizeLinear, consumers rewired to the float result.
    // 3. Activations: QuantizeLinear → DequantizeLinear before each target consumer.
    std::map<int, int> replaced; // float value → dequantized value
    for (const auto& [n, s] : slots) {
        const int v = g.nodes[n].inputs[s];
        if (const auto it = replaced.find(v); it != replaced.end()) {
            rewire(g, n, s, it->second);
            continue;
        }
        const std::string name = g.values[v].name;
        QdqTensorReport rep;
        rep.value = name;
        rep.node = g.nodes[n].name;
        std::string scale, zero;
        int dq = -1;
        if (g.initializers.count(v)) {
            const Tensor w = g.initializers.at(v);
            QuantSpec spec;
            spec.scheme = opt.weightScheme;
            spec.bits = opt.bits;
            spec.perChannel = opt.weightPerChannel && w.rank() >= 2;
            spec.axis = channelAxis(g.nodes[n], w);
            const QuantizedTensor qt = quantizeTensor(w, spec);
            std::vector<std::int8_t> q(qt.q.begin(), qt.q.end());
            // The float initializer becomes the int8 one (renamed); DQ writes a new value.
            g.values[v].name = name + "_quantized";
            g.values[v].dtype = DType::I8;
            g.initializers[v] = Tensor::of<std::int8_t>(w.shape(), q);
            addQParams(g, name, qt.params, scale, zero);
            std::map<std::string, AttrValue> attrs;
            if (qt.params.size() > 1)
                attrs["axis"] = std::int64_t{spec.axis};
            g.addNode("DequantizeLinear", name + "_DequantizeLinear",
                      {name + "_quantized", scale, zero}, {name + "_dequantized"}, attrs);
            dq = g.findValue(name + "_dequantized");
            // Every reader of the weight now reads the dequantized tensor.
            const std::vector<int> readers = g.values[v].consumers;
            for (int r : readers) {
                if (r == static_cast<int>(g.nodes.size()) - 1)
                    continue;
                for (std::size_t k = 0; k < g.nodes[r].inputs.size(); ++k)
                    if (g.nodes[r].inputs[k] == v)
                        rewire(g, r, k, dq);
            }
            rep.weight = true;
            rep.params = qt.params;
            rep.error = quantError(w, qt);
            ++report.dequantizeNodes;
        } else {
            const std::vector<float>& xs = observed.at(v);
            const Range r =
                calibrate(xs, opt.activationCalibration, opt.activationScheme, opt.percentile);
            const QParams p = paramsForRange(r.lo, r.hi, opt.activationScheme, opt.bits);
            addQParams(g, name, {p}, scale, zero);
            g.addNode("QuantizeLinear", name + "_QuantizeLinear", {name, scale, zero},
                      {name + "_quantized"});
            g.addNode("DequantizeLinear", name + "_DequantizeLinear",
                      {name + "_quantized", scale, zero}, {name + "_dequantized"});
            dq = g.findValue(name + "_dequantized");
            rewire(g, n, s, dq);
            Tensor ref = Tensor::f32({static_cast<std::int64_t>(xs.size())}, xs);
            Tensor approx(DType::F32, ref.shape());
            for (std::size_t i = 0; i < xs.size(); ++i)
                approx.data<float>()[i] = p.fakeQuant(xs[i]);
            rep.params = {p};
            rep.error = compareTensors(ref, approx);
            std::int64_t clipped = 0;
            for (float x : xs)
                clipped += x < p.clipLo() - p.scale / 2 || x > p.clipHi() + p.scale / 2;
            rep.error.clipRate = xs.empty() ? 0.0 : double(clipped) / double(xs.size());
            ++report.quantizeNodes;
            ++report.dequantizeNodes;
        }
        replaced[v] = dq;
        report.tensors.push_back(std::move(rep));
    }
    inferShapes(g);
    if (const std::string err = g.verify(); !err.empty())
        throw std::logic_error("insertQdq produced an invalid graph: " + err);
    return report;
}

Agreement compareOutputs(const Graph& reference, const Graph& candidate,
                         const std::vector<Feed>& feeds, const std::string& output) {
    Agreement a;
    const std::string out =
        output.empty() ? reference.values[reference.outputs.at(0)].name : output;
    std::vector<float> all, allRef;
    std::int64_t agree = 0;
    for (const Feed& f : feeds) {
        Interpreter ri(reference), ci(candidate);
        for (const auto& [name, t] : f) {
            ri.setInput(name, t);
            ci.setInput(name, t);
        }
        ri.run();
        ci.run();
        const Tensor* r = ri.value(out);
        const Tensor* c = ci.value(out);
        if (!r || !c || r->shape() != c->shape())
            throw std::invalid_argument("compareOutputs: output '" + out +
                                        "' is missing or has different shapes");
        for (std::int64_t i = 0; i < r->numel(); ++i) {
            a.maxDiff = std::max(a.maxDiff, std::fabs(r->at(i) - c->at(i)));
            allRef.push_back(static_cast<float>(r->at(i)));
            all.push_back(static_cast<float>(c->at(i)));
        }
        const std::int64_t cols = r->rank() > 0 ? r->shape().back() : 1;
        const std::int64_t rows = cols > 0 ? r->numel() / cols : 0;
        for (std::int64_t row = 0; row < rows; ++row) {
            std::int64_t br = 0, bc = 0;
            for (std::int64_t j = 1; j < cols; ++j) {
                if (r->at(row * cols + j) > r->at(row * cols + br))
                    br = j;
                if (c->at(row * cols + j) > c->at(row * cols + bc))
                    bc = j;
            }
            agree += br == bc;
        }
        a.rows += rows;
    }
    a.top1 = a.rows > 0 ? double(agree) / double(a.rows) : 1.0;
    const auto n = static_cast<std::int64_t>(all.size());
    a.error = compareTensors(Tensor::f32({n}, allRef), Tensor::f32({n}, all));
    return a;
}

} // namespace aisys::engine::compress
