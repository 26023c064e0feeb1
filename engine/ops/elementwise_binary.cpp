// Broadcasting binary ops: arithmetic (Add Sub Mul Div Pow PRelu) with its element-wise formula
// and partial derivatives, comparisons, and Where.
#include "engine/ops/grad_builder.h"
#include "engine/ops/op_kit.h"
#include "engine/ops/op_library.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace aisys::engine::ops {

namespace {

enum class BKind { Add, Sub, Mul, Div, Pow, PRelu };

BKind binaryKind(const std::string& type) {
    static const std::pair<const char*, BKind> kKinds[] = {
        {"Add", BKind::Add}, {"Sub", BKind::Sub}, {"Mul", BKind::Mul},
        {"Div", BKind::Div}, {"Pow", BKind::Pow}, {"PRelu", BKind::PRelu}};
    for (const auto& [name, kind] : kKinds)
        if (type == name)
            return kind;
    throw std::logic_error("arithmeticOp: unknown op " + type);
}

/// The formula of each arithmetic op, for every numeric type.
template <class T> T applyBinary(BKind k, T a, T b) {
    if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        // Signed overflow is undefined in C++; integers wrap around two's complement as in
        // numpy and ONNX Runtime, so compute + − × in 64-bit unsigned arithmetic (wide enough
        // that small types are not promoted to int) and convert back modulo 2^bits (C++20).
        using U = std::uint64_t;
        if (k == BKind::Add)
            return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
        if (k == BKind::Sub)
            return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
        const auto mul = [](T x, T y) {
            return static_cast<T>(static_cast<U>(static_cast<U>(x) * static_cast<U>(y)));
        };
        if (k == BKind::Mul)
            return mul(a, b);
        if (k == BKind::PRelu)
            return a < T(0) ? mul(a, b) : a;
    }
    switch (k) {
    case BKind::Add:
        return static_cast<T>(a + b);
    case BKind::Sub:
        return static_cast<T>(a - b);
    case BKind::Mul:
        return static_cast<T>(a * b);
    case BKind::Div:
        if constexpr (std::is_integral_v<T>) {
            // Integer division by zero (and MIN / -1) would trap; define them as 0.
            if (b == 0 ||
                (std::is_signed_v<T> && b == T(-1) && a == std::numeric_limits<T>::lowest()))
                return T(0);
        }
        return static_cast<T>(a / b);
    case BKind::Pow:
        return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
    case BKind::PRelu:
        return a < T(0) ? static_cast<T>(a * b) : a;
    }
    return a;
}

template <> inline float applyBinary<float>(BKind k, float a, float b) {
    switch (k) {
    case BKind::Add:
        return a + b;
    case BKind::Sub:
        return a - b;
    case BKind::Mul:
        return a * b;
    case BKind::Div:
        return a / b;
    case BKind::Pow:
        return std::pow(a, b);
    case BKind::PRelu:
        return a < 0 ? a * b : a;
    }
    return a;
}

/// The formula over a block of the fused kernels (ElementwiseFormula::f32/f64).
template <BKind K, class T>
void binaryBlock(const ScalarParams&, T* y, const T* a, const T* b, const T*, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = applyBinary<T>(K, a[i], b[i]);
}

/// ∂f/∂a (Operand 0) and ∂f/∂b (Operand 1) of each arithmetic op.
template <BKind K, int Operand>
double binaryPartial(const ScalarParams&, double a, double b, double) {
    const bool da = Operand == 0;
    switch (K) {
    case BKind::Add:
        return 1;
    case BKind::Sub:
        return da ? 1 : -1;
    case BKind::Mul:
        return da ? b : a;
    case BKind::Div:
        return da ? 1 / b : -a / (b * b);
    case BKind::Pow: // d(aᵇ) = b·aᵇ⁻¹·da + aᵇ·ln a·db
        return da ? b * std::pow(a, b - 1) : std::pow(a, b) * std::log(a);
    case BKind::PRelu: // y = a < 0 ? a·slope : a
        return da ? (a < 0 ? b : 1) : (a < 0 ? a : 0);
    }
    return 0;
}

template <BKind K> ElementwiseFormula formulaOf() {
    return {2,
            nullptr,
            &binaryBlock<K, float>,
            &binaryBlock<K, double>,
            {&binaryPartial<K, 0>, &binaryPartial<K, 1>}};
}

ElementwiseFormula binaryFormula(BKind k) {
    switch (k) {
    case BKind::Add:
        return formulaOf<BKind::Add>();
    case BKind::Sub:
        return formulaOf<BKind::Sub>();
    case BKind::Mul:
        return formulaOf<BKind::Mul>();
    case BKind::Div:
        return formulaOf<BKind::Div>();
    case BKind::Pow:
        return formulaOf<BKind::Pow>();
    case BKind::PRelu:
        return formulaOf<BKind::PRelu>();
    }
    return {};
}

