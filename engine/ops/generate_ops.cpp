// Range (a sequence from start, limit, delta), Trilu (triangle of matrices), CumSum (running sum).
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace aisys::engine::ops {

namespace {

/// Checks input i holds a single element (a scalar, or a 1-element tensor) when its shape is
/// known.
void expectScalar(const OpCall& c, std::size_t i, const char* what) {
    const Shape& s = c.in[i].shape;
    if (!s.empty() && !(s.size() == 1 && (s[0] == 1 || s[0] < 0)))
        fail(std::string(what) + " must be a scalar, got shape " + shapeToString(s));
}

/// Number of elements of Range(start, limit, delta): max(ceil((limit − start) / delta), 0).
std::int64_t rangeLength(const Tensor& start, const Tensor& limit, const Tensor& delta) {
    if (isFloat(start.dtype())) {
        const double s = start.at(0), l = limit.at(0), d = delta.at(0);
        if (!std::isfinite(s) || !std::isfinite(l) || !std::isfinite(d))
            fail("start, limit and delta must be finite, got " + std::to_string(s) + ", " +
                 std::to_string(l) + ", " + std::to_string(d));
        if (d == 0)
            fail("delta must not be 0");
        const double n = std::ceil((l - s) / d);
        if (n > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2))
            fail("the range has " + std::to_string(n) + " elements, more than a tensor can hold");
        return n > 0 ? static_cast<std::int64_t>(n) : 0;
    }
    const std::int64_t s = start.atInt(0), l = limit.atInt(0), d = delta.atInt(0);
    if (d == 0)
        fail("delta must not be 0");
    // ceil((l − s) / d) in 128 bits: l − s may not fit in 64.
    const __int128 span = static_cast<__int128>(l) - s;
    __int128 n = span / d;
    if (n * d != span && ((span > 0) == (d > 0)))
        ++n;
    return n > 0 ? static_cast<std::int64_t>(n) : 0;
}

/// The axis input of CumSum (a scalar integer), normalised.
int cumsumAxis(const OpCall& c, std::int64_t rank) {
    const Tensor* a = c.constant(1);
    if (!a)
        fail("axis must be known before running (an initializer or a constant)");
    if (a->numel() != 1)
        fail("axis must hold one value, got " + std::to_string(a->numel()));
    return normalizeAxis(a->atInt(0), rank, "axis");
}

} // namespace

OpDef rangeOp() {
    OpDef d;
    d.type = "Range";
    d.category = FusionCategory::Opaque;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 3, 3);
        const DType t = c.in[0].dtype;
        if (t == DType::Bool || t == DType::U8 || t == DType::I8)
            fail(std::string("expected f32, f64, i32 or i64 inputs, got ") + dtypeName(t));
        expectSameType(c, 1);
        expectSameType(c, 2);
        expectScalar(c, 0, "start");
        expectScalar(c, 1, "limit");
        expectScalar(c, 2, "delta");
        const Tensor *s = c.constant(0), *l = c.constant(1), *dl = c.constant(2);
        const std::int64_t n = s && l && dl ? rangeLength(*s, *l, *dl) : -1;
        return std::vector<TensorType>{{t, {n}}};
    };
    d.flops = flopsPerOutput;
    d.writesEveryOutput = true;
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        // y[i] = start + i · delta, computed per element (as ONNX's reference does) so a long
        // float range does not accumulate rounding.
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T start = in[0]->data<T>()[0], delta = in[2]->data<T>()[0];
            T* y = out[0].data<T>();
            const std::int64_t n = out[0].numel();
            for (std::int64_t i = 0; i < n; ++i)
                y[i] = static_cast<T>(start + static_cast<T>(i) * delta);
        });
    };
    return d;
}

