// SCALE-Sim v2 input files: topology CSV (conv or GEMM form) and the .cfg (INI) file.
#pragma once

#include "engine/hw/systolic/analysis.h"
#include "engine/hw/systolic/layer.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace aisys::engine::systolic {

/// Thrown for malformed input files; what() is "FILE:LINE: what was expected".
struct ParseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Conv form header "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
/// Channels, Num Filter, Strides," (one stride or stride H and W); GEMM form "Layer, M, N, K".
/// The form is detected from the header. Layers whose name contains "DP" (depthwise) are
/// split into one layer per channel with Channels = 1, as SCALE-Sim does. Every layer is
/// validated; errors name FILE:LINE.
std::vector<Layer> parseTopology(const std::string& text, const std::string& fileName);
std::vector<Layer> loadTopology(const std::string& path);

/// The parts of scale.cfg this model uses.
struct ScaleConfig {
    std::string runName = "aisys";
    std::optional<int> arrayHeight, arrayWidth;
    std::optional<Dataflow> dataflow;
    MemoryConfig memory; ///< memory.userBandwidth from [run_presets] InterfaceBandwidth
};
ScaleConfig parseScaleConfig(const std::string& text, const std::string& fileName);
ScaleConfig loadScaleConfig(const std::string& path);

} // namespace aisys::engine::systolic
