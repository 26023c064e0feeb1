// Lab "tensor-core": a GEMM tiled thread block → warp → 16×16×16 fragment → per-clock MMA on a
// Tensor Core generation, and every generation's peak from the device files (engine/hw/gpu).
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// "tensor-core": phases "tiling" (the C matrix in block, warp and fragment tiles; counts,
/// padding, the tiled product against the reference), "fragment" (one frame per K slice of a
/// 16×16×16 fragment: the per-clock MMAs) and "generations" (peak per generation).
class TensorCoreLab : public Lab {
public:
    std::string id() const override { return "tensor-core"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"tiling", "fragment", "generations"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
