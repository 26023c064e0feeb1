// Lab "memory-format": one N×C×H×W tensor in NCHW, NHWC, NC4HW4 and NC1HWC0 linear memory,
// with every element's address in each format and the padding cells the blocked formats add.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Draws engine::compress::FormatLayout's address functions as linear memory strips.
class MemoryFormatLab : public Lab {
public:
    std::string id() const override { return "memory-format"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"tensor", "layouts", "compare"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
