// Lesson files: TOML parsing (toml++), validation against the Lab's parameters and phases,
// folder scanning into a catalog, and atomic writes.
#include "lessons/lesson_loader.h"

#include "lessons/course.h"
#include "lessons/footnotes.h"
#include "lessons/toml_check.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace aisys::lessons {

namespace {

/// Reads a parameter table, checking every key and value against the Lab's specs.
ParamSet readParams(Checker& c, const toml::node* n, const std::string& where, const Lab* lab,
                    const std::string& baseDir) {
    ParamSet out;
    if (!n)
        return out;
    const toml::table* t = n->as_table();
    if (!t) {
        c.error(n, where + " is " + typeName(*n) + ": expected a table of parameter values");
        return out;
    }
    for (const auto& [k, v] : *t) {
        std::string key(k.str());
        if (!lab)
            continue;
        auto specs = lab->params();
        const ParamSpec* spec = findSpec(specs, key);
        if (!spec) {
            std::string list;
            for (const auto& s : specs)
                list += (list.empty() ? "" : ", ") + s.name;
            c.error(&v, "unknown parameter '" + key + "' for Lab '" + lab->id() +
                            "' (expected one of: " + list + ")");
            continue;
        }
        ParamValue pv;
        if (auto i = v.value_exact<std::int64_t>())
            pv = *i;
        else if (auto d = v.value_exact<double>())
            pv = *d;
        else if (auto b = v.value_exact<bool>())
            pv = *b;
        else if (auto s = v.value_exact<std::string>())
            pv = *s;
        else {
            c.error(&v, "parameter '" + key + "' is " + typeName(v) + ": expected " +
                            (spec->type == ParamType::Int ? "an " : "a ") +
                            paramTypeName(spec->type));
            continue;
        }
        if (auto msg = checkValue(*spec, pv); !msg.empty()) {
            c.error(&v, "parameter '" + key + "': " + msg);
            continue;
        }
        // A path parameter is written relative to the lesson file.
        if (spec->path && !baseDir.empty())
            if (auto* str = std::get_if<std::string>(&pv); str && !str->empty())
                if (fs::path(*str).is_relative())
                    *str = (fs::path(baseDir) / *str).lexically_normal().string();
        out.set(key, coerce(*spec, pv));
    }
    return out;
}

/// A part or chapter named by `key`: an id (part = "chips") or, in the older format, a
/// bilingual title table. Sets `id` and `title`; `known` is the course's entry when found.
template <class Entry, class FindId, class FindTitle>
const Entry* readPlaceKey(Checker& c, const toml::table& root, const std::string& key,
                          const std::string& expected, bool checkIds, FindId findId,
                          FindTitle findTitle, std::string& id, LocalText& title) {
    const toml::node* n = root.get(key);
    if (!n) {
        c.errorAtLine(1, "missing '" + key + "': expected " + expected);
        return nullptr;
    }
    if (auto s = n->value<std::string>()) {
        id = *s;
        title = {*s, *s};
        const Entry* e = findId(*s);
        if (e)
            title = e->title;
        else if (checkIds)
            c.error(n, "unknown " + key + " '" + *s + "' (expected " + expected + ")");
        return e;
    }
    if (!n->is_table()) {
        c.error(n, "'" + key + "' is " + typeName(*n) + ": expected " + expected);
        return nullptr;
    }
    title = readLocal(c, root, key, "the lesson", true, 1);
    const Entry* e = findTitle(title);
    if (e) {
        id = e->id;
        title = e->title;
    } else {
        id = idFromTitle(title.en.empty() ? title.zh : title.en);
    }
    return e;
}

/// The lesson's part and chapter: ids of the course, or titles (older lesson files; a title
/// the course knows maps to its id, another one makes an id of its own).
void readPlace(Checker& c, const toml::table& root, const Course* course, Lesson& lesson) {
    const bool checkParts = course && !course->parts.empty();
    const Part* part = readPlaceKey<Part>(
        c, root, "part",
        checkParts ? "a part id, one of: " + course->partIds() : "a part id such as \"chips\"",
        checkParts, [&](const std::string& id) { return course ? course->findPart(id) : nullptr; },
        [&](const LocalText& t) { return course ? course->partTitled(t) : nullptr; }, lesson.partId,
        lesson.part);
    std::string chapters;
    if (part)
        for (const Chapter& ch : part->chapters)
            chapters += (chapters.empty() ? "" : ", ") + ch.id;
    readPlaceKey<Chapter>(
        c, root, "chapter",
        part ? "a chapter id of part '" + part->id + "', one of: " + chapters
             : "a chapter id such as \"systolic-tpu\"",
        part != nullptr,
        [&](const std::string& id) { return part ? part->findChapter(id) : nullptr; },
        [&](const LocalText& t) { return part ? part->chapterTitled(t) : nullptr; },
        lesson.chapterId, lesson.chapter);
}

/// Reads the [[sources]] array: each table an id, a citation text and an optional url.
std::vector<LessonSource> readSources(Checker& c, const toml::table& root) {
    std::vector<LessonSource> out;
    const toml::node* n = root.get("sources");
    if (!n)
        return out;
    const toml::array* arr = n->as_array();
    if (!arr) {
        c.error(n, "'sources' is " + typeName(*n) + ": expected an array of tables ([[sources]])");
        return out;
    }
    static const std::regex kId("[A-Za-z0-9][A-Za-z0-9._-]*");
    int index = 0;
    for (const auto& sn : *arr) {
        ++index;
        const std::string where = "source " + std::to_string(index);
        const toml::table* t = sn.as_table();
        if (!t) {
            c.error(&sn, where + " is " + typeName(sn) + ": expected a table ([[sources]])");
            continue;
        }
        checkKeys(c, *t, where, {"id", "text", "url"});
        LessonSource src;
        src.line = static_cast<int>(sn.source().begin.line);
        auto id = (*t)["id"].value<std::string>();
        auto text = (*t)["text"].value<std::string>();
        if (!id || !std::regex_match(*id, kId)) {
            c.errorAtLine(src.line, where + ": 'id' must be a string of letters, digits, '-', "
                                            "'_' or '.' (what [^id] markers name)");
            continue;
        }
        src.id = *id;
        if (!text || text->empty())
            c.errorAtLine(src.line, where + " '" + src.id +
                                        "': 'text' must be the citation (paper with section or "
                                        "table, vendor document, or source file)");
        else
            src.text = *text;
        if (const toml::node* u = t->get("url")) {
            auto url = u->value<std::string>();
            if (!url || (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0))
                c.error(u, where + " '" + src.id + "': 'url' must be an http(s):// address");
            else
                src.url = *url;
        }
        if (findSource(out, src.id))
            c.errorAtLine(src.line, where + ": id '" + src.id + "' is listed twice");
        out.push_back(std::move(src));
    }
    return out;
}

/// Line of `key`'s value in table `t` (its "en"/"zh" string when it is a table), else `fallback`.
int lineOf(const toml::table& t, const std::string& key, const char* lang, int fallback) {
    const toml::node* n = t.get(key);
    if (!n)
        return fallback;
    if (const toml::table* lt = n->as_table())
        if (const toml::node* v = lt->get(lang))
            n = v;
    const int line = static_cast<int>(n->source().begin.line);
    return line > 0 ? line : fallback;
}

/// Checks the [^id] markers of one bilingual text: each names a listed source, and both
/// languages cite the same sources (the Chinese must say what the English says).
void checkMarkers(Checker& c, const LocalText& text, const std::vector<LessonSource>& sources,
                  const std::string& where, int lineEn, int lineZh) {
    std::set<std::string> en, zh;
    for (const auto& m : sourceMarkers(text.en)) {
        en.insert(m.id);
        if (!findSource(sources, m.id))
            c.errorAtLine(lineEn, where + ": unknown source [^" + m.id +
                                      "] (expected the id of a [[sources]] table)");
    }
    for (const auto& m : sourceMarkers(text.zh)) {
        zh.insert(m.id);
        if (!findSource(sources, m.id))
            c.errorAtLine(lineZh, where + ": unknown source [^" + m.id +
                                      "] (expected the id of a [[sources]] table)");
    }
    for (const auto& id : en)
        if (!zh.count(id))
            c.errorAtLine(lineZh, where + ": the English cites [^" + id +
                                      "] but the Chinese does not (both must cite the same)");
    for (const auto& id : zh)
        if (!en.count(id))
            c.errorAtLine(lineEn, where + ": the Chinese cites [^" + id +
                                      "] but the English does not (both must cite the same)");
}

} // namespace

