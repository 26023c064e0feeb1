// Roofline arithmetic: ridge, attainable performance and per-operator times.
#include "engine/hw/roofline/roofline.h"

#include <algorithm>

namespace aisys::engine::hw {

double Roof::attainableTflops(double ai) const {
    return std::min(peakTflops, ai * bandwidthGBs * 1e9 / 1e12);
}

RoofResult makeRoof(const Device& d, Precision p, const std::string& memory) {
    RoofResult r;
    const PeakRate* peak = findPeak(d, p);
    if (!peak || peak->denseTflops <= 0) {
        std::string have;
        for (const PeakRate& q : d.peaks)
            have += (have.empty() ? "" : ", ") + std::string(precisionName(q.precision));
        r.error = d.name + " publishes no " + precisionName(p) +
                  " peak (it has: " + (have.empty() ? "none" : have) + ")";
        return r;
    }
    const MemoryLevel* m = memory.empty() ? mainMemory(d) : findMemory(d, memory);
    if (!m || m->bandwidthGBs <= 0) {
        std::string have;
        for (const MemoryLevel& q : d.memory)
            if (q.bandwidthGBs > 0)
                have += (have.empty() ? "" : ", ") + q.name;
        if (have.empty())
            r.error = d.name + " publishes no memory bandwidth (expected a [[memory]] level with "
                               "bandwidth_gbs: add one in a device file of your own)";
        else
            r.error = d.name + ": " +
                      (memory.empty() ? std::string("no memory level")
                                      : "no memory level '" + memory + "'") +
                      " with a published bandwidth (expected one of: " + have + ")";
        return r;
    }
    r.roof.device = d.name;
    r.roof.memory = m->name;
    r.roof.precision = p;
    r.roof.peakTflops = peak->denseTflops;
    r.roof.bandwidthGBs = m->bandwidthGBs;
    return r;
}

RooflinePoint placeOnRoof(const Roof& roof, double flops, double bytes) {
    // 1. Intensity = FLOPs / bytes. 2. Compute time = FLOPs / peak, transfer time = bytes / BW.
    // 3. With both overlapped the op takes the longer; its rate flops / time is then exactly
    //    min(peak, AI × BW), the roof at its intensity.
    RooflinePoint pt;
    pt.flops = flops;
    pt.bytes = bytes;
    pt.computeSeconds = flops / (roof.peakTflops * 1e12);
    pt.memorySeconds = bytes / (roof.bandwidthGBs * 1e9);
    pt.seconds = std::max(pt.computeSeconds, pt.memorySeconds);
    pt.memoryBound = pt.memorySeconds > pt.computeSeconds;
    if (bytes > 0) {
        pt.intensity = flops / bytes;
        pt.attainableTflops = roof.attainableTflops(pt.intensity);
    } else {
        pt.attainableTflops = roof.peakTflops;
    }
    pt.fractionOfPeak = pt.attainableTflops / roof.peakTflops;
    return pt;
}

} // namespace aisys::engine::hw
