// Plays a lesson: maps the step bar's global frame index to (lesson step, Lab run, frame).
#pragma once

#include "lessons/lab.h"
#include "lessons/lesson.h"

#include <memory>
#include <string>
#include <vector>

namespace aisys::lessons {

/// Expands a lesson's steps into frames of Lab runs. Each step runs the Lab with the
/// lesson's parameters, every earlier step's `set`, then the user's overrides on top.
/// The bounds of the objects of `scene` that `names` name (an id, an object's title, or the
/// title's last word); empty when none matches. `matched` (if given) receives how many did.
viz::Rect focusBounds(const viz::Scene& scene, const std::vector<std::string>& names,
                      int* matched = nullptr);

class LessonPlayer {
public:
    LessonPlayer(const Lesson& lesson, const Lab& lab);

    /// The user's "what if" values (they win over the lesson's); re-runs the Lab.
    /// Returns an empty string, or the message of a run that failed (then the old
    /// overrides stay in force).
    std::string setOverrides(const ParamSet& overrides);
    const ParamSet& overrides() const { return m_overrides; }

    const Lesson& lesson() const { return m_lesson; }
    const Lab& lab() const { return m_lab; }

    /// Total frames over all steps (at least 1).
    int frameCount() const { return static_cast<int>(m_frames.size()); }
    /// The lesson step that frame `frame` belongs to.
    int stepOf(int frame) const;
    /// First frame of lesson step `step`.
    int firstFrameOf(int step) const;
    /// Parameters in force at frame `frame` (lesson + sets + overrides).
    ParamSet paramsAt(int frame) const;
    /// The picture of frame `frame`; the caption gets "step / frame" context from the Lab. A
    /// step with `focus` sets the scene's focus to the bounds of the objects it names.
    viz::Scene scene(int frame, const DrawOptions& opt) const;

private:
    struct FrameRef {
        int step;
        int run;
        int labFrame;
    };
    struct RunEntry {
        ParamSet params;
        std::unique_ptr<LabRun> run;
    };
    std::string rebuild(const ParamSet& overrides);

    Lesson m_lesson;
    const Lab& m_lab;
    ParamSet m_overrides;
    std::vector<RunEntry> m_runs;
    std::vector<FrameRef> m_frames;
    std::vector<int> m_stepFirst;
};

} // namespace aisys::lessons
