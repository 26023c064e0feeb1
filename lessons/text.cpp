// Language codes.
#include "lessons/text.h"

#include <algorithm>
#include <cctype>

namespace aisys::lessons {

const char* langCode(Lang l) {
    return l == Lang::Zh ? "zh" : "en";
}

bool parseLang(const std::string& s, Lang& out) {
    std::string l;
    for (char c : s)
        l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "en" || l.rfind("en_", 0) == 0 || l.rfind("en-", 0) == 0) {
        out = Lang::En;
        return true;
    }
    if (l == "zh" || l.rfind("zh_", 0) == 0 || l.rfind("zh-", 0) == 0) {
        out = Lang::Zh;
        return true;
    }
    return false;
}

} // namespace aisys::lessons
