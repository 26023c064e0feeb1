// Sliding-window geometry: explicit pads, auto_pad (SAME_UPPER/SAME_LOWER/VALID), ceil_mode.
#include "engine/ops/window_geometry.h"

#include "engine/ops/op_kit.h"

namespace aisys::engine::ops {

std::int64_t WindowGeometry::outCount() const {
    std::int64_t n = 1;
    for (auto d : out)
        n *= d;
    return n;
}

std::int64_t WindowGeometry::kernelCount() const {
    std::int64_t n = 1;
    for (auto d : kernel)
        n *= d;
    return n;
}

std::vector<std::int64_t> spatialDims(const Shape& s, const char* what) {
    if (s.size() < 3)
        fail(std::string(what) + ": expected rank >= 3 (N, C, spatial...), got " +
             shapeToString(s));
    return {s.begin() + 2, s.end()};
}

WindowGeometry windowGeometry(const Node& n, const std::vector<std::int64_t>& inSpatial,
                              const std::vector<std::int64_t>& kernel) {
    // 1. Read kernel, strides and dilations (defaults 1) and check their lengths.
    // 2. auto_pad SAME_*: output = ceil(in / stride), total pad split between the ends (the
    //    odd one at the end for SAME_UPPER, at the start for SAME_LOWER); VALID: no padding.
    // 3. Otherwise explicit pads and out = floor or ceil((in + pads - effective kernel) /
    //    stride) + 1; with ceil_mode a window must start inside the input or its begin pad.
    const std::size_t r = inSpatial.size();
    WindowGeometry g;
    g.in = inSpatial;
    g.kernel = hasAttr(n, "kernel_shape") ? attrInts(n, "kernel_shape") : kernel;
    g.stride = attrInts(n, "strides", std::vector<std::int64_t>(r, 1));
    g.dilation = attrInts(n, "dilations", std::vector<std::int64_t>(r, 1));
    std::vector<std::int64_t> pads = attrInts(n, "pads", std::vector<std::int64_t>(2 * r, 0));
    if (g.kernel.size() != r || g.stride.size() != r || g.dilation.size() != r ||
        pads.size() != 2 * r)
        fail("kernel_shape/strides/dilations need " + std::to_string(r) + " values and pads " +
             std::to_string(2 * r) + " for " + std::to_string(r) + " spatial dims");
    for (std::size_t i = 0; i < r; ++i)
        if (g.kernel[i] <= 0 || g.stride[i] <= 0 || g.dilation[i] <= 0)
            fail("kernel_shape, strides and dilations must be positive");
    // A weight's kernel and the attribute must agree (the kernels index the weight with it).
    if (!kernel.empty())
        for (std::size_t i = 0; i < r && i < kernel.size(); ++i)
            if (kernel[i] >= 0 && g.kernel[i] != kernel[i])
                fail("attribute 'kernel_shape' " + shapeToString(g.kernel) +
                     " does not match the weight's spatial shape " + shapeToString(kernel));
    const std::string autoPad = attrString(n, "auto_pad", "NOTSET");
    const bool ceilMode = attrInt(n, "ceil_mode", 0) != 0;
    g.padBegin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(r));
    g.padEnd.assign(pads.begin() + static_cast<std::ptrdiff_t>(r), pads.end());
    g.out.assign(r, -1);
    for (std::size_t i = 0; i < r; ++i) {
        const std::int64_t eff = (g.kernel[i] - 1) * g.dilation[i] + 1;
        const std::int64_t in = g.in[i];
        if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
            if (in < 0)
                continue;
            g.out[i] = (in + g.stride[i] - 1) / g.stride[i];
            const std::int64_t total =
                std::max<std::int64_t>(0, (g.out[i] - 1) * g.stride[i] + eff - in);
            g.padBegin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            g.padEnd[i] = total - g.padBegin[i];
            continue;
        }
        if (autoPad == "VALID") {
            g.padBegin[i] = g.padEnd[i] = 0;
        } else if (autoPad != "NOTSET") {
            fail("auto_pad: expected NOTSET, SAME_UPPER, SAME_LOWER or VALID, got " + autoPad);
        }
        if (in < 0)
            continue;
        const std::int64_t span = in + g.padBegin[i] + g.padEnd[i] - eff;
        if (span < 0)
            fail("kernel (effective size " + std::to_string(eff) + ") is larger than the padded " +
                 "input (" + std::to_string(in + g.padBegin[i] + g.padEnd[i]) + ")");
        if (ceilMode) {
            g.out[i] = (span + g.stride[i] - 1) / g.stride[i] + 1;
            if ((g.out[i] - 1) * g.stride[i] >= in + g.padBegin[i])
                --g.out[i];
        } else {
            g.out[i] = span / g.stride[i] + 1;
        }
    }
    return g;
}

} // namespace aisys::engine::ops
