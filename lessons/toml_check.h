// Reading TOML with located errors: the checker, type names, key and bilingual-text checks
// shared by the lesson and part-file loaders.
#pragma once

#include "lessons/lesson.h"
#include "lessons/text.h"

#include <toml++/toml.h>

#include <string>
#include <vector>

namespace aisys::lessons {

/// Collects errors with positions while walking the TOML tree.
class Checker {
public:
    explicit Checker(std::string file) : m_file(std::move(file)) {}
    void error(const toml::node* at, const std::string& msg) {
        LessonError e;
        e.file = m_file;
        if (at) {
            e.line = static_cast<int>(at->source().begin.line);
            e.column = static_cast<int>(at->source().begin.column);
        }
        e.message = msg;
        m_errors.push_back(std::move(e));
    }
    void errorAtLine(int line, const std::string& msg) {
        m_errors.push_back({m_file, line, 0, msg});
    }
    std::vector<LessonError> take() { return std::move(m_errors); }
    bool ok() const { return m_errors.empty(); }

private:
    std::string m_file;
    std::vector<LessonError> m_errors;
};

/// "a table", "a string", ... for messages.
std::string typeName(const toml::node& n);

/// Reports every key of `t` not in `allowed` ("unknown key ... (expected one of: ...)").
void checkKeys(Checker& c, const toml::table& t, const std::string& where,
               const std::vector<std::string>& allowed);

/// Reads { en = "...", zh = "..." }; with `required` both languages must be non-empty.
LocalText readLocal(Checker& c, const toml::table& t, const std::string& key,
                    const std::string& where, bool required, int fallbackLine);

} // namespace aisys::lessons
