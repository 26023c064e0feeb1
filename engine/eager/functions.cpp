// Eager operators and functions: each is one Tape::apply of a registry op.
#include "engine/eager/functions.h"

#include <stdexcept>

namespace aisys::engine::eager {

namespace {

Tape& tapeOf(const Tensor& t) {
    if (!t.tape())
        throw std::invalid_argument("eager: an empty tensor handle");
    return *t.tape();
}

Tensor unary(const char* op, const Tensor& x) {
    return tapeOf(x).apply1(op, {x});
}

Tensor binary(const char* op, const Tensor& a, const Tensor& b) {
    return tapeOf(a).apply1(op, {a, b});
}

Tensor scalarLike(const Tensor& a, double s) {
    return tapeOf(a).constant(engine::Tensor::f64({}, {s}).cast(a.value().dtype()));
}

} // namespace

Tensor operator+(const Tensor& a, const Tensor& b) {
    return binary("Add", a, b);
}
Tensor operator-(const Tensor& a, const Tensor& b) {
    return binary("Sub", a, b);
}
Tensor operator*(const Tensor& a, const Tensor& b) {
    return binary("Mul", a, b);
}
Tensor operator/(const Tensor& a, const Tensor& b) {
    return binary("Div", a, b);
}
Tensor operator-(const Tensor& a) {
    return unary("Neg", a);
}
Tensor operator*(const Tensor& a, double s) {
    return a * scalarLike(a, s);
}
Tensor operator+(const Tensor& a, double s) {
    return a + scalarLike(a, s);
}
Tensor matmul(const Tensor& a, const Tensor& b) {
    return binary("MatMul", a, b);
}
Tensor relu(const Tensor& x) {
    return unary("Relu", x);
}
Tensor sigmoid(const Tensor& x) {
    return unary("Sigmoid", x);
}
Tensor tanh(const Tensor& x) {
    return unary("Tanh", x);
}
Tensor exp(const Tensor& x) {
    return unary("Exp", x);
}
Tensor log(const Tensor& x) {
    return unary("Log", x);
}
Tensor sin(const Tensor& x) {
    return unary("Sin", x);
}
Tensor softmax(const Tensor& x, std::int64_t axis) {
    return tapeOf(x).apply1("Softmax", {x}, {{"axis", axis}});
}
Tensor sum(const Tensor& x) {
    return tapeOf(x).apply1("ReduceSum", {x}, {{"keepdims", std::int64_t{0}}});
}
Tensor sum(const Tensor& x, std::vector<std::int64_t> axes, bool keepdims) {
    return tapeOf(x).apply1("ReduceSum", {x},
                            {{"axes", std::move(axes)}, {"keepdims", std::int64_t{keepdims}}});
}
Tensor mean(const Tensor& x) {
    return tapeOf(x).apply1("ReduceMean", {x}, {{"keepdims", std::int64_t{0}}});
}
Tensor reshape(const Tensor& x, const Shape& shape) {
    Tape& t = tapeOf(x);
    return t.apply1(
        "Reshape",
        {x, t.constant(engine::Tensor::i64({static_cast<std::int64_t>(shape.size())}, shape))});
}
Tensor transpose(const Tensor& x, std::vector<std::int64_t> perm) {
    return tapeOf(x).apply1("Transpose", {x}, {{"perm", std::move(perm)}});
}

} // namespace aisys::engine::eager
