// The eager API's operators and functions (a small, Python-like surface over Tape::apply).
#pragma once

#include "engine/eager/tape.h"

namespace aisys::engine::eager {

/// Element-wise arithmetic with numpy broadcasting (Add Sub Mul Div).
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
/// With a scalar (made a constant on a's tape, in a's type).
Tensor operator*(const Tensor& a, double s);
Tensor operator+(const Tensor& a, double s);

Tensor matmul(const Tensor& a, const Tensor& b);
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sin(const Tensor& x);
/// Softmax along `axis`.
Tensor softmax(const Tensor& x, std::int64_t axis = -1);
/// Sum over all elements (a rank-0 result), or over `axes` keeping them when `keepdims`.
Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, std::vector<std::int64_t> axes, bool keepdims = false);
Tensor mean(const Tensor& x);
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor transpose(const Tensor& x, std::vector<std::int64_t> perm);

} // namespace aisys::engine::eager