/// out[i] = f(a[ia], b[ib]) over the broadcast of a and b, in contiguous runs (each input
/// either steps with the output or stays on one element), so the inner loops vectorise.
template <class T, class R, class F>
void broadcastBinary(const Tensor& ta, const Tensor& tb, Tensor& out, F f) {
    const T* a = ta.data<T>();
    const T* b = tb.data<T>();
    R* o = out.data<R>();
    forEachBroadcastRun<2>(out.shape(), {ta.shape(), tb.shape()},
                           [&](std::int64_t start, std::int64_t len,
                               const std::array<std::int64_t, 2>& p,
                               const std::array<std::int64_t, 2>& step) {
                               const T* pa = a + p[0];
                               const T* pb = b + p[1];
                               R* po = o + start;
                               if (step[0] && step[1]) {
                                   for (std::int64_t i = 0; i < len; ++i)
                                       po[i] = f(pa[i], pb[i]);
                               } else if (step[0]) {
                                   const T bv = *pb;
                                   for (std::int64_t i = 0; i < len; ++i)
                                       po[i] = f(pa[i], bv);
                               } else if (step[1]) {
                                   const T av = *pa;
                                   for (std::int64_t i = 0; i < len; ++i)
                                       po[i] = f(av, pb[i]);
                               } else {
                                   const R v = f(*pa, *pb);
                                   for (std::int64_t i = 0; i < len; ++i)
                                       po[i] = v;
                               }
                           });
}

/// broadcastBinary with the op chosen once, outside the loops (a constant kind per lambda).
template <class T> void arithmetic(BKind kind, const Tensor& a, const Tensor& b, Tensor& out) {
    auto run = [&](auto k) {
        broadcastBinary<T, T>(a, b, out,
                              [](T x, T y) { return applyBinary<T>(decltype(k)::value, x, y); });
    };
    switch (kind) {
    case BKind::Add:
        return run(std::integral_constant<BKind, BKind::Add>{});
    case BKind::Sub:
        return run(std::integral_constant<BKind, BKind::Sub>{});
    case BKind::Mul:
        return run(std::integral_constant<BKind, BKind::Mul>{});
    case BKind::Div:
        return run(std::integral_constant<BKind, BKind::Div>{});
    case BKind::Pow:
        return run(std::integral_constant<BKind, BKind::Pow>{});
    case BKind::PRelu:
        return run(std::integral_constant<BKind, BKind::PRelu>{});
    }
}

/// Gradient of a broadcasting binary op: the local derivative times dY per input, summed back
/// to the input's shape (the broadcast's adjoint).
std::vector<std::string> arithmeticGradient(BKind kind, GradBuilder& b,
                                            const std::vector<std::string>& dOut) {
    const std::string a = b.in(0), x = b.in(1), y = b.out(0), dy = dOut[0];
    const DType t = b.dtype(a);
    std::string da, dx;
    switch (kind) {
    case BKind::Add:
        da = dx = dy;
        break;
    case BKind::Sub:
        da = dy;
        if (b.needs(1))
            dx = b.neg(dy);
        break;
    case BKind::Mul:
        if (b.needs(0))
            da = b.mul(dy, x);
        if (b.needs(1))
            dx = b.mul(dy, a);
        break;
    case BKind::Div: // d(a/x) = da/x − a·dx/x² = da/x − y·dx/x
        if (b.needs(0))
            da = b.div(dy, x);
        if (b.needs(1))
            dx = b.neg(b.div(b.mul(dy, y), x));
        break;
    case BKind::Pow: { // d(aˣ) = x·aˣ⁻¹·da + aˣ·ln a·dx
        if (b.needs(0)) {
            std::string xf = x;
            if (b.dtype(x) != t)
                xf = b.op("Cast", {x}, {{"to", std::int64_t{onnxCodeOf(t)}}});
            const std::string pw = b.op("Pow", {a, b.sub(xf, b.scalar(1, t))});
            da = b.mul(dy, b.mul(xf, pw));
        }
        if (b.needs(1))
            dx = b.mul(dy, b.mul(y, b.op("Log", {a})));
        break;
    }
    case BKind::PRelu: { // y = a < 0 ? a·slope : a
        const std::string neg = b.op("Less", {a, b.scalar(0, t)});
        if (b.needs(0))
            da = b.op("Where", {neg, b.mul(dy, x), dy});
        if (b.needs(1))
            dx = b.op("Where", {neg, b.mul(dy, a), b.scalar(0, t)});
        break;
    }
    }
    return {b.needs(0) && !da.empty() ? b.sumTo(da, b.shape(a)) : "",
            b.needs(1) && !dx.empty() ? b.sumTo(dx, b.shape(x)) : ""};
}

} // namespace

