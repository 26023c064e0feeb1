// The schedule string's tokenizer and parser, with the column of every error.
#include "engine/loops/schedule_parse.h"

#include <cctype>

namespace aisys::engine::loops {

namespace {

bool nameStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool nameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

/// What is at position i, for messages: "'x'" or "the end".
std::string seen(const std::string& s, std::size_t i) {
    if (i >= s.size())
        return "the end of the schedule";
    return "'" + std::string(1, s[i]) + "'";
}

} // namespace

Checked<std::vector<Primitive>> parseSchedule(const std::string& s) {
    using R = Checked<std::vector<Primitive>>;
    std::vector<Primitive> out;
    std::size_t i = 0;
    auto skip = [&] {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
    };
    auto fail = [&](const std::string& what) {
        return R::fail("column " + std::to_string(i + 1) + ": " + what);
    };
    // 1. primitive := name '(' [arg {',' arg}] ')', primitives separated by ';'.
    for (;;) {
        skip();
        if (i >= s.size())
            break;
        if (s[i] == ';') { // an empty primitive between separators
            ++i;
            continue;
        }
        if (!nameStart(s[i]))
            return fail("expected a primitive name (split, tile, reorder, fuse, unroll, "
                        "vectorize, parallel, compute_at), got " +
                        seen(s, i));
        Primitive p;
        p.column = static_cast<int>(i) + 1;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_'))
            p.name += s[i++];
        skip();
        if (i >= s.size() || s[i] != '(')
            return fail("expected '(' after '" + p.name + "', got " + seen(s, i));
        ++i;
        skip();
        // 2. The arguments: loop names (with dots: i.o) or integers (a sign allowed).
        if (i < s.size() && s[i] == ')') {
            ++i;
        } else {
            for (;;) {
                skip();
                std::string arg;
                if (i < s.size() && nameStart(s[i])) {
                    while (i < s.size() && nameChar(s[i]))
                        arg += s[i++];
                    if (arg.back() == '.')
                        return R::fail("column " + std::to_string(i) + ": loop name '" + arg +
                                       "' ends with '.'");
                } else if (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) ||
                                            s[i] == '-' || s[i] == '+')) {
                    arg += s[i++];
                    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
                        arg += s[i++];
                    if (arg.size() == 1 && !std::isdigit(static_cast<unsigned char>(arg[0])))
                        return fail("expected digits after '" + arg + "', got " + seen(s, i));
                    if (i < s.size() && nameChar(s[i]))
                        return fail("expected ',' or ')' after the number " + arg + ", got " +
                                    seen(s, i));
                } else {
                    return fail("expected a loop name or an integer in " + p.name + "(…), got " +
                                seen(s, i));
                }
                p.args.push_back(arg);
                skip();
                if (i < s.size() && s[i] == ',') {
                    ++i;
                    continue;
                }
                if (i < s.size() && s[i] == ')') {
                    ++i;
                    break;
                }
                return fail("expected ',' or ')' after '" + arg + "', got " + seen(s, i));
            }
        }
        out.push_back(std::move(p));
        // 3. Then ';' or the end.
        skip();
        if (i < s.size() && s[i] != ';')
            return fail("expected ';' between primitives, got " + seen(s, i));
    }
    return R{std::move(out), ""};
}

} // namespace aisys::engine::loops