LessonLoad loadLessonText(const std::string& text, const std::string& file, const LabRegistry& labs,
                          bool dryRun, const Course* course) {
    LessonLoad res;
    res.file = file;
    Checker c(file);
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        LessonError err;
        err.file = file;
        err.line = static_cast<int>(e.source().begin.line);
        err.column = static_cast<int>(e.source().begin.column);
        err.message = "TOML syntax error: " + std::string(e.description());
        res.errors.push_back(err);
        return res;
    }

    Lesson lesson;
    lesson.file = file;
    const std::string baseDir =
        file.empty() ? std::string() : fs::path(file).parent_path().string();
    checkKeys(c, root, "the lesson",
              {"id", "title", "summary", "part", "chapter", "order", "lab", "params", "steps",
               "sources"});

    // 1. Identity: id and bilingual title.
    if (auto id = root["id"].value<std::string>()) {
        lesson.id = *id;
        res.idHint = *id;
        static const std::regex kId("[a-z0-9][a-z0-9._-]*");
        if (!std::regex_match(*id, kId))
            c.error(root.get("id"), "id '" + *id +
                                        "' is not valid: expected lower-case letters, digits, "
                                        "'-', '_' or '.'");
    } else if (root.get("id")) {
        c.error(root.get("id"), "'id' is " + typeName(*root.get("id")) + ": expected a string");
    } else {
        c.errorAtLine(1, "missing 'id': expected a string such as id = \"ring-allreduce\"");
    }
    lesson.title = readLocal(c, root, "title", "the lesson", true, 1);
    res.titleHint = lesson.title;
    lesson.summary = readLocal(c, root, "summary", "the lesson", false, 1);
    readPlace(c, root, course, lesson);
    if (const toml::node* o = root.get("order")) {
        if (auto d = o->value<double>())
            lesson.order = *d;
        else
            c.error(o, "'order' is " + typeName(*o) + ": expected a number such as 6.1");
    }

    // 2. The Lab and its starting parameters.
    const Lab* lab = nullptr;
    if (auto l = root["lab"].value<std::string>()) {
        lesson.labId = *l;
        lab = labs.find(*l);
        if (!lab) {
            std::string list;
            for (const auto& id : labs.ids())
                list += (list.empty() ? "" : ", ") + id;
            c.error(root.get("lab"), "unknown Lab '" + *l + "' (expected one of: " + list + ")");
        }
    } else if (root.get("lab")) {
        c.error(root.get("lab"), "'lab' is " + typeName(*root.get("lab")) + ": expected a string");
    } else {
        c.errorAtLine(1, "missing 'lab': expected the id of the Lab this lesson uses");
    }
    if (lab)
        lesson.params = defaults(lab->params());
    lesson.params.merge(readParams(c, root.get("params"), "'params'", lab, baseDir));

    // 3. Steps: narrative in both languages, an optional phase and parameter changes.
    const toml::node* stepsNode = root.get("steps");
    const toml::array* steps = stepsNode ? stepsNode->as_array() : nullptr;
    if (!stepsNode)
        c.errorAtLine(1, "missing steps: expected at least one [[steps]] table");
    else if (!steps || steps->empty())
        c.error(stepsNode, "'steps' must be a non-empty array of tables ([[steps]])");
    std::vector<std::string> phases = lab ? lab->phaseNames() : std::vector<std::string>{};
    if (steps) {
        int index = 0;
        for (const auto& sn : *steps) {
            ++index;
            const toml::table* st = sn.as_table();
            std::string where = "step " + std::to_string(index);
            if (!st) {
                c.error(&sn, where + " is " + typeName(sn) + ": expected a table ([[steps]])");
                continue;
            }
            LessonStep step;
            step.line = static_cast<int>(sn.source().begin.line);
            checkKeys(c, *st, where, {"title", "text", "phase", "show", "frame", "set", "focus"});
            step.title = readLocal(c, *st, "title", where, false, step.line);
            step.text = readLocal(c, *st, "text", where, true, step.line);
            if (const toml::node* ph = st->get("phase")) {
                if (auto p = ph->value<std::string>()) {
                    step.phase = *p;
                    if (lab && std::find(phases.begin(), phases.end(), *p) == phases.end()) {
                        std::string list;
                        for (const auto& x : phases)
                            list += (list.empty() ? "" : ", ") + x;
                        c.error(ph, where + ": unknown phase '" + *p + "' of Lab '" + lab->id() +
                                        "' (expected one of: " + list + ")");
                    }
                } else {
                    c.error(ph, where + ": 'phase' is " + typeName(*ph) + ": expected a string");
                }
            }
            if (const toml::node* sh = st->get("show")) {
                auto s = sh->value<std::string>();
                if (s && *s == "all")
                    step.show = PhaseShow::All;
                else if (s && *s == "first")
                    step.show = PhaseShow::First;
                else if (s && *s == "last")
                    step.show = PhaseShow::Last;
                else
                    c.error(sh, where + ": 'show' must be \"all\", \"first\" or \"last\"");
            }
            if (const toml::node* fr = st->get("frame")) {
                auto f = fr->value_exact<std::int64_t>();
                if (!f || *f < 1)
                    c.error(fr, where + ": 'frame' must be a whole number ≥ 1 (the frame of "
                                        "the phase to show)");
                else if (step.phase.empty())
                    c.error(fr, where + ": 'frame' needs a 'phase' to count in");
                else
                    step.frame = static_cast<int>(*f);
                if (st->get("show"))
                    c.error(fr, where + ": use either 'show' or 'frame', not both");
            }
            step.set = readParams(c, st->get("set"), where + " 'set'", lab, baseDir);
            if (const toml::node* fo = st->get("focus")) {
                const toml::array* arr = fo->as_array();
                if (!arr || arr->empty())
                    c.error(fo, where + ": 'focus' is " + typeName(*fo) +
                                    ": expected a non-empty array of object names or ids, e.g. "
                                    "focus = [\"conv1\", \"relu\"]");
                else
                    for (const auto& e : *arr) {
                        if (auto str = e.value_exact<std::string>())
                            step.focus.push_back(*str);
                        else if (auto num = e.value_exact<std::int64_t>(); num && *num > 0)
                            step.focus.push_back(std::to_string(*num));
                        else
                            c.error(&e, where + ": a 'focus' entry is " + typeName(e) +
                                            ": expected an object's name (a string) or id (a "
                                            "whole number > 0)");
                    }
            }
            lesson.steps.push_back(std::move(step));
        }
    }

    // 4. Sources: every [^id] marker of the summary and the steps names one of them.
    lesson.sources = readSources(c, root);
    checkMarkers(c, lesson.summary, lesson.sources, "summary", lineOf(root, "summary", "en", 1),
                 lineOf(root, "summary", "zh", 1));
    if (steps) {
        std::size_t si = 0;
        for (const auto& sn : *steps) {
            const toml::table* st = sn.as_table();
            if (!st)
                continue;
            if (si >= lesson.steps.size())
                break;
            const LessonStep& step = lesson.steps[si++];
            const std::string where = "step " + std::to_string(si);
            checkMarkers(c, step.text, lesson.sources, where, lineOf(*st, "text", "en", step.line),
                         lineOf(*st, "text", "zh", step.line));
            checkMarkers(c, step.title, lesson.sources, where + " title",
                         lineOf(*st, "title", "en", step.line),
                         lineOf(*st, "title", "zh", step.line));
        }
    }

    // 5. Optionally dry-run the Lab (see dryRunLesson).
    if (c.ok() && lab && dryRun) {
        res.errors = dryRunLesson(lesson, labs);
        if (!res.errors.empty())
            return res;
    }

    res.errors = c.take();
    if (res.errors.empty())
        res.lesson = std::move(lesson);
    return res;
}

