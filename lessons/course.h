// The course's parts and chapters (ids, order, bilingual titles), read from part.toml files.
#pragma once

#include "lessons/lesson.h"
#include "lessons/text.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// A chapter of a part: its id is the name of its folder under the part's folder.
struct Chapter {
    std::string id;
    double order = 0;
    LocalText title;
};

/// A part of the course ("chips"): its title and chapters, written once in <part>/part.toml.
struct Part {
    std::string id;
    double order = 0;
    LocalText title;
    std::vector<Chapter> chapters;
    const Chapter* findChapter(const std::string& id) const;
    /// The chapter whose English or Chinese title equals one of `title`'s (older lesson files
    /// name chapters by their titles).
    const Chapter* chapterTitled(const LocalText& title) const;
};

/// Every part the lesson folders declare, in course order.
struct Course {
    std::vector<Part> parts;
    const Part* findPart(const std::string& id) const;
    /// The part whose English or Chinese title equals one of `title`'s.
    const Part* partTitled(const LocalText& title) const;
    /// "chips, compiler, ..." for messages.
    std::string partIds() const;
};

/// Parses one part.toml; `file` names it in messages. Errors go to `errors` (file:line).
std::optional<Part> loadPartText(const std::string& text, const std::string& file,
                                 std::vector<LessonError>& errors);

/// Reads <folder>/<part>/part.toml for every folder; a later folder's part with the same id
/// adds its chapters to (or renames) the earlier one. Parts are sorted by order.
Course loadCourse(const std::vector<std::string>& folders, std::vector<LessonError>& errors);

/// A lower-case id made of a title ("Large-model training" → "large-model-training"), for lesson
/// files that name a part or chapter the course does not declare.
std::string idFromTitle(const std::string& title);

} // namespace aisys::lessons
