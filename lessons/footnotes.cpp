// Source markers in lesson narrative and their numbered footnotes.
#include "lessons/footnotes.h"

#include <algorithm>

namespace aisys::lessons {

namespace {

bool isIdChar(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_' || ch == '.';
}

std::string citation(const LessonSource& s) {
    return s.url.empty() ? s.text : s.text + " — <" + s.url + ">";
}

const char* heading(Lang lang) {
    return lang == Lang::Zh ? "**来源**" : "**Sources**";
}

} // namespace

std::vector<SourceMarker> sourceMarkers(const std::string& markdown) {
    // 1. Find "[^". 2. Take the id characters after it. 3. A marker is closed by "]" right after
    //    at least one id character; anything else is ordinary text.
    std::vector<SourceMarker> out;
    std::size_t at = 0;
    while ((at = markdown.find("[^", at)) != std::string::npos) {
        std::size_t end = at + 2;
        while (end < markdown.size() && isIdChar(markdown[end]))
            ++end;
        if (end > at + 2 && end < markdown.size() && markdown[end] == ']') {
            out.push_back({markdown.substr(at + 2, end - at - 2), at, end + 1 - at});
            at = end + 1;
        } else {
            at += 2;
        }
    }
    return out;
}

const LessonSource* findSource(const std::vector<LessonSource>& sources, const std::string& id) {
    for (const auto& s : sources)
        if (s.id == id)
            return &s;
    return nullptr;
}

std::string markdownWithFootnotes(const std::string& markdown,
                                  const std::vector<LessonSource>& sources, Lang lang) {
    // 1. Number the known sources by first use. 2. Rewrite the text, marker by marker.
    //    3. Append the footnote list in number order.
    const auto markers = sourceMarkers(markdown);
    std::vector<const LessonSource*> cited;
    std::string out;
    std::size_t copied = 0;
    for (const auto& m : markers) {
        const LessonSource* s = findSource(sources, m.id);
        if (!s)
            continue;
        auto it = std::find(cited.begin(), cited.end(), s);
        const std::size_t number = static_cast<std::size_t>(it - cited.begin()) + 1;
        if (it == cited.end())
            cited.push_back(s);
        out += markdown.substr(copied, m.pos - copied);
        out += "[" + std::to_string(number) + "]";
        copied = m.pos + m.length;
    }
    if (cited.empty())
        return markdown;
    out += markdown.substr(copied);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
        out.pop_back();
    out += "\n\n---\n\n";
    out += heading(lang);
    out += "\n\n";
    for (std::size_t i = 0; i < cited.size(); ++i)
        out += std::to_string(i + 1) + ". " + citation(*cited[i]) + "\n";
    return out;
}

std::string sourcesMarkdown(const std::vector<LessonSource>& sources, Lang lang) {
    if (sources.empty())
        return {};
    std::string out = std::string(heading(lang)) + "\n\n";
    for (const auto& s : sources)
        out += "- " + citation(s) + "\n";
    return out;
}

} // namespace aisys::lessons
