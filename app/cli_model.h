// The model subcommands: `aisyslab info MODEL.onnx` and `aisyslab infer MODEL.onnx`.
#pragma once

#include "app/cli.h"

namespace aisys::app {

/// Prints a model's summary (text or --json). Returns the exit code.
int runModelInfo(const CliOptions& opt);
/// Runs a model on given or seeded inputs, writes outputs as .npy, optionally times it.
int runModelInfer(const CliOptions& opt);
/// Trains a built-in example (spirals MLP, digits CNN) and prints the loss per epoch.
int runTrain(const CliOptions& opt);

} // namespace aisys::app
