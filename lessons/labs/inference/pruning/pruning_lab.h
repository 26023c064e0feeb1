// Lab "pruning": magnitude pruning of a trained two-conv digits CNN — unstructured (global or
// per layer) or channel-structured — with weight heat maps, accuracy, parameters and FLOPs.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Trains the zoo's engine::models::twoConvDigitNet (seeded), prunes it with engine/compress/prune
/// and measures accuracy on the 200 digits before and after, and after `finetune` full-batch
/// Adam steps (pruned weights held at zero unless channels were removed) when asked.
class PruningLab : public Lab {
public:
    std::string id() const override { return "pruning"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"dense", "pruned", "report"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
