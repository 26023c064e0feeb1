// GPU interconnect facts: NVLink generations (links per GPU, bandwidth per link and per GPU),
// PCIe generations (transfer rate, encoding, x16 bandwidth) and NVLink's packet efficiency from
// its flit and header sizes.
#pragma once

#include <string>
#include <vector>

namespace aisys::engine::hw::interconnect {

/// One NVLink generation as one GPU carries it. Bandwidths are per direction unless named
/// "bidirectional" (NVIDIA quotes per-GPU totals bidirectionally: V100 300 GB/s = 6 × 25 × 2).
struct NvlinkGen {
    int generation = 1;
    std::string gpu; ///< the GPU that introduced it
    int linksPerGpu = 0;
    double linkGBsPerDirection = 0;
    double signalingGbps = 0;  ///< per differential pair
    int pairsPerDirection = 0; ///< lanes (differential pairs) per link per direction
    std::string source;
    double linkGBsBidirectional() const { return 2 * linkGBsPerDirection; }
    double gpuGBsPerDirection() const { return linksPerGpu * linkGBsPerDirection; }
    double gpuGBsBidirectional() const { return 2 * gpuGBsPerDirection(); }
};
const std::vector<NvlinkGen>& nvlinkGens();

/// One PCIe generation: GT/s per lane and the line encoding's payload fraction.
struct PcieGen {
    int generation = 3;
    double gtPerSecond = 8; ///< transfers per second per lane (10⁹)
    int encodedBits = 130;  ///< 128b/130b: 130 bits on the wire per 128 payload bits
    int payloadBits = 128;
    std::string source;
    /// GB/s per direction for `lanes` lanes: GT/s × payload / encoded / 8 × lanes.
    double GBsPerDirection(int lanes = 16) const {
        return gtPerSecond * payloadBits / encodedBits / 8.0 * lanes;
    }
};
const std::vector<PcieGen>& pcieGens();

/// NVLink 1.0 packets: 128-bit (16-byte) flits, one header flit, 1..18 flits per packet
/// (payload up to 256 B = 16 data flits). Efficiency = data flits / all flits.
struct FlitEfficiency {
    std::string error;
    int payloadBytes = 0;
    int dataFlits = 0;
    int headerFlits = 1;
    int totalFlits = 0;
    double efficiency = 0;
};
constexpr int kFlitBytes = 16;
constexpr int kMaxFlitsPerPacket = 18;
/// One packet carrying `payloadBytes` (1..256): 256 B → 16/17 = 94.12 %, 64 B → 4/5 = 80 %.
FlitEfficiency nvlinkPacketEfficiency(int payloadBytes);
/// A transfer of `bytes` as 256-byte packets plus one packet for the rest: bytes on the wire.
double nvlinkWireBytes(double bytes);

} // namespace aisys::engine::hw::interconnect
