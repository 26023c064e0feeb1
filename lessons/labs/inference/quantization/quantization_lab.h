// Lab "quantization": a tensor quantized by engine/compress — histogram with the clipping
// range, the KL threshold search, the float → integer mapping, and an int8 GEMM beside float.
#pragma once

#include "engine/compress/int8_gemm.h"
#include "engine/compress/qdq_insert.h"
#include "lessons/lab.h"
#include "viz/scene.h"

namespace aisys::lessons {

/// Quantizes a seeded tensor (distribution presets or conv-like weights with channel ranges
/// that differ) with the chosen scheme, granularity, bits and calibrator.
class QuantizationLab : public Lab {
public:
    std::string id() const override { return "quantization"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"histogram", "kl-search", "mapping", "fake-quant", "int8-gemm", "qdq-model"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

/// The int8 GEMM example of the int8-gemm frame: A [3, 4] activations (the Lab's scheme), B [4, 3]
/// weights (symmetric, per column when per-channel), both seeded, and the reference GEMM run.
struct Int8GemmExample {
    std::vector<float> a, b, yf; ///< float operands and their float product
    engine::compress::QuantizedTensor qa, qb;
    engine::compress::Int8Gemm g;
};
Int8GemmExample makeInt8GemmExample(engine::compress::QScheme scheme, int bits, bool perChannel,
                                    std::uint32_t seed);
/// Draws A, B, Y in float above qA, qB, the int32 accumulators, qY and Y', with the exact
/// zero-point expansion of acc[0, 0] and the requantization multiplier.
void drawInt8Gemm(viz::Scene& s, const Int8GemmExample& e, Lang L, const viz::Palette& pal,
                  viz::Theme theme);

/// aisys:FakeQuant on a sweep of x in [−2, 2] with a fixed clipping range ([−1, 1] symmetric,
/// [−0.5, 1.5] affine): the forward values and the gradient from the engine's backward graph.
struct FakeQuantCurve {
    engine::compress::QParams p;
    std::vector<double> x, y, grad;
};
FakeQuantCurve makeFakeQuantCurve(engine::compress::QScheme scheme, int bits);
/// Draws the staircase against y = x and the straight-through gradient below it.
void drawFakeQuant(viz::Scene& s, const FakeQuantCurve& c, int bits, Lang L,
                   const viz::Palette& pal);

/// The two-conv digits CNN (seeded weights) quantized by insertQdq with the Lab's bits,
/// activation scheme and calibrator (weights symmetric, per channel when per-channel),
/// calibrated on 80 seeded digits and compared with the float model on 80 others.
struct QdqExample {
    engine::Graph reference, quantized;
    engine::compress::QdqReport report;
    engine::compress::Agreement agreement;
};
QdqExample makeQdqExample(const engine::compress::QuantSpec& spec, std::uint32_t seed);
/// Draws the rewritten graph's nodes, the per-tensor error table and the output agreement.
void drawQdq(viz::Scene& s, const QdqExample& e, Lang L, const viz::Palette& pal);

} // namespace aisys::lessons
