// A compute device as the roofline sees it: peak throughput per precision (with the parts it is
// derived from), memory levels with capacity and bandwidth, clock, unit counts, TDP, sources.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::hw {

/// Number formats a device publishes a peak for. `Fp64Tensor` is FP64 on matrix units
/// (A100/H100 Tensor Cores), distinct from FP64 on the vector cores.
enum class Precision { Fp64, Fp64Tensor, Fp32, Tf32, Fp16, Bf16, Fp8, Fp6, Fp4, Int8, Int4 };

/// "fp64", "fp64_tensor", "fp32", "tf32", "fp16", "bf16", "fp8", "fp6", "fp4", "int8", "int4".
const char* precisionName(Precision p);
/// The precision of a name above (also "f32", "f16", "i8" as the engine's dtypes spell them).
std::optional<Precision> precisionByName(const std::string& name);
/// Every precision name, comma-separated, for messages.
std::string precisionNames();
/// Bytes per operand element (fp64 8, fp32/tf32 4, fp16/bf16 2, fp8/int8 1, fp6 0.75, fp4/int4
/// 0.5): TF32 operands live in memory as FP32.
double precisionBytes(Precision p);
/// True for the integer precisions (their peak is in TOPS, not TFLOPS).
bool isInteger(Precision p);

/// One published peak with the parts it is derived from (0 = not given).
struct PeakRate {
    Precision precision = Precision::Fp32;
    double denseTflops = 0;  ///< TFLOPS, or TOPS for integer precisions
    double sparseTflops = 0; ///< with 2:4 structured sparsity; 0 = no sparse mode
    /// FMA (multiply-add) per clock per unit (SM, core, MXU): peak = units × this × 2 × clock.
    double fmaPerUnitClock = 0;
    /// FMA per clock per Tensor Core: peak = units × tensorCoresPerUnit × this × 2 × clock.
    double fmaPerTensorCoreClock = 0;
    double clockGHz = 0; ///< the clock this peak is quoted at, where it is not the device's
    std::string source;  ///< "<source id>: section/table"
    int line = 0;        ///< line of the device file it came from (0 = built in code)
};

/// One level of the memory hierarchy.
struct MemoryLevel {
    std::string name;         ///< "HBM2", "L2", "L1/shared", "registers", "DDR4"
    double capacityBytes = 0; ///< for the whole chip; 0 = not published
    bool perUnit = false; ///< the file gives capacity per unit (SM/core); capacityBytes is ×units
    double bandwidthGBs = 0; ///< GB/s (10⁹ B/s); 0 = not published
    double latencyNs = 0;    ///< 0 = not published
    std::string source;
    int line = 0;
};

/// A cited document: id as the numbers' `source` fields name it, and its full title.
struct SourceRef {
    std::string id;
    std::string title;
};

/// One device of the catalogue (assets/devices/*.toml, or a user's file).
struct Device {
    std::string name;     ///< short name the CLI takes ("A100")
    std::string fullName; ///< "NVIDIA A100 SXM4 40 GB"
    std::string vendor;
    std::string kind; ///< "gpu", "tpu", "npu", "cpu"
    std::string architecture;
    double clockGHz = 0;        ///< the clock the peaks are quoted at (boost for GPUs)
    int units = 0;              ///< SMs, cores or MXUs
    std::string unitName;       ///< "SM", "core", "MXU", "AI core"
    int tensorCoresPerUnit = 0; ///< matrix units per SM (0 = none or not published)
    double tdpW = 0;
    std::string chipSource;          ///< source of clock, units and TDP
    std::vector<PeakRate> peaks;     ///< in the file's order
    std::vector<MemoryLevel> memory; ///< off-chip memory first, then inward
    std::vector<SourceRef> sources;
    std::string notes; ///< corrections and caveats (free text)
    std::string file;  ///< where it was read from ("" = built in)
};

/// The peak of precision `p`, or nullptr when the device publishes none.
const PeakRate* findPeak(const Device& d, Precision p);
/// The memory level named `name` (case-insensitive), or nullptr.
const MemoryLevel* findMemory(const Device& d, const std::string& name);
/// The off-chip memory: the first level (nullptr when the device lists none).
const MemoryLevel* mainMemory(const Device& d);

/// The peak recomputed from its parts in TFLOPS: units × fmaPerUnitClock × 2 × clock, or
/// units × tensorCoresPerUnit × fmaPerTensorCoreClock × 2 × clock; nullopt without parts.
std::optional<double> derivedPeakTflops(const Device& d, const PeakRate& p);
/// The clock a peak is quoted at: its own, else the device's.
double peakClockGHz(const Device& d, const PeakRate& p);

/// One inconsistency of a device: the line of its file (0 = the whole file) and the message.
struct DeviceProblem {
    int line = 0;
    std::string message; ///< what is wrong and what was expected
};

/// Every problem of a device that its file's syntax cannot catch: a derived peak more than
/// `relTol` away from the stated one, a sparse peak that is not 2× dense, a source id that no
/// [[sources]] entry defines.
std::vector<DeviceProblem> checkDevice(const Device& d, double relTol = 0.01);

} // namespace aisys::engine::hw
