// Labs of the TPU chapter: TPUv1's block diagram and roofline, TPUv2/v3 MXU sizes, TPUv4 pods.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// "tpu-v1": the TPUv1 block diagram with its numbers, its roofline, the generation table.
class TpuV1Lab : public Lab {
public:
    std::string id() const override { return "tpu-v1"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"block", "roofline", "generations"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

/// "tpu-mxu": the same 65 536 MACs as 1×256², 4×128² or 16×64² arrays on sample layers,
/// utilization from the systolic-array model; BF16 beside FP16 and FP32.
class TpuMxuLab : public Lab {
public:
    std::string id() const override { return "tpu-mxu"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"bf16", "layers", "summary"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

/// "tpu-pod": a 4×4×4 cube as a 3-D torus, the bisection of a 2-D torus, a TPUv4 pod of 64
/// cubes joined by optical circuit switches, slices allocated around failed chips.
class TpuPodLab : public Lab {
public:
    std::string id() const override { return "tpu-pod"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"cube", "bisection", "pod", "availability"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
