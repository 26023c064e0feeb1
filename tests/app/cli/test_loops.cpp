// `aisyslab loops`: the course's tiled schedule, JSON counts a closed form predicts, the C form,
// and precise errors for malformed schedules, illegal primitives and impossible caches.
#include "tests/support/cli_runner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace {

using aisys::test_support::CliResult;

CliResult loops(const QStringList& args) {
    return aisys::test_support::runCli(QStringList{"loops"} + args);
}

} // namespace

TEST(LoopsCli, PrintsTheNestVerdictMissesAndCost) {
    CliResult r = loops({"--op", "matmul", "--size", "256,256,256", "--schedule",
                         "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)", "--cache",
                         "L1=32K:8:64,L2=1M:16:64"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string out = r.out.toStdString();
    for (const char* s :
         {"legality: legal (3 primitives)",
          "loop k carries the reduction into C[i][j]; moving it is legal",
          "for (i.o = 0; i.o < 8; i.o++)", "for (k = 0; k < 256; k++)  // reduction",
          "vectorized for (j.i.i = 0; j.i.i < 8; j.i.i++)  // 8 lanes", "j = j.o * 32 + j.i;",
          "C[i][j] += A[i][k] * B[k][j];",
          "trace: 16777216 points, 50331648 loads, 16777216 stores", "8 lanes (100.0 % used)",
          "+ L1 misses", "+ L2 misses", "cycles"})
        EXPECT_NE(out.find(s), std::string::npos) << s << "\n" << out;
}

TEST(LoopsCli, JsonCountsMatchTheCompulsoryMissesWhenEverythingFits) {
    // 64³ matmul: A, B, C are 16 KiB each; B (reused by every row) and a row of A and C fit in
    // 32 KiB, so every line misses once: 3 × 16 KiB / 64 B = 768 misses in L1 and in L2.
    CliResult r = loops({"--size", "64,64,64", "--cache", "L1=32K:8:64,L2=256K:8:64", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    ASSERT_FALSE(o.isEmpty()) << r.out.toStdString();
    EXPECT_TRUE(o["legal"].toBool());
    EXPECT_EQ(o["trace"].toObject()["loads"].toInteger(), 3 * 64 * 64 * 64);
    const QJsonArray cache = o["cache"].toArray();
    ASSERT_EQ(cache.size(), 2);
    EXPECT_EQ(cache[0].toObject()["misses"].toInteger(), 768);
    EXPECT_EQ(cache[0].toObject()["arrays"].toObject()["B"].toObject()["misses"].toInteger(), 256);
    EXPECT_EQ(cache[1].toObject()["misses"].toInteger(), 768);
    EXPECT_EQ(o["memory"].toObject()["line_reads"].toInteger(), 768);
    // The estimate: body 6 instructions per point, 2 per loop iteration; IPC 2; penalties.
    const QJsonObject c = o["cost"].toObject();
    const double instr = 6.0 * 262144 + 2.0 * (64 + 4096 + 262144);
    EXPECT_EQ(c["instructions"].toDouble(), instr);
    EXPECT_NEAR(c["cycles"].toDouble(), instr / 2 + 768 * 14 + 768 * 200, 1.0);
    // The same nest with ikj order: B is read along rows; still 768 misses, a different nest.
    CliResult r2 = loops({"--size", "64,64,64", "--schedule", "reorder(i,k,j)", "--json"});
    ASSERT_EQ(r2.code, 0) << r2.err.toStdString();
    const QJsonObject o2 = QJsonDocument::fromJson(r2.out.toUtf8()).object();
    EXPECT_EQ(o2["loops"].toArray()[1].toObject()["name"].toString(), "k");
}

TEST(LoopsCli, PerIterationMissesAddUpToTheTotal) {
    CliResult r =
        loops({"--size", "64,64,64", "--schedule", "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i)",
               "--per-iteration", "k", "--json"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonObject per = o["per_iteration"].toObject();
    EXPECT_EQ(per["loop"].toString(), "k");
    EXPECT_EQ(per["iterations"].toInteger(), 4 * 64); // 2 × 2 tiles × 64 values of k
    const QJsonArray rows = per["misses"].toArray();
    ASSERT_EQ(rows.size(), 256);
    qint64 l1 = 0, l2 = 0;
    for (const QJsonValue& row : rows) {
        l1 += row.toArray()[1].toInteger();
        l2 += row.toArray()[2].toInteger();
    }
    const QJsonArray cache = o["cache"].toArray();
    EXPECT_EQ(l1, cache[0].toObject()["misses"].toInteger());
    EXPECT_EQ(l2, cache[1].toObject()["misses"].toInteger());
    EXPECT_EQ(rows[1].toArray()[0].toInteger(), 1); // the counter of k
    // Text: a table of the first 64, then how many more.
    CliResult t = loops({"--size", "64,64,64", "--per-iteration", "i"});
    ASSERT_EQ(t.code, 0);
    EXPECT_TRUE(t.out.contains("misses per iteration of loop i (64 iterations):"));
    CliResult bad =
        loops({"--size", "8,8,8", "--schedule", "vectorize(k,8)", "--per-iteration", "q"});
    EXPECT_EQ(bad.code, 2);
}

TEST(LoopsCli, SoftmaxRunsItsStagesOneAfterTheOther) {
    CliResult r = loops({"--op", "softmax", "--size", "64,128", "--schedule",
                         "stage(exp);vectorize(j,8);stage(max);reorder(j,i)"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string out = r.out.toStdString();
    for (const char* s :
         {"// stage init", "mx[i] = -inf;", "// stage max", "mx[i] = max(mx[i], X[i][j]);",
          "E[i][j] = exp(X[i][j] - mx[i]);", "S[i] += E[i][j];", "Y[i][j] = E[i][j] / S[i];",
          "note: stage max: reorder(j, i): loop j carries the reduction into mx[i]",
          "trace: 32832 points, 65536 loads, 32832 stores"})
        EXPECT_NE(out.find(s), std::string::npos) << s << "\n" << out;
    CliResult j = loops({"--op", "softmax", "--size", "8,8", "--json"});
    ASSERT_EQ(j.code, 0) << j.err.toStdString();
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    EXPECT_EQ(o["stages"].toArray().size(), 5);
    EXPECT_EQ(o["stages"].toArray()[2].toString(), "exp");
    // 8 + 64 + 64 + 64 + 64 points.
    EXPECT_EQ(o["trace"].toObject()["points"].toInteger(), 264);
}

TEST(LoopsCli, EmitsTheNestAsACProgram) {
    CliResult r =
        loops({"--op", "blur3x3", "--size", "16,16", "--schedule", "split(x,5)", "--emit-c"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string c = r.out.toStdString();
    for (const char* s :
         {"__attribute__((noinline)) void kernel(volatile float* in, volatile float* out)",
          "for (x_o = 0; x_o < 4; x_o++) {", "x = x_o * 5 + x_i;", "if (x < 16)",
          "kernel((volatile float*)(pool + 0), (volatile float*)(pool + 1344));"})
        EXPECT_NE(c.find(s), std::string::npos) << s << "\n" << c;
}

TEST(LoopsCli, VectorGroupsBecomeSimdAccessesAndEveryFormCompiles) {
    const QString sched = "tile(i,j,32,32);reorder(i.o,j.o,k,i.i,j.i);vectorize(j.i,8)";
    CliResult r = loops({"--size", "64,64,64", "--schedule", sched, "--emit-c"});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const std::string c = r.out.toStdString();
    for (const char* s : {"target(\"avx\")", "__m256 v0 = _mm256_set1_ps(A[64L * i + k]);",
                          "_mm256_loadu_ps((const float*)&B[j + 64L * k]);",
                          "_mm256_storeu_ps((float*)&C[64L * i + j]", "#else", "#endif"})
        EXPECT_NE(c.find(s), std::string::npos) << s << "\n" << c;
    // Where a C compiler exists, the scalar, guarded, fused and vector forms compile and run.
    const QString gcc = QStandardPaths::findExecutable("gcc");
    if (gcc.isEmpty())
        GTEST_SKIP() << "no gcc on this machine: the C forms are checked as text only";
    QTemporaryDir dir;
    int n = 0;
    for (const QStringList& args :
         {QStringList{"--size", "40,24,8", "--schedule", sched},
          QStringList{"--op", "conv-nhwc", "--size", "1,3,9,9,4,3,3", "--schedule",
                      "fuse(n,oh);reorder(n_oh,ow,kh,kw,ic,oc);split(ic,2);vectorize(oc,4)"},
          QStringList{"--op", "blur3x3", "--size", "20,20", "--schedule",
                      "fuse(y,x);split(y_x,7);unroll(y_x.i)"},
          QStringList{"--op", "elementwise", "--size", "5,9", "--schedule", "vectorize(j,4)"},
          QStringList{"--op", "softmax", "--size", "6,16", "--schedule",
                      "stage(init);vectorize(i,2);stage(max);reorder(j,i);stage(exp);"
                      "vectorize(j,8);stage(div);vectorize(j,8)"}}) {
        CliResult e = loops(args + QStringList{"--emit-c"});
        ASSERT_EQ(e.code, 0) << e.err.toStdString();
        const QString src = dir.filePath(QString("k%1.c").arg(n)),
                      exe = dir.filePath(QString("k%1").arg(n));
        ++n;
        QFile f(src);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(e.out.toUtf8());
        f.close();
        for (const QString& define : {QString("-DAISYS_SIMD"), QString("-DAISYS_NO_SIMD")}) {
            QProcess cc;
            cc.start(gcc, {"-O1", "-Wall", "-Werror", define, "-o", exe, src, "-lm"});
            ASSERT_TRUE(cc.waitForFinished(60000));
            ASSERT_EQ(cc.exitCode(), 0)
                << args.join(' ').toStdString() << " " << define.toStdString() << "\n"
                << cc.readAllStandardError().toStdString();
            QProcess run;
            run.start(exe, {});
            ASSERT_TRUE(run.waitForFinished(60000));
            EXPECT_EQ(run.exitCode(), 0) << args.join(' ').toStdString();
        }
    }
}

TEST(LoopsCli, BadInputGetsAPreciseMessage) {
    struct Case {
        QStringList args;
        const char* error;
    };
    for (const Case& c : {
             Case{{"--schedule", "tile(i,j,32,32"},
                  "--schedule, column 15: expected ',' or ')' after '32', got the end of the "
                  "schedule\n  tile(i,j,32,32\n                ^"},
             Case{{"--schedule", "split(i,4);vectorize(i.o,8)"},
                  "--schedule: illegal, column 12: vectorize(i.o, 8): loop i.o is not the "
                  "innermost loop (k is); vectorize applies to the innermost loop only"},
             Case{{"--cache", "L1=30000:8:64"},
                  "--cache, column 1: L1: the size 30000 is not a multiple of line × assoc"},
             Case{{"--cache", "L1=32K:8:64,L2=1M:16:0"},
                  "--cache, column 13: L2: size, associativity and line must all be positive"},
             Case{{"--op", "conv"}, "unknown op 'conv' (expected one of: matmul M,N,K;"},
             Case{{"--size", "64,x,64"},
                  "--size expects comma-separated numbers, got 'x' at "
                  "column 4"},
             Case{{"--size", "64,64"}, "op 'matmul' takes 3 sizes M,N,K, got 2"},
             Case{{"--size", "4096,4096,4096"}, "the nest has 68719476736 iteration points"},
             Case{{"--frobnicate"}, "unknown option '--frobnicate'"},
             Case{{"--op", "softmax", "--size", "8,8", "--per-iteration", "i"},
                  "--per-iteration: softmax runs several stages one after the other"},
             Case{{"--op", "softmax", "--schedule", "stage(max);parallel(j)"},
                  "--schedule: illegal, column 12: stage max: parallel(j): loop j carries the "
                  "reduction into mx[i]"},
             Case{{"--size", "8,8,8", "--per-iteration", "q"},
                  "--per-iteration: no loop named 'q' in the nest (its loops: i, j, k)"},
             Case{{"--size", "8,8,8", "--schedule", "reorder(i,k,j);vectorize(j)",
                   "--per-iteration", "j"},
                  "--per-iteration: loop j is vectorized"},
         }) {
        CliResult r = loops(c.args);
        EXPECT_EQ(r.code, 2) << c.args.join(' ').toStdString();
        EXPECT_TRUE(r.err.startsWith(QString("aisyslab loops: ") + c.error))
            << c.args.join(' ').toStdString() << " → " << r.err.toStdString();
    }
}
