// Lab "gpu-execution": latency hiding (Little's law per memory level of a device file, a warp
// scheduler cycle by cycle), SIMT with active masks, occupancy and memory coalescing
// (engine/hw/gpu).
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// "gpu-execution": phases "latency" (threads needed per memory level vs resident), "warps"
/// (one frame per cycle: each warp issue → waiting → ready), "simt" (one frame per executed
/// statement: mask, lanes, cycles), "occupancy" (blocks per SM by each limit) and
/// "coalescing" (one warp's addresses, sectors and lines).
class GpuExecutionLab : public Lab {
public:
    std::string id() const override { return "gpu-execution"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"latency", "warps", "simt", "occupancy", "coalescing"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
