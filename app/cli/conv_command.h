// `aisyslab conv` and `aisyslab layout` (engine only): one convolution (or attention) by an
// algorithm with its counts and its errors against the f64 direct reference; one memory
// layout's address map.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "conv". Returns 0, or 2 with a message on stderr for bad input.
int runConv(int argc, char** argv);
const char* convUsage();

/// argv[1] is "layout". Returns 0, or 2 with a message on stderr for bad input.
int runLayout(int argc, char** argv);
const char* layoutUsage();

} // namespace aisys::app::cli
