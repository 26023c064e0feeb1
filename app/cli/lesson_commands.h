// The subcommands that load lessons and draw: `aisyslab lessons` and `aisyslab export`.
#pragma once

#include "lessons/params.h"

#include <string>
#include <vector>

namespace aisys::app::cli {

/// `aisyslab lessons [--check] [--strict]`: lists the lessons from their files without running
/// any Lab; --check also dry-runs every lesson (frames per lesson, parameter errors).
int runLessons(int argc, char** argv);
const char* lessonsUsage();

/// `aisyslab export (--lesson ID | --model FILE.onnx) ...`: runs that one lesson (or model)
/// and writes the asked-for steps as SVG, PDF or PNG.
int runExport(int argc, char** argv);
const char* exportUsage();

/// Parses "name=value" into an override for a Lab with parameters `specs`. Returns "" or the
/// error.
std::string parseOverride(const std::string& text, const std::vector<lessons::ParamSpec>& specs,
                          lessons::ParamSet& into);

} // namespace aisys::app::cli