OpDef arithmeticOp(const std::string& type) {
    const BKind kind = binaryKind(type);
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Broadcast;
    d.elementwise = binaryFormula(kind);
    d.infer = [kind](const OpCall& c) {
        expectInputs(c, 2, 2);
        if (c.in[0].dtype == DType::Bool)
            fail("expected numeric inputs, got bool");
        if (kind == BKind::Pow) {
            if (c.in[1].dtype == DType::Bool)
                fail("exponent: expected a numeric tensor, got bool");
        } else {
            expectSameType(c, 1);
        }
        Shape s = broadcastShapes(c.in[0].shape, c.in[1].shape);
        if (kind == BKind::PRelu && shapeKnown(s) && shapeKnown(c.in[0].shape) &&
            s != c.in[0].shape)
            fail("slope " + shapeToString(c.in[1].shape) + " must broadcast to X " +
                 shapeToString(c.in[0].shape));
        return std::vector<TensorType>{{c.in[0].dtype, s}};
    };
    d.flops = flopsPerOutput;
    d.forward = [kind](const OpCall&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        // Pow may have an exponent of another type: a float base takes the exponent in its
        // own type; an integer base computes in double and truncates.
        if (in[1]->dtype() != in[0]->dtype()) {
            if (!isFloat(in[0]->dtype())) {
                Tensor r(DType::F64, out[0].shape());
                broadcastBinary<double, double>(in[0]->cast(DType::F64), in[1]->cast(DType::F64), r,
                                                [](double x, double y) { return std::pow(x, y); });
                out[0] = r.cast(out[0].dtype());
                return;
            }
        }
        // x² (a squared magnitude, a variance): x·x is the correctly rounded x², as pow's is,
        // without a library call per element (Silero VAD's spectrum: 2 × 5 µs → 2 × 0.4 µs).
        if (kind == BKind::Pow && in[1]->numel() == 1 && out[0].shape() == in[0]->shape() &&
            (in[0]->dtype() == DType::F32 || in[0]->dtype() == DType::F64) &&
            in[1]->cast(DType::F64).data<double>()[0] == 2.0) {
            visitFloat(in[0]->dtype(), [&](auto tag) {
                using T = decltype(tag);
                const T* x = in[0]->data<T>();
                T* y = out[0].data<T>();
                for (std::int64_t i = 0, n = out[0].numel(); i < n; ++i)
                    y[i] = x[i] * x[i];
            });
            return;
        }
        const Tensor b = in[1]->dtype() == in[0]->dtype() ? Tensor() : in[1]->cast(in[0]->dtype());
        const Tensor& rhs = in[1]->dtype() == in[0]->dtype() ? *in[1] : b;
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            arithmetic<T>(kind, *in[0], rhs, out[0]);
        });
    };
    d.gradient = [kind](GradBuilder& b, const std::vector<std::string>& dOut) {
        return arithmeticGradient(kind, b, dOut);
    };
    return d;
}

OpDef compareOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Broadcast;
    d.infer = [type](const OpCall& c) {
        expectInputs(c, 2, 2);
        expectSameType(c, 1);
        if (type != "Equal" && c.in[0].dtype == DType::Bool)
            fail("expected numeric inputs, got bool");
        return std::vector<TensorType>{
            {DType::Bool, broadcastShapes(c.in[0].shape, c.in[1].shape)}};
    };
    d.flops = flopsPerOutput;
    d.forward = [type](const OpCall&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        visitDType(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            if (type == "Equal")
                broadcastBinary<T, bool>(*in[0], *in[1], out[0], [](T a, T b) { return a == b; });
            else if (type == "Greater")
                broadcastBinary<T, bool>(*in[0], *in[1], out[0], [](T a, T b) { return a > b; });
            else if (type == "Less")
                broadcastBinary<T, bool>(*in[0], *in[1], out[0], [](T a, T b) { return a < b; });
            else if (type == "GreaterOrEqual")
                broadcastBinary<T, bool>(*in[0], *in[1], out[0], [](T a, T b) { return a >= b; });
            else if (type == "LessOrEqual")
                broadcastBinary<T, bool>(*in[0], *in[1], out[0], [](T a, T b) { return a <= b; });
        });
    };
    return d;
}

