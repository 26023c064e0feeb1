// GELU (erf form) over an array: Eigen's vectorised erf, with the far-negative tail (x < −3,
// where 1 + erf(x/√2) cancels) recomputed through erfc. Shared by Gelu and the fused epilogues.
#pragma once

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace aisys::engine::ops {

/// y = 0.5·x·(1 + erf(x/√2)); x and y may be the same array.
template <class T> void geluErf(const T* x, T* y, std::int64_t n) {
    // 1. Copy a block of inputs aside (so y may alias x).
    // 2. Vectorised: 0.5·x·(1 + erf(x/√2)) for the whole block.
    // 3. Scalar: 0.5·x·erfc(−x/√2) where x < −3 (accurate where the sum above cancels).
    using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
    constexpr std::int64_t kBlock = 256;
    const T invSqrt2 = T(0.7071067811865476);
    T buf[kBlock];
    for (std::int64_t s = 0; s < n; s += kBlock) {
        const std::int64_t m = std::min(kBlock, n - s);
        std::copy(x + s, x + s + m, buf);
        Eigen::Map<const Arr> xa(buf, m);
        Eigen::Map<Arr> ya(y + s, m);
        ya = T(0.5) * xa * (T(1) + (xa * invSqrt2).erf());
        for (std::int64_t i = 0; i < m; ++i)
            if (buf[i] < T(-3))
                y[s + i] = T(0.5) * buf[i] * std::erfc(-buf[i] * invSqrt2);
    }
}

} // namespace aisys::engine::ops
