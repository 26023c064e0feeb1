// Conv / Gemm / MatMul nodes of an inferred graph mapped to SCALE-Sim layers.
#include "engine/hw/systolic/graph_mapping.h"

#include <stdexcept>

namespace aisys::engine::systolic {

namespace {

std::int64_t intAttr(const Node& n, const char* name, std::int64_t def) {
    auto it = n.attrs.find(name);
    if (it == n.attrs.end())
        return def;
    if (auto p = std::get_if<std::int64_t>(&it->second))
        return *p;
    return def;
}

std::vector<std::int64_t> intsAttr(const Node& n, const char* name) {
    auto it = n.attrs.find(name);
    if (it == n.attrs.end())
        return {};
    if (auto p = std::get_if<std::vector<std::int64_t>>(&it->second))
        return *p;
    return {};
}

} // namespace

std::vector<MappedLayer> mapGraphToLayers(const Graph& g) {
    std::vector<MappedLayer> out;
    for (std::size_t ni = 0; ni < g.nodes.size(); ++ni) {
        const Node& n = g.nodes[ni];
        if (n.op != "Conv" && n.op != "Gemm" && n.op != "MatMul")
            continue;
        const std::string name = n.name.empty() ? n.op + "#" + std::to_string(ni) : n.name;
        const std::string who = "node '" + name + "' (" + n.op + "): ";
        auto shapeOf = [&](std::size_t i, const char* what) {
            if (i >= n.inputs.size() || n.inputs[i] < 0)
                throw std::invalid_argument(who + "missing input " + what);
            const Value& v = g.values[std::size_t(n.inputs[i])];
            for (std::size_t d = 0; d < v.shape.size(); ++d)
                if (v.shape[d] < 0) {
                    const std::string sym = d < v.dimParams.size() && !v.dimParams[d].empty()
                                                ? "bind it with --dim " + v.dimParams[d] + "=V"
                                                : "bind the model's symbolic dimensions with "
                                                  "--dim NAME=V";
                    throw std::invalid_argument(who + "dimension " + std::to_string(d) + " of " +
                                                what + " '" + v.name + "' is not known; " + sym);
                }
            return v.shape;
        };
        auto outShape = [&]() {
            if (n.outputs.empty() || n.outputs[0] < 0)
                throw std::invalid_argument(who + "no output");
            const Value& v = g.values[std::size_t(n.outputs[0])];
            for (std::int64_t d : v.shape)
                if (d < 0)
                    throw std::invalid_argument(who + "output shape not known; bind symbolic "
                                                      "dimensions with --dim NAME=V");
            return v.shape;
        };
        MappedLayer m;
        m.node = int(ni);
        m.nodeName = name;
        m.op = n.op;
        if (n.op == "Conv") {
            const Shape x = shapeOf(0, "X"), w = shapeOf(1, "W"), y = outShape();
            if (x.size() != 4 || w.size() != 4 || y.size() != 4)
                throw std::invalid_argument(who + "only 2-D convolutions (NCHW) map to the array");
            const std::int64_t group = intAttr(n, "group", 1);
            std::vector<std::int64_t> strides = intsAttr(n, "strides");
            if (strides.size() != 2)
                strides = {1, 1};
            const std::int64_t kh = w[2], kw = w[3], cPerGroup = w[1];
            const std::int64_t filters = w[0];
            if (group < 1 || filters % group != 0)
                throw std::invalid_argument(who + "bad group " + std::to_string(group));
            const std::int64_t oh = y[2], ow = y[3];
            if (x[0] == 1) {
                m.layer = Layer::conv(name, (oh - 1) * strides[0] + kh, (ow - 1) * strides[1] + kw,
                                      kh, kw, cPerGroup, filters / group, strides[0], strides[1]);
            } else {
                m.layer = Layer::gemm(name, x[0] * oh * ow, kh * kw * cPerGroup, filters / group);
            }
            m.repeat = group;
        } else if (n.op == "Gemm") {
            const Shape a = shapeOf(0, "A"), b = shapeOf(1, "B");
            if (a.size() != 2 || b.size() != 2)
                throw std::invalid_argument(who + "A and B must be 2-D");
            const bool ta = intAttr(n, "transA", 0) != 0, tb = intAttr(n, "transB", 0) != 0;
            const std::int64_t M = ta ? a[1] : a[0], K = ta ? a[0] : a[1];
            const std::int64_t N = tb ? b[0] : b[1];
            m.layer = Layer::gemm(name, M, K, N);
        } else {
            Shape a = shapeOf(0, "A"), b = shapeOf(1, "B");
            if (a.empty() || b.empty())
                throw std::invalid_argument(who + "scalar operands");
            if (a.size() == 1)
                a.insert(a.begin(), 1);
            if (b.size() == 1)
                b.push_back(1);
            const std::int64_t M = a[a.size() - 2], K = a.back(), N = b.back();
            std::int64_t batchA = 1, batchB = 1;
            for (std::size_t i = 0; i + 2 < a.size(); ++i)
                batchA *= a[i];
            for (std::size_t i = 0; i + 2 < b.size(); ++i)
                batchB *= b[i];
            if (b.size() == 2) {
                m.layer = Layer::gemm(name, batchA * M, K, N);
            } else {
                m.layer = Layer::gemm(name, M, K, N);
                m.repeat = std::max(batchA, batchB);
            }
        }
        try {
            m.layer.validate();
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(who + e.what());
        }
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace aisys::engine::systolic
