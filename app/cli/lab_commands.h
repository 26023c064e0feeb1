// `aisyslab labs`: the built-in Labs a lesson file can name, with their parameters and phases.
#pragma once

namespace aisys::app::cli {

/// `aisyslab labs [ID] [--json]`: every Lab (id, title, phases) or one Lab's parameters (name,
/// type, range or choices, default, label) and phases. Runs no Lab.
int runLabs(int argc, char** argv);
const char* labsUsage();

} // namespace aisys::app::cli
