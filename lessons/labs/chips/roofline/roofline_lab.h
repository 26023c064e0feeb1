// Lab "roofline": an operator on a device's roofline (engine/hw/roofline), with the device
// catalogue read from device files (lessons/devices).
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// "roofline": a GEMM, an element-wise op or a softmax at a precision on one device's roofs
/// (one per memory level with a bandwidth): intensity, attainable performance, ridge, bound,
/// time; PE underfill (tasks over PEs: the share of the peak reached); then the same operator
/// on every device of the catalogue.
class RooflineLab : public Lab {
public:
    std::string id() const override { return "roofline"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"roofline", "underfill", "devices"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
