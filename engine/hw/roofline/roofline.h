// The roofline of one device, precision and memory level: attainable = min(peak, AI × BW), the
// ridge point, memory- or compute-bound, and the time estimate of an operator on it.
#pragma once

#include "engine/hw/roofline/device.h"

#include <string>

namespace aisys::engine::hw {

/// One roof: a peak (FLOP/s) over one memory level's bandwidth (B/s).
struct Roof {
    std::string device, memory;
    Precision precision = Precision::Fp32;
    double peakTflops = 0;
    double bandwidthGBs = 0;
    /// Ridge point AI* = peak / bandwidth in FLOP per byte.
    double ridge() const { return peakTflops * 1e12 / (bandwidthGBs * 1e9); }
    /// Attainable TFLOPS at intensity `ai` (FLOP/byte): min(peak, ai × bandwidth).
    double attainableTflops(double ai) const;
};

/// A roof or why there is none ("A100 publishes no fp6 peak (it has: ...)").
struct RoofResult {
    Roof roof;
    std::string error;
    bool ok() const { return error.empty(); }
};

/// The roof of device `d` at precision `p` over memory level `memory` ("" = the off-chip
/// memory, the first level). The dense peak is used.
RoofResult makeRoof(const Device& d, Precision p, const std::string& memory = "");

/// An operator (FLOPs and bytes) placed on a roof.
struct RooflinePoint {
    double flops = 0, bytes = 0;
    double intensity = 0;        ///< FLOP/byte
    double attainableTflops = 0; ///< min(peak, intensity × bandwidth)
    double computeSeconds = 0;   ///< flops / peak
    double memorySeconds = 0;    ///< bytes / bandwidth
    double seconds = 0;          ///< max of the two: compute and transfer fully overlapped
    bool memoryBound = false;  ///< intensity < ridge (equivalently memorySeconds > computeSeconds)
    double fractionOfPeak = 0; ///< attainable / peak
};

/// Places `flops` over `bytes` on `roof`. With bytes = 0 the point is compute-bound.
RooflinePoint placeOnRoof(const Roof& roof, double flops, double bytes);

} // namespace aisys::engine::hw
