// The model subcommands of the engine: `aisyslab info`, `aisyslab infer` and `aisyslab train`.
#pragma once

namespace aisys::app::cli {

/// `aisyslab info MODEL.onnx`: a model's summary (text or --json). Returns the exit code.
int runInfo(int argc, char** argv);
const char* infoUsage();
/// `aisyslab infer MODEL.onnx`: runs a model on given or seeded inputs, writes its outputs as
/// .npy, optionally times and profiles it.
int runInfer(int argc, char** argv);
const char* inferUsage();
/// `aisyslab train`: trains a built-in example (spirals MLP, digits CNN), loss per epoch.
int runTrain(int argc, char** argv);
const char* trainUsage();

} // namespace aisys::app::cli
