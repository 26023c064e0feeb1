// Two spirals and seven-segment digits, generated from a seed.
#include "engine/train/datasets.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace aisys::engine::train {

Dataset twoSpirals(int perClass, double noise, std::uint32_t seed) {
    // Point i of class c lies at radius r = 0.1 + 0.9·i/n and angle θ = 3π·i/n + c·π
    // (one and a half turns), plus Gaussian noise.
    std::mt19937 rng(seed);
    std::normal_distribution<double> jitter(0.0, noise);
    const std::int64_t n = 2 * static_cast<std::int64_t>(perClass);
    Dataset d{Tensor(DType::F32, {n, 2}), Tensor(DType::I64, {n}), 2};
    float* x = d.x.data<float>();
    std::int64_t* y = d.labels.data<std::int64_t>();
    for (int i = 0; i < perClass; ++i)
        for (int c = 0; c < 2; ++c) {
            const double t = static_cast<double>(i) / perClass;
            const double r = 0.1 + 0.9 * t, theta = 3 * M_PI * t + c * M_PI;
            const std::int64_t k = 2 * i + c;
            x[2 * k] = static_cast<float>(r * std::cos(theta) + jitter(rng));
            x[2 * k + 1] = static_cast<float>(r * std::sin(theta) + jitter(rng));
            y[k] = c;
        }
    return d;
}

namespace {

/// Segments a–g of each digit (bit 0 = a top, b top right, c bottom right, d bottom,
/// e bottom left, f top left, g middle).
constexpr std::uint8_t kSegments[10] = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};

void drawDigit(float* img, int size, int digit, int ox, int oy, int w, int h, float ink) {
    // Segment end points in a w×h box (rows top to bottom); each is a 1-pixel line.
    const int mid = oy + h / 2, bottom = oy + h - 1, right = ox + w - 1;
    auto hline = [&](int row, int c0, int c1) {
        for (int c = c0; c <= c1; ++c)
            img[row * size + c] = ink;
    };
    auto vline = [&](int col, int r0, int r1) {
        for (int r = r0; r <= r1; ++r)
            img[r * size + col] = ink;
    };
    const std::uint8_t s = kSegments[digit];
    if (s & 0x01)
        hline(oy, ox, right);
    if (s & 0x02)
        vline(right, oy, mid);
    if (s & 0x04)
        vline(right, mid, bottom);
    if (s & 0x08)
        hline(bottom, ox, right);
    if (s & 0x10)
        vline(ox, mid, bottom);
    if (s & 0x20)
        vline(ox, oy, mid);
    if (s & 0x40)
        hline(mid, ox, right);
}

} // namespace

Dataset sevenSegmentDigits(int perClass, int size, std::uint32_t seed) {
    // Per sample: a box of width 4–6 and height 7–9 centred in the image and shifted by −1, 0
    // or +1 pixel each way (centred as MNIST's digits are, by their centre of mass, so a small
    // network trained on 200 samples generalizes to others), segments drawn with a random ink
    // level in [0.7, 1], then Gaussian pixel noise (σ = 0.15).
    if (size < 10)
        throw std::invalid_argument("sevenSegmentDigits: size " + std::to_string(size) +
                                    " is too small (expected >= 10)");
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> inkDist(0.7f, 1.0f);
    std::normal_distribution<float> noise(0.0f, 0.15f);
    const std::int64_t n = 10 * static_cast<std::int64_t>(perClass);
    Dataset d{Tensor(DType::F32, {n, 1, size, size}), Tensor(DType::I64, {n}), 10};
    float* x = d.x.data<float>();
    for (std::int64_t k = 0; k < n; ++k) {
        const int digit = static_cast<int>(k % 10);
        const int w = std::uniform_int_distribution<int>(4, 6)(rng);
        const int h = std::uniform_int_distribution<int>(7, 9)(rng);
        const int cx = (size - w) / 2, cy = (size - h) / 2;
        const int ox = std::clamp(cx + std::uniform_int_distribution<int>(-1, 1)(rng), 0, size - w);
        const int oy = std::clamp(cy + std::uniform_int_distribution<int>(-1, 1)(rng), 0, size - h);
        float* img = x + k * size * size;
        drawDigit(img, size, digit, ox, oy, w, h, inkDist(rng));
        for (int i = 0; i < size * size; ++i)
            img[i] += noise(rng);
        d.labels.data<std::int64_t>()[k] = digit;
    }
    return d;
}

Dataset batchOf(const Dataset& d, std::int64_t first, std::int64_t count) {
    Shape xs = d.x.shape();
    const std::int64_t row = d.x.numel() / xs[0];
    xs[0] = count;
    Dataset b{Tensor(DType::F32, xs), Tensor(DType::I64, {count}), d.classes};
    std::memcpy(b.x.data<float>(), d.x.data<float>() + first * row,
                static_cast<std::size_t>(count * row) * sizeof(float));
    std::memcpy(b.labels.data<std::int64_t>(), d.labels.data<std::int64_t>() + first,
                static_cast<std::size_t>(count) * sizeof(std::int64_t));
    return b;
}

Tensor oneHot(const Tensor& labels, int classes) {
    Tensor t(DType::F32, {labels.numel(), classes});
    for (std::int64_t i = 0; i < labels.numel(); ++i)
        t.data<float>()[i * classes + labels.atInt(i)] = 1.0f;
    return t;
}

} // namespace aisys::engine::train
