// Markdown as the lab writes it for both languages: soft line breaks inside Chinese text.
#pragma once

#include <string>

namespace aisys::lessons {

/// Whether code point `c` belongs to a script written without spaces between words (Han,
/// Hiragana, Katakana, CJK punctuation and full-width forms). Hangul is not: Korean spaces
/// its words.
bool isCjk(char32_t c);

/// Joins the soft line breaks that fall between two CJK characters, so that Markdown does
/// not render them as spaces ("沿对角线\n穿过" → "沿对角线穿过"). A break stays when either side is
/// not CJK (mixed Chinese/Latin keeps the space its author wrote), when it ends a paragraph
/// (an empty line), when it is a hard break (two trailing spaces or a backslash), when the
/// next line starts a Markdown block (list item, heading, quote, table row, fence) and inside
/// fenced code. Indentation of the joined line is dropped.
std::string joinCjkSoftBreaks(const std::string& markdown);

} // namespace aisys::lessons
