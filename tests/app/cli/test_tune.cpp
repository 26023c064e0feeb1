// `aisyslab tune`: grid covers the small space and its best is the curve's end, a seeded search
// repeats itself, --measure with and without a compiler, and precise errors for bad input.
#include "tests/support/cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>

#include <cstdlib>

namespace {

using aisys::test_support::CliResult;

CliResult tune(const QStringList& args) {
    return aisys::test_support::runCli(QStringList{"tune"} + args);
}

const QStringList kSmall{"--size", "16,16,16", "--cache", "L1=1K:2:64,L2=8K:4:64"};

TEST(TuneCli, GridCoversTheSmallSpaceAndPrintsTheBestAndTheCurve) {
    CliResult r = tune(kSmall + QStringList{"--search", "grid", "--budget", "500", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    ASSERT_FALSE(o.isEmpty()) << r.out.toStdString();
    EXPECT_EQ(o["space"].toString(), "small");
    EXPECT_EQ(o["space_size"].toInteger(), 128);
    EXPECT_EQ(o["evaluated"].toInteger(), 128);
    EXPECT_TRUE(o["exhausted"].toBool());
    EXPECT_GT(o["illegal"].toInteger(), 0); // vectorizing k.i, the reduction
    const QJsonArray top = o["top"].toArray(), curve = o["curve"].toArray();
    ASSERT_EQ(top.size(), 5);
    ASSERT_FALSE(curve.isEmpty());
    const double best = top[0].toObject()["cycles"].toDouble();
    EXPECT_EQ(curve.last().toArray()[1].toDouble(), best);
    for (qsizetype i = 1; i < curve.size(); ++i)
        EXPECT_LE(curve[i].toArray()[1].toDouble(), curve[i - 1].toArray()[1].toDouble());
    for (qsizetype i = 1; i < top.size(); ++i)
        EXPECT_LE(top[i - 1].toObject()["cycles"].toDouble(),
                  top[i].toObject()["cycles"].toDouble());
    // The best schedule, asked of `aisyslab loops`, gives the same estimate.
    CliResult l = aisys::test_support::runCli({"loops", "--size", "16,16,16", "--cache",
                                               "L1=1K:2:64,L2=8K:4:64", "--schedule",
                                               top[0].toObject()["schedule"].toString(), "--json"});
    ASSERT_EQ(l.code, 0) << l.err.toStdString();
    const QJsonObject lo = QJsonDocument::fromJson(l.out.toUtf8()).object();
    EXPECT_EQ(lo["cost"].toObject()["cycles"].toDouble(), best);

    CliResult t = tune(kSmall + QStringList{"--search", "grid", "--budget", "500"});
    ASSERT_EQ(t.code, 0) << t.err.toStdString();
    const std::string out = t.out.toStdString();
    for (const char* s : {"grid search, small space (128 candidates)", "est. cycles", "L1 miss",
                          "best so far (evaluation → estimated cycles):",
                          "128 schedules simulated (", "the whole space"})
        EXPECT_NE(out.find(s), std::string::npos) << s << "\n" << out;
}

QJsonObject withoutSeconds(const QString& json) {
    QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    o.remove("seconds");
    return o;
}

TEST(TuneCli, ASeededSearchRepeatsItself) {
    for (const char* search : {"random", "genetic", "model"}) {
        const QStringList args =
            kSmall + QStringList{"--search", search, "--budget", "24", "--seed", "9", "--json"};
        CliResult a = tune(args), b = tune(args);
        ASSERT_EQ(a.code, 0) << a.err.toStdString();
        EXPECT_EQ(withoutSeconds(a.out), withoutSeconds(b.out)) << search;
        EXPECT_EQ(withoutSeconds(a.out)["evaluated"].toInteger(), 24) << search;
    }
    CliResult m = tune(kSmall + QStringList{"--search", "model", "--budget", "40"});
    ASSERT_EQ(m.code, 0) << m.err.toStdString();
    EXPECT_NE(m.out.toStdString().find("model: Spearman rank correlation"), std::string::npos);
}

TEST(TuneCli, MeasureWithoutACompilerKeepsTheEstimates) {
    qputenv("AISYS_NO_COMPILER", "1");
    CliResult r = tune(kSmall + QStringList{"--budget", "8", "--measure"});
    qunsetenv("AISYS_NO_COMPILER");
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string out = r.out.toStdString();
    EXPECT_NE(out.find("no C compiler on PATH"), std::string::npos) << out;
    EXPECT_NE(out.find("AISYS_NO_COMPILER is set"), std::string::npos) << out;
    EXPECT_EQ(out.find("measured ms"), std::string::npos) << out;
}

TEST(TuneCli, MeasureTimesTheBestKernelsAndChecksTheirOutput) {
    if (std::system("command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || "
                    "command -v c++ >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "no C compiler on PATH: the measured path cannot run here";
    CliResult r =
        tune(kSmall + QStringList{"--budget", "12", "--measure", "--runs", "3", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    EXPECT_FALSE(o["compiler"].toString().isEmpty());
    const QJsonArray top = o["top"].toArray();
    ASSERT_GE(top.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject e = top[i].toObject();
        EXPECT_GT(e["measured_ms"].toDouble(), 0.0) << r.out.toStdString();
        EXPECT_TRUE(e["matches_reference"].toBool()) << r.out.toStdString();
    }
    EXPECT_FALSE(top[3].toObject().contains("measured_ms")); // only the best three
}

TEST(TuneCli, BadInputGetsAPreciseMessage) {
    const std::pair<QStringList, const char*> cases[] = {
        {{"--search", "annealing"},
         "--search expects grid, random, genetic or model, got 'annealing'"},
        {{"--budget", "0"}, "--budget expects a count of schedules 1…100000, got 0"},
        {{"--budget", "ten"}, "--budget expects an integer, got 'ten'"},
        {{"--size", "16,16"}, "--size expects three extents M,N,K for matmul, got 2 in '16,16'"},
        {{"--size", "0,16,16"}, "--size 0,16,16: op 'matmul': size 1 of M,N,K is 0"},
        {{"--size", "4096,4096,4096"}, "points per schedule; the tuner simulates at most 2^28"},
        {{"--op", "softmax"},
         "--op: the tuner's schedule space is matmul's (i, j, k); got 'softmax'"},
        {{"--space", "huge"}, "--space expects small or full, got 'huge'"},
        {{"--cache", "L1=33K:8:64"}, "--cache, column 1: L1: 66 sets"},
        {{"--frobnicate"}, "unknown option '--frobnicate'"},
    };
    for (const auto& [args, msg] : cases) {
        CliResult r = tune(args);
        EXPECT_EQ(r.code, 2) << msg;
        EXPECT_NE(r.err.toStdString().find(msg), std::string::npos) << r.err.toStdString();
    }
}

} // namespace
