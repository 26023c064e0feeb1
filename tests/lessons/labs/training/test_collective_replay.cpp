// The collective-replay Lab and the mpi-replay lesson: the numbers the steps state are the
// picture's (read from the committed traces), the exercise's answer re-run, bad input refused.
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

bool has(const aisys::viz::Scene& s, const std::string& want) {
    return textOf(s).find(want) != std::string::npos;
}

/// The number after `key` in the picture's text, or −1.
double numberAfter(const aisys::viz::Scene& s, const std::string& key) {
    const std::string t = textOf(s);
    const auto p = t.find(key);
    return p == std::string::npos ? -1 : std::atof(t.c_str() + p + key.size());
}

std::string runError(const ParamSet& p) {
    try {
        runLab("collective-replay", p);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "<no error>";
}

const std::string kTraces =
    std::string(AISYS_SOURCE_DIR) + "/assets/lessons/training/collectives/traces/";

} // namespace

TEST(CollectiveReplay, EveryFrameDraws) {
    expectEveryFrameDraws({"mpi-replay"});
}

TEST(CollectiveReplay, OverviewNumbersAreTheTraces) {
    // Step 1: ring, median iteration 3 of 5: measured 801.7 µs, simulated 183.2 µs, 4.38×,
    // ping-pong α = 1.65 µs, β = 9.08 GB/s.
    const auto s = stepScene("mpi-replay", 0, Lang::En);
    EXPECT_TRUE(has(s, "iteration 3 (median of 5)")) << textOf(s);
    EXPECT_TRUE(has(s, "measured 801.7 µs"));
    EXPECT_TRUE(has(s, "simulated 183.2 µs"));
    EXPECT_TRUE(has(s, "measured / simulated = 4.38×"));
    EXPECT_TRUE(has(s, "α = 1.65 µs, β = 9.08 GB/s"));
    const auto zh = stepScene("mpi-replay", 0, Lang::Zh);
    EXPECT_TRUE(has(zh, "实测 801.7 µs")) << textOf(zh);
    EXPECT_TRUE(has(zh, "实测 / 模拟 = 4.38×"));
}

TEST(CollectiveReplay, StepZeroAndSummary) {
    const auto s = stepScene("mpi-replay", 1, Lang::En);
    EXPECT_TRUE(has(s, "Step 0: largest message 256.0 KiB")) << textOf(s);
    EXPECT_TRUE(has(s, "step took 134.1 µs"));
    EXPECT_TRUE(has(s, "step took 30.53 µs"));
    // Summary: six steps of 256 KiB, measured 125.0–136.7 µs, ratios 4.09–4.48.
    const auto sum = stepScene("mpi-replay", 2, Lang::En);
    const auto lines = linesOf(sum);
    int steps = 0;
    double lo = 1e9, hi = 0;
    for (std::size_t i = 0; i + 4 < lines.size(); ++i)
        if (lines[i + 1] == "256.0 KiB" && lines[i + 3] == "30.53 µs") {
            ++steps;
            const double m = std::atof(lines[i + 2].c_str()), r = std::atof(lines[i + 4].c_str());
            EXPECT_GE(m, 125.0);
            EXPECT_LE(m, 137.0);
            lo = std::min(lo, r);
            hi = std::max(hi, r);
        }
    EXPECT_EQ(steps, 6) << textOf(sum);
    EXPECT_DOUBLE_EQ(lo, 4.09);
    EXPECT_DOUBLE_EQ(hi, 4.48);
}

TEST(CollectiveReplay, HalvingDoublingStep) {
    const auto s = stepScene("mpi-replay", 3, Lang::En);
    EXPECT_TRUE(has(s, "rabenseifner")) << textOf(s);
    EXPECT_TRUE(has(s, "measured 719.2 µs"));
    EXPECT_TRUE(has(s, "simulated 108.4 µs"));
    EXPECT_TRUE(has(s, "α = 1.69 µs, β = 15.48 GB/s"));
}

TEST(CollectiveReplay, ExerciseBetaThatMatchesTheMeasuredTotal) {
    // Manual links, α = 1.65 µs: β ≈ 1.99 GB/s makes the simulated total the measured 801.7 µs.
    ParamSet over;
    over.set("link", std::string("manual"));
    over.set("alpha", 1.65);
    over.set("bandwidth", 1.99);
    const auto s = stepScene("mpi-replay", 0, Lang::En, over);
    const double sim = numberAfter(s, "simulated ");
    EXPECT_NEAR(sim, 801.7, 801.7 * 0.005) << textOf(s);
    EXPECT_TRUE(has(s, "(set by hand)"));
    // And the ping-pong β is about five times larger: 9.08 / 1.99 = 4.6.
    over.set("bandwidth", 9.08);
    EXPECT_NEAR(numberAfter(stepScene("mpi-replay", 0, Lang::En, over), "simulated "), 183.2, 0.2);
}

TEST(CollectiveReplay, BadInput) {
    EXPECT_EQ(runError({}), "no trace file: set the 'trace' parameter to a file written by "
                            "`mpirun -np P aisyslab-mpi ... --trace FILE`");
    ParamSet p;
    p.set("trace", kTraces + "ring-4ranks-1MiB.trace");
    p.set("iteration", std::int64_t{5});
    EXPECT_EQ(runError(p), "iteration 5: the trace has 5 (0..4, or −1 for the median)");
    p.set("trace", kTraces + "no-such.trace");
    EXPECT_EQ(runError(p), kTraces + "no-such.trace: cannot open the trace file");
    // A trace without calibration needs manual links.
    const std::string tmp = std::string(AISYS_BINARY_DIR) + "/nocal.trace";
    {
        std::ifstream in(kTraces + "ring-4ranks-1MiB.trace");
        std::ofstream out(tmp);
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("calibration", 0) != 0)
                out << line << '\n';
    }
    ParamSet q;
    q.set("trace", tmp);
    EXPECT_EQ(runError(q), tmp + ": the trace has no calibration (a run on one rank, or "
                                 "--no-calibrate): set link = manual");
    q.set("link", std::string("manual"));
    EXPECT_NO_THROW(runLab("collective-replay", q));
}
