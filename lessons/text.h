// Bilingual text: the language enum and a string held in both Chinese and English.
#pragma once

#include <string>

namespace aisys::lessons {

/// The two languages the lab speaks.
enum class Lang { En, Zh };

/// "en" / "zh" for a language; parseLang accepts en, zh, zh_CN, zh-CN (case-insensitive).
const char* langCode(Lang l);
bool parseLang(const std::string& s, Lang& out);

/// A string in both languages; `get` falls back to the other language when one is empty.
struct LocalText {
    std::string en;
    std::string zh;
    const std::string& get(Lang l) const {
        if (l == Lang::Zh)
            return zh.empty() ? en : zh;
        return en.empty() ? zh : en;
    }
};

/// Shorthand: pick the string for `l` out of an English/Chinese pair.
inline const char* tr2(Lang l, const char* en, const char* zh) {
    return l == Lang::Zh ? zh : en;
}

} // namespace aisys::lessons
