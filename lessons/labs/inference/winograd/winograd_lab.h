// Lab "winograd": one tile of Winograd's minimal filtering, F(2×2,3×3), F(4×4,3×3) or F(2,3),
// in its four stages with the real numbers — filter transform U = G g Gᵀ, input transform
// V = Bᵀ d B, element-wise product M = U ⊙ V, output transform Y = Aᵀ M A — against the direct
// tile; then the multiplications per tile and the measured f32 error of a whole layer.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::conv (winogradTile, convWinograd, convDirect).
class WinogradLab : public Lab {
public:
    std::string id() const override { return "winograd"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"stages", "counts"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
