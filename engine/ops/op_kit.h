// Shared helpers for op definitions: input checks, axes, strides, broadcast loops, dispatch.
#pragma once

#include <cstdint>

#include "engine/graph/ops.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace aisys::engine::ops {

/// Throws std::invalid_argument(msg) (inferNode prefixes the node and op).
[[noreturn]] void fail(const std::string& msg);

/// Checks the number of listed inputs is within [lo, hi].
void expectInputs(const OpCall& c, std::size_t lo, std::size_t hi);
/// Checks input i is present (not an omitted optional input).
void expectPresent(const OpCall& c, std::size_t i, const char* what);
/// Checks input i has a floating-point type (f32 or f64).
void expectFloat(const OpCall& c, std::size_t i);
/// Checks input i has the same type as input 0.
void expectSameType(const OpCall& c, std::size_t i);
/// True for f32/f64.
bool isFloat(DType t);

/// Axis in [-rank, rank) made non-negative; throws naming `what` otherwise.
int normalizeAxis(std::int64_t axis, std::int64_t rank, const char* what = "axis");
/// Row-major strides of a shape.
std::vector<std::int64_t> stridesOf(const Shape& s);
/// The known value of input i as integers (any integer or float type), if known.
std::optional<std::vector<std::int64_t>> knownInts(const OpCall& c, std::size_t i);
/// Axes from the attribute `attr` if present, else from input `input` if present and known;
/// `found` tells whether either exists. When the input exists but its value is not known yet,
/// sets *unknown (or throws when `unknown` is null) and returns {}.
std::vector<std::int64_t> axesFrom(const OpCall& c, const char* attr, std::size_t input,
                                   bool* found = nullptr, bool* unknown = nullptr);
/// Length of the 1-D input i (its shape[0]); throws when that is not known.
std::int64_t inputLength(const OpCall& c, std::size_t i, const char* what);

/// FLOPs = one per output element (first output).
double flopsPerOutput(const OpCall& c, const std::vector<TensorType>& out);
/// FLOPs = zero (data movement only).
double noFlops(const OpCall& c, const std::vector<TensorType>& out);

/// Calls f(T{}) for f32/f64, throws for other types.
template <class F> decltype(auto) visitFloat(DType t, F&& f) {
    if (t == DType::F64)
        return f(double{});
    if (t != DType::F32)
        fail(std::string("expected a floating-point tensor, got ") + dtypeName(t));
    return f(float{});
}

/// Calls f(T{}) for every type except bool (throws for bool).
template <class F> decltype(auto) visitNumeric(DType t, F&& f) {
    switch (t) {
    case DType::F64:
        return f(double{});
    case DType::I8:
        return f(std::int8_t{});
    case DType::U8:
        return f(std::uint8_t{});
    case DType::I32:
        return f(std::int32_t{});
    case DType::I64:
        return f(std::int64_t{});
    case DType::Bool:
        fail("expected a numeric tensor, got bool");
    case DType::F32:
        break;
    }
    return f(float{});
}

/// Per input, its stride along each of the r output dims of a numpy broadcast (0 where the
/// input is broadcast along that dim).
template <std::size_t K>
std::array<std::vector<std::int64_t>, K> broadcastStrides(std::size_t r,
                                                          const std::array<Shape, K>& ins) {
    std::array<std::vector<std::int64_t>, K> strides;
    for (std::size_t k = 0; k < K; ++k) {
        strides[k].assign(r, 0);
        std::int64_t stride = 1;
        const Shape& s = ins[k];
        for (std::size_t i = 0; i < s.size(); ++i) {
            std::size_t d = s.size() - 1 - i;
            strides[k][r - 1 - i] = s[d] == 1 ? 0 : stride;
            stride *= s[d];
        }
    }
    return strides;
}

