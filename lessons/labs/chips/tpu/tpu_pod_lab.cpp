// Lab "tpu-pod": TPUv4's 4×4×4 cube as a 3-D torus, a 2-D torus's bisection, the pod of 64
// cubes behind 48 optical circuit switches, and slice allocation around failed chips.
#include "engine/hw/tpu/pod.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/chips/tpu/pod_scenes.h"
#include "lessons/labs/chips/tpu/tpu_labs.h"

#include <stdexcept>

namespace aisys::lessons {

namespace {

class PodRun : public LabRun {
public:
    explicit PodRun(PodSetup setup) : m_setup(std::move(setup)) {}
    std::vector<Phase> phases() const override {
        return {{"cube", 1}, {"bisection", 1}, {"pod", 1}, {"availability", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override {
        switch (frame) {
        case 0:
            return cubeScene(m_setup, opt);
        case 1:
            return bisectionScene(m_setup, opt);
        case 2:
            return podScene(m_setup, opt);
        default:
            return availabilityScene(m_setup, opt);
        }
    }

private:
    PodSetup m_setup;
};

} // namespace

LocalText TpuPodLab::title() const {
    return {"TPUv4 pod: torus, OCS and slices", "TPUv4 集群：环面、光交换与切片"};
}

std::vector<ParamSpec> TpuPodLab::params() const {
    auto i = [](const char* name, LocalText label, double lo, double hi, std::int64_t def) {
        return ParamSpec{name, ParamType::Int, std::move(label), lo, hi, {}, def};
    };
    return {
        i("srcx", {"source chip x", "源芯片 x"}, 0, 3, 0),
        i("srcy", {"source chip y", "源芯片 y"}, 0, 3, 0),
        i("srcz", {"source chip z", "源芯片 z"}, 0, 3, 0),
        {"wrap", ParamType::Bool, {"wraparound links", "环回链路"}, 0, 1, {}, true},
        i("k2d", {"2-D torus side k", "二维环面边长 k"}, 4, 16, 16),
        i("failed", {"failed chips", "故障芯片数"}, 0, 256, 3),
        i("seed", {"failure seed", "故障随机种子"}, 0, 999, 1),
        i("slicex", {"slice x (chips)", "切片 x（芯片）"}, 4, 16, 8),
        i("slicey", {"slice y (chips)", "切片 y（芯片）"}, 4, 16, 8),
        i("slicez", {"slice z (chips)", "切片 z（芯片）"}, 4, 16, 16),
    };
}

std::unique_ptr<LabRun> TpuPodLab::run(const ParamSet& p) const {
    PodSetup s;
    s.src = {static_cast<int>(p.getInt("srcx", 0)), static_cast<int>(p.getInt("srcy", 0)),
             static_cast<int>(p.getInt("srcz", 0))};
    s.wrap = p.getBool("wrap", true);
    s.k2d = static_cast<int>(p.getInt("k2d", 16));
    s.slice = {static_cast<int>(p.getInt("slicex", 8)), static_cast<int>(p.getInt("slicey", 8)),
               static_cast<int>(p.getInt("slicez", 16))};
    const std::string bad = s.pod.checkShape(s.slice);
    if (!bad.empty())
        throw std::invalid_argument("tpu-pod: " + bad);
    s.failed = s.pod.randomFailures(static_cast<int>(p.getInt("failed", 3)),
                                    static_cast<unsigned>(p.getInt("seed", 1)));
    s.failedCount = static_cast<int>(p.getInt("failed", 3));
    // Allocation success against chip availability: OCS in closed form, the static layout
    // by Monte Carlo (fixed seed, so every run draws the same curve).
    const int need = (s.slice.x / 4) * (s.slice.y / 4) * (s.slice.z / 4);
    for (int i = 0; i <= 10; ++i) {
        const double a = 0.99 + 0.001 * i;
        s.curveAvail.push_back(a);
        s.curveOcs.push_back(s.pod.ocsSuccessProbability(need, a));
        s.curveStatic.push_back(s.pod.monteCarloSuccess(s.slice, a, false, 120, 11 + i));
    }
    return std::make_unique<PodRun>(std::move(s));
}

} // namespace aisys::lessons
