// Lab "quantization", QDQ frame: a small CNN quantized by engine::compress::insertQdq with the
// Lab's settings, its per-tensor error report and its agreement with the float model.
#include "engine/models/zoo.h"
#include "engine/train/datasets.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/inference/quantization/quantization_lab.h"

namespace aisys::lessons {

using namespace aisys::engine::compress;

QdqExample makeQdqExample(const QuantSpec& spec, std::uint32_t seed) {
    // The two-conv digits CNN (seeded Glorot weights) on seeded seven-segment digits: 4 batches
    // of 20 calibrate, 4 other batches measure the agreement.
    QdqExample e;
    const engine::Graph reference = engine::models::twoConvDigitNet(20, seed).graph;
    e.reference = reference;
    e.quantized = reference;
    const engine::train::Dataset calib = engine::train::sevenSegmentDigits(8, 12, seed + 5);
    const engine::train::Dataset eval = engine::train::sevenSegmentDigits(8, 12, seed + 6);
    auto feeds = [](const engine::train::Dataset& d) {
        std::vector<Feed> out;
        for (std::int64_t first = 0; first + 20 <= d.labels.numel(); first += 20) {
            const engine::train::Dataset b = engine::train::batchOf(d, first, 20);
            out.push_back({{"x", b.x}, {"onehot", engine::train::oneHot(b.labels, b.classes)}});
        }
        return out;
    };
    QdqOptions opt;
    opt.bits = spec.bits;
    opt.weightPerChannel = spec.perChannel;
    opt.activationScheme = spec.scheme;
    opt.activationCalibration = spec.calibration;
    opt.percentile = spec.percentile;
    e.report = insertQdq(e.quantized, feeds(calib), opt);
    e.agreement = compareOutputs(e.reference, e.quantized, feeds(eval), "logits");
    return e;
}

void drawQdq(viz::Scene& s, const QdqExample& e, Lang L, const viz::Palette& pal) {
    using namespace viz;
    DisplayList& dl = s.list;
    // 1. The rewritten graph as a list of its nodes in order (QDQ nodes coloured).
    float y = 70;
    dl.text({40, y - 24}, tr2(L, "Graph after QDQ insertion", "插入 QDQ 之后的图"), pal.foreground,
            13)
        .bold = true;
    for (int n : e.quantized.topoOrder()) {
        const engine::Node& node = e.quantized.nodes[static_cast<std::size_t>(n)];
        if (node.op == "LogSoftmax" || node.op == "Mul" || node.op == "ReduceSum" ||
            node.op == "Neg" || node.op == "ReduceMean")
            continue; // the training loss is not part of the picture
        const bool q = node.op == "QuantizeLinear", dq = node.op == "DequantizeLinear";
        const Color c = q ? pal.accent2 : dq ? pal.accent : pal.panel;
        dl.box({40, y, 300, 20}, q || dq ? c.withAlpha(0.25f) : c, q || dq ? c : pal.panelBorder, 3,
               1);
        dl.text({48, y + 10}, node.op, pal.foreground, 11, HAlign::Left, VAlign::Middle).bold =
            !(q || dq);
        dl.text({332, y + 10}, e.quantized.values[node.outputs[0]].name, pal.muted, 10,
                HAlign::Right, VAlign::Middle);
        y += 24;
    }
    // 2. Per-tensor error report.
    const float tx = 390;
    float ty = 70;
    const float cols[] = {tx, tx + 150, tx + 240, tx + 360, tx + 460, tx + 560, tx + 650};
    const char* en[] = {"tensor", "kind", "scale", "max |err|", "MSE", "SQNR", "clipped"};
    const char* zh[] = {"张量", "类型", "缩放因子", "最大误差", "MSE", "SQNR", "截断"};
    for (int k = 0; k < 7; ++k)
        dl.text({cols[k], ty - 24}, L == Lang::Zh ? zh[k] : en[k], pal.foreground, 12).bold = true;
    for (const QdqTensorReport& t : e.report.tensors) {
        const std::string scale =
            t.params.size() == 1
                ? fmtSci(t.params[0].scale, 2) + ", z " + std::to_string(t.params[0].zeroPoint)
                : std::to_string(t.params.size()) + tr2(L, " channels", " 个通道");
        const std::string v[] = {t.value,
                                 t.weight ? tr2(L, "weight", "权重") : tr2(L, "activation", "激活"),
                                 scale,
                                 fmtSci(t.error.maxAbs, 2),
                                 fmtSci(t.error.mse, 2),
                                 fmtNum(t.error.sqnrDb, 1) + " dB",
                                 fmtNum(100 * t.error.clipRate, 2) + " %"};
        for (int k = 0; k < 7; ++k)
            dl.text({cols[k], ty}, v[k], k == 1 && t.weight ? pal.accent : pal.foreground, 12);
        ty += 19;
    }
    // 3. Output agreement with the float model on other inputs.
    ty += 20;
    dl.text({tx, ty},
            tr2(L, "Logits against the float model (80 other digits):",
                "与浮点模型的 logits 对比（另外 80 个数字）："),
            pal.foreground, 13)
        .bold = true;
    ty += 24;
    auto row = [&](const std::string& k, const std::string& v) {
        dl.text({tx, ty}, k, pal.muted, 12);
        dl.text({tx + 240, ty}, v, pal.foreground, 12).bold = true;
        ty += 20;
    };
    row(tr2(L, "top-1 agreement", "top-1 一致率"), fmtNum(100 * e.agreement.top1, 1) + " %");
    row(tr2(L, "max |difference|", "最大绝对差"), fmtSci(e.agreement.maxDiff, 2));
    row(tr2(L, "SQNR of the logits", "logits 的 SQNR"),
        fmtNum(e.agreement.error.sqnrDb, 1) + " dB");
    row(tr2(L, "Quantize / Dequantize nodes", "Quantize / Dequantize 节点"),
        std::to_string(e.report.quantizeNodes) + " / " + std::to_string(e.report.dequantizeNodes));
    s.caption = tr2(L, "Post-training quantization of a whole CNN: QDQ nodes, errors, agreement",
                    "整个 CNN 的训练后量化：QDQ 节点、误差与一致率");
    s.legend = {{pal.accent2, "QuantizeLinear"}, {pal.accent, "DequantizeLinear"}};
}

} // namespace aisys::lessons
