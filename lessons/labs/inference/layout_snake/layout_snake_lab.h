// Lab "layout-snake": one tensor's memory layout as an address "snake" — the logical elements
// (channel planes, or a matrix cut into fractals) joined in the order memory holds them — and
// the linear memory itself with its padding; NCHW, NHWC, NC4HW4, NC1HWC0, NZ and zZ.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Runs engine::conv's address maps (makeAddressMap, offset, indexOf).
class LayoutSnakeLab : public Lab {
public:
    std::string id() const override { return "layout-snake"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"snake", "memory"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
