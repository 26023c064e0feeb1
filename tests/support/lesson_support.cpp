// The shared lesson fixtures: one Lab registry, the shipped catalog, scene text.
#include "tests/support/lesson_support.h"

#include "lessons/lesson_player.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
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

std::vector<std::string> linesOf(const viz::Scene& s) {
    std::vector<std::string> out;
    std::string line;
    for (char ch : textOf(s)) {
        if (ch == '\n') {
            out.push_back(line);
            line.clear();
        } else {
            line += ch;
        }
    }
    out.push_back(line);
    return out;
}

std::string fact(const viz::Scene& s, const std::string& object, const std::string& label) {
    for (const auto& [id, info] : s.objects)
        if (info.title == object)
            for (const auto& f : info.facts)
                if (f.label == label)
                    return f.value;
    return "<no " + object + " / " + label + ">";
}

double kib(const std::string& v) {
    const double x = std::atof(v.c_str());
    return v.find("KiB") != std::string::npos   ? x
           : v.find("MiB") != std::string::npos ? x * 1024
                                                : x / 1024;
}

std::vector<std::string> passRow(const viz::Scene& s, const std::string& pass) {
    const auto lines = linesOf(s);
    for (std::size_t i = 0; i + 5 < lines.size(); ++i)
        if (lines[i] == pass && !lines[i + 2].empty() &&
            std::isdigit(static_cast<unsigned char>(lines[i + 2][0])))
            return {lines.begin() + long(i) + 1, lines.begin() + long(i) + 6};
    return {};
}

viz::Scene stepScene(const std::string& id, int step, lessons::Lang lang,
                     const lessons::ParamSet& over) {
    const lessons::Lesson& l = shippedLesson(id);
    lessons::LessonPlayer player(l, *builtinLabs().find(l.labId));
    if (!over.values().empty()) {
        EXPECT_EQ(player.setOverrides(over), "") << id;
    }
    return player.scene(player.firstFrameOf(step), {lang, viz::Theme::Light});
}

std::string textOf(const viz::Scene& s) {
    std::string out = s.caption + "\n";
    for (const auto& p : s.list.prims)
        if (p.kind == viz::PrimKind::Text)
            out += p.text + "\n";
    return out;
}

void expectEveryFrameDraws(const std::vector<std::string>& ids) {
    for (const std::string& id : ids) {
        const lessons::Lesson& l = shippedLesson(id);
        lessons::LessonPlayer player(l, *builtinLabs().find(l.labId));
        EXPECT_EQ(player.frameCount(), static_cast<int>(l.steps.size())) << id;
        for (int f = 0; f < player.frameCount(); ++f)
            for (lessons::Lang lang : {lessons::Lang::En, lessons::Lang::Zh}) {
                const auto s = player.scene(f, {lang, viz::Theme::Light});
                EXPECT_GT(s.list.size(), 20u) << id << " frame " << f;
                EXPECT_LT(s.list.size(), 30000u) << id << " frame " << f;
                EXPECT_FALSE(s.caption.empty()) << id << " frame " << f;
                EXPECT_EQ(hasChinese(s.caption), lang == lessons::Lang::Zh)
                    << id << " " << s.caption;
            }
    }
}

bool hasChinese(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0xE4 && c <= 0xE9)
            return true;
    return false;
}

} // namespace aisys::test_support
