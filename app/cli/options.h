// The options shared by the GUI and the subcommands that take the common flags, parsed from argv.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::app::cli {

/// Options shared by the GUI and the subcommands lessons, export, info, infer and train.
struct CliOptions {
    std::string command;             ///< "" for the GUI, else the subcommand
    std::string lang;                ///< --lang: "", "zh" or "en"
    std::string lesson;              ///< --lesson ID
    std::string model;               ///< --model FILE.onnx (GUI and export)
    std::string trace;               ///< --trace FILE (aisyslab-mpi): lesson mpi-replay on it
    int step = 0;                    ///< --step N (1-based; 0 = not given)
    bool allSteps = false;           ///< --all-steps
    std::string format;              ///< --format
    double scale = 1.0;              ///< --scale
    std::string output;              ///< -o / --output
    std::string screenshot;          ///< --screenshot FILE.png
    std::string theme;               ///< --theme light|dark
    std::vector<std::string> sets;   ///< --set NAME=VALUE (repeatable)
    bool present = false;            ///< --present: start in presentation mode
    std::vector<std::string> inputs; ///< --input NAME=FILE.npy (repeatable)
    std::vector<std::string> dims;   ///< --dim NAME=V (repeatable)
    std::uint64_t seed = 0;          ///< --seed S for generated inputs
    std::string outputDir;           ///< --output-dir DIR
    int bench = 0;                   ///< --bench N: time N runs
    int threads = 1;                 ///< --threads T
    std::size_t maxMemory = 0;       ///< --max-memory SIZE for model runs (0: half of RAM)
    bool json = false;               ///< --json
    bool profile = false;            ///< infer --profile: per-node times of the --bench runs
    std::string example;             ///< train --example spirals|digits
    int epochs = 0;                  ///< train --epochs E
    std::string passes;              ///< --passes a,b,c | -O0..-O3 (infer, export --model)
    bool help = false, version = false, strict = false;
    bool check = false;                       ///< lessons --check: dry-run every lesson
    bool slides = false;                      ///< export --slides: one PDF page per step
    bool handout = false;                     ///< export --handout: portrait pages for printing
    int slideWidth = 1280, slideHeight = 720; ///< export --size WxH (slides)
    std::vector<std::string> positional;
};

/// Parses argv[first..argc) into `out`; words that are not options go to `positional`. On a bad
/// option returns false and sets `error` to a readable message.
bool parseOptions(int argc, char** argv, int first, CliOptions& out, std::string& error);

/// parseOptions for subcommand `cmd` (argv[1]): its options start at argv[2]. Prints
/// "aisyslab CMD: <error>" to stderr and returns false on a bad option.
bool parseSubcommandOptions(const char* cmd, int argc, char** argv, CliOptions& out);

/// True when the common option `flag` takes a value (`--lang zh`), so that the word after it
/// is not a subcommand's name.
bool optionTakesValue(const std::string& flag);

/// strtod over the whole string.
bool parseNumber(const std::string& s, double& out);

} // namespace aisys::app::cli