OpDef triluOp() {
    OpDef d;
    d.type = "Trilu";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"upper", "1"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 1, 2);
        if (c.in[0].shape.size() < 2)
            fail("input must have rank 2 or more, got " + shapeToString(c.in[0].shape));
        if (c.has(1)) {
            expectScalar(c, 1, "k");
            if (c.in[1].dtype != DType::I64)
                fail(std::string("k must be i64, got ") + dtypeName(c.in[1].dtype));
        }
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = noFlops;
    d.writesEveryOutput = true;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Per matrix of the last two dims: keep x[i][j] where j − i ≥ k (upper) or j − i ≤ k
        // (lower), zero elsewhere.
        const bool upper = attrInt(c.node, "upper", 1) != 0;
        const std::int64_t k = in.size() > 1 && in[1] ? in[1]->atInt(0) : 0;
        const Shape& s = in[0]->shape();
        const std::int64_t rows = s[s.size() - 2], cols = s[s.size() - 1];
        const std::int64_t matrices = rows * cols == 0 ? 0 : in[0]->numel() / (rows * cols);
        const std::size_t es = dtypeSize(in[0]->dtype());
        const auto* x = static_cast<const unsigned char*>(in[0]->rawData());
        auto* y = static_cast<unsigned char*>(out[0].rawData());
        for (std::int64_t m = 0; m < matrices; ++m)
            for (std::int64_t i = 0; i < rows; ++i) {
                // Columns kept: [lo, hi).
                const std::int64_t lo = upper ? std::clamp<std::int64_t>(i + k, 0, cols) : 0;
                const std::int64_t hi = upper ? cols : std::clamp<std::int64_t>(i + k + 1, 0, cols);
                const std::size_t row = static_cast<std::size_t>((m * rows + i) * cols) * es;
                std::memset(y + row, 0, static_cast<std::size_t>(cols) * es);
                if (hi > lo)
                    std::memcpy(y + row + static_cast<std::size_t>(lo) * es,
                                x + row + static_cast<std::size_t>(lo) * es,
                                static_cast<std::size_t>(hi - lo) * es);
            }
    };
    return d;
}

OpDef cumSumOp() {
    OpDef d;
    d.type = "CumSum";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"exclusive", "0"}, {"reverse", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        if (c.in[0].dtype == DType::Bool)
            fail("expected a numeric tensor, got bool");
        if (c.in[1].dtype != DType::I32 && c.in[1].dtype != DType::I64)
            fail(std::string("axis must be i32 or i64, got ") + dtypeName(c.in[1].dtype));
        expectScalar(c, 1, "axis");
        if (c.constant(1))
            cumsumAxis(c, static_cast<std::int64_t>(c.in[0].shape.size()));
        return std::vector<TensorType>{c.in[0]};
    };
    d.flops = flopsPerOutput;
    d.writesEveryOutput = true;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // Along the axis, for each line (outer × inner): y[j] = Σ x[i] over i ≤ j (i < j when
        // exclusive; i ≥ j / i > j when reverse).
        const Shape& s = in[0]->shape();
        const int axis = cumsumAxis(c, static_cast<std::int64_t>(s.size()));
        const bool exclusive = attrInt(c.node, "exclusive", 0) != 0;
        const bool reverse = attrInt(c.node, "reverse", 0) != 0;
        std::int64_t outer = 1, inner = 1;
        for (int i = 0; i < axis; ++i)
            outer *= s[i];
        for (std::size_t i = static_cast<std::size_t>(axis) + 1; i < s.size(); ++i)
            inner *= s[i];
        const std::int64_t len = s.empty() ? 1 : s[axis];
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[0]->data<T>();
            T* y = out[0].data<T>();
            for (std::int64_t o = 0; o < outer; ++o)
                for (std::int64_t in2 = 0; in2 < inner; ++in2) {
                    T acc = T(0);
                    for (std::int64_t step = 0; step < len; ++step) {
                        const std::int64_t j = reverse ? len - 1 - step : step;
                        const std::int64_t at = (o * len + j) * inner + in2;
                        if (exclusive) {
                            y[at] = acc;
                            acc = static_cast<T>(acc + x[at]);
                        } else {
                            acc = static_cast<T>(acc + x[at]);
                            y[at] = acc;
                        }
                    }
                }
        });
    };
    return d;
}

} // namespace aisys::engine::ops
