// One collective run as SVG (see collective_svg.h).
#include "app/cli/collective_svg.h"

#include "engine/dist/units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace aisys::app::cli {

namespace dist = engine::dist;

namespace {

std::string num(const char* f, double v) {
    char b[48];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

/// White → dark blue for utilization 0 … 1.
std::string heat(double u) {
    u = std::clamp(u, 0.0, 1.0);
    const int r = int(std::lround(255 - u * (255 - 31))),
              g = int(std::lround(255 - u * (255 - 80))),
              b = int(std::lround(255 - u * (255 - 160)));
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
    return buf;
}

} // namespace

std::string collectiveSvg(const dist::Topology& t, const dist::CollectiveConfig& cfg,
                          const dist::CollectiveResult& r) {
    // 1. The links that carried data, busiest first (at most 48 rows).
    // 2. Title and summary; a row per link of timeline bins coloured by utilization; the round
    //    ends as ticks on the time axis; the colour scale.
    std::vector<int> links;
    for (int l = 0; l < t.linkCount(); ++l)
        if (r.linkBytes[std::size_t(l)] > 0)
            links.push_back(l);
    std::stable_sort(links.begin(), links.end(), [&](int a, int b) {
        return r.linkBytes[std::size_t(a)] > r.linkBytes[std::size_t(b)];
    });
    const std::size_t hidden = links.size() > 48 ? links.size() - 48 : 0;
    links.resize(std::min<std::size_t>(links.size(), 48));
    const double left = 170, plotW = 760, rowH = 14, top = 84;
    const double height = top + double(links.size()) * rowH + 110, width = left + plotW + 140;
    const int bins = r.timeline.bins;
    const double span = r.timeline.binWidth * bins;
    std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num("%.0f", width) +
                    "\" height=\"" + num("%.0f", height) +
                    "\" font-family=\"DejaVu Sans, sans-serif\">\n"
                    "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    o += "<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">" +
         std::string(dist::opName(cfg.op)) + " · " + dist::algoName(cfg.algo) + " · " +
         std::to_string(t.rankCount()) + " ranks · " + t.name() + " · " +
         dist::formatBytes(double(r.size)) + "</text>\n";
    o += "<text x=\"20\" y=\"54\" font-size=\"13\" fill=\"#444\">time " + dist::formatTime(r.time) +
         " · algbw " + num("%.3g", r.algbw) + " GB/s · busbw " + num("%.3g", r.busbw) + " GB/s · " +
         (r.verified ? "every rank verified" : "WRONG RESULT") +
         (r.closedForm >= 0 ? " · closed form " + dist::formatTime(r.closedForm) : "") +
         "</text>\n";
    o += "<text x=\"20\" y=\"74\" font-size=\"12\" fill=\"#444\">link utilization over time "
         "(busiest first" +
         std::string(hidden ? ", " + std::to_string(hidden) + " more not shown" : "") +
         ")</text>\n";
    for (std::size_t i = 0; i < links.size(); ++i) {
        const int l = links[i];
        const double y = top + double(i) * rowH;
        const dist::Link& k = t.link(l);
        o += "<text x=\"" + num("%.0f", left - 8) + "\" y=\"" + num("%.1f", y + rowH - 3) +
             "\" font-size=\"10\" text-anchor=\"end\" fill=\"#222\">" + t.nodeName(k.from) + " → " +
             t.nodeName(k.to) + "</text>\n";
        for (int b = 0; b < bins; ++b) {
            const double u = r.timeline.utilization(l, b);
            if (u <= 0)
                continue;
            o += "<rect x=\"" + num("%.2f", left + plotW * b / bins) + "\" y=\"" + num("%.1f", y) +
                 "\" width=\"" + num("%.2f", plotW / bins + 0.3) + "\" height=\"" +
                 num("%.0f", rowH - 1) + "\" fill=\"" + heat(u) + "\"/>\n";
        }
        o += "<text x=\"" + num("%.0f", left + plotW + 8) + "\" y=\"" + num("%.1f", y + rowH - 3) +
             "\" font-size=\"10\" fill=\"#444\">" + dist::formatBytes(r.linkBytes[std::size_t(l)]) +
             "</text>\n";
    }
    const double axisY = top + double(links.size()) * rowH + 6;
    o += "<rect x=\"" + num("%.0f", left) + "\" y=\"" + num("%.0f", top) + "\" width=\"" +
         num("%.0f", plotW) + "\" height=\"" + num("%.0f", axisY - 6 - top) +
         "\" fill=\"none\" stroke=\"#bbb\"/>\n";
    o += "<line x1=\"" + num("%.0f", left) + "\" y1=\"" + num("%.0f", axisY) + "\" x2=\"" +
         num("%.0f", left + plotW) + "\" y2=\"" + num("%.0f", axisY) + "\" stroke=\"#444\"/>\n";
    for (double e : r.roundEnd)
        if (span > 0 && e <= span)
            o += "<line x1=\"" + num("%.2f", left + plotW * e / span) + "\" y1=\"" +
                 num("%.0f", axisY) + "\" x2=\"" + num("%.2f", left + plotW * e / span) +
                 "\" y2=\"" + num("%.0f", axisY + 6) + "\" stroke=\"#e45756\"/>\n";
    for (int k = 0; k <= 4; ++k)
        o += "<text x=\"" + num("%.1f", left + plotW * k / 4) + "\" y=\"" +
             num("%.0f", axisY + 20) + "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">" +
             dist::formatTime(span * k / 4) + "</text>\n";
    o += "<text x=\"" + num("%.0f", left) + "\" y=\"" + num("%.0f", axisY + 38) +
         "\" font-size=\"11\" fill=\"#e45756\">red ticks: the end of each round</text>\n";
    const double sx = left + plotW - 200, sy = axisY + 50;
    for (int k = 0; k < 20; ++k)
        o += "<rect x=\"" + num("%.0f", sx + k * 10) + "\" y=\"" + num("%.0f", sy) +
             "\" width=\"10\" height=\"12\" fill=\"" + heat((k + 0.5) / 20) + "\"/>\n";
    o += "<text x=\"" + num("%.0f", sx - 6) + "\" y=\"" + num("%.0f", sy + 10) +
         "\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">utilization 0</text>\n";
    o += "<text x=\"" + num("%.0f", sx + 206) + "\" y=\"" + num("%.0f", sy + 10) +
         "\" font-size=\"11\" fill=\"#444\">1</text>\n";
    return o + "</svg>\n";
}

} // namespace aisys::app::cli
