// Loads lesson TOML files and scans lesson folders into a catalog (broken files kept with errors).
#pragma once

#include "lessons/course.h"
#include "lessons/lab_registry.h"
#include "lessons/lesson.h"

#include <optional>
#include <string>
#include <vector>

namespace aisys::lessons {

/// The outcome of loading one file: a lesson, or the errors that stop it (never both).
struct LessonLoad {
    std::optional<Lesson> lesson;
    std::vector<LessonError> errors;
    std::string file;
    std::string idHint; ///< the id the file declares, if readable (for greyed-out entries)
    LocalText titleHint;
    bool ok() const { return lesson.has_value(); }
};

/// Parses and validates lesson text; `file` names it in messages. With `dryRun` the Lab also
/// runs once per distinct parameter set of the steps (dryRunLesson), so impossible parameter
/// combinations are errors at load time; without it that check is left to the caller. With a
/// `course`, the part and chapter ids the lesson names must be the course's (titles come from
/// it); without one any id is taken as it is.
LessonLoad loadLessonText(const std::string& text, const std::string& file, const LabRegistry& labs,
                          bool dryRun = true, const Course* course = nullptr);

/// Reads and loads one file (a missing or unreadable file is an error, not an exception).
LessonLoad loadLessonFile(const std::string& path, const LabRegistry& labs, bool dryRun = true,
                          const Course* course = nullptr);

/// Runs the lesson's Lab with each distinct parameter set its steps reach; returns the error
/// (at the step that makes the set) of the first set the Lab refuses, or nothing.
std::vector<LessonError> dryRunLesson(const Lesson& lesson, const LabRegistry& labs);

/// Every lesson found in the given folders and their sub-folders (<part>/<chapter>/ID.toml),
/// in folder order, with the course their part.toml files declare; a later folder's lesson
/// with the same id replaces an earlier one (the user's folder overrides the built-in one).
struct LessonCatalog {
    Course course; ///< the parts and chapters the folders declare
    std::vector<LessonLoad> entries;
    /// Loaded lessons sorted by (order, id).
    std::vector<const Lesson*> lessons() const;
    const Lesson* find(const std::string& id) const;
    /// Entries that failed to load.
    std::vector<const LessonLoad*> broken() const;
};

LessonCatalog scanLessonFolders(const std::vector<std::string>& folders, const LabRegistry& labs,
                                bool dryRun = true);

/// Writes `text` to `path` atomically (temporary file in the same folder, then rename).
/// Returns an empty string on success, else a message naming the path and the failure.
std::string writeFileAtomically(const std::string& path, const std::string& text);

} // namespace aisys::lessons
