// The explicit list of Labs: one line per Lab.
#include "lessons/lab_registry.h"

#include "lessons/labs/chips/bit_widths/bit_widths_lab.h"
#include "lessons/labs/chips/gpu/gpu_lab.h"
#include "lessons/labs/chips/interconnect/interconnect_lab.h"
#include "lessons/labs/chips/roofline/roofline_lab.h"
#include "lessons/labs/chips/systolic/systolic_lab.h"
#include "lessons/labs/chips/tensor_core/tensor_core_lab.h"
#include "lessons/labs/chips/tpu/tpu_labs.h"
#include "lessons/labs/compiler/graph_optimizer/graph_optimizer_lab.h"
#include "lessons/labs/compiler/loop_schedule/loop_schedule_lab.h"
#include "lessons/labs/compiler/memory_format/memory_format_lab.h"
#include "lessons/labs/compiler/memory_planning/memory_planning_lab.h"
#include "lessons/labs/framework/autodiff/autodiff_lab.h"
#include "lessons/labs/framework/control_flow/control_flow_lab.h"
#include "lessons/labs/framework/eager_graph/eager_graph_lab.h"
#include "lessons/labs/framework/graph_forward/graph_forward_lab.h"
#include "lessons/labs/framework/onnx_model/onnx_model_lab.h"
#include "lessons/labs/framework/scheduling/scheduling_lab.h"
#include "lessons/labs/inference/flash_attention/flash_attention_lab.h"
#include "lessons/labs/inference/indirect_conv/indirect_conv_lab.h"
#include "lessons/labs/inference/layout_snake/layout_snake_lab.h"
#include "lessons/labs/inference/pruning/pruning_lab.h"
#include "lessons/labs/inference/quantization/quantization_lab.h"
#include "lessons/labs/inference/winograd/winograd_lab.h"
#include "lessons/labs/training/collective_replay/collective_replay_lab.h"
#include "lessons/labs/training/pipeline_schedule/pipeline_schedule_lab.h"
#include "lessons/labs/training/ring_allreduce/ring_allreduce_lab.h"

namespace aisys::lessons {

LabRegistry LabRegistry::builtin() {
    LabRegistry r;
    r.add(std::make_unique<GraphForwardLab>());
    r.add(std::make_unique<RingAllReduceLab>());
    r.add(std::make_unique<CollectiveReplayLab>());
    r.add(std::make_unique<PipelineScheduleLab>());
    r.add(std::make_unique<OnnxModelLab>());
    r.add(std::make_unique<SchedulingLab>());
    r.add(std::make_unique<ControlFlowLab>());
    r.add(std::make_unique<AutodiffLab>());
    r.add(std::make_unique<EagerGraphLab>());
    r.add(std::make_unique<SystolicLab>());
    r.add(std::make_unique<TpuPodLab>());
    r.add(std::make_unique<TpuV1Lab>());
    r.add(std::make_unique<TpuMxuLab>());
    r.add(std::make_unique<BitWidthsLab>());
    r.add(std::make_unique<RooflineLab>());
    r.add(std::make_unique<GpuExecutionLab>());
    r.add(std::make_unique<TensorCoreLab>());
    r.add(std::make_unique<InterconnectLab>());
    r.add(std::make_unique<QuantizationLab>());
    r.add(std::make_unique<PruningLab>());
    r.add(std::make_unique<WinogradLab>());
    r.add(std::make_unique<LayoutSnakeLab>());
    r.add(std::make_unique<FlashAttentionLab>());
    r.add(std::make_unique<IndirectConvLab>());
    r.add(std::make_unique<MemoryFormatLab>());
    r.add(std::make_unique<MemoryPlanningLab>());
    r.add(std::make_unique<LoopScheduleLab>());
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
