// Shared helpers for op definitions (checks, axes, known constant inputs, cost helpers).
#include "engine/ops/op_kit.h"

namespace aisys::engine::ops {

void fail(const std::string& msg) {
    throw std::invalid_argument(msg);
}

void expectInputs(const OpCall& c, std::size_t lo, std::size_t hi) {
    const std::size_t n = c.in.size();
    if (n < lo || n > hi)
        fail(lo == hi ? "expected " + std::to_string(lo) + " inputs, got " + std::to_string(n)
                      : "expected " + std::to_string(lo) + " to " + std::to_string(hi) +
                            " inputs, got " + std::to_string(n));
    for (std::size_t i = 0; i < lo; ++i)
        if (!c.has(i))
            fail("input " + std::to_string(i) + " is required");
}

void expectPresent(const OpCall& c, std::size_t i, const char* what) {
    if (!c.has(i))
        fail(std::string("expected input ") + std::to_string(i) + " (" + what + ")");
}

bool isFloat(DType t) {
    return t == DType::F32 || t == DType::F64;
}

void expectFloat(const OpCall& c, std::size_t i) {
    if (!isFloat(c.in[i].dtype))
        fail("input " + std::to_string(i) + ": expected f32 or f64, got " +
             dtypeName(c.in[i].dtype));
}

void expectSameType(const OpCall& c, std::size_t i) {
    if (c.has(i) && c.in[i].dtype != c.in[0].dtype)
        fail("input " + std::to_string(i) + ": expected " + dtypeName(c.in[0].dtype) +
             " like input 0, got " + dtypeName(c.in[i].dtype));
}

int normalizeAxis(std::int64_t axis, std::int64_t rank, const char* what) {
    std::int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) // (a scalar has no axis: callers index the shape with the result)
        fail(std::string(what) + " " + std::to_string(axis) + " is out of range for rank " +
             std::to_string(rank));
    return static_cast<int>(a);
}

std::vector<std::int64_t> stridesOf(const Shape& s) {
    std::vector<std::int64_t> st(s.size(), 1);
    for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i)
        st[i] = st[i + 1] * s[i + 1];
    return st;
}

std::optional<std::vector<std::int64_t>> knownInts(const OpCall& c, std::size_t i) {
    const Tensor* t = c.constant(i);
    if (!t)
        return std::nullopt;
    std::vector<std::int64_t> v(static_cast<std::size_t>(t->numel()));
    for (std::int64_t k = 0; k < t->numel(); ++k)
        v[k] = t->atInt(k);
    return v;
}

std::int64_t inputLength(const OpCall& c, std::size_t i, const char* what) {
    const Shape& s = c.in[i].shape;
    if (s.size() != 1 || s[0] < 0)
        fail(std::string(what) + " must be a 1-D tensor of known length, got " + shapeToString(s));
    return s[0];
}

std::vector<std::int64_t> axesFrom(const OpCall& c, const char* attr, std::size_t input,
                                   bool* found, bool* unknown) {
    if (found)
        *found = true;
    if (unknown)
        *unknown = false;
    if (hasAttr(c.node, attr))
        return attrInts(c.node, attr);
    if (c.has(input)) {
        auto v = knownInts(c, input);
        if (!v && unknown) {
            *unknown = true;
            return {};
        }
        if (!v)
            fail(std::string("input ") + std::to_string(input) + " (" + attr +
                 ") must be known before running (a constant or initializer)");
        return *v;
    }
    if (found)
        *found = false;
    return {};
}

double flopsPerOutput(const OpCall&, const std::vector<TensorType>& out) {
    return out.empty() ? 0.0 : numelOrZero(out[0].shape);
}

double noFlops(const OpCall&, const std::vector<TensorType>&) {
    return 0.0;
}

} // namespace aisys::engine::ops
