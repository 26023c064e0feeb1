// The registry of `aisyslab` subcommands: lookup, the help text and where argv names one.
#pragma once

#include "app/cli/subcommand.h"

#include <string>
#include <vector>

namespace aisys::app::cli {

/// Every subcommand, in the order `aisyslab --help` lists them (registry.cpp, one line each).
const std::vector<Subcommand>& subcommands();

/// The subcommand called `name`, or nullptr.
const Subcommand* findSubcommand(const std::string& name);

/// "lessons, export, info, ..." — for messages about an unknown subcommand.
std::string subcommandNames();

/// The whole help: the GUI's options, the list of subcommands, then each one's usage.
std::string usageText();

/// Where argv names a subcommand: the index of its first word that is neither an option nor
/// the value of a common option (`aisyslab --lang zh lessons` → 3), or 0 when there is none.
int subcommandIndex(int argc, char** argv);

/// Runs the subcommand named at argv[at] with argv reordered so that its name is argv[1]
/// (options written before it follow it). Prints the subcommand's usage for --help / -h.
/// An unknown name is reported with the list of subcommands (exit code 2).
int runSubcommand(int argc, char** argv, int at);

} // namespace aisys::app::cli
