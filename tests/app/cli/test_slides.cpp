// `aisyslab export --slides / --handout`: one PDF page per step with the step's title and its
// whole narrative as real text (read back with poppler's pdftotext), in both languages; bad
// options answered precisely.
#include "lessons/footnotes.h"
#include "lessons/markdown.h"
#include "tests/support/cli_runner.h"
#include "tests/support/lesson_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using aisys::test_support::runCli;

namespace {

/// Output of a poppler tool (pdftotext, pdfinfo); fails the test when it is not installed
/// (./lab.sh installs poppler-utils).
QString poppler(const QString& tool, const QStringList& args) {
    const QString exe = QStandardPaths::findExecutable(tool);
    EXPECT_FALSE(exe.isEmpty()) << tool.toStdString()
                                << " is missing: apt-get install poppler-utils";
    if (exe.isEmpty())
        return {};
    QProcess p;
    p.start(exe, args);
    EXPECT_TRUE(p.waitForFinished(60000));
    return QString::fromUtf8(p.readAllStandardOutput());
}

/// Text with whitespace and Markdown marks removed and compatibility forms folded (NFKC: the
/// CJK font maps some glyphs to Kangxi radicals, ⼀ for 一), for comparing what a page says.
QString squeezed(QString s) {
    s = s.normalized(QString::NormalizationForm_KC);
    s.remove(QRegularExpression(QStringLiteral("[\\s*`_#<>|\\-]"))); // Markdown marks, autolinks
    return s;
}

} // namespace

TEST(CliSlides, OnePagePerStepWithEveryWordOfTheNarrative) {
    QTemporaryDir dir;
    const auto& lesson = aisys::test_support::shippedLesson("ring-allreduce");
    for (const char* lang : {"en", "zh"}) {
        const QString pdf = dir.filePath(QStringLiteral("deck-%1.pdf").arg(lang));
        const auto r =
            runCli({"export", "--lesson", "ring-allreduce", "--slides", "--lang", lang, "-o", pdf});
        ASSERT_EQ(r.code, 0) << r.err.toStdString();
        const QString info = poppler("pdfinfo", {pdf});
        EXPECT_TRUE(info.contains(
            QRegularExpression(QStringLiteral("Pages:\\s+%1\\b").arg(lesson.steps.size()))))
            << info.toStdString();
        EXPECT_TRUE(info.contains(QStringLiteral("960 x 540 pts"))) << info.toStdString();
        const bool zh = std::string(lang) == "zh";
        for (std::size_t s = 0; s < lesson.steps.size(); ++s) {
            const QString page = poppler("pdftotext", {"-f", QString::number(s + 1), "-l",
                                                       QString::number(s + 1), pdf, "-"});
            const auto& step = lesson.steps[s];
            const std::string title = zh ? step.title.zh : step.title.en;
            EXPECT_TRUE(squeezed(page).contains(squeezed(QString::fromStdString(title))))
                << lang << " step " << s + 1 << ": " << page.toStdString();
            EXPECT_TRUE(squeezed(page).contains(
                QStringLiteral("%1/%2").arg(s + 1).arg(lesson.steps.size())));
            const std::string text =
                aisys::lessons::joinCjkSoftBreaks(aisys::lessons::markdownWithFootnotes(
                    zh ? step.text.zh : step.text.en, lesson.sources,
                    zh ? aisys::lessons::Lang::Zh : aisys::lessons::Lang::En));
            const QString want = squeezed(QString::fromStdString(text));
            const QString got = squeezed(page);
            // Every character of the narrative is on the page (nothing cut). Noto Sans CJK
            // shares some ideographs' glyphs with CJK radicals, and Qt's PDF text map names the
            // radical (⻓ for 长): an ideograph missing counts as found when a radical stands in.
            QString missing;
            for (const QChar c : want)
                if (!got.contains(c))
                    missing += c;
            int radicals = 0;
            for (const QChar c : got)
                radicals += c.unicode() >= 0x2E80 && c.unicode() <= 0x2FDF;
            bool onlyIdeographs = true;
            for (const QChar c : missing)
                onlyIdeographs &= c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF;
            EXPECT_TRUE(missing.isEmpty() || (onlyIdeographs && missing.size() <= radicals))
                << lang << " step " << s + 1 << " misses '" << missing.toStdString() << "'\n"
                << page.toStdString();
        }
    }
}

TEST(CliSlides, HandoutIsPortraitA4AndBadOptionsAreNamed) {
    QTemporaryDir dir;
    const QString pdf = dir.filePath("handout.pdf");
    auto r = runCli({"export", "--lesson", "quantization", "--handout", "-o", pdf});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(poppler("pdfinfo", {pdf}).contains(QStringLiteral("(A4)")));
    r = runCli({"export", "--lesson", "ring-allreduce", "--slides", "--format", "svg", "-o", pdf});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--slides and --handout write PDF")) << r.err.toStdString();
    r = runCli({"export", "--lesson", "ring-allreduce", "--slides", "--size", "100x50", "-o", pdf});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("--size expects WIDTHxHEIGHT")) << r.err.toStdString();
    r = runCli({"export", "--lesson", "ring-allreduce", "--slides", "--step", "2", "-o", pdf});
    EXPECT_EQ(r.code, 2);
    r = runCli({"export", "--lesson", "ring-allreduce", "--slides", "--size", "1024x768", "-o",
                dir.filePath("43.pdf")});
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(
        poppler("pdfinfo", {dir.filePath("43.pdf")}).contains(QStringLiteral("768 x 576 pts")));
}