std::vector<LessonError> dryRunLesson(const Lesson& lesson, const LabRegistry& labs) {
    // Run the Lab with each step's parameters, so impossible combinations are reported at the
    // step that makes them rather than when a student gets there. Each distinct parameter set
    // runs once (most steps change nothing).
    const Lab* lab = labs.find(lesson.labId);
    if (!lab)
        return {{lesson.file, 0, 0, "unknown Lab '" + lesson.labId + "'"}};
    ParamSet p = lesson.params;
    std::vector<ParamSet> tried;
    for (const auto& step : lesson.steps) {
        p.merge(step.set);
        if (std::find(tried.begin(), tried.end(), p) != tried.end())
            continue;
        tried.push_back(p);
        try {
            (void)lab->run(p);
        } catch (const std::exception& e) {
            return {{lesson.file, step.line, 0,
                     std::string("the Lab cannot run these parameters: ") + e.what()}};
        }
    }
    return {};
}

LessonLoad loadLessonFile(const std::string& path, const LabRegistry& labs, bool dryRun,
                          const Course* course) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LessonLoad res;
        res.file = path;
        res.errors.push_back({path, 0, 0, "cannot read the file (missing or no permission)"});
        return res;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return loadLessonText(ss.str(), path, labs, dryRun, course);
}

