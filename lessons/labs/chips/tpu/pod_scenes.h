// The pictures of the "tpu-pod" Lab: cube torus, 2-D bisection, pod with OCS, availability.
#pragma once

#include "engine/hw/tpu/pod.h"
#include "lessons/lab.h"

#include <array>
#include <vector>

namespace aisys::lessons {

/// Everything the tpu-pod pictures need, computed once per run.
struct PodSetup {
    std::array<int, 3> src{0, 0, 0}; ///< source chip in the cube (x, y, z)
    bool wrap = true;                ///< torus (true) or mesh (false)
    int k2d = 16;                    ///< side of the 2-D torus whose bisection is shown
    engine::tpu::Pod pod;            ///< 64 cubes of 4×4×4
    engine::tpu::SliceShape slice;   ///< requested slice in chips
    std::vector<bool> failed;        ///< per chip of the pod
    int failedCount = 0;
    std::vector<double> curveAvail, curveOcs, curveStatic; ///< P[slice fits] vs availability
};

viz::Scene cubeScene(const PodSetup& s, const DrawOptions& opt);
viz::Scene bisectionScene(const PodSetup& s, const DrawOptions& opt);
viz::Scene podScene(const PodSetup& s, const DrawOptions& opt);
viz::Scene availabilityScene(const PodSetup& s, const DrawOptions& opt);

} // namespace aisys::lessons
