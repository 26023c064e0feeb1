// The scalar math of the element-wise ops, written once: the unary/binary op kernels
// (elementwise_unary.cpp, elementwise_binary.cpp) and the fused element-wise kernel
// (fused_kernel.cpp) all evaluate these, so a formula cannot differ between them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace aisys::engine::ops {

/// Attribute values an activation reads.
struct UnaryParams {
    double alpha = 0;
    double beta = 0;
    bool tanhGelu = false;
};

/// The float unary ops, resolved once per call (not per element).
enum class UKind {
    Sqrt,
    Exp,
    Log,
    Reciprocal,
    Sigmoid,
    HardSigmoid,
    HardSwish,
    Tanh,
    Erf,
    Gelu,
    LeakyRelu,
    Elu,
    Selu,
    Softplus,
    Softsign,
    Sin,
    Cos,
    Floor,
    Ceil,
    Round
};

template <class T> T floatUnary(UKind k, T x, const UnaryParams& p) {
    const T a = static_cast<T>(p.alpha), b = static_cast<T>(p.beta);
    switch (k) {
    case UKind::Sqrt:
        return std::sqrt(x);
    case UKind::Exp:
        return std::exp(x);
    case UKind::Log:
        return std::log(x);
    case UKind::Reciprocal:
        return T(1) / x;
    case UKind::Sigmoid:
        return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
    case UKind::HardSigmoid:
        return std::max(T(0), std::min(T(1), a * x + b));
    case UKind::HardSwish:
        return x * std::max(T(0), std::min(T(1), x / T(6) + T(0.5)));
    case UKind::Tanh:
        return std::tanh(x);
    case UKind::Erf:
        return std::erf(x);
    case UKind::Gelu:
        if (p.tanhGelu)
            return T(0.5) * x *
                   (T(1) + std::tanh(T(0.7978845608028654) * (x + T(0.044715) * x * x * x)));
        return T(0.5) * x * (T(1) + std::erf(x / std::sqrt(T(2))));
    case UKind::LeakyRelu:
        return x >= 0 ? x : a * x;
    case UKind::Elu:
        return x >= 0 ? x : a * (std::exp(x) - T(1));
    case UKind::Selu:
        return x > 0 ? b * x : b * (a * std::exp(x) - a);
    case UKind::Softplus:
        return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    case UKind::Softsign:
        return x / (T(1) + std::abs(x));
    case UKind::Sin:
        return std::sin(x);
    case UKind::Cos:
        return std::cos(x);
    case UKind::Floor:
        return std::floor(x);
    case UKind::Ceil:
        return std::ceil(x);
    case UKind::Round:
        return std::nearbyint(x); // half to even in the default rounding mode
    }
    return x;
}

enum class BKind { Add, Sub, Mul, Div, Pow, PRelu, Max, Min };

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
    case BKind::Max:
        return a > b ? a : b;
    case BKind::Min:
        return a < b ? a : b;
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
    case BKind::Max:
        return std::isnan(a) || std::isnan(b) ? NAN : (a > b ? a : b);
    case BKind::Min:
        return std::isnan(a) || std::isnan(b) ? NAN : (a < b ? a : b);
    }
    return a;
}

} // namespace aisys::engine::ops
