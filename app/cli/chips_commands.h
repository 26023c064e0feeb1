// `aisyslab device`, `bits`, `roofline`, `gpu`, `tensorcore` and `link` (engine + device and
// topology files only, no Qt): the device catalogue, number formats bit by bit, operators and
// models on a roofline, GPU execution, Tensor Core tiling and interconnects.
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

/// argv[1] is "gpu": `gpu occupancy|coalesce|latency|simt|warps ...` (GPU execution).
int runGpu(int argc, char** argv);
const char* gpuUsage();

/// argv[1] is "tensorcore": `tensorcore [--gen G] [--gemm M,N,K] ...` (Tensor Core tiling).
int runTensorcore(int argc, char** argv);
const char* tensorcoreUsage();

/// argv[1] is "link": `link --topology T --from A --to B [--bytes N]` (interconnects).
int runLink(int argc, char** argv);
const char* linkUsage();

} // namespace aisys::app::cli
