// TOML checks with file:line:column errors (see toml_check.h).
#include "lessons/toml_check.h"

#include <algorithm>

namespace aisys::lessons {

std::string typeName(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a number";
    case toml::node_type::boolean:
        return "a boolean";
    default:
        return "a date/time";
    }
}

void checkKeys(Checker& c, const toml::table& t, const std::string& where,
               const std::vector<std::string>& allowed) {
    for (const auto& [k, v] : t) {
        std::string key(k.str());
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : ", ") + a;
            c.error(&v,
                    "unknown key '" + key + "' in " + where + " (expected one of: " + list + ")");
        }
    }
}

/// Reads { en = "...", zh = "..." }; with `required` both languages must be non-empty.
LocalText readLocal(Checker& c, const toml::table& t, const std::string& key,
                    const std::string& where, bool required, int fallbackLine) {
    LocalText out;
    const toml::node* n = t.get(key);
    if (!n) {
        if (required)
            c.errorAtLine(fallbackLine, "missing '" + key + "' in " + where +
                                            ": expected a table with 'en' and 'zh' strings");
        return out;
    }
    const toml::table* tt = n->as_table();
    if (!tt) {
        c.error(n, "'" + key + "' in " + where + " is " + typeName(*n) +
                       ": expected a table with 'en' and 'zh' strings");
        return out;
    }
    checkKeys(c, *tt, "'" + key + "'", {"en", "zh"});
    for (const char* lang : {"en", "zh"}) {
        const toml::node* s = tt->get(lang);
        std::string* dst = std::string(lang) == "en" ? &out.en : &out.zh;
        if (!s) {
            if (required)
                c.error(n, "missing '" + key + "." + lang + "' in " + where +
                               ": expected text in " + (dst == &out.en ? "English" : "Chinese"));
            continue;
        }
        if (auto v = s->value<std::string>())
            *dst = *v;
        else
            c.error(s, "'" + key + "." + lang + "' is " + typeName(*s) + ": expected a string");
        if (required && dst->find_first_not_of(" \t\r\n") == std::string::npos && s->is_string())
            c.error(s, "'" + key + "." + lang + "' in " + where + " is empty: expected text");
    }
    return out;
}

} // namespace aisys::lessons
