// `aisyslab device`, `aisyslab bits` and `aisyslab roofline` (engine + device files only, no
// Qt): the device catalogue, number formats bit by bit, operators and models on a roofline.
#pragma once

namespace aisys::app::cli {

/// argv[1] is "device": `device list|show NAME|check FILE.toml [--devices DIR] [--json]`.
int runDevice(int argc, char** argv);
const char* deviceUsage();

/// argv[1] is "bits": `bits --format F (--value V | --bits CODE) [--json]`.
int runBits(int argc, char** argv);
const char* bitsUsage();

/// argv[1] is "roofline": `roofline --device NAME [--model M.onnx | --op KIND:ARGS] ...`.
int runRoofline(int argc, char** argv);
const char* rooflineUsage();

} // namespace aisys::app::cli
