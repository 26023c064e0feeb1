// Lab "flash-attention": FlashAttention's Algorithm 1 (Dao et al. 2022) tile pair by tile pair —
// the N×N_k score matrix with the visited tiles lit and the current one outlined, every row's
// running max m and sum l — then its output and HBM traffic against plain attention.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::conv (attentionFlash with recorded rows, attentionPlain).
class FlashAttentionLab : public Lab {
public:
    std::string id() const override { return "flash-attention"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"tiles", "result"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
