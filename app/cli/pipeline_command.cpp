// `aisyslab pipeline`: options → engine/dist's pipeline simulation → summary, Gantt chart or
// JSON.
#include "app/cli/pipeline_command.h"

#include "app/cli/pipeline_svg.h"
#include "engine/dist/pipeline_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace aisys::app::cli {

namespace dist = engine::dist;

const char* pipelineUsage() {
    return R"(  aisyslab pipeline --schedule gpipe|1f1b|interleaved|zb --stages P --micro M
                    [--chunks V] [--tf T | --tf a,b,...] [--tb T | --tb a,b,...]
                    [--tw T | --tw a,b,...] [--send T] [--json] [--svg FILE]
      Simulates a pipeline-parallel training step: every stage runs its forward (--tf,
      default 1) and backward (--tb, default 2) of each micro-batch in the schedule's order
      as soon as its input is there (GPipe: all forwards, then all backwards; 1F1B: p−s−1
      warm-up forwards, then one forward and one backward in turn; interleaved: 1F1B over V
      model chunks per device (--chunks, M a multiple of P), each chunk 1/V of the stage's
      time; zb: ZB-H1, the backward split into B (input gradient) and W (weight gradient,
      --tw, default half the backward), W held back so the B passes run early). One value
      per stage makes stages unbalanced; --send adds the time to pass an activation or
      gradient on. Prints the makespan, the bubble fraction (balanced GPipe/1F1B
      (p−1)/(m+p−1)), the bubble over the ideal time (interleaved (p−1)/(v·m)), the
      activations each stage holds at its peak (GPipe m, 1F1B min(m, p−s) for stage s from
      0; interleaved in chunk units) and a Gantt chart (digits: forward of that micro-batch
      mod 10, letters a–j: backward or B, A–J: W). --svg FILE draws the timeline.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab pipeline: %s\n", msg.c_str());
    return 2;
}

bool parseInt(const std::string& v, int& out) {
    char* end = nullptr;
    const long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || x < -1000000 || x > 1000000)
        return false;
    out = int(x);
    return true;
}

/// "1.5" or "1,2,0.5" → times; false when a value is not a number ≥ 0.
bool parseTimes(const std::string& v, std::vector<double>& out) {
    out.clear();
    std::size_t at = 0;
    while (at <= v.size()) {
        std::size_t end = v.find(',', at);
        if (end == std::string::npos)
            end = v.size();
        const std::string item = v.substr(at, end - at);
        char* stop = nullptr;
        const double t = std::strtod(item.c_str(), &stop);
        if (item.empty() || *stop != '\0' || !(t >= 0) || !std::isfinite(t))
            return false;
        out.push_back(t);
        at = end + 1;
    }
    return !out.empty();
}

std::string jsonList(const std::vector<int>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

} // namespace