OpDef logicalOp(const std::string& type) {
    OpDef d;
    d.type = type;
    d.category = FusionCategory::Broadcast;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        for (std::size_t i = 0; i < 2; ++i)
            if (c.in[i].dtype != DType::Bool)
                fail("input " + std::to_string(i) + ": expected bool, got " +
                     dtypeName(c.in[i].dtype));
        return std::vector<TensorType>{
            {DType::Bool, broadcastShapes(c.in[0].shape, c.in[1].shape)}};
    };
    d.flops = flopsPerOutput;
    d.forward = [type](const OpCall&, const std::vector<const Tensor*>& in,
                       std::vector<Tensor>& out) {
        if (type == "And")
            broadcastBinary<bool, bool>(*in[0], *in[1], out[0],
                                        [](bool a, bool b) { return a && b; });
        else if (type == "Or")
            broadcastBinary<bool, bool>(*in[0], *in[1], out[0],
                                        [](bool a, bool b) { return a || b; });
        else
            broadcastBinary<bool, bool>(*in[0], *in[1], out[0],
                                        [](bool a, bool b) { return a != b; });
    };
    return d;
}

OpDef modOp() {
    OpDef d;
    d.type = "Mod";
    d.category = FusionCategory::Broadcast;
    d.attrs = {{"fmod", "0"}};
    d.infer = [](const OpCall& c) {
        expectInputs(c, 2, 2);
        expectSameType(c, 1);
        if (c.in[0].dtype == DType::Bool)
            fail("expected numeric inputs, got bool");
        if (isFloat(c.in[0].dtype) && attrInt(c.node, "fmod", 0) == 0)
            fail("floating-point inputs need fmod=1 (ONNX Mod)");
        return std::vector<TensorType>{
            {c.in[0].dtype, broadcastShapes(c.in[0].shape, c.in[1].shape)}};
    };
    d.flops = flopsPerOutput;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // fmod=1: the remainder of C's fmod (sign of the dividend); fmod=0 (integers): the
        // remainder with the sign of the divisor, as Python's %.
        const bool cfmod = attrInt(c.node, "fmod", 0) != 0;
        visitNumeric(in[0]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_floating_point_v<T>) {
                broadcastBinary<T, T>(*in[0], *in[1], out[0],
                                      [](T a, T b) { return std::fmod(a, b); });
            } else {
                bool byZero = false;
                broadcastBinary<T, T>(*in[0], *in[1], out[0], [&](T a, T b) {
                    if (b == 0) {
                        byZero = true;
                        return T(0);
                    }
                    const T r = static_cast<T>(a % b);
                    return !cfmod && r != 0 && ((r < 0) != (b < 0)) ? static_cast<T>(r + b) : r;
                });
                if (byZero)
                    fail("integer division by zero (a divisor element is 0)");
            }
        });
    };
    return d;
}

OpDef whereOp() {
    OpDef d;
    d.type = "Where";
    d.category = FusionCategory::Broadcast;
    d.infer = [](const OpCall& c) {
        expectInputs(c, 3, 3);
        if (c.in[0].dtype != DType::Bool)
            fail(std::string("condition: expected bool, got ") + dtypeName(c.in[0].dtype));
        if (c.in[2].dtype != c.in[1].dtype)
            fail(std::string("X and Y must have one type, got ") + dtypeName(c.in[1].dtype) +
                 " and " + dtypeName(c.in[2].dtype));
        Shape s = broadcastShapes(broadcastShapes(c.in[0].shape, c.in[1].shape), c.in[2].shape);
        return std::vector<TensorType>{{c.in[1].dtype, s}};
    };
    d.flops = noFlops;
    d.forward = [](const OpCall&, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
        const bool* cond = in[0]->data<bool>();
        visitDType(in[1]->dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* x = in[1]->data<T>();
            const T* y = in[2]->data<T>();
            T* o = out[0].data<T>();
            forEachBroadcast<3>(out[0].shape(), {in[0]->shape(), in[1]->shape(), in[2]->shape()},
                                [&](std::int64_t i, const std::array<std::int64_t, 3>& p) {
                                    o[i] = cond[p[0]] ? x[p[1]] : y[p[2]];
                                });
        });
    };
    d.gradient = [](GradBuilder& b, const std::vector<std::string>& dOut) {
        // dY flows to X where the condition holds and to Y elsewhere.
        const std::string zero = b.scalar(0, b.dtype(b.in(1)));
        std::vector<std::string> r(3);
        if (b.needs(1))
            r[1] = b.sumTo(b.op("Where", {b.in(0), dOut[0], zero}), b.shape(b.in(1)));
        if (b.needs(2))
            r[2] = b.sumTo(b.op("Where", {b.in(0), zero, dOut[0]}), b.shape(b.in(2)));
        return r;
    };
    return d;
}

} // namespace aisys::engine::ops
