// LabRun helpers: frame counts and phase lookup.
#include "lessons/lab.h"

namespace aisys::lessons {

int LabRun::frameCount() const {
    int n = 0;
    for (const auto& p : phases())
        n += p.frames;
    return n;
}

int LabRun::phaseStart(const std::string& name) const {
    int start = 0;
    for (const auto& p : phases()) {
        if (p.name == name)
            return start;
        start += p.frames;
    }
    return -1;
}

int LabRun::phaseFrames(const std::string& name) const {
    for (const auto& p : phases())
        if (p.name == name)
            return p.frames;
    return 0;
}

} // namespace aisys::lessons
