// joinCjkSoftBreaks: line by line, with the first and last code point of each line decoded.
#include "lessons/markdown.h"

#include <vector>

namespace aisys::lessons {

namespace {

/// Decodes the UTF-8 code point starting at s[i]; sets `len` (1 for a malformed byte).
char32_t decodeAt(const std::string& s, std::size_t i, std::size_t& len) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    len = 1;
    if (c < 0x80)
        return c;
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n == 1 || i + n > s.size())
        return c;
    char32_t cp = c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80)
            return c;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    len = n;
    return cp;
}

/// The last code point of `line` (ignoring trailing spaces), or 0.
char32_t lastCodePoint(const std::string& line) {
    std::size_t end = line.find_last_not_of(" \t\r");
    if (end == std::string::npos)
        return 0;
    std::size_t start = end;
    while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80)
        --start;
    std::size_t len = 0;
    return decodeAt(line, start, len);
}

/// The first code point of `line` after its indentation, or 0.
char32_t firstCodePoint(const std::string& line) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos)
        return 0;
    std::size_t len = 0;
    return decodeAt(line, start, len);
}

bool isFence(const std::string& line) {
    const std::size_t p = line.find_first_not_of(" \t");
    return p != std::string::npos &&
           (line.compare(p, 3, "```") == 0 || line.compare(p, 3, "~~~") == 0);
}

/// Whether `line` starts a Markdown block of its own (so the break before it is not soft).
bool startsBlock(const std::string& line) {
    const std::size_t p = line.find_first_not_of(" \t");
    if (p == std::string::npos)
        return true;
    const char c = line[p];
    if (c == '#' || c == '>' || c == '|')
        return true;
    if ((c == '-' || c == '*' || c == '+') && p + 1 < line.size() && line[p + 1] == ' ')
        return true;
    std::size_t q = p;
    while (q < line.size() && line[q] >= '0' && line[q] <= '9')
        ++q;
    return q > p && q + 1 < line.size() && (line[q] == '.' || line[q] == ')') && line[q + 1] == ' ';
}

bool hardBreak(const std::string& line) {
    const std::size_t n = line.size();
    return (n >= 2 && line[n - 1] == ' ' && line[n - 2] == ' ') || (n >= 1 && line[n - 1] == '\\');
}

} // namespace

bool isCjk(char32_t c) {
    return (c >= 0x3000 && c <= 0x303F) || // CJK symbols and punctuation (、。「」…)
           (c >= 0x3040 && c <= 0x30FF) || // Hiragana, Katakana
           (c >= 0x3400 && c <= 0x4DBF) || // CJK unified ideographs, extension A
           (c >= 0x4E00 && c <= 0x9FFF) || // CJK unified ideographs
           (c >= 0xF900 && c <= 0xFAFF) || // CJK compatibility ideographs
           (c >= 0xFF00 && c <= 0xFFEF) || // half- and full-width forms (，：（）)
           (c >= 0x20000 && c <= 0x2FA1F); // extensions B–F, compatibility supplement
}

std::string joinCjkSoftBreaks(const std::string& md) {
    // 1. Split into lines. 2. Walk them, tracking fenced code. 3. A line is glued to the one
    //    before it (no newline, its indentation dropped) when the break between them is soft
    //    and both sides of it are CJK.
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = md.find('\n', start);
        lines.push_back(md.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    std::string out = lines[0];
    bool inFence = isFence(lines[0]);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string& prev = lines[i - 1];
        const std::string& line = lines[i];
        const bool fence = isFence(line);
        const bool join = !inFence && !fence && !isFence(prev) && !hardBreak(prev) &&
                          !startsBlock(line) && isCjk(lastCodePoint(prev)) &&
                          isCjk(firstCodePoint(line));
        if (join) {
            while (!out.empty() && (out.back() == ' ' || out.back() == '\t'))
                out.pop_back();
            out += line.substr(line.find_first_not_of(" \t"));
        } else {
            out += '\n';
            out += line;
        }
        if (fence)
            inFence = !inFence;
    }
    return out;
}

} // namespace aisys::lessons
