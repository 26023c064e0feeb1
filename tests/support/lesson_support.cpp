// The shared lesson fixtures: one Lab registry, the shipped catalog, scene text.
#include "tests/support/lesson_support.h"

#include <stdexcept>

namespace aisys::test_support {

const lessons::LabRegistry& builtinLabs() {
    static const lessons::LabRegistry r = lessons::LabRegistry::builtin();
    return r;
}

const lessons::LessonCatalog& shippedCatalog() {
    static const lessons::LessonCatalog cat = lessons::scanLessonFolders(
        {std::string(AISYS_SOURCE_DIR) + "/assets/lessons"}, builtinLabs(), false);
    return cat;
}

const lessons::Lesson& shippedLesson(const std::string& id) {
    const lessons::Lesson* l = shippedCatalog().find(id);
    if (!l)
        throw std::runtime_error("no shipped lesson '" + id + "'");
    return *l;
}

std::unique_ptr<lessons::LabRun> runLab(const std::string& labId, const lessons::ParamSet& set) {
    const lessons::Lab* lab = builtinLabs().find(labId);
    if (!lab)
        throw std::runtime_error("no Lab '" + labId + "'");
    lessons::ParamSet p = lessons::defaults(lab->params());
    p.merge(set);
    return lab->run(p);
}

std::string textOf(const viz::Scene& s) {
    std::string out = s.caption + "\n";
    for (const auto& p : s.list.prims)
        if (p.kind == viz::PrimKind::Text)
            out += p.text + "\n";
    return out;
}

bool hasChinese(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0xE4 && c <= 0xE9)
            return true;
    return false;
}

} // namespace aisys::test_support
