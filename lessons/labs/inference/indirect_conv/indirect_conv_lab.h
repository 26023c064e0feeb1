// Lab "indirect-conv": QNNPACK's indirect convolution (Dukhan 2019) — the indirection buffer of
// one M-row micro-kernel call at a time, the input pixel rows its pointers light (padding taps
// pointing at one zero vector), and the buffer against im2col's copy.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::conv (buildIndirection, convIndirect, convIm2col, convDirect).
class IndirectConvLab : public Lab {
public:
    std::string id() const override { return "indirect-conv"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"sweep", "compare"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
