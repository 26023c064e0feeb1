// Lab "onnx-model": a student's own ONNX model as a graph, executed node by node on seeded input.
#pragma once

#include "lessons/lab.h"

namespace aisys::lessons {

/// Imports the model named by the `model` parameter and draws it without running it (symbolic
/// dims by name, ops the engine lacks marked); the frames of the run run it once, with the
/// `dims` parameter's sizes (other symbolic dims: engine::defaultDimSize with `dim` for
/// batch-like names), on seeded inputs.
class OnnxModelLab : public Lab {
public:
    std::string id() const override { return "onnx-model"; }
    LocalText title() const override;
    std::vector<ParamSpec> params() const override;
    std::vector<std::string> phaseNames() const override { return {"graph", "execute"}; }
    std::unique_ptr<LabRun> run(const ParamSet& params) const override;
};

} // namespace aisys::lessons
