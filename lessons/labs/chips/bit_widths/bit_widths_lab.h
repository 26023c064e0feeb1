// Lab "bit-inspector": number formats bit by bit (engine/hw/bits) — the layouts side by side,
// one value or code taken apart, and the range and precision of every format.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// "bit-inspector": int8/uint8, FP64, FP32, FP16, BF16, TF32, FP8 E4M3/E5M2, FP6, FP4. The
/// value (or a code) is encoded with round-to-nearest-even and drawn bit by bit with its
/// decode, the neighbouring representable values, ulp and the format's overflow rule.
class BitWidthsLab : public Lab {
public:
    std::string id() const override { return "bit-inspector"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"formats", "inspect", "ranges"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
