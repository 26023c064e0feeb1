// Reductions: ReduceMean/Sum/Max/Min/Prod/SumSquare/L1/L2, ArgMax/ArgMin and TopK.
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace aisys::engine::ops {

namespace {

/// Reduced axes (sorted, unique, non-negative) and the output shapes with and without kept dims.
struct ReducePlan {
    std::vector<bool> reduced;
    Shape kept; ///< reduced dims set to 1
    Shape out;  ///< what the op returns (kept or squeezed)
    bool identity = false;
};

ReducePlan reducePlan(const OpCall& c) {
    const Shape& s = c.in[0].shape;
    const std::int64_t rank = static_cast<std::int64_t>(s.size());
    bool found = false, unknown = false;
    std::vector<std::int64_t> axes = axesFrom(c, "axes", 1, &found, &unknown);
    ReducePlan p;
    const bool keep = attrInt(c.node, "keepdims", 1) != 0;
    if (unknown) { // axes fed at run time: only the rank is known now
        const std::int64_t n = inputLength(c, 1, "axes");
        p.out.assign(keep ? s.size() : s.size() - std::min<std::size_t>(s.size(), n), -1);
        if (n == 0 && attrInt(c.node, "noop_with_empty_axes", 0) != 0)
            p.out = s;
        else if (n == 0 && !keep)
            p.out.clear();
        return p;
    }
    p.reduced.assign(s.size(), axes.empty());
    if (axes.empty() && attrInt(c.node, "noop_with_empty_axes", 0) != 0) {
        p.identity = true;
        p.reduced.assign(s.size(), false);
    }
    for (auto a : axes)
        p.reduced[normalizeAxis(a, rank, "axes value")] = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        p.kept.push_back(p.reduced[i] ? 1 : s[i]);
        if (!p.reduced[i] || keep)
            p.out.push_back(p.reduced[i] ? 1 : s[i]);
    }
    return p;
}

enum class RKind { Sum, Mean, Max, Min, Prod, SumSquare, L1, L2, LogSumExp };

RKind reduceKind(const std::string& type) {
    static const std::pair<const char*, RKind> kKinds[] = {{"ReduceSum", RKind::Sum},
                                                           {"ReduceMean", RKind::Mean},
                                                           {"ReduceMax", RKind::Max},
                                                           {"ReduceMin", RKind::Min},
                                                           {"ReduceProd", RKind::Prod},
                                                           {"ReduceSumSquare", RKind::SumSquare},
                                                           {"ReduceL1", RKind::L1},
                                                           {"ReduceL2", RKind::L2},
                                                           {"ReduceLogSumExp", RKind::LogSumExp}};
    for (const auto& [name, kind] : kKinds)
        if (type == name)
            return kind;
    throw std::logic_error("reduceOp: unknown op " + type);
}

template <class T> void reduceKernel(RKind kind, const ReducePlan& p, const Tensor& x, Tensor& y) {
    // 1. Initialise each output with the reduction's identity.
    // 2. Walk the input; broadcasting the kept shape onto it maps every input element to
    //    its output element; combine.
    // 3. Finish (mean divides by the count, L2 takes the root, LogSumExp the log).
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;
    const std::int64_t n = y.numel();
    std::vector<Acc> acc(static_cast<std::size_t>(n));
    Acc init = 0;
    constexpr bool kFloat = std::is_floating_point_v<T>;
    if (kind == RKind::Max) {
        if constexpr (kFloat)
            init = -std::numeric_limits<double>::infinity();
        else
            init = static_cast<Acc>(std::numeric_limits<T>::lowest());
    } else if (kind == RKind::Min) {
        if constexpr (kFloat)
            init = std::numeric_limits<double>::infinity();
        else
            init = static_cast<Acc>(std::numeric_limits<T>::max());
    } else if (kind == RKind::Prod)
        init = 1;
    std::fill(acc.begin(), acc.end(), init);
    const T* xd = x.data<T>();
    forEachBroadcast<1>(x.shape(), {p.kept},
                        [&](std::int64_t i, const std::array<std::int64_t, 1>& o) {
                            const Acc v = static_cast<Acc>(xd[i]);
                            Acc& a = acc[o[0]];
                            switch (kind) {
                            case RKind::Sum:
                            case RKind::Mean:
                                a += v;
                                break;
                            case RKind::Max:
                                a = std::max(a, v);
                                break;
                            case RKind::Min:
                                a = std::min(a, v);
                                break;
                            case RKind::Prod:
                                a *= v;
                                break;
                            case RKind::SumSquare:
                            case RKind::L2:
                                a += v * v;
                                break;
                            case RKind::L1:
                                a += v < 0 ? -v : v;
                                break;
                            case RKind::LogSumExp:
                                a += static_cast<Acc>(std::exp(static_cast<double>(v)));
                                break;
                            }
                        });
    const std::int64_t count = n == 0 ? 0 : x.numel() / n;
    T* yd = y.data<T>();
    for (std::int64_t i = 0; i < n; ++i) {
        double v = static_cast<double>(acc[i]);
        if (kind == RKind::Mean)
            v /= static_cast<double>(std::max<std::int64_t>(count, 1));
        else if (kind == RKind::L2)
            v = std::sqrt(v);
        else if (kind == RKind::LogSumExp)
            v = std::log(v);
        if constexpr (std::is_floating_point_v<T>)
            yd[i] = static_cast<T>(v);
        else
            yd[i] = static_cast<T>(kind == RKind::Mean || kind == RKind::L2 ? v : acc[i]);
    }
}

std::vector<std::string> reduceGradient(RKind kind, GradBuilder& b,
                                        const std::vector<std::string>& dOut) {
    // dY and Y reshaped to the kept shape broadcast back over the reduced dims:
    // Sum: dY; Mean: dY/count; Max/Min: dY where x equals the result (every tie gets it);
    // Prod: dY·y/x; SumSquare: 2x·dY; L1: sign(x)·dY; L2: x/y·dY; LogSumExp: exp(x − y)·dY.
    const ReducePlan p = reducePlan(b.call());
    if (p.identity)
        return {dOut[0]};
    const std::string x = b.in(0);
    const Shape xs = b.shape(x);
    const DType t = b.dtype(x);
    const std::string dy = b.reshape(dOut[0], p.kept);
    auto y = [&] { return b.reshape(b.out(0), p.kept); };
    std::string dx;
    switch (kind) {
    case RKind::Sum:
        dx = b.op("Expand", {dy, b.ints(xs)});
        break;
    case RKind::Mean: {
        const double count = static_cast<double>(numElements(xs) / numElements(p.kept));
        dx = b.op("Expand", {b.div(dy, b.scalar(count, t)), b.ints(xs)});
        break;
    }
    case RKind::Max:
    case RKind::Min:
        dx = b.op("Where", {b.op("Equal", {x, y()}), dy, b.scalar(0, t)});
        break;
    case RKind::Prod:
        dx = b.mul(dy, b.div(y(), x));
        break;
    case RKind::SumSquare:
        dx = b.mul(dy, b.mul(x, b.scalar(2, t)));
        break;
    case RKind::L1:
        dx = b.mul(dy, b.op("Sign", {x}));
        break;
    case RKind::L2:
        dx = b.mul(dy, b.div(x, y()));
        break;
    case RKind::LogSumExp:
        dx = b.mul(dy, b.op("Exp", {b.sub(x, y())}));
        break;
    }
    return {dx};
}

} // namespace

