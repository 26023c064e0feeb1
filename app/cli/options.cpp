// Parsing of the common options (CliOptions); each subcommand checks which of them it uses.
#include "app/cli/options.h"

#include "engine/core/memory_budget.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace aisys::app::cli {

namespace {

bool takeValue(int& i, int argc, char** argv, const std::string& flag, std::string& out,
               std::string& error) {
    if (i + 1 >= argc) {
        error = flag + " needs a value";
        return false;
    }
    out = argv[++i];
    return true;
}

} // namespace

bool parseNumber(const std::string& s, double& out) {
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return !s.empty() && end && *end == '\0';
}

bool optionTakesValue(const std::string& a) {
    static const char* const kValued[] = {
        "--input", "--dim",    "--passes",  "--example",    "--epochs", "--output-dir",
        "--seed",  "--bench",  "--threads", "--lang",       "--lesson", "--model",
        "--step",  "--format", "--scale",   "-o",           "--output", "--screenshot",
        "--theme", "--set",    "--size",    "--max-memory", "--trace"};
    for (const char* f : kValued)
        if (a == f)
            return true;
    return false;
}

bool parseOptions(int argc, char** argv, int first, CliOptions& o, std::string& error) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        std::string v;
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--version") {
            o.version = true;
        } else if (a == "--strict") {
            o.strict = true;
        } else if (a == "--check") {
            o.check = true;
        } else if (a == "--slides") {
            o.slides = true;
        } else if (a == "--handout") {
            o.handout = true;
        } else if (a == "--size") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            const auto x = v.find_first_of("xX");
            double w = 0, h = 0;
            if (x == std::string::npos || !parseNumber(v.substr(0, x), w) ||
                !parseNumber(v.substr(x + 1), h) || w != std::floor(w) || h != std::floor(h) ||
                w < 320 || h < 240 || w > 7680 || h > 4320) {
                error = "--size expects WIDTHxHEIGHT in pixels between 320x240 and 7680x4320, "
                        "e.g. 1280x720, got '" +
                        v + "'";
                return false;
            }
            o.slideWidth = int(w);
            o.slideHeight = int(h);
        } else if (a == "--max-memory") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            std::string why;
            const auto bytes = engine::parseByteSize(v, &why);
            if (!bytes) {
                error = "--max-memory " + why;
                return false;
            }
            o.maxMemory = *bytes;
        } else if (a == "--present") {
            o.present = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--profile") {
            o.profile = true;
        } else if (a == "--input" || a == "--dim") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            (a == "--input" ? o.inputs : o.dims).push_back(v);
        } else if (a == "--passes") {
            if (!takeValue(i, argc, argv, a, o.passes, error))
                return false;
        } else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
            o.passes = a;
        } else if (a == "--example") {
            if (!takeValue(i, argc, argv, a, o.example, error))
                return false;
        } else if (a == "--epochs") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            double d;
            if (!parseNumber(v, d) || d < 1 || d != std::floor(d) || d > 100000) {
                error = "--epochs expects a whole number ≥ 1, got '" + v + "'";
                return false;
            }
            o.epochs = static_cast<int>(d);
        } else if (a == "--output-dir") {
            if (!takeValue(i, argc, argv, a, o.outputDir, error))
                return false;
        } else if (a == "--seed" || a == "--bench" || a == "--threads") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            double d;
            if (!parseNumber(v, d) || d < (a == "--seed" ? 0 : 1) || d != std::floor(d) ||
                d > 1e15) {
                error = a + " expects a whole number" + (a == "--seed" ? " ≥ 0" : " ≥ 1") +
                        ", got '" + v + "'";
                return false;
            }
            if (a == "--seed")
                o.seed = static_cast<std::uint64_t>(d);
            else if (a == "--bench")
                o.bench = static_cast<int>(d);
            else
                o.threads = static_cast<int>(d);
        } else if (a == "--all-steps") {
            o.allSteps = true;
        } else if (a == "--lang") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            std::string l;
            for (char c : v)
                l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (l == "en")
                o.lang = "en";
            else if (l == "zh" || l == "zh_cn" || l == "zh-cn")
                o.lang = "zh";
            else {
                error = "--lang expects zh or en, got '" + v + "'";
                return false;
            }
        } else if (a == "--lesson") {
            if (!takeValue(i, argc, argv, a, o.lesson, error))
                return false;
        } else if (a == "--model") {
            if (!takeValue(i, argc, argv, a, o.model, error))
                return false;
        } else if (a == "--trace") {
            if (!takeValue(i, argc, argv, a, o.trace, error))
                return false;
        } else if (a == "--step") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            double d;
            if (!parseNumber(v, d) || d < 1 || d != static_cast<int>(d)) {
                error = "--step expects a whole number ≥ 1, got '" + v + "'";
                return false;
            }
            o.step = static_cast<int>(d);
        } else if (a == "--format") {
            if (!takeValue(i, argc, argv, a, o.format, error))
                return false;
        } else if (a == "--scale") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            if (!parseNumber(v, o.scale) || !(o.scale > 0 && o.scale <= 16)) {
                error = "--scale expects a number in (0, 16], e.g. 1, 2 or 4; got '" + v + "'";
                return false;
            }
        } else if (a == "-o" || a == "--output") {
            if (!takeValue(i, argc, argv, a, o.output, error))
                return false;
        } else if (a == "--screenshot") {
            if (!takeValue(i, argc, argv, a, o.screenshot, error))
                return false;
        } else if (a == "--theme") {
            if (!takeValue(i, argc, argv, a, o.theme, error))
                return false;
            if (o.theme != "light" && o.theme != "dark") {
                error = "--theme expects light or dark, got '" + o.theme + "'";
                return false;
            }
        } else if (a == "--set") {
            if (!takeValue(i, argc, argv, a, v, error))
                return false;
            o.sets.push_back(v);
        } else if (!a.empty() && a[0] == '-') {
            error = "unknown option '" + a + "' (see aisyslab --help)";
            return false;
        } else {
            o.positional.push_back(a);
        }
    }
    return true;
}

bool parseSubcommandOptions(const char* cmd, int argc, char** argv, CliOptions& o) {
    std::string error;
    if (!parseOptions(argc, argv, 2, o, error)) {
        std::fprintf(stderr, "aisyslab %s: %s\n", cmd, error.c_str());
        return false;
    }
    o.command = cmd;
    return true;
}

} // namespace aisys::app::cli
