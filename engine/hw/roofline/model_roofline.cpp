// Model roofline: one inference of shapes, then every node's cost at the roof's precision.
#include "engine/hw/roofline/model_roofline.h"

#include "engine/graph/ops.h"

#include <stdexcept>

namespace aisys::engine::hw {

namespace {

bool isFloat(DType t) {
    return t == DType::F32 || t == DType::F64;
}

/// Bytes of one tensor with floating-point elements at `floatBytes` each.
double tensorBytes(const TensorType& t, double floatBytes) {
    if (!shapeKnown(t.shape))
        return 0;
    const double e = isFloat(t.dtype) ? floatBytes : double(dtypeSize(t.dtype));
    return double(numElements(t.shape)) * e;
}

} // namespace

ModelRoofline modelRoofline(const Graph& graph, const Roof& roof) {
    // 1. Infer shapes on a copy, keeping the constants found on the way (as model_info does).
    // 2. Per node: FLOPs from its OpDef; bytes of its tensors at the roof's element size.
    // 3. Place each node on the roof; the total time is the sum (no overlap between nodes).
    ModelRoofline out;
    out.roof = roof;
    Graph g = graph;
    std::map<int, Tensor> folded;
    try {
        folded = inferShapesAndConstants(g);
    } catch (const std::exception& e) {
        out.error = e.what();
        return out;
    }
    const double floatBytes = precisionBytes(roof.precision);
    const OpRegistry& ops = OpRegistry::builtin();
    for (const Node& n : g.nodes) {
        NodePoint np;
        np.node = n.name;
        np.op = n.op;
        const OpDef* def = ops.find(n.op);
        if (!def) {
            np.known = false;
            out.complete = false;
            out.nodes.push_back(np);
            continue;
        }
        const OpCall call = opCall(g, n, [&](int v) -> const Tensor* {
            auto init = g.initializers.find(v);
            auto k = folded.find(v);
            return init != g.initializers.end() ? &init->second
                   : k != folded.end()          ? &k->second
                                                : nullptr;
        });
        std::vector<TensorType> outTypes;
        for (int v : n.outputs)
            outTypes.push_back({g.values[v].dtype, g.values[v].shape});
        for (const TensorType& t : call.in)
            np.known = np.known && shapeKnown(t.shape);
        for (const TensorType& t : outTypes)
            np.known = np.known && shapeKnown(t.shape);
        const double flops = def->flops ? def->flops(call, outTypes) : 0.0;
        double bytes = 0;
        if (def->bytes) {
            double own = 4;
            for (std::size_t i = 0; i < call.in.size(); ++i)
                if (call.has(i) && isFloat(call.in[i].dtype)) {
                    own = double(dtypeSize(call.in[i].dtype));
                    break;
                }
            bytes = def->bytes(call, outTypes) * floatBytes / own;
        } else {
            for (std::size_t i = 0; i < call.in.size(); ++i)
                if (call.has(i))
                    bytes += tensorBytes(call.in[i], floatBytes);
            for (const TensorType& t : outTypes)
                bytes += tensorBytes(t, floatBytes);
        }
        np.point = placeOnRoof(roof, flops, bytes);
        out.complete = out.complete && np.known;
        out.totalFlops += flops;
        out.totalBytes += bytes;
        out.totalSeconds += np.point.seconds;
        out.memoryBoundNodes += np.point.memoryBound ? 1 : 0;
        out.nodes.push_back(std::move(np));
    }
    return out;
}

} // namespace aisys::engine::hw
