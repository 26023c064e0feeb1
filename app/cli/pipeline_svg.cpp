// Pipeline timeline as SVG (see pipeline_svg.h).
#include "app/cli/pipeline_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aisys::app::cli {

namespace dist = engine::dist;

namespace {

std::string fmt(const char* f, double a) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, a);
    return buf;
}

/// 1, 2 or 5 × 10^k: a tick step giving about `n` ticks over `range`.
double niceStep(double range, int n) {
    const double raw = range / n, mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double k : {1.0, 2.0, 5.0})
        if (k * mag >= raw)
            return k * mag;
    return 10 * mag;
}

} // namespace

std::string pipelineSvg(const dist::PipelineSetup& s, const dist::PipelineResult& r) {
    // 1. Geometry: a label column, the timeline, the activation gauges on the right.
    // 2. Title and summary; one row per stage with its boxes; the time axis; the legend.
    const int p = s.stages;
    const double left = 80, timelineW = 820, gaugeX = left + timelineW + 30, gaugeW = 120;
    const double top = 70, rowH = 30, gap = 6;
    const double width = gaugeX + gaugeW + 30, height = top + p * (rowH + gap) + 90;
    const double span = r.makespan > 0 ? r.makespan : 1;
    auto X = [&](double t) { return left + t / span * timelineW; };
    std::string o;
    o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fmt("%.0f", width) +
         "\" height=\"" + fmt("%.0f", height) + "\" viewBox=\"0 0 " + fmt("%.0f", width) + " " +
         fmt("%.0f", height) + "\" font-family=\"DejaVu Sans, sans-serif\">\n";
    o += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    std::string title = std::string("Pipeline schedule ") + dist::pipelineKindName(s.kind) + ": " +
                        std::to_string(p) + " stages, " + std::to_string(s.microBatches) +
                        " micro-batches";
    if (s.kind == dist::PipelineKind::Interleaved)
        title += ", " + std::to_string(s.chunks) + " chunks per device";
    o += "<text x=\"" + fmt("%.0f", left) +
         "\" y=\"28\" font-size=\"18\" font-weight=\"bold\" "
         "fill=\"#222\">" +
         title + "</text>\n";
    o += "<text x=\"" + fmt("%.0f", left) + "\" y=\"52\" font-size=\"14\" fill=\"#444\">makespan " +
         fmt("%.4g", r.makespan) + " · bubble " + fmt("%.1f", 100 * r.bubbleFraction) +
         " % of device time · idle / ideal " + fmt("%.3f", r.bubbleOverIdeal) + "</text>\n";
    const double peakMax =
        std::max(1.0, *std::max_element(r.peakActivations.begin(), r.peakActivations.end()));
    o += "<text x=\"" + fmt("%.0f", gaugeX) + "\" y=\"" + fmt("%.0f", top - 8) +
         "\" font-size=\"12\" fill=\"#444\">peak activations</text>\n";
    for (int st = 0; st < p; ++st) {
        const double y = top + st * (rowH + gap);
        o += "<text x=\"" + fmt("%.0f", left - 10) + "\" y=\"" + fmt("%.1f", y + rowH / 2 + 5) +
             "\" font-size=\"13\" text-anchor=\"end\" fill=\"#222\">stage " + std::to_string(st) +
             "</text>\n";
        o += "<rect x=\"" + fmt("%.1f", left) + "\" y=\"" + fmt("%.1f", y) + "\" width=\"" +
             fmt("%.1f", timelineW) + "\" height=\"" + fmt("%.0f", rowH) +
             "\" fill=\"#f3f3f3\" stroke=\"#ddd\"/>\n";
        // Gauge: this stage's peak in micro-batches of a whole stage's activations.
        const double a = r.peakActivations[std::size_t(st)];
        o += "<rect x=\"" + fmt("%.1f", gaugeX) + "\" y=\"" + fmt("%.1f", y + 4) + "\" width=\"" +
             fmt("%.1f", gaugeW) + "\" height=\"" + fmt("%.0f", rowH - 8) +
             "\" fill=\"#eee\" stroke=\"#bbb\"/>\n";
        o += "<rect x=\"" + fmt("%.1f", gaugeX) + "\" y=\"" + fmt("%.1f", y + 4) + "\" width=\"" +
             fmt("%.1f", gaugeW * a / peakMax) + "\" height=\"" + fmt("%.0f", rowH - 8) +
             "\" fill=\"#b279a2\"/>\n";
        o += "<text x=\"" + fmt("%.1f", gaugeX + gaugeW + 6) + "\" y=\"" +
             fmt("%.1f", y + rowH / 2 + 5) + "\" font-size=\"12\" fill=\"#222\">" + fmt("%.3g", a) +
             "</text>\n";
    }
    for (const dist::PipelineSlot& sl : r.slots) {
        const double y = top + sl.stage * (rowH + gap);
        const char* fill = sl.pass == dist::PipelinePass::Forward     ? "#4c78a8"
                           : sl.pass == dist::PipelinePass::Backward  ? "#54a24b"
                           : sl.pass == dist::PipelinePass::InputGrad ? "#72b7b2"
                                                                      : "#f58518";
        const double x0 = X(sl.start), w = std::max(0.5, X(sl.end) - x0);
        o += "<rect x=\"" + fmt("%.2f", x0) + "\" y=\"" + fmt("%.1f", y) + "\" width=\"" +
             fmt("%.2f", w) + "\" height=\"" + fmt("%.0f", rowH) + "\" fill=\"" + fill +
             "\" fill-opacity=\"" + (sl.chunk % 2 ? "0.6" : "1") +
             "\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n";
        if (w >= 14)
            o += "<text x=\"" + fmt("%.2f", x0 + w / 2) + "\" y=\"" +
                 fmt("%.1f", y + rowH / 2 + 5) +
                 "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#ffffff\">" +
                 std::to_string(sl.micro) + "</text>\n";
    }
    // Time axis.
    const double axisY = top + p * (rowH + gap) + 4, step = niceStep(span, 10);
    o += "<line x1=\"" + fmt("%.1f", left) + "\" y1=\"" + fmt("%.1f", axisY) + "\" x2=\"" +
         fmt("%.1f", left + timelineW) + "\" y2=\"" + fmt("%.1f", axisY) + "\" stroke=\"#444\"/>\n";
    for (double t = 0; t <= span + 1e-9; t += step) {
        o += "<line x1=\"" + fmt("%.2f", X(t)) + "\" y1=\"" + fmt("%.1f", axisY) + "\" x2=\"" +
             fmt("%.2f", X(t)) + "\" y2=\"" + fmt("%.1f", axisY + 5) + "\" stroke=\"#444\"/>\n";
        o += "<text x=\"" + fmt("%.2f", X(t)) + "\" y=\"" + fmt("%.1f", axisY + 18) +
             "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">" + fmt("%g", t) +
             "</text>\n";
    }
    o += "<text x=\"" + fmt("%.1f", left + timelineW) + "\" y=\"" + fmt("%.1f", axisY + 34) +
         "\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">time</text>\n";
    // Legend.
    struct Item {
        const char* fill;
        const char* name;
    };
    std::vector<Item> items{{"#4c78a8", "forward"}};
    if (s.kind == dist::PipelineKind::ZeroBubbleH1) {
        items.push_back({"#72b7b2", "B (input gradient)"});
        items.push_back({"#f58518", "W (weight gradient)"});
    } else {
        items.push_back({"#54a24b", "backward"});
    }
    items.push_back({"#f3f3f3", "idle (bubble)"});
    double lx = left;
    const double ly = axisY + 44;
    for (const Item& it : items) {
        o += "<rect x=\"" + fmt("%.1f", lx) + "\" y=\"" + fmt("%.1f", ly) +
             "\" width=\"14\" height=\"14\" fill=\"" + it.fill + "\" stroke=\"#bbb\"/>\n";
        o += "<text x=\"" + fmt("%.1f", lx + 20) + "\" y=\"" + fmt("%.1f", ly + 12) +
             "\" font-size=\"12\" fill=\"#222\">" + it.name + "</text>\n";
        lx += 40 + 7.0 * double(std::string(it.name).size());
    }
    if (s.chunks > 1)
        o += "<text x=\"" + fmt("%.1f", lx) + "\" y=\"" + fmt("%.1f", ly + 12) +
             "\" font-size=\"12\" fill=\"#222\">lighter: odd model chunks · number: micro-batch"
             "</text>\n";
    else
        o += "<text x=\"" + fmt("%.1f", lx) + "\" y=\"" + fmt("%.1f", ly + 12) +
             "\" font-size=\"12\" fill=\"#222\">number: micro-batch</text>\n";
    o += "</svg>\n";
    return o;
}

} // namespace aisys::app::cli