OpDef reduceOp(const std::string& type) {
    const RKind kind = reduceKind(type);
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Reduction;
    d.attrs = {{"axes", "all (input 1 in newer opsets)"},
               {"keepdims", "1"},
               {"noop_with_empty_axes", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 2);
        if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        ReducePlan p = reducePlan(c);
        return std::vector<TensorType>{{c.in[0].dtype, p.identity ? c.in[0].shape : p.out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        return numelOrZero(c.in[0].shape);
    };
    d.forward = [kind](const OpCall& c, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        const ReducePlan p = reducePlan(c);
        if (p.identity) {
            out[0] = *in[0];
            return;
        }
        visitNumeric(in[0]->dtype(),
                     [&](auto tag) { reduceKernel<decltype(tag)>(kind, p, *in[0], out[0]); });
    };
    d.gradient = [kind](GradBuilder& b, const std::vector<std::string>& dOut) {
        return reduceGradient(kind, b, dOut);
    };
    return d;
}

namespace {

/// outer × len × inner decomposition around one axis.
struct AxisSplit {
    std::int64_t outer = 1, len = 1, inner = 1;
    int axis = 0;
};

AxisSplit splitAt(const Shape& s, std::int64_t axisAttr) {
    AxisSplit a;
    a.axis = normalizeAxis(axisAttr, static_cast<std::int64_t>(s.size()));
    for (int i = 0; i < static_cast<int>(s.size()); ++i) {
        if (i < a.axis)
            a.outer *= s[i];
        else if (i == a.axis)
            a.len = s[i];
        else
            a.inner *= s[i];
    }
    return a;
}

} // namespace

OpDef argOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Reduction;
    d.attrs = {{"axis", "0"}, {"keepdims", "1"}, {"select_last_index", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 1);
        if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        const Shape& s = c.in[0].shape;
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", 0), static_cast<std::int64_t>(s.size()));
        Shape out = s;
        if (attrInt(c.node, "keepdims", 1) != 0)
            out[axis] = 1;
        else
            out.erase(out.begin() + axis);
        return std::vector<TensorType>{{DType::I64, out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        return numelOrZero(c.in[0].shape);
    };
    d.forward = [type](const OpCall& c, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        const AxisSplit a = splitAt(in[0]->shape(), attrInt(c.node, "axis", 0));
        const bool last = attrInt(c.node, "select_last_index", 0) != 0;
        const bool isMax = type == "ArgMax";
        if (a.len == 0 && a.outer * a.inner > 0)
            fail("axis " + std::to_string(attrInt(c.node, "axis", 0)) +
                 " has length 0: there is no element to pick");
        std::int64_t* y = out[0].data<std::int64_t>();
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[0]->data<T>();
            for (std::int64_t o = 0; o < a.outer; ++o)
                for (std::int64_t i = 0; i < a.inner; ++i) {
                    const T* line = x + o * a.len * a.inner + i;
                    std::int64_t best = 0;
                    for (std::int64_t k = 1; k < a.len; ++k) {
                        const T v = line[k * a.inner], b = line[best * a.inner];
                        const bool better =
                            isMax ? (last ? v >= b : v > b) : (last ? v <= b : v < b);
                        if (better)
                            best = k;
                    }
                    y[o * a.inner + i] = best;
                }
        });
    };
    return d;
}

OpDef topKOp() {
    OpDef d;
    d.type = "TopK";
    d.category = FusionCategory::Opaque;
    d.attrs = {
        {"axis", "-1"}, {"largest", "1"}, {"sorted", "1"}, {"k", "(input 1 since opset 10)"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 2);
        if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        const Shape& s = c.in[0].shape;
        const int axis =
            normalizeAxis(attrInt(c.node, "axis", -1), static_cast<std::int64_t>(s.size()));
        std::int64_t k = -1;
        if (hasAttr(c.node, "k"))
            k = attrInt(c.node, "k", 1);
        else if (auto v = knownInts(c, 1); v && v->size() == 1)
            k = (*v)[0];
        if (k >= 0 && s[axis] >= 0 && k > s[axis])
            fail("k=" + std::to_string(k) + " exceeds the axis length " + std::to_string(s[axis]));
        Shape out = s;
        out[axis] = k;
        return std::vector<TensorType>{{c.in[0].dtype, out}, {DType::I64, out}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        return numelOrZero(c.in[0].shape) * 2;
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Per line along the axis: order the indices by value (largest or smallest first; ties
        // keep the lower index first) with a partial sort and keep the first k.
        const AxisSplit a = splitAt(in[0]->shape(), attrInt(c.node, "axis", -1));
        const std::int64_t k = out[0].shape()[a.axis];
        const bool largest = attrInt(c.node, "largest", 1) != 0;
        std::int64_t* idxOut = out[1].data<std::int64_t>();
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[0]->data<T>();
            T* vals = out[0].data<T>();
            std::vector<std::int64_t> order(static_cast<std::size_t>(a.len));
            for (std::int64_t o = 0; o < a.outer; ++o)
                for (std::int64_t i = 0; i < a.inner; ++i) {
                    const T* line = x + o * a.len * a.inner + i;
                    std::iota(order.begin(), order.end(), 0);
                    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                                      [&](std::int64_t p, std::int64_t q) {
                                          const T vp = line[p * a.inner], vq = line[q * a.inner];
                                          if (vp != vq)
                                              return largest ? vp > vq : vp < vq;
                                          return p < q;
                                      });
                    for (std::int64_t j = 0; j < k; ++j) {
                        const std::int64_t dst = (o * k + j) * a.inner + i;
                        vals[dst] = line[order[j] * a.inner];
                        idxOut[dst] = order[j];
                    }
                }
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // The values' gradient goes back to the positions the indices name.
        if (dOut.size() > 1 && !dOut[1].empty())
            fail("the Indices output is not differentiable");
        const Shape xs = b.shape(b.in(0));
        const std::int64_t axis =
            normalizeAxis(attrInt(b.node(), "axis", -1), static_cast<std::int64_t>(xs.size()));
        return std::vector<std::string>{
            b.op("aisys:GatherElementsGrad", {dOut[0], b.out(1)}, {{"axis", axis}, {"shape", xs}})};
    };
    return d;
}

OpDef gatherElementsGradOp() {
    OpDef d;
    d.type = "aisys:GatherElementsGrad";
    d.category = FusionCategory::Injective;
    d.attrs = {{"axis", "0"}, {"shape", ""}};
    d.infer = [](const OpCall& c) {
        // Inputs dY and indices of one shape; output: zeros of `shape` with
        // dX[.., indices[.., j, ..], ..] += dY[.., j, ..] along `axis`.
        expectInputs(c, 2, 2);
        expectFloat(c, 0);
        if (c.in[1].dtype != DType::I64)
            fail(std::string("indices: expected i64, got ") + dtypeName(c.in[1].dtype));
        const Shape shape = attrInts(c.node, "shape");
        if (shape.size() != c.in[0].shape.size())
            fail("attribute 'shape' " + shapeToString(shape) + " must have dY's rank " +
                 std::to_string(c.in[0].shape.size()));
        return std::vector<TensorType>{{c.in[0].dtype, shape}};
    };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        return numelOrZero(c.in[0].shape);
    };
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        const AxisSplit src = splitAt(in[0]->shape(), attrInt(c.node, "axis", 0));
        const std::int64_t len = out[0].shape()[src.axis];
        visitFloat(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* dy = in[0]->data<T>();
            const std::int64_t* idx = in[1]->data<std::int64_t>();
            T* dx = out[0].data<T>();
            std::fill(dx, dx + out[0].numel(), T(0));
            for (std::int64_t o = 0; o < src.outer; ++o)
                for (std::int64_t j = 0; j < src.len; ++j)
                    for (std::int64_t i = 0; i < src.inner; ++i) {
                        const std::int64_t at = (o * src.len + j) * src.inner + i;
                        std::int64_t k = idx[at] < 0 ? idx[at] + len : idx[at];
                        if (k < 0 || k >= len)
                            fail("index " + std::to_string(idx[at]) + " is out of range");
                        dx[(o * len + k) * src.inner + i] += dy[at];
                    }
        });
    };
    return d;
}

} // namespace aisys::engine::ops