std::vector<const Lesson*> LessonCatalog::lessons() const {
    std::vector<const Lesson*> out;
    for (const auto& e : entries)
        if (e.lesson)
            out.push_back(&*e.lesson);
    std::stable_sort(out.begin(), out.end(), [](const Lesson* a, const Lesson* b) {
        return a->order != b->order ? a->order < b->order : a->id < b->id;
    });
    return out;
}

const Lesson* LessonCatalog::find(const std::string& id) const {
    for (const auto& e : entries)
        if (e.lesson && e.lesson->id == id)
            return &*e.lesson;
    return nullptr;
}

std::vector<const LessonLoad*> LessonCatalog::broken() const {
    std::vector<const LessonLoad*> out;
    for (const auto& e : entries)
        if (!e.lesson)
            out.push_back(&e);
    return out;
}

LessonCatalog scanLessonFolders(const std::vector<std::string>& folders, const LabRegistry& labs,
                                bool dryRun) {
    // 1. The course: every <folder>/<part>/part.toml (a broken one is listed like a broken
    //    lesson). 2. Every other .toml file under each folder, in path order; a later
    //    folder's lesson with the same id replaces the earlier one.
    LessonCatalog cat;
    std::vector<LessonError> courseErrors;
    cat.course = loadCourse(folders, courseErrors);
    for (auto& e : courseErrors) {
        LessonLoad broken;
        broken.file = e.file;
        broken.errors.push_back(std::move(e));
        cat.entries.push_back(std::move(broken));
    }
    for (std::size_t fi = 0; fi < folders.size(); ++fi) {
        std::error_code ec;
        if (!fs::is_directory(folders[fi], ec))
            continue;
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(
                 folders[fi], fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec)
                break;
            if (it->is_regular_file(ec) && it->path().extension() == ".toml" &&
                it->path().filename() != "part.toml")
                files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            LessonLoad l = loadLessonFile(f.string(), labs, dryRun, &cat.course);
            if (l.lesson)
                l.lesson->user = fi > 0;
            auto same = std::find_if(cat.entries.begin(), cat.entries.end(), [&](const auto& e) {
                return e.lesson && l.lesson && e.lesson->id == l.lesson->id;
            });
            if (same != cat.entries.end())
                *same = std::move(l);
            else
                cat.entries.push_back(std::move(l));
        }
    }
    return cat;
}

std::string writeFileAtomically(const std::string& path, const std::string& text) {
    // 1. Write a temporary file beside the target. 2. Flush it to disk. 3. Rename over the
    //    target (atomic on POSIX), so a crash leaves either the old or the new file.
    fs::path target(path);
    fs::path tmp = target;
    tmp += ".tmp-" + std::to_string(::getpid());
    {
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        if (!f)
            return "cannot write " + tmp.string() + " (folder missing or no permission)";
        bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
        ok = std::fflush(f) == 0 && ok;
        ok = ::fsync(::fileno(f)) == 0 && ok;
        ok = std::fclose(f) == 0 && ok;
        if (!ok) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return "writing " + tmp.string() + " failed (disk full?)";
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return "cannot replace " + path + ": " + ec.message();
    }
    return {};
}

} // namespace aisys::lessons
