#include "engine/hw/interconnect/links.h"

#include <cmath>

namespace aisys::engine::hw::interconnect {

const std::vector<NvlinkGen>& nvlinkGens() {
    static const std::vector<NvlinkGen> all{
        {1, "P100", 4, 20, 20, 8,
         "NVIDIA Tesla P100 whitepaper (WP-08019-001), 'NVLink High Speed Interconnect': four "
         "links, 40 GB/s bidirectional each, 160 GB/s per GPU; 8 lanes at 20 Gb/s per direction"},
        {2, "V100", 6, 25, 25, 8,
         "NVIDIA Tesla V100 whitepaper (WP-08608-001 v1.1), 'Second-Generation NVLink': six links, "
         "25 GB/s per direction each, 300 GB/s per GPU bidirectional"},
        {3, "A100", 12, 25, 50, 4,
         "NVIDIA A100 whitepaper (v1.0), 'Third-Generation NVLink': 12 links of 4 pairs at "
         "50 Gb/s, 25 GB/s per direction each, 600 GB/s per GPU"},
        {4, "H100", 18, 25, 100, 2,
         "NVIDIA H100 whitepaper, 'Fourth-Generation NVLink': 18 links, 900 GB/s per GPU "
         "bidirectional; 2 pairs per link at 100 Gb/s (PAM4)"},
        {5, "B200", 18, 50, 200, 2,
         "NVIDIA Blackwell Architecture Technical Brief, 'Fifth-Generation NVLink': 18 links, "
         "1.8 TB/s per GPU bidirectional"},
    };
    return all;
}

const std::vector<PcieGen>& pcieGens() {
    static const std::vector<PcieGen> all{
        {3, 8, 130, 128, "PCI Express Base Specification 3.0: 8 GT/s, 128b/130b encoding"},
        {4, 16, 130, 128, "PCI Express Base Specification 4.0: 16 GT/s, 128b/130b encoding"},
        {5, 32, 130, 128, "PCI Express Base Specification 5.0: 32 GT/s, 128b/130b encoding"},
    };
    return all;
}

FlitEfficiency nvlinkPacketEfficiency(int payloadBytes) {
    FlitEfficiency f;
    f.payloadBytes = payloadBytes;
    const int maxPayload = (kMaxFlitsPerPacket - 2) * kFlitBytes;
    if (payloadBytes < 1 || payloadBytes > maxPayload) {
        f.error = "payload " + std::to_string(payloadBytes) + " B: an NVLink packet carries 1.." +
                  std::to_string(maxPayload) + " B (16 data flits of 16 B)";
        return f;
    }
    f.dataFlits = (payloadBytes + kFlitBytes - 1) / kFlitBytes;
    f.totalFlits = f.dataFlits + f.headerFlits;
    f.efficiency = double(payloadBytes) / (f.totalFlits * kFlitBytes);
    return f;
}

double nvlinkWireBytes(double bytes) {
    if (!(bytes > 0))
        return 0;
    const double full = std::floor(bytes / 256);
    const double rest = bytes - full * 256;
    double wire = full * 17 * kFlitBytes;
    if (rest > 0)
        wire += (std::ceil(rest / kFlitBytes) + 1) * kFlitBytes;
    return wire;
}

} // namespace aisys::engine::hw::interconnect
