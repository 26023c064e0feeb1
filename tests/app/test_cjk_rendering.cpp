// What a reader sees: the narrative pane and the presentation strip render a Chinese soft line
// break without a space, and mixed Chinese/Latin text with its spaces.
#include "app/narrative_pane.h"
#include "app/presentation_strip.h"
#include "tests/support/lesson_support.h"

#include <QApplication>
#include <QLabel>
#include <QTextDocumentFragment>
#include <gtest/gtest.h>

using namespace aisys;

TEST(CjkRendering, NarrativePaneShowsNoStraySpaces) {
    app::NarrativePane pane;
    const lessons::Lesson& l = test_support::shippedLesson("systolic-dataflows");
    pane.setLesson(&l, lessons::Lang::Zh);
    const QString text = pane.document()->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("沿对角线穿过"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("来回查看"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("沿对角线 穿过")));
}

TEST(CjkRendering, PresentationStripJoinsOnlyBetweenCjk) {
    app::PresentationStrip strip;
    strip.setStep("标题", QStringLiteral("来回\n查看；用\nGPU 训练"));
    const QLabel* text = nullptr;
    for (const QLabel* l : strip.findChildren<QLabel*>())
        if (l->textFormat() == Qt::MarkdownText)
            text = l;
    ASSERT_NE(text, nullptr);
    const QString plain = QTextDocumentFragment::fromMarkdown(text->text()).toPlainText();
    EXPECT_EQ(plain, QStringLiteral("来回查看；用 GPU 训练"));
}

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
