// The course's parts and chapters: part.toml parsing, merging across folders, lookup by id or
// by title (for lesson files in the older format).
#include "lessons/course.h"

#include "lessons/toml_check.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace aisys::lessons {

namespace {

bool sameTitle(const LocalText& a, const LocalText& b) {
    return (!a.en.empty() && a.en == b.en) || (!a.zh.empty() && a.zh == b.zh);
}

/// Reads `id` (a valid id string) and `order` (a number) of a part or chapter table.
void readIdAndOrder(Checker& c, const toml::table& t, const std::string& where, int line,
                    std::string& id, double& order) {
    static const std::regex kId("[a-z0-9][a-z0-9._-]*");
    if (auto v = t["id"].value<std::string>()) {
        id = *v;
        if (!std::regex_match(id, kId))
            c.error(t.get("id"), where + ": id '" + id +
                                     "' is not valid: expected lower-case letters, digits, "
                                     "'-', '_' or '.'");
    } else {
        c.errorAtLine(line, where + ": missing 'id': expected a string such as id = \"chips\"");
    }
    if (const toml::node* o = t.get("order")) {
        if (auto d = o->value<double>())
            order = *d;
        else
            c.error(o, where + ": 'order' is " + typeName(*o) + ": expected a number such as 2.11");
    }
}

} // namespace

const Chapter* Part::findChapter(const std::string& cid) const {
    for (const Chapter& ch : chapters)
        if (ch.id == cid)
            return &ch;
    return nullptr;
}

const Chapter* Part::chapterTitled(const LocalText& t) const {
    for (const Chapter& ch : chapters)
        if (sameTitle(ch.title, t))
            return &ch;
    return nullptr;
}

const Part* Course::findPart(const std::string& pid) const {
    for (const Part& p : parts)
        if (p.id == pid)
            return &p;
    return nullptr;
}

const Part* Course::partTitled(const LocalText& t) const {
    for (const Part& p : parts)
        if (sameTitle(p.title, t))
            return &p;
    return nullptr;
}

std::string Course::partIds() const {
    std::string out;
    for (const Part& p : parts)
        out += (out.empty() ? "" : ", ") + p.id;
    return out;
}

std::optional<Part> loadPartText(const std::string& text, const std::string& file,
                                 std::vector<LessonError>& errors) {
    // 1. TOML syntax. 2. The part's id, order and title. 3. Each [[chapters]] entry the same
    //    way; chapter ids are unique within the part.
    Checker c(file);
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        errors.push_back({file, static_cast<int>(e.source().begin.line),
                          static_cast<int>(e.source().begin.column),
                          "TOML syntax error: " + std::string(e.description())});
        return std::nullopt;
    }
    Part part;
    checkKeys(c, root, "the part", {"id", "order", "title", "chapters"});
    readIdAndOrder(c, root, "the part", 1, part.id, part.order);
    part.title = readLocal(c, root, "title", "the part", true, 1);
    const toml::node* chNode = root.get("chapters");
    const toml::array* chs = chNode ? chNode->as_array() : nullptr;
    if (chNode && !chs)
        c.error(chNode, "'chapters' must be an array of tables ([[chapters]])");
    if (chs) {
        int index = 0;
        for (const auto& n : *chs) {
            ++index;
            const std::string where = "chapter " + std::to_string(index);
            const toml::table* t = n.as_table();
            if (!t) {
                c.error(&n, where + " is " + typeName(n) + ": expected a table ([[chapters]])");
                continue;
            }
            const int line = static_cast<int>(n.source().begin.line);
            Chapter ch;
            checkKeys(c, *t, where, {"id", "order", "title"});
            readIdAndOrder(c, *t, where, line, ch.id, ch.order);
            ch.title = readLocal(c, *t, "title", where, true, line);
            if (!ch.id.empty() && part.findChapter(ch.id))
                c.error(t->get("id"), where + ": chapter id '" + ch.id +
                                          "' is used twice in this part: expected unique ids");
            part.chapters.push_back(std::move(ch));
        }
    }
    if (!c.ok()) {
        for (auto& e : c.take())
            errors.push_back(std::move(e));
        return std::nullopt;
    }
    return part;
}

Course loadCourse(const std::vector<std::string>& folders, std::vector<LessonError>& errors) {
    Course course;
    for (const std::string& folder : folders) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            continue;
        std::vector<fs::path> files;
        for (const auto& de : fs::directory_iterator(folder, ec))
            if (de.is_directory(ec) && fs::is_regular_file(de.path() / "part.toml", ec))
                files.push_back(de.path() / "part.toml");
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            std::ifstream in(f, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            std::optional<Part> p = loadPartText(ss.str(), f.string(), errors);
            if (!p)
                continue;
            auto same = std::find_if(course.parts.begin(), course.parts.end(),
                                     [&](const Part& q) { return q.id == p->id; });
            if (same == course.parts.end()) {
                course.parts.push_back(std::move(*p));
                continue;
            }
            // A later folder's part.toml with a known id: its title and order win, its
            // chapters are added (or replace those with the same id).
            same->title = p->title;
            same->order = p->order;
            for (Chapter& ch : p->chapters) {
                auto old = std::find_if(same->chapters.begin(), same->chapters.end(),
                                        [&](const Chapter& x) { return x.id == ch.id; });
                if (old != same->chapters.end())
                    *old = std::move(ch);
                else
                    same->chapters.push_back(std::move(ch));
            }
        }
    }
    std::stable_sort(course.parts.begin(), course.parts.end(),
                     [](const Part& a, const Part& b) { return a.order < b.order; });
    for (Part& p : course.parts)
        std::stable_sort(p.chapters.begin(), p.chapters.end(),
                         [](const Chapter& a, const Chapter& b) { return a.order < b.order; });
    return course;
}

std::string idFromTitle(const std::string& title) {
    // ASCII letters and digits stay (lower-cased); every other run becomes one '-'. A title
    // with no ASCII letter at all (a Chinese-only title) keeps its bytes as hex.
    std::string id;
    bool dash = false;
    for (unsigned char ch : title) {
        if (std::isalnum(ch)) {
            if (dash && !id.empty())
                id += '-';
            id += static_cast<char>(std::tolower(ch));
            dash = false;
        } else {
            dash = true;
        }
    }
    if (id.empty()) {
        static const char* kHex = "0123456789abcdef";
        for (unsigned char ch : title) {
            id += kHex[ch >> 4];
            id += kHex[ch & 15];
        }
    }
    return id.empty() ? "other" : id;
}

} // namespace aisys::lessons
