// `aisyslab labs`: what a lesson author needs to know of each Lab, read from the registry.
#include "app/cli/lab_commands.h"

#include "app/cli/options.h"
#include "lessons/lab_registry.h"

#include <cstdio>
#include <string>

namespace aisys::app::cli {

const char* labsUsage() {
    return R"(  aisyslab labs [ID] [--json]
      Lists the Labs a lesson file can name (lab = "ID"): id, phases and title. With ID, that
      Lab's parameters (type, range or choices, default, label) and phases. Runs no Lab.
)";
}

namespace {

std::string jsonEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

/// "1..16", "ws | os | is", "true | false" or "text".
std::string rangeText(const lessons::ParamSpec& p) {
    auto num = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    switch (p.type) {
    case lessons::ParamType::Int:
    case lessons::ParamType::Float:
        return num(p.min) + ".." + num(p.max);
    case lessons::ParamType::Bool:
        return "true | false";
    case lessons::ParamType::Choice: {
        std::string out;
        for (const auto& c : p.choices)
            out += (out.empty() ? "" : " | ") + c;
        return out;
    }
    case lessons::ParamType::Text:
        return p.path ? "file path (relative to the lesson file)" : "text";
    }
    return {};
}

std::string defaultText(const lessons::ParamSpec& p) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>)
                return v;
            else if constexpr (std::is_same_v<T, bool>)
                return v ? "true" : "false";
            else {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%g", double(v));
                return buf;
            }
        },
        p.def);
}

/// The type as a lesson author writes it.
const char* typeText(lessons::ParamType t) {
    return t == lessons::ParamType::Choice ? "choice" : lessons::paramTypeName(t);
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

} // namespace

int runLabs(int argc, char** argv) {
    CliOptions opt;
    if (!parseSubcommandOptions("labs", argc, argv, opt))
        return 2;
    const lessons::LabRegistry labs = lessons::LabRegistry::builtin();
    if (opt.positional.size() > 1) {
        std::fprintf(stderr, "aisyslab labs: one Lab at a time; unexpected '%s'\n",
                     opt.positional[1].c_str());
        return 2;
    }
    if (opt.positional.empty()) {
        if (opt.json) {
            std::printf("[");
            bool first = true;
            for (const auto& id : labs.ids()) {
                const lessons::Lab* lab = labs.find(id);
                std::printf("%s\n  {\"id\": \"%s\", \"title\": \"%s\", \"phases\": [",
                            first ? "" : ",", jsonEscape(id).c_str(),
                            jsonEscape(lab->title().en).c_str());
                const auto phases = lab->phaseNames();
                for (std::size_t i = 0; i < phases.size(); ++i)
                    std::printf("%s\"%s\"", i ? ", " : "", jsonEscape(phases[i]).c_str());
                std::printf("]}");
                first = false;
            }
            std::printf("\n]\n");
            return 0;
        }
        std::printf("%-18s %s\n", "LAB", "TITLE / PHASES");
        for (const auto& id : labs.ids()) {
            const lessons::Lab* lab = labs.find(id);
            std::printf("%-18s %s\n%-18s   phases: %s\n", id.c_str(), lab->title().en.c_str(), "",
                        joined(lab->phaseNames(), ", ").c_str());
        }
        return 0;
    }
    const std::string& id = opt.positional[0];
    const lessons::Lab* lab = labs.find(id);
    if (!lab) {
        std::fprintf(stderr, "aisyslab labs: no Lab '%s' (expected one of: %s)\n", id.c_str(),
                     joined(labs.ids(), ", ").c_str());
        return 2;
    }
    const auto specs = lab->params();
    if (opt.json) {
        std::printf("{\"id\": \"%s\", \"title\": \"%s\", \"params\": [", jsonEscape(id).c_str(),
                    jsonEscape(lab->title().en).c_str());
        for (std::size_t i = 0; i < specs.size(); ++i)
            std::printf("%s\n  {\"name\": \"%s\", \"type\": \"%s\", \"range\": \"%s\", "
                        "\"default\": \"%s\", \"label\": \"%s\"}",
                        i ? "," : "", jsonEscape(specs[i].name).c_str(), typeText(specs[i].type),
                        jsonEscape(rangeText(specs[i])).c_str(),
                        jsonEscape(defaultText(specs[i])).c_str(),
                        jsonEscape(specs[i].label.en).c_str());
        std::printf("\n], \"phases\": [");
        const auto phases = lab->phaseNames();
        for (std::size_t i = 0; i < phases.size(); ++i)
            std::printf("%s\"%s\"", i ? ", " : "", jsonEscape(phases[i]).c_str());
        std::printf("]}\n");
        return 0;
    }
    std::printf("%s — %s\n\n", id.c_str(), lab->title().en.c_str());
    std::printf("%-16s %-8s %-34s %-14s %s\n", "PARAMETER", "TYPE", "RANGE / CHOICES", "DEFAULT",
                "LABEL");
    for (const auto& p : specs)
        std::printf("%-16s %-8s %-34s %-14s %s\n", p.name.c_str(), typeText(p.type),
                    rangeText(p).c_str(), defaultText(p).c_str(), p.label.en.c_str());
    std::printf("\nphases: %s\n", joined(lab->phaseNames(), ", ").c_str());
    return 0;
}

} // namespace aisys::app::cli
