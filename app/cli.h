// Command-line interface: global options and the headless subcommands (lessons, export).
#pragma once

#include "lessons/params.h"
#include "lessons/text.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::app {

/// Options shared by the GUI and the subcommands, parsed from argv.
struct CliOptions {
    std::string command; ///< "" for the GUI, else the subcommand
    std::optional<lessons::Lang> lang;
    std::string lesson;              ///< --lesson ID
    std::string model;               ///< --model FILE.onnx (GUI and export)
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
    bool json = false;               ///< --json
    bool profile = false;            ///< infer --profile: per-node times of the --bench runs
    std::string example;             ///< train --example spirals|digits
    int epochs = 0;                  ///< train --epochs E
    std::string passes;              ///< --passes a,b,c | -O0..-O3 (infer, export --model)
    bool help = false, version = false, strict = false;
    std::vector<std::string> positional;
};

/// Parses argv; on a bad option returns false and sets `error` to a readable message.
bool parseCli(int argc, char** argv, CliOptions& out, std::string& error);

/// The names of headless subcommands.
bool isHeadlessCommand(const std::string& command);

/// Usage text.
std::string usageText();

/// Runs a headless subcommand (lessons/export need a QGuiApplication; info/infer do not).
int runHeadless(const CliOptions& opt);

/// Parses "name=value" into an override for the given lesson's Lab, checking its spec.
/// Returns "" or the error.
std::string parseOverride(const std::string& text, const std::vector<lessons::ParamSpec>& specs,
                          lessons::ParamSet& into);

} // namespace aisys::app
