// A lesson as data: what an instructor writes in a TOML file, and the errors found loading it.
#pragma once

#include "lessons/params.h"
#include "lessons/text.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// How much of a phase a step shows.
enum class PhaseShow { All, First, Last };

/// One step of a lesson: its narrative and what it changes.
struct LessonStep {
    LocalText title;   ///< optional short heading
    LocalText text;    ///< Markdown narrative
    std::string phase; ///< Lab phase to play; empty = stay on the previous frame
    PhaseShow show = PhaseShow::All;
    int frame = 0; ///< with a phase: show only its frame-th frame (1-based; 0 = use show)
    ParamSet set;  ///< parameter changes applied from this step on
    /// Objects the step is about (`focus = ["conv1", 1003]`): an id, an object's title, or its
    /// last word ("conv1" for "Conv · conv1"); presenting, the camera eases to their bounds.
    std::vector<std::string> focus;
    int line = 0; ///< line of the [[steps]] header in the file
};

/// One source a lesson cites: a paper with its section or table, a vendor document, or a source
/// file of a real system. A step's narrative points to it with the marker `[^id]`.
struct LessonSource {
    std::string id;   ///< what markers name: letters, digits, - _ . (e.g. "jouppi2017")
    std::string text; ///< the citation, e.g. "Jouppi et al., ISCA 2017, Table 2"
    std::string url;  ///< optional link (https://...)
    int line = 0;     ///< line of its [[sources]] table in the file
};

/// A complete, validated lesson.
struct Lesson {
    std::string id;
    LocalText title;
    LocalText summary;     ///< optional one-paragraph intro (Markdown)
    std::string partId;    ///< the course part's id ("chips"; see course.h)
    std::string chapterId; ///< the chapter's id within the part ("systolic-tpu")
    LocalText part;        ///< the part's title ("AI chips"), from the course
    LocalText chapter;     ///< the chapter's title, from the course
    double order = 0;      ///< sort key within the course, e.g. 6.1
    std::string labId;
    ParamSet params; ///< the Lab's parameters at step 0
    std::vector<LessonStep> steps;
    std::vector<LessonSource> sources; ///< every source the narrative cites ([[sources]])
    std::string file;                  ///< where it was loaded from ("" for built-in strings)
    bool user = false;                 ///< loaded from the user's lesson folder
};

/// A problem found in a lesson file, located as precisely as the file allows.
struct LessonError {
    std::string file;
    int line = 0; ///< 1-based; 0 = whole file
    int column = 0;
    std::string message; ///< what is wrong and what was expected
    /// "file:line:col: message"
    std::string format() const;
};

} // namespace aisys::lessons
