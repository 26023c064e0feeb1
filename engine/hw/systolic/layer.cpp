// Dataflow names, the array shape check, and conv/GEMM layers with their GEMM dimensions.
#include "engine/hw/systolic/layer.h"

#include <cctype>
#include <stdexcept>

namespace aisys::engine::systolic {

std::optional<Dataflow> parseDataflow(std::string_view text) {
    std::string s;
    for (char ch : text)
        if (!std::isspace(static_cast<unsigned char>(ch)))
            s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    if (s == "ws")
        return Dataflow::WS;
    if (s == "os")
        return Dataflow::OS;
    if (s == "is")
        return Dataflow::IS;
    return std::nullopt;
}

Dataflow dataflowFromString(std::string_view text) {
    if (auto df = parseDataflow(text))
        return *df;
    throw std::invalid_argument("unknown dataflow '" + std::string(text) +
                                "' (expected ws, os or is)");
}

const char* dataflowName(Dataflow df) {
    switch (df) {
    case Dataflow::WS:
        return "ws";
    case Dataflow::OS:
        return "os";
    case Dataflow::IS:
        return "is";
    }
    return "?";
}

void ArrayConfig::validate() const {
    if (rows < 1 || rows > 65536)
        throw std::invalid_argument("array rows must be in 1..65536, got " + std::to_string(rows));
    if (cols < 1 || cols > 65536)
        throw std::invalid_argument("array cols must be in 1..65536, got " + std::to_string(cols));
}

Layer Layer::gemm(std::string name, std::int64_t M, std::int64_t K, std::int64_t N) {
    // SCALE-Sim topology_utils.load_arrays_gemm: entries [m, k, 1, k, 1, n, 1, 1].
    Layer l;
    l.name = std::move(name);
    l.ifmapH = M;
    l.ifmapW = K;
    l.filterH = 1;
    l.filterW = K;
    l.channels = 1;
    l.filters = N;
    l.strideH = l.strideW = 1;
    return l;
}

Layer Layer::conv(std::string name, std::int64_t ifmapH, std::int64_t ifmapW, std::int64_t filterH,
                  std::int64_t filterW, std::int64_t channels, std::int64_t filters,
                  std::int64_t strideH, std::int64_t strideW) {
    Layer l;
    l.name = std::move(name);
    l.ifmapH = ifmapH;
    l.ifmapW = ifmapW;
    l.filterH = filterH;
    l.filterW = filterW;
    l.channels = channels;
    l.filters = filters;
    l.strideH = strideH;
    l.strideW = strideW <= 0 ? strideH : strideW;
    return l;
}

// topology_utils.topo_calc_hyperparams: ofmap = ceil((ifmap − filter + stride) / stride).
std::int64_t Layer::ofmapH() const {
    return (ifmapH - filterH + strideH - 1) / strideH + 1;
}
std::int64_t Layer::ofmapW() const {
    return (ifmapW - filterW + strideW - 1) / strideW + 1;
}

GemmShape Layer::gemmShape() const {
    GemmShape g;
    g.M = ofmapH() * ofmapW();
    g.K = filterH * filterW * channels;
    g.N = filters;
    return g;
}

void Layer::validate() const {
    const std::string who = "layer '" + name + "': ";
    auto positive = [&](std::int64_t v, const char* field) {
        if (v <= 0)
            throw std::invalid_argument(who + field + " must be > 0, got " + std::to_string(v));
    };
    positive(ifmapH, "IFMAP height");
    positive(ifmapW, "IFMAP width");
    positive(filterH, "filter height");
    positive(filterW, "filter width");
    positive(channels, "channels");
    positive(filters, "number of filters");
    positive(strideH, "stride height");
    positive(strideW, "stride width");
    if (filterH > ifmapH)
        throw std::invalid_argument(who + "filter height " + std::to_string(filterH) +
                                    " is larger than IFMAP height " + std::to_string(ifmapH));
    if (filterW > ifmapW)
        throw std::invalid_argument(who + "filter width " + std::to_string(filterW) +
                                    " is larger than IFMAP width " + std::to_string(ifmapW));
    const GemmShape g = gemmShape();
    // Keep every product the model forms inside int64 (M·K·N and addresses).
    const double macs = double(g.M) * double(g.K) * double(g.N);
    if (macs > 9.0e18 || double(ifmapH) * double(ifmapW) * double(channels) > 1.0e15)
        throw std::invalid_argument(who + "sizes too large (M·K·N overflows 64 bits)");
}

SpatioTemporal spatioTemporal(const GemmShape& g, Dataflow df) {
    switch (df) {
    case Dataflow::WS:
        return {g.K, g.N, g.M};
    case Dataflow::OS:
        return {g.M, g.N, g.K};
    case Dataflow::IS:
        return {g.K, g.M, g.N};
    }
    return {};
}

} // namespace aisys::engine::systolic