/// Visits a K-input numpy broadcast in runs: f(outStart, len, inputStarts, inputSteps) covers
/// output elements [outStart, outStart + len), where input k reads inputStarts[k] +
/// i · inputSteps[k] (step 1 where it is contiguous with the output, 0 where it is broadcast).
/// The run merges every trailing dimension where each input keeps the same step, so a bias
/// added over rows or a per-row scalar gives one long, vectorisable inner loop.
template <std::size_t K, class F>
void forEachBroadcastRun(const Shape& out, const std::array<Shape, K>& ins, F&& f) {
    // 1. Strides per output dim as in forEachBroadcast (0 where broadcast).
    // 2. Merge trailing dims into the run while every input's stride continues the run.
    // 3. Walk the remaining outer dims like an odometer, one call per run.
    const std::size_t r = out.size();
    const auto strides = broadcastStrides<K>(r, ins);
    const std::int64_t n = numElements(out);
    if (n == 0)
        return;
    std::array<std::int64_t, K> step{};
    std::size_t inner = r; // dims [inner, r) form the run
    std::int64_t len = 1;
    if (r > 0) {
        for (std::size_t k = 0; k < K; ++k)
            step[k] = strides[k][r - 1] == 0 || out[r - 1] == 1 ? 0 : 1;
        while (inner > 0) {
            const std::size_t d = inner - 1;
            bool fits = true;
            for (std::size_t k = 0; k < K; ++k)
                fits = fits && (out[d] == 1 || strides[k][d] == step[k] * len);
            if (!fits)
                break;
            len *= out[d];
            inner = d;
        }
    }
    std::vector<std::int64_t> idx(inner, 0);
    std::array<std::int64_t, K> pos{};
    for (std::int64_t o = 0; o < n; o += len) {
        f(o, len, pos, step);
        for (int d = static_cast<int>(inner) - 1; d >= 0; --d) {
            for (std::size_t k = 0; k < K; ++k)
                pos[k] += strides[k][d];
            if (++idx[d] < out[d])
                break;
            for (std::size_t k = 0; k < K; ++k)
                pos[k] -= strides[k][d] * out[d];
            idx[d] = 0;
        }
    }
}

/// Visits every output element of a K-input numpy broadcast: f(outIndex, inputIndices).
template <std::size_t K, class F>
void forEachBroadcast(const Shape& out, const std::array<Shape, K>& ins, F&& f) {
    // 1. Give each input a stride per output dim (0 where it is broadcast).
    // 2. Walk the output in row-major order like an odometer, moving each input's index.
    const std::size_t r = out.size();
    const auto strides = broadcastStrides<K>(r, ins);
    const std::int64_t n = numElements(out);
    std::vector<std::int64_t> idx(r, 0);
    std::array<std::int64_t, K> pos{};
    for (std::int64_t o = 0; o < n; ++o) {
        f(o, pos);
        for (int d = static_cast<int>(r) - 1; d >= 0; --d) {
            for (std::size_t k = 0; k < K; ++k)
                pos[k] += strides[k][d];
            if (++idx[d] < out[d])
                break;
            for (std::size_t k = 0; k < K; ++k)
                pos[k] -= strides[k][d] * out[d];
            idx[d] = 0;
        }
    }
}

/// The tensor's storage as bytes (for type-independent copies).
inline const std::uint8_t* bytesOf(const Tensor& t) {
    return static_cast<const std::uint8_t*>(t.rawData());
}
inline std::uint8_t* bytesOf(Tensor& t) {
    return static_cast<std::uint8_t*>(t.rawData());
}

/// Odometer walk over `shape` calling f(flatIndex, index vector), row-major.
template <class F> void forEachIndex(const Shape& shape, F f) {
    const std::int64_t n = numElements(shape);
    std::vector<std::int64_t> idx(shape.size(), 0);
    for (std::int64_t i = 0; i < n; ++i) {
        f(i, idx);
        for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
            if (++idx[d] < shape[d])
                break;
            idx[d] = 0;
        }
    }
}

} // namespace aisys::engine::ops
