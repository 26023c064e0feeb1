// `aisyslab collective`: a run's report and JSON, the nccl-tests-style sweep, topology files
// and the messages for bad input.
#include "tests/support/cli_runner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace {

using aisys::test_support::CliResult;

CliResult collective(const QStringList& args) {
    return aisys::test_support::runCli(QStringList{"collective"} + args);
}

} // namespace

TEST(CollectiveCli, ReportsTimeBandwidthsBytesAndTheCheck) {
    CliResult r = collective({"--op", "all-reduce", "--algo", "ring", "--ranks", "8", "--bytes",
                              "1M", "--topology", "ring", "--alpha", "5us", "--bw", "100GB/s"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string out = r.out.toStdString();
    // 2(p−1)α + 2((p−1)/p)·n/β = 70 us + 1.75 · 1048576 / 1e11 s = 88.350080 us;
    // algbw = 1048576 B / 1e9 / 88.35008 us = 11.8684 GB/s, busbw = 1.75 × that.
    EXPECT_NE(out.find("time        88.3501 us"), std::string::npos) << out;
    EXPECT_NE(out.find("closed form 88.3501 us"), std::string::npos) << out;
    EXPECT_NE(out.find("algbw       11.8684 GB/s"), std::string::npos) << out;
    EXPECT_NE(out.find("busbw       20.7697 GB/s (algbw x 1.75"), std::string::npos) << out;
    EXPECT_NE(out.find("bytes/rank  1.83501e+06 B each"), std::string::npos) << out;
    EXPECT_NE(out.find("verified    yes"), std::string::npos) << out;
}

TEST(CollectiveCli, JsonIsMachineReadableAndMatchesTheClosedForm) {
    CliResult r = collective({"--op", "broadcast", "--algo", "binomial", "--ranks", "6", "--bytes",
                              "64K", "--topology", "full", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    ASSERT_FALSE(o.isEmpty()) << r.out.toStdString();
    EXPECT_EQ(o["op"].toString(), "broadcast");
    EXPECT_EQ(o["ranks"].toInt(), 6);
    EXPECT_TRUE(o["verified"].toBool());
    EXPECT_EQ(o["wrong"].toInt(), 0);
    // ⌈log₂6⌉ (α + n/β) = 3 (5 us + 65536 B / 100 GB/s) = 16.96608 us.
    EXPECT_NEAR(o["time_us"].toDouble(), 16.96608, 1e-9);
    EXPECT_NEAR(o["closed_form_us"].toDouble(), 16.96608, 1e-9);
    EXPECT_EQ(o["rank_bytes"].toArray().size(), 6);
    EXPECT_DOUBLE_EQ(o["rank_bytes"].toArray()[0].toDouble(), 3 * 65536.0); // the root
    const QJsonArray links = o["links"].toArray();
    ASSERT_EQ(links.size(), 5); // a binomial tree uses p−1 links
    EXPECT_EQ(links[0].toObject()["utilization"].toArray().size(), 64);
}

TEST(CollectiveCli, SweepPrintsNcclTestsColumns) {
    CliResult r = collective({"--op", "all-gather", "--algo", "ring", "--ranks", "4", "--sweep",
                              "64:4K:4", "--topology", "switch"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    ASSERT_GE(lines.size(), 4 + 4 + 2) << r.out.toStdString();
    EXPECT_TRUE(lines[2].contains(QRegularExpression(
        "#\\s+size\\s+count\\s+type\\s+redop\\s+root\\s+time\\s+algbw\\s+busbw\\s+#wrong")));
    // 64, 256, 1024, 4096 bytes: per-rank counts 4, 16, 64, 256 (nccl-tests' paramcount).
    const QStringList first = lines[4].split(' ', Qt::SkipEmptyParts);
    ASSERT_EQ(first.size(), 9) << lines[4].toStdString();
    EXPECT_EQ(first[0], "64");
    EXPECT_EQ(first[1], "4");
    EXPECT_EQ(first[2], "float");
    EXPECT_EQ(first[3], "none");
    EXPECT_EQ(first[4], "-1");
    EXPECT_EQ(first[8], "0");
    EXPECT_TRUE(lines[7].startsWith("        4096           256"));
    EXPECT_TRUE(r.out.contains("# Out of bounds values : 0 OK"));
}

TEST(CollectiveCli, TopologyFilesRunAndTheirErrorsNameTheLine) {
    CliResult ok =
        collective({"--op", "all-reduce", "--algo", "hierarchical", "--bytes", "16M", "--topology",
                    QString(AISYS_SOURCE_DIR) + "/assets/topologies/dgx_pair.topo"});
    ASSERT_EQ(ok.code, 0) << ok.err.toStdString();
    EXPECT_TRUE(ok.out.contains("on 16 ranks")) << ok.out.toStdString();
    QTemporaryDir dir;
    const QString path = dir.filePath("bad.topo");
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("ranks 2 g\nswitch s\nlink g0 s alpha=1us bw=10GB/s\nlink g1 x alpha=1us bw=1GB/s\n");
    f.close();
    CliResult bad =
        collective({"--op", "all-reduce", "--algo", "ring", "--bytes", "1K", "--topology", path});
    EXPECT_EQ(bad.code, 2);
    EXPECT_TRUE(bad.err.contains("bad.topo:4: dangling link: unknown node 'x'"))
        << bad.err.toStdString();
}

TEST(CollectiveCli, BadInputGivesPreciseMessages) {
    struct Case {
        QStringList args;
        const char* message;
    };
    const QStringList base{"--op", "all-reduce", "--algo", "ring", "--topology", "ring"};
    const Case cases[] = {
        {base + QStringList{"--ranks", "0", "--bytes", "1K"},
         "--ranks '0': expected a whole number >= 1"},
        {base + QStringList{"--ranks", "4", "--bytes", "1K", "--chunk", "4K"},
         "chunk of 4096 bytes is larger than the 1024-byte message"},
        {base + QStringList{"--ranks", "4", "--bytes", "1K", "--alpha", "5parsec"},
         "--alpha: time '5parsec': unknown unit 'parsec'"},
        {base + QStringList{"--ranks", "4", "--bytes", "1K", "--bw", "fast"},
         "--bw: bandwidth 'fast': expected a number with a unit"},
        {base + QStringList{"--ranks", "4", "--bytes", "12 apples"}, "--bytes: size '12 apples'"},
        {{"--op", "all-to-all", "--algo", "ring", "--topology", "ring", "--ranks", "4", "--bytes",
          "1K"},
         "ring does not implement all-to-all (algorithms for all-to-all: linear, bruck)"},
        {{"--op", "all-sum", "--algo", "ring", "--topology", "ring", "--ranks", "4", "--bytes",
          "1K"},
         "unknown op 'all-sum' (expected one of: broadcast, scatter"},
        {base + QStringList{"--ranks", "4", "--sweep", "8:1G"}, "expected MIN:MAX:FACTOR"},
        {{"--op", "all-reduce", "--algo", "ring", "--topology", "moebius", "--ranks", "4",
          "--bytes", "1K"},
         "moebius: cannot open the topology file"},
        {{"--op", "all-gather", "--algo", "recursive-doubling", "--topology", "full", "--ranks",
          "6", "--bytes", "1K"},
         "needs a power-of-two rank count, got 6 (bruck and ring handle any count)"},
    };
    for (const Case& c : cases) {
        CliResult r = collective(c.args);
        EXPECT_EQ(r.code, 2) << c.args.join(' ').toStdString();
        EXPECT_TRUE(r.err.contains(c.message)) << c.args.join(' ').toStdString() << "\n"
                                               << r.err.toStdString();
    }
}

TEST(CollectiveCli, SweepJsonHasARowPerSize) {
    CliResult r = collective({"--op", "reduce-scatter", "--algo", "rabenseifner", "--ranks", "8",
                              "--sweep", "1K:16K:4", "--topology", "full", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonArray rows = o["results"].toArray();
    ASSERT_EQ(rows.size(), 3) << r.out.toStdString();
    EXPECT_EQ(rows[0].toObject()["size"].toInt(), 1024);
    EXPECT_EQ(rows[0].toObject()["count"].toInt(), 32); // per rank, as nccl-tests prints it
    EXPECT_EQ(rows[2].toObject()["size"].toInt(), 16384);
    // Recursive halving: log₂8 = 3 rounds of α (5 us) plus (7/8)·S/β.
    EXPECT_NEAR(rows[2].toObject()["time_us"].toDouble(), 15 + 0.875 * 16384 / 1e5, 1e-9);
    for (const QJsonValue& v : rows)
        EXPECT_EQ(v.toObject()["wrong"].toInt(), 0);
}

TEST(CliCollective, SvgDrawsTheLinksThatCarriedData) {
    const std::string path = testing::TempDir() + "collective.svg";
    CliResult r = aisys::test_support::runCli({"collective", "--op", "all-reduce", "--algo", "ring",
                                               "--ranks", "4", "--bytes", "1M", "--topology",
                                               "ring", "--svg", QString::fromStdString(path)});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    std::FILE* f = std::fopen(path.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    std::string svg;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
        svg.append(buf, n);
    std::fclose(f);
    EXPECT_NE(svg.find("all-reduce · ring · 4 ranks"), std::string::npos);
    EXPECT_NE(svg.find("every rank verified"), std::string::npos);
    // A ring all-reduce on a ring uses one direction of each cable: 4 links, and 2(p − 1) = 6
    // round ends drawn as ticks.
    std::size_t rows = 0, ticks = 0;
    for (std::size_t at = svg.find(" → "); at != std::string::npos; at = svg.find(" → ", at + 1))
        ++rows;
    for (std::size_t at = svg.find("stroke=\"#e45756\""); at != std::string::npos;
         at = svg.find("stroke=\"#e45756\"", at + 1))
        ++ticks;
    EXPECT_EQ(rows, 4u);
    EXPECT_EQ(ticks, 6u);
    r = aisys::test_support::runCli({"collective", "--op", "all-reduce", "--algo", "ring",
                                     "--ranks", "4", "--sweep", "8:1K:2", "--topology", "ring",
                                     "--svg", QString::fromStdString(path)});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--svg draws one run")) << r.err.toStdString();
}
