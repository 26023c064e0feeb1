// Lab "interconnect": NVLink and PCIe generations, NVLink packets as flits, and a transfer
// between two GPUs of a topology file (engine/hw/interconnect, engine/dist/path).
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// "interconnect": phases "generations" (bandwidth per GPU), "packet" (header and data flits,
/// efficiency) and "topology" (the GPUs, switches and links of a topology file with the route
/// between two GPUs, its hops, bottleneck, max flow and α + n/B).
class InterconnectLab : public Lab {
public:
    std::string id() const override { return "interconnect"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override {
        return {"generations", "packet", "topology"};
    }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
