// Lab "quantization": a tensor quantized by engine/compress — histogram with the clipping
// range, the KL threshold search, the float → integer mapping, and an int8 GEMM beside float.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Quantizes a seeded tensor (distribution presets or conv-like weights with channel ranges
/// that differ) with the chosen scheme, granularity, bits and calibrator.
class QuantizationLab : public Lab {
public:
    std::string id() const override { return "quantization"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"histogram", "kl-search", "mapping", "int8-gemm"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
