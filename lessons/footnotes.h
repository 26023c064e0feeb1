// Source markers in lesson narrative: finding `[^id]` markers and turning a step's Markdown into
// Markdown with numbered footnotes, for the narrative pane and the exports.
#pragma once

#include "lessons/lesson.h"
#include "lessons/text.h"

#include <string>
#include <vector>

namespace aisys::lessons {

/// One `[^id]` marker in a text: the id and its byte offset and length.
struct SourceMarker {
    std::string id;
    std::size_t pos = 0;
    std::size_t length = 0;
};

/// Every `[^id]` marker in `markdown`, in order (ids are letters, digits, - _ .).
std::vector<SourceMarker> sourceMarkers(const std::string& markdown);

/// The source with this id, or nullptr.
const LessonSource* findSource(const std::vector<LessonSource>& sources, const std::string& id);

/// `markdown` with each `[^id]` replaced by a number in brackets ("[1]", numbered by first use
/// in this text) and, when it cites anything, a footnote list appended: a rule, "Sources" /
/// "来源", then "1. citation — <url>" per cited source. A marker naming no source is kept as it
/// is (the loader rejects such files). Text without markers comes back unchanged.
std::string markdownWithFootnotes(const std::string& markdown,
                                  const std::vector<LessonSource>& sources, Lang lang);

/// Every source of the lesson as a Markdown list under a "Sources" / "来源" heading (for a
/// sources panel or the end of an export); empty when the lesson lists none.
std::string sourcesMarkdown(const std::vector<LessonSource>& sources, Lang lang);

} // namespace aisys::lessons
