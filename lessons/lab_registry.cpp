// The explicit list of Labs: one line per Lab.
#include "lessons/lab_registry.h"

#include "lessons/labs/autodiff_lab.h"
#include "lessons/labs/compiler_lab.h"
#include "lessons/labs/control_flow_lab.h"
#include "lessons/labs/eager_graph_lab.h"
#include "lessons/labs/graph_forward_lab.h"
#include "lessons/labs/memory_format_lab.h"
#include "lessons/labs/memory_planning_lab.h"
#include "lessons/labs/onnx_model_lab.h"
#include "lessons/labs/pruning_lab.h"
#include "lessons/labs/quantization_lab.h"
#include "lessons/labs/ring_allreduce_lab.h"
#include "lessons/labs/scheduling_lab.h"
#include "lessons/labs/systolic_lab.h"
#include "lessons/labs/tpu_labs.h"

namespace aisys::lessons {

LabRegistry LabRegistry::builtin() {
    LabRegistry r;
    r.add(std::make_unique<GraphForwardLab>());
    r.add(std::make_unique<RingAllReduceLab>());
    r.add(std::make_unique<OnnxModelLab>());
    r.add(std::make_unique<SchedulingLab>());
    r.add(std::make_unique<ControlFlowLab>());
    r.add(std::make_unique<AutodiffLab>());
    r.add(std::make_unique<EagerGraphLab>());
    r.add(std::make_unique<SystolicLab>());
    r.add(std::make_unique<TpuPodLab>());
    r.add(std::make_unique<TpuV1Lab>());
    r.add(std::make_unique<TpuMxuLab>());
    r.add(std::make_unique<QuantizationLab>());
    r.add(std::make_unique<PruningLab>());
    r.add(std::make_unique<MemoryFormatLab>());
    r.add(std::make_unique<MemoryPlanningLab>());
    r.add(std::make_unique<GraphOptimizerLab>());
    return r;
}

void LabRegistry::add(std::unique_ptr<Lab> lab) {
    m_labs.push_back(std::move(lab));
}

const Lab* LabRegistry::find(const std::string& id) const {
    for (const auto& l : m_labs)
        if (l->id() == id)
            return l.get();
    return nullptr;
}

std::vector<std::string> LabRegistry::ids() const {
    std::vector<std::string> out;
    for (const auto& l : m_labs)
        out.push_back(l->id());
    return out;
}

} // namespace aisys::lessons
