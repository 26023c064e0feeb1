// `aisyslab conv` and `aisyslab layout`: counts a closed form predicts, errors within the
// documented bounds, the course's NZ order, and precise messages for bad input.
#include "tests/support/cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <gtest/gtest.h>

namespace {

using aisys::test_support::CliResult;
using aisys::test_support::runCli;

QJsonObject json(const QStringList& args) {
    CliResult r = runCli(args + QStringList{"--json"});
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

} // namespace

TEST(ConvCli, EveryAlgorithmCountsAndAgreesWithTheReference) {
    // 1×16×16×16 → 16, 3×3, pad 1: 16·16·16·16·9 = 589824 MACs.
    const QStringList shape{"--shape", "1,16,16,16,16,3,3", "--pad", "1"};
    for (const char* algo : {"direct", "im2col", "winograd23", "winograd2x2", "winograd43",
                             "indirect", "spatial-pack"}) {
        const QJsonObject o = json(QStringList{"conv", "--algo", algo} + shape);
        ASSERT_FALSE(o.isEmpty()) << algo;
        EXPECT_EQ(o["macs"].toInteger(), 589824) << algo;
        EXPECT_LE(o["error_f64"].toDouble(), 1e-9) << algo;
        EXPECT_GT(o["error_f32"].toDouble(), 0.0) << algo;
        EXPECT_LE(o["error_f32"].toDouble(), o["bound_f32"].toDouble()) << algo;
    }
    // Winograd: 64 tiles · 16 · 16 · 16 for F(2×2), 16 · 16 · 16 · 36 for F(4×4).
    EXPECT_EQ(json(QStringList{"conv", "--algo", "winograd2x2"} + shape)["multiplies"].toInteger(),
              64 * 16 * 16 * 16);
    EXPECT_EQ(json(QStringList{"conv", "--algo", "winograd43"} + shape)["multiplies"].toInteger(),
              16 * 16 * 16 * 36);
    // im2col: (256 × 144 + 144 × 16) f32 values.
    EXPECT_EQ(json(QStringList{"conv", "--algo", "im2col"} + shape)["buffer_bytes_f32"].toInteger(),
              4 * (256 * 144 + 144 * 16));
    const QJsonObject sp = json(QStringList{"conv", "--algo", "spatial-pack"} + shape);
    EXPECT_EQ(sp["tiles"].toInteger(), 4);
    EXPECT_EQ(sp["halo_rows"].toInteger(), 2); // KH − 1
}

TEST(ConvCli, TextNamesTheCountsAndErrors) {
    // OH = OW = 10: 8 · 10 · 10 · 8 · 9 = 57600 MACs.
    CliResult r = runCli({"conv", "--algo", "winograd43", "--shape", "1,8,12,12,8,3,3"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string out = r.out.toStdString();
    for (const char* s : {"MACs of the direct loop: 57600", "per tile: 36 multiplies, direct 144",
                          "arXiv:1509.09308", "transforms:", "error vs the f64 direct reference"})
        EXPECT_NE(out.find(s), std::string::npos) << s << "\n" << out;
}

TEST(ConvCli, FlashAttentionTrafficAndError) {
    const QJsonObject o =
        json({"conv", "--algo", "flash-attention", "--shape", "64,64,8", "--block", "16,16"});
    EXPECT_EQ(o["blocks"].toInteger(), 16);
    EXPECT_EQ(o["flash"].toObject()["hbm_reads"].toInteger(), 4 * 256 + 16 * 288);
    EXPECT_EQ(o["plain"].toObject()["extra_elements"].toInteger(), 2 * 64 * 64);
    EXPECT_LE(o["error_f64"].toDouble(), 1e-12);
    EXPECT_LE(o["error_f32"].toDouble(), 1e-5);
    EXPECT_EQ(o["row0_max"].toArray().size(), 4);
}

TEST(LayoutCli, NzOrderAndNc4hw4Padding) {
    QJsonObject o = json({"layout", "--layout", "NZ", "--shape", "4,4", "--fractal", "2,2"});
    const QJsonArray order = o["memory_order"].toArray();
    ASSERT_EQ(order.size(), 16);
    const int expected[] = {0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15};
    for (int i = 0; i < 16; ++i) {
        const QJsonArray mn = order[i].toArray();
        EXPECT_EQ(mn[0].toInt() * 4 + mn[1].toInt(), expected[i]) << "address " << i;
    }
    o = json({"layout", "--layout", "NC4HW4", "--shape", "1,6,2,3"});
    EXPECT_EQ(o["padded_size"].toInteger(), 48);
    EXPECT_EQ(o["padding"].toInteger(), 12);
    EXPECT_TRUE(o["memory_order"].toArray()[26].isNull()); // channel 6 of block 1: padding
    CliResult r = runCli({"layout", "--layout", "NC1HWC0", "--shape", "1,17,1,2"});
    EXPECT_NE(r.out.toStdString().find("stored shape [N,C1,H,W,C0] = [1,2,1,2,16]"),
              std::string::npos)
        << r.out.toStdString();
}

TEST(ConvCli, BadInputGetsPreciseMessages) {
    const std::pair<QStringList, const char*> cases[] = {
        {{"conv", "--algo", "bogus"}, "unknown --algo 'bogus'; expected direct, im2col"},
        {{"conv"}, "--algo is required"},
        {{"conv", "--algo", "direct", "--shape", "1,3,8,8,4,3"},
         "--shape takes N,IC,H,W,OC,KH,KW (7 sizes), got 6"},
        {{"conv", "--algo", "direct", "--shape", "1,3,8,x,4,3,3"},
         "--shape expects comma-separated integers, got 'x' at column 7"},
        {{"conv", "--algo", "direct", "--groups", "3"}, "groups = 3 must divide IC = 16"},
        {{"conv", "--algo", "winograd43", "--stride", "2"}, "F(4x4,3x3) needs stride 1, got 2,2"},
        {{"conv", "--algo", "winograd2x2", "--shape", "1,1,8,8,1,5,5"},
         "needs a 3×3 kernel, got 5×5"},
        {{"conv", "--algo", "spatial-pack", "--tiles", "40,1"}, "tiles 40×1 must be between"},
        {{"conv", "--algo", "direct", "--shape", "1,1,2,2,1,3,3"},
         "the dilated kernel 3×3 does not fit the padded input 2×2"},
        {{"conv", "--algo", "flash-attention", "--shape", "4,0"},
         "d (head size) must be at least 1, got 0"},
        {{"conv", "--algo", "direct", "--pad", "1,2,3"}, "--pad takes one value or two"},
        {{"conv", "--algo", "direct", "--frobnicate"}, "unknown option '--frobnicate'"},
        {{"conv", "--algo", "direct", "--shape", "1,512,224,224,512,3,3", "--pad", "1"},
         "multiply-accumulates per run; at most 2^30"},
        {{"layout", "--layout", "nz", "--shape", "4,4"},
         "unknown --layout 'nz'; expected one of NCHW"},
        {{"layout", "--layout", "NZ", "--shape", "4,4,4"},
         "NZ is a matrix layout: --shape needs M,N"},
        {{"layout", "--layout", "NCHW", "--shape", "1,0,2,2"}, "NCHW: C must be at least 1, got 0"},
        {{"layout", "--layout", "NCHW", "--shape", "1,2,2,2", "--fractal", "2,2"},
         "--fractal is for NZ and zZ, not NCHW"},
    };
    for (const auto& [args, msg] : cases) {
        CliResult r = runCli(args);
        EXPECT_EQ(r.code, 2) << args.join(' ').toStdString();
        EXPECT_NE(r.err.toStdString().find(msg), std::string::npos)
            << args.join(' ').toStdString() << "\n"
            << r.err.toStdString();
    }
}
