// LessonPlayer: expands lesson steps into Lab frames and serves their scenes.
#include "lessons/lesson_player.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace aisys::lessons {

LessonPlayer::LessonPlayer(const Lesson& lesson, const Lab& lab) : m_lesson(lesson), m_lab(lab) {
    if (auto err = rebuild({}); !err.empty())
        throw std::invalid_argument(err);
}

std::string LessonPlayer::setOverrides(const ParamSet& overrides) {
    return rebuild(overrides);
}

std::string LessonPlayer::rebuild(const ParamSet& overrides) {
    // 1. For each step: parameters = lesson params + every `set` so far + overrides.
    // 2. Run the Lab once per distinct parameter set (consecutive steps usually share one).
    // 3. Frames: a step with a phase plays all (or the first/last) frames of that phase;
    //    a step without one holds the frame the previous step ended on (frame 0 at first).
    std::vector<RunEntry> runs;
    std::vector<FrameRef> frames;
    std::vector<int> stepFirst;
    ParamSet p = m_lesson.params;
    int lastRun = -1, lastFrame = 0;
    for (std::size_t s = 0; s < m_lesson.steps.size(); ++s) {
        const LessonStep& step = m_lesson.steps[s];
        p.merge(step.set);
        ParamSet eff = p;
        eff.merge(overrides);
        if (lastRun < 0 || !(runs[lastRun].params == eff)) {
            try {
                runs.push_back({eff, m_lab.run(eff)});
            } catch (const std::exception& e) {
                return e.what();
            }
            lastRun = static_cast<int>(runs.size()) - 1;
            lastFrame = std::min(lastFrame, runs[lastRun].run->frameCount() - 1);
        }
        const LabRun& run = *runs[lastRun].run;
        stepFirst.push_back(static_cast<int>(frames.size()));
        if (step.phase.empty()) {
            frames.push_back({static_cast<int>(s), lastRun, std::max(0, lastFrame)});
            continue;
        }
        int start = run.phaseStart(step.phase);
        int count = run.phaseFrames(step.phase);
        if (start < 0 || count <= 0) {
            frames.push_back({static_cast<int>(s), lastRun, std::max(0, lastFrame)});
            continue;
        }
        int first = start, last = start + count - 1;
        if (step.frame > 0)
            first = last = start + std::min(step.frame, count) - 1;
        else if (step.show == PhaseShow::First)
            last = first;
        else if (step.show == PhaseShow::Last)
            first = last;
        for (int f = first; f <= last; ++f)
            frames.push_back({static_cast<int>(s), lastRun, f});
        lastFrame = last;
    }
    if (frames.empty())
        return "the lesson has no steps";
    m_runs = std::move(runs);
    m_frames = std::move(frames);
    m_stepFirst = std::move(stepFirst);
    m_overrides = overrides;
    return {};
}

int LessonPlayer::stepOf(int frame) const {
    frame = std::clamp(frame, 0, frameCount() - 1);
    return m_frames[frame].step;
}

int LessonPlayer::firstFrameOf(int step) const {
    if (m_stepFirst.empty())
        return 0;
    step = std::clamp(step, 0, static_cast<int>(m_stepFirst.size()) - 1);
    return m_stepFirst[step];
}

ParamSet LessonPlayer::paramsAt(int frame) const {
    frame = std::clamp(frame, 0, frameCount() - 1);
    return m_runs[m_frames[frame].run].params;
}

viz::Rect focusBounds(const viz::Scene& scene, const std::vector<std::string>& names,
                      int* matched) {
    // 1. Each name to the ids it means. 2. The union of those ids' primitives' bounds.
    std::vector<std::uint32_t> ids;
    int found = 0;
    for (const std::string& name : names) {
        bool hit = false;
        if (!name.empty() && name.size() < 10 &&
            std::all_of(name.begin(), name.end(),
                        [](unsigned char c) { return std::isdigit(c); })) {
            const auto id = static_cast<std::uint32_t>(std::stoul(name));
            if (scene.objects.count(id)) {
                ids.push_back(id);
                hit = true;
            }
        }
        for (const auto& [id, info] : scene.objects) {
            const std::string& t = info.title;
            const auto cut = t.find_last_of(" ");
            if (t == name || (cut != std::string::npos && t.substr(cut + 1) == name)) {
                ids.push_back(id);
                hit = true;
            }
        }
        found += hit;
    }
    if (matched)
        *matched = found;
    viz::Rect r;
    bool any = false;
    for (const viz::Prim& p : scene.list.prims)
        if (p.id != 0 && std::find(ids.begin(), ids.end(), p.id) != ids.end()) {
            r = any ? r.united(viz::primBounds(p)) : viz::primBounds(p);
            any = true;
        }
    return any ? r : viz::Rect{};
}

viz::Scene LessonPlayer::scene(int frame, const DrawOptions& opt) const {
    frame = std::clamp(frame, 0, frameCount() - 1);
    const FrameRef& f = m_frames[frame];
    viz::Scene s = m_runs[f.run].run->scene(f.labFrame, opt);
    const LessonStep& step = m_lesson.steps[static_cast<std::size_t>(f.step)];
    if (!step.focus.empty())
        if (const viz::Rect r = focusBounds(s, step.focus); !r.empty())
            s.focus = r;
    return s;
}

} // namespace aisys::lessons
