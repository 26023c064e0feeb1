// CLI: `aisyslab export` of every step of every lesson in both languages gives valid,
// non-empty SVG and PNG files; `aisyslab lessons` lists lessons and reports broken files.
#include "lessons/lesson_loader.h"
#include "lessons/lesson_player.h"
#include "tests/support/cli_runner.h"
#include "tests/support/lesson_support.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

#include <algorithm>

using namespace aisys;

namespace {

using LabRun = test_support::CliResult;

LabRun runLab(const QStringList& args, const QString& dataHome) {
    return test_support::runCli(args, {dataHome});
}

/// Element count and text of an SVG; fails the test on XML errors.
std::pair<int, QString> svgFacts(const QString& path) {
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    QXmlStreamReader xml(&f);
    int elements = 0;
    QString text;
    bool inText = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            ++elements;
            inText = xml.name() == QLatin1String("text");
        } else if (xml.isCharacters() && inText) {
            text += xml.text();
        }
    }
    EXPECT_FALSE(xml.hasError()) << path.toStdString() << ": " << xml.errorString().toStdString();
    return {elements, text};
}

int distinctColours(const QImage& img) {
    QSet<QRgb> seen;
    for (int y = 0; y < img.height(); y += 2)
        for (int x = 0; x < img.width(); x += 2)
            seen.insert(img.pixel(x, y));
    return seen.size();
}

} // namespace

TEST(CliExport, EveryStepOfEveryLessonInBothLanguages) {
    QTemporaryDir home, out;
    const lessons::LabRegistry& labs = test_support::builtinLabs();
    const lessons::LessonCatalog& cat = test_support::shippedCatalog();
    ASSERT_GE(cat.lessons().size(), 2u);
    for (const lessons::Lesson* l : cat.lessons()) {
        const int frames = lessons::LessonPlayer(*l, *labs.find(l->labId)).frameCount();
        for (QString lang : {"en", "zh"})
            for (QString fmt : {"svg", "png"}) {
                QString dir = out.filePath(QString::fromStdString(l->id) + "-" + lang + "-" + fmt);
                LabRun r = runLab({"export", "--lesson", QString::fromStdString(l->id),
                                   "--all-steps", "--format", fmt, "--lang", lang, "-o", dir},
                                  home.path());
                ASSERT_EQ(r.code, 0) << r.err.toStdString();
                QStringList files = QDir(dir).entryList({"*." + fmt}, QDir::Files, QDir::Name);
                ASSERT_EQ(files.size(), frames) << l->id;
                for (const QString& f : files) {
                    const QString path = QDir(dir).filePath(f);
                    ASSERT_GT(QFileInfo(path).size(), 500) << path.toStdString();
                    if (fmt == "svg") {
                        auto [elements, text] = svgFacts(path);
                        EXPECT_GT(elements, 20) << path.toStdString();
                        EXPECT_FALSE(text.isEmpty()) << path.toStdString();
                        if (lang == "zh") { // Chinese text is there as characters
                            const bool cjk = std::any_of(text.begin(), text.end(), [](QChar c) {
                                return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF;
                            });
                            EXPECT_TRUE(cjk) << path.toStdString();
                        }
                    } else {
                        QImage img(path);
                        ASSERT_FALSE(img.isNull()) << path.toStdString();
                        EXPECT_GT(img.width(), 300);
                        EXPECT_GT(distinctColours(img), 8) << path.toStdString();
                    }
                }
            }
    }
}

TEST(CliExport, SingleStepScaleAndWhatIf) {
    QTemporaryDir home, out;
    const QString p1 = out.filePath("a.png"), p2 = out.filePath("b.png");
    ASSERT_EQ(
        runLab({"export", "--lesson", "ring-allreduce", "--step", "2", "--format", "png", "-o", p1},
               home.path())
            .code,
        0);
    ASSERT_EQ(runLab({"export", "--lesson", "ring-allreduce", "--step", "2", "--format", "png",
                      "--scale", "2", "-o", p2},
                     home.path())
                  .code,
              0);
    EXPECT_NEAR(QImage(p2).width(), 2 * QImage(p1).width(), 2);
    // --set changes the Lab's parameters: 8 ranks make a taller picture.
    const QString p3 = out.filePath("c.png");
    ASSERT_EQ(runLab({"export", "--lesson", "ring-allreduce", "--step", "2", "--format", "png",
                      "--set", "ranks=8", "-o", p3},
                     home.path())
                  .code,
              0);
    EXPECT_GT(QImage(p3).height(), QImage(p1).height());
}

TEST(CliExport, BadArgumentsGiveClearMessages) {
    QTemporaryDir home;
    LabRun r =
        runLab({"export", "--lesson", "nope", "--format", "svg", "-o", "/tmp/x.svg"}, home.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("no lesson 'nope'")) << r.err.toStdString();
    r = runLab({"export", "--lesson", "ring-allreduce", "--format", "bmp", "-o", "/tmp/x.bmp"},
               home.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("svg, pdf or png")) << r.err.toStdString();
    r = runLab({"export", "--lesson", "ring-allreduce", "--format", "svg", "--step", "99", "-o",
                "/tmp/x.svg"},
               home.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("past the end")) << r.err.toStdString();
    r = runLab({"export", "--lesson", "ring-allreduce", "--format", "svg", "--set", "ranks=99",
                "-o", "/tmp/x.svg"},
               home.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("out of range")) << r.err.toStdString();
    r = runLab({"frobnicate"}, home.path());
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("unknown command")) << r.err.toStdString();
}

TEST(CliLessons, ListsLessonsAndBrokenFilesWithoutHidingOthers) {
    QTemporaryDir home;
    QDir().mkpath(home.filePath("aisyslab/lessons"));
    QFile bad(home.filePath("aisyslab/lessons/broken.toml"));
    ASSERT_TRUE(bad.open(QIODevice::WriteOnly));
    bad.write("id = \"broken\"\nlab = \"no-such-lab\"\n");
    bad.close();
    LabRun r = runLab({"lessons"}, home.path());
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("graph-forward")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("ring-allreduce")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("broken.toml:2:")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("unknown Lab 'no-such-lab'")) << r.out.toStdString();
    LabRun zh = runLab({"lessons", "--lang", "zh"}, home.path());
    EXPECT_TRUE(zh.out.contains("4 卡环形 All-Reduce")) << zh.out.toStdString();
    EXPECT_EQ(runLab({"lessons", "--strict"}, home.path()).code, 1);
}

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
