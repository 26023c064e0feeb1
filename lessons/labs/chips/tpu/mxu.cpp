// MXU configurations on sample layers (through the systolic-array model) and float formats.
#include "lessons/labs/chips/tpu/mxu.h"

#include <cmath>
#include <limits>

namespace aisys::lessons {

namespace sys = engine::systolic;

std::string MxuConfig::label() const {
    return std::to_string(count) + "×" + std::to_string(dim) + "²";
}

std::vector<MxuConfig> tpuStudyConfigs() {
    return {{1, 256}, {4, 128}, {16, 64}};
}

std::int64_t mxuCycles(const sys::Layer& layer, const MxuConfig& cfg) {
    // Work is handed out as (weight fold, slice of M) passes: with s slices every fold's
    // weight tile is loaded s times but each pass streams only ⌈M/s⌉ rows. The passes go
    // round-robin to the arrays, so the layer takes ⌈folds·s / arrays⌉ passes of the model's
    // 2R + C + ⌈M/s⌉ − 2 cycles; the best s in 1…arrays is taken (s = 1 for one array, which
    // is exactly the model's total).
    const auto g = layer.gemmShape();
    std::int64_t best = -1;
    for (std::int64_t s = 1; s <= cfg.count && s <= g.M; ++s) {
        const auto part = sys::Layer::gemm(layer.name, (g.M + s - 1) / s, g.K, g.N);
        const auto r = sys::analyzeLayer(part, {cfg.dim, cfg.dim}, sys::Dataflow::WS);
        const std::int64_t rounds = (r.folds * s + cfg.count - 1) / cfg.count;
        const std::int64_t cycles = rounds * r.cyclesPerFold - 1;
        if (best < 0 || cycles < best)
            best = cycles;
    }
    return best;
}

double mxuUtilization(const sys::Layer& layer, const MxuConfig& cfg) {
    const double macs = static_cast<double>(layer.gemmShape().macs());
    const double pes = double(cfg.count) * cfg.dim * cfg.dim;
    return 100.0 * macs / (double(mxuCycles(layer, cfg)) * pes);
}

std::vector<sys::Layer> mxuSampleLayers(int batch) {
    // Convolutions of ResNet-50's stages (the batch multiplies the ofmap pixels, i.e. M).
    auto conv = [&](const char* name, int hw, int k, int c, int f, int stride) {
        const auto g = sys::Layer::conv(name, hw, hw, k, k, c, f, stride).gemmShape();
        return sys::Layer::gemm(name, g.M * batch, g.K, g.N);
    };
    return {
        conv("conv1 7×7/2", 230, 7, 3, 64, 2),
        conv("res2 3×3", 58, 3, 64, 64, 1),
        conv("res3 3×3", 30, 3, 128, 128, 1),
        conv("res4 3×3", 16, 3, 256, 256, 1),
        conv("res5 3×3", 9, 3, 512, 512, 1),
        conv("res5 1×1", 7, 1, 2048, 512, 1),
        sys::Layer::gemm("fc 2048→1000", batch, 2048, 1000),
        sys::Layer::gemm("MLP 1024²", batch, 1024, 1024),
        sys::Layer::gemm("LSTM gates", batch, 2048, 4096),
    };
}

std::vector<MxuLayerResult> evaluateMxus(int batch) {
    std::vector<MxuLayerResult> out;
    for (const auto& l : mxuSampleLayers(batch)) {
        MxuLayerResult r;
        r.name = l.name;
        r.gemm = l.gemmShape();
        for (const auto& cfg : tpuStudyConfigs()) {
            r.cycles.push_back(mxuCycles(l, cfg));
            r.utilization.push_back(mxuUtilization(l, cfg));
        }
        out.push_back(std::move(r));
    }
    return out;
}

double FloatFormat::maxValue() const {
    return engine::hw::maxFinite(format);
}

double FloatFormat::minNormal() const {
    return engine::hw::minNormal(format);
}

double FloatFormat::epsilon() const {
    return engine::hw::ulpAt(format, 1.0);
}

double FloatFormat::roundTo(double x) const {
    // Round to nearest even through the format's codec (engine/hw/bits): past the largest
    // finite value ±inf; NaN and ±inf pass through.
    if (!std::isfinite(x))
        return x;
    return engine::hw::encode(format, x).value;
}

std::vector<FloatFormat> floatFormats() {
    using engine::hw::BitFormat;
    return {{"FP32", 8, 23, BitFormat::Fp32},
            {"FP16", 5, 10, BitFormat::Fp16},
            {"BF16", 8, 7, BitFormat::Bf16}};
}

} // namespace aisys::lessons
