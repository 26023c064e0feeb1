// What a subcommand of `aisyslab` is: a name, a one-line summary, its help and its entry point.
#pragma once

namespace aisys::app::cli {

/// What has to exist before a subcommand runs: no Qt application at all, or a QGuiApplication
/// on the offscreen platform (fonts and QPainter for drawing lessons and models).
enum class Needs { NoQt, QtGui };

/// One subcommand; registry.cpp lists them all, one line each.
struct Subcommand {
    const char* name;
    Needs needs;
    /// Entry point: argv[1] is the subcommand's name, its options follow. Returns the exit code.
    int (*run)(int argc, char** argv);
    /// The full help (`aisyslab NAME --help` and `aisyslab --help`).
    const char* (*usage)();
    const char* summary; ///< one line for the list of subcommands
};

} // namespace aisys::app::cli
