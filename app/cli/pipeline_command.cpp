// `aisyslab pipeline`: options → engine/dist's pipeline simulation → summary, Gantt chart or
// JSON.
#include "app/cli/pipeline_command.h"

#include "engine/dist/pipeline_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace aisys::app::cli {

namespace dist = engine::dist;

const char* pipelineUsage() {
    return R"(  aisyslab pipeline --schedule gpipe|1f1b --stages P --micro M [--tf T | --tf a,b,...]
                    [--tb T | --tb a,b,...] [--send T] [--json]
      Simulates a pipeline-parallel training step: every stage runs its forward (--tf,
      default 1) and backward (--tb, default 2) of each micro-batch in the schedule's order
      as soon as its input is there (GPipe: all forwards, then all backwards; 1F1B: p−s−1
      warm-up forwards, then one forward and one backward in turn). One value per stage
      makes stages unbalanced; --send adds the time to pass an activation or gradient on.
      Prints the makespan, the bubble fraction (balanced: (p−1)/(m+p−1)), the activations
      each stage holds at its peak (GPipe m, 1F1B min(m, p−s) for stage s from 0) and a
      Gantt chart (digits: forward of that micro-batch mod 10, letters a–j: backward).
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
        } else if (a == "--tf" || a == "--tb") {
            if (!parseTimes(v, a == "--tf" ? s.forward : s.backward))
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
        return fail("--schedule gpipe|1f1b is required");
    dist::PipelineResult r;
    try {
        r = dist::simulatePipeline(s);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    const double closed = dist::balancedBubbleFraction(s.stages, s.microBatches);
    if (json) {
        std::printf("{\"schedule\": \"%s\", \"stages\": %d, \"micro_batches\": %d, "
                    "\"makespan\": %.17g, \"bubble_fraction\": %.17g, "
                    "\"balanced_bubble_fraction\": %.17g, \"peak_in_flight\": %s, \"slots\": [",
                    dist::pipelineKindName(s.kind), s.stages, s.microBatches, r.makespan,
                    r.bubbleFraction, closed, jsonList(r.peakInFlight).c_str());
        for (std::size_t i = 0; i < r.slots.size(); ++i) {
            const auto& sl = r.slots[i];
            std::printf("%s{\"stage\": %d, \"micro\": %d, \"pass\": \"%s\", \"start\": %.17g, "
                        "\"end\": %.17g}",
                        i ? ", " : "", sl.stage, sl.micro, sl.backward ? "backward" : "forward",
                        sl.start, sl.end);
        }
        std::printf("]}\n");
        return 0;
    }
    std::printf("schedule %s, %d stages, %d micro-batches\n", dist::pipelineKindName(s.kind),
                s.stages, s.microBatches);
    std::printf("makespan          %.4g\n", r.makespan);
    std::printf("bubble fraction   %.4f  (balanced closed form (p-1)/(m+p-1) = %.4f)\n",
                r.bubbleFraction, closed);
    std::printf("peak activations  ");
    for (std::size_t st = 0; st < r.peakInFlight.size(); ++st)
        std::printf("%sstage %zu: %d", st ? ", " : "", st, r.peakInFlight[st]);
    std::printf("\n");
    // Gantt chart: at most 100 columns; a column shows what ran at its middle.
    if (r.makespan > 0 && s.stages <= 64) {
        const int cols = int(std::min(100.0, std::max(10.0, std::ceil(r.makespan * 4))));
        const double dt = r.makespan / cols;
        std::printf("\n");
        for (int st = 0; st < s.stages; ++st) {
            std::string row(std::size_t(cols), '.');
            for (const auto& sl : r.slots)
                if (sl.stage == st)
                    for (int c = 0; c < cols; ++c) {
                        const double t = (c + 0.5) * dt;
                        if (t >= sl.start && t < sl.end)
                            row[std::size_t(c)] =
                                sl.backward ? char('a' + sl.micro % 10) : char('0' + sl.micro % 10);
                    }
            std::printf("stage %-3d |%s|\n", st, row.c_str());
        }
        std::printf("          (digits: forward of micro-batch k mod 10; a-j: its backward; "
                    ".: idle)\n");
    }
    return 0;
}

} // namespace aisys::app::cli