int runPipeline(int argc, char** argv) {
    dist::PipelineSetup s;
    bool json = false, gotSchedule = false;
    std::string svgPath;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (i + 1 >= argc)
            return fail(a.rfind("--", 0) == 0 ? a + " needs a value"
                                              : "unexpected argument '" + a + "'");
        const std::string v = argv[++i];
        if (a == "--schedule") {
            try {
                s.kind = dist::parsePipelineKind(v);
            } catch (const std::exception& e) {
                return fail(e.what());
            }
            gotSchedule = true;
        } else if (a == "--stages" || a == "--micro") {
            int n = 0;
            if (!parseInt(v, n) || n < 1 || n > 4096)
                return fail(a + " '" + v + "': expected a whole number from 1 to 4096");
            (a == "--stages" ? s.stages : s.microBatches) = n;
        } else if (a == "--chunks") {
            int n = 0;
            if (!parseInt(v, n) || n < 1 || n > 64)
                return fail("--chunks '" + v + "': expected a whole number from 1 to 64");
            s.chunks = n;
        } else if (a == "--svg") {
            svgPath = v;
        } else if (a == "--tf" || a == "--tb" || a == "--tw") {
            if (!parseTimes(v, a == "--tf" ? s.forward : a == "--tb" ? s.backward : s.weightGrad))
                return fail(a + " '" + v + "': expected a time ≥ 0 or one per stage, a,b,c");
        } else if (a == "--send") {
            std::vector<double> t;
            if (!parseTimes(v, t) || t.size() != 1)
                return fail("--send '" + v + "': expected one time ≥ 0");
            s.sendTime = t[0];
        } else {
            return fail("unknown option '" + a + "' (see aisyslab pipeline --help)");
        }
    }
    if (!gotSchedule)
        return fail("--schedule gpipe|1f1b|interleaved|zb is required");
    // The simulation scans every stage per pass: keep passes × stages within a second's work.
    const double passes = double(s.stages) * s.microBatches * s.chunks *
                          (s.kind == dist::PipelineKind::ZeroBubbleH1 ? 3 : 2);
    if (passes * s.stages > 2e8)
        return fail("stages × micro-batches × chunks is too large to simulate here (" +
                    std::to_string(std::int64_t(passes)) + " passes on " +
                    std::to_string(s.stages) + " stages); use fewer");
    dist::PipelineResult r;
    try {
        r = dist::simulatePipeline(s);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    // The closed form of the schedule's bubble, when stages are balanced and sends are free.
    auto same = [](const std::vector<double>& v) {
        return std::all_of(v.begin(), v.end(), [&](double x) { return x == v[0]; });
    };
    const bool balanced =
        same(s.forward) && same(s.backward) && same(s.weightGrad) && s.sendTime == 0;
    const int p = s.stages, m = s.microBatches;
    std::string closedName;
    double closed = 0;
    bool closedIsFraction = true;
    if (s.kind == dist::PipelineKind::Interleaved) {
        closedName = "(p-1)/(v*m) of the ideal time";
        closed = dist::interleavedBubbleOverIdeal(p, m, s.chunks);
        closedIsFraction = false;
    } else if (s.kind == dist::PipelineKind::ZeroBubbleH1) {
        const double f = s.forward[0],
                     w = s.weightGrad.empty() ? s.backward[0] / 2 : s.weightGrad[0];
        const double b = s.backward[0] - w;
        closedName = "(p-1)(T_F+T_B-T_W) over the ideal m(T_F+T_B+T_W)";
        closed = dist::zbH1BubbleTime(p, f, b, w) / (m * (f + b + w));
        closedIsFraction = false;
    } else {
        closedName = "(p-1)/(m+p-1)";
        closed = dist::balancedBubbleFraction(p, m);
    }
    if (!svgPath.empty()) {
        std::FILE* f = std::fopen(svgPath.c_str(), "wb");
        if (!f)
            return fail("--svg '" + svgPath + "': cannot write the file");
        const std::string svg = pipelineSvg(s, r);
        const bool ok = std::fwrite(svg.data(), 1, svg.size(), f) == svg.size();
        if (std::fclose(f) != 0 || !ok)
            return fail("--svg '" + svgPath + "': writing failed");
    }
    auto passName = [](dist::PipelinePass ps) {
        switch (ps) {
        case dist::PipelinePass::Forward:
            return "forward";
        case dist::PipelinePass::Backward:
            return "backward";
        case dist::PipelinePass::InputGrad:
            return "input_grad";
        case dist::PipelinePass::WeightGrad:
            return "weight_grad";
        }
        return "?";
    };
    if (json) {
        std::string acts = "[";
        for (std::size_t i = 0; i < r.peakActivations.size(); ++i)
            acts += (i ? ", " : "") + std::to_string(r.peakActivations[i]);
        acts += "]";
        std::printf("{\"schedule\": \"%s\", \"stages\": %d, \"micro_batches\": %d, "
                    "\"chunks\": %d, \"makespan\": %.17g, \"bubble_fraction\": %.17g, "
                    "\"bubble_over_ideal\": %.17g, \"balanced\": %s, \"closed_form\": %.17g, "
                    "\"closed_form_is\": \"%s\", \"peak_in_flight\": %s, "
                    "\"peak_activations\": %s, \"slots\": [",
                    dist::pipelineKindName(s.kind), p, m, s.chunks, r.makespan, r.bubbleFraction,
                    r.bubbleOverIdeal, balanced ? "true" : "false", closed,
                    closedIsFraction ? "bubble_fraction" : "bubble_over_ideal",
                    jsonList(r.peakInFlight).c_str(), acts.c_str());
        for (std::size_t i = 0; i < r.slots.size(); ++i) {
            const auto& sl = r.slots[i];
            std::printf("%s{\"stage\": %d, \"micro\": %d, \"chunk\": %d, \"pass\": \"%s\", "
                        "\"start\": %.17g, \"end\": %.17g}",
                        i ? ", " : "", sl.stage, sl.micro, sl.chunk, passName(sl.pass), sl.start,
                        sl.end);
        }
        std::printf("]}\n");
        return 0;
    }
    std::printf("schedule %s, %d stages, %d micro-batches", dist::pipelineKindName(s.kind), p, m);
    if (s.kind == dist::PipelineKind::Interleaved)
        std::printf(", %d chunks per device", s.chunks);
    std::printf("\n");
    std::printf("makespan          %.4g\n", r.makespan);
    std::printf("bubble fraction   %.4f  (idle share of device time)\n", r.bubbleFraction);
    std::printf("bubble / ideal    %.4f  (idle time over busy time)\n", r.bubbleOverIdeal);
    if (balanced)
        std::printf("closed form       %.4f  (%s)\n", closed, closedName.c_str());
    else
        std::printf("closed form       none: stages unbalanced or sends not free\n");
    std::printf("peak activations  ");
    for (std::size_t st = 0; st < r.peakInFlight.size(); ++st) {
        std::printf("%sstage %zu: %d", st ? ", " : "", st, r.peakInFlight[st]);
        if (s.chunks > 1)
            std::printf(" (%.3g stages)", r.peakActivations[st]);
    }
    std::printf("\n");
    // Gantt chart: at most 100 columns; a column shows what ran at its middle.
    if (r.makespan > 0 && p <= 64) {
        const int cols = int(std::min(100.0, std::max(10.0, std::ceil(r.makespan * 4))));
        const double dt = r.makespan / cols;
        std::printf("\n");
        for (int st = 0; st < p; ++st) {
            std::string row(std::size_t(cols), '.');
            for (const auto& sl : r.slots)
                if (sl.stage == st)
                    for (int c = 0; c < cols; ++c) {
                        const double t = (c + 0.5) * dt;
                        if (t >= sl.start && t < sl.end)
                            row[std::size_t(c)] = sl.pass == dist::PipelinePass::Forward
                                                      ? char('0' + sl.micro % 10)
                                                  : sl.pass == dist::PipelinePass::WeightGrad
                                                      ? char('A' + sl.micro % 10)
                                                      : char('a' + sl.micro % 10);
                    }
            std::printf("stage %-3d |%s|\n", st, row.c_str());
        }
        std::printf("          (digits: forward of micro-batch k mod 10; a-j: its backward%s; "
                    ".: idle)\n",
                    s.kind == dist::PipelineKind::ZeroBubbleH1 ? " B, A-J: its W" : "");
    }
    return 0;
}

} // namespace aisys::app::cli
