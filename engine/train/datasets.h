// Data the engine generates itself for the training lessons: two spirals and procedurally drawn
// seven-segment digits (no data files).
#pragma once

#include "engine/core/tensor.h"

#include <cstdint>

namespace aisys::engine::train {

/// Samples and their class labels.
struct Dataset {
    Tensor x;      ///< f32 [N, features...]
    Tensor labels; ///< i64 [N]
    int classes = 0;
};

/// Two interleaved spirals (classes 0 and 1), `perClass` points each, x f32 [2·perClass, 2]
/// in about [-1, 1]², with Gaussian noise of std `noise`; samples alternate between classes.
Dataset twoSpirals(int perClass, double noise, std::uint32_t seed);

/// Seven-segment digits 0–9 drawn into `size`×`size` images (size ≥ 10), `perClass` each:
/// random box size, a centred box shifted by up to one pixel, stroke intensity and pixel noise; x
/// f32 [10·perClass, 1, size, size]; samples cycle through the classes.
Dataset sevenSegmentDigits(int perClass, int size, std::uint32_t seed);

/// Rows [first, first + count) of a dataset (a mini-batch).
Dataset batchOf(const Dataset& d, std::int64_t first, std::int64_t count);

/// One-hot f32 [N, classes] of the labels.
Tensor oneHot(const Tensor& labels, int classes);

} // namespace aisys::engine::train
