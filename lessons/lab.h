// The Lab interface: a C++ module that runs one family of experiments and draws its steps.
#pragma once

#include "lessons/params.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <memory>
#include <string>
#include <vector>

namespace aisys::lessons {

/// A named run of consecutive frames in a Lab's trace ("reduce-scatter" has p-1 rounds).
/// Lesson steps refer to phases by name; the frame count follows the parameters.
struct Phase {
    std::string name;
    int frames = 1;
};

/// Options for drawing one frame.
struct DrawOptions {
    Lang lang = Lang::En;
    viz::Theme theme = viz::Theme::Light;
};

/// The result of running the engine for one parameter set: a random-access trace of frames.
class LabRun {
public:
    virtual ~LabRun() = default;
    /// Phases in order; the trace has sum(frames) frames.
    virtual std::vector<Phase> phases() const = 0;
    /// The picture for frame `frame` (0-based over the whole trace).
    virtual viz::Scene scene(int frame, const DrawOptions& opt) const = 0;
    int frameCount() const;
    /// First frame of the named phase, or -1.
    int phaseStart(const std::string& name) const;
    /// Frames of the named phase, or 0.
    int phaseFrames(const std::string& name) const;
};

/// A family of experiments. Stateless: `run` does the work and returns its trace.
class Lab {
public:
    virtual ~Lab() = default;
    virtual std::string id() const = 0;
    virtual LocalText title() const = 0;
    virtual std::vector<ParamSpec> params() const = 0;
    /// Names of the phases this Lab's runs have (for validating lesson files).
    virtual std::vector<std::string> phaseNames() const = 0;
    /// Runs the engine. Parameters are already checked against `params()`. Throws
    /// std::invalid_argument with a readable message for impossible combinations.
    virtual std::unique_ptr<LabRun> run(const ParamSet& params) const = 0;
};

} // namespace aisys::lessons
