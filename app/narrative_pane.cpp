// The narrative pane: builds the lesson page as a QTextDocument of step cards and tracks the
// current one.
#include "app/narrative_pane.h"
#include "lessons/footnotes.h"
#include "lessons/markdown.h"

#include <QAbstractTextDocumentLayout>
#include <QDesktopServices>
#include <QEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QTextTable>
#include <QTimer>

#include <algorithm>

namespace aisys::app {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QColor mixColor(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

/// Markdown inserted at `cursor`; an empty string inserts nothing.
void insertMarkdown(QTextCursor& cursor, const std::string& markdown) {
    if (markdown.empty())
        return;
    cursor.insertFragment(
        QTextDocumentFragment::fromMarkdown(qs(lessons::joinCjkSoftBreaks(markdown))));
}

} // namespace

NarrativePane::NarrativePane(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
    setFrameShape(QFrame::NoFrame);
    viewport()->setMouseTracking(true);
    connect(this, &QTextBrowser::anchorClicked, this, [](const QUrl& url) {
        const QString scheme = url.scheme();
        if (scheme == u"http" || scheme == u"https" || scheme == u"mailto")
            QDesktopServices::openUrl(url);
    });
    rebuild();
}

void NarrativePane::setLesson(const lessons::Lesson* lesson, lessons::Lang lang) {
    const bool sameLesson = lesson && m_lesson && m_lesson->id == lesson->id;
    if (lesson)
        m_lesson = *lesson;
    else
        m_lesson.reset();
    m_lang = lang;
    if (!sameLesson)
        m_current = -1;
    rebuild();
    if (!sameLesson)
        verticalScrollBar()->setValue(0);
}

void NarrativePane::setFontScale(float scale) {
    scale = std::clamp(scale, 0.5f, 4.0f);
    if (scale == m_fontScale)
        return;
    m_fontScale = scale;
    rebuild();
}

void NarrativePane::setCurrentStep(int step) {
    if (m_cards.empty()) {
        m_current = step;
        return;
    }
    step = std::clamp(step, 0, static_cast<int>(m_cards.size()) - 1);
    if (step != m_current) {
        if (m_current >= 0 && m_current < static_cast<int>(m_cards.size()))
            styleCard(m_current, false);
        m_current = step;
        styleCard(m_current, true);
    }
    scrollToCurrent();
}

/// Builds the page:
/// 1. the lesson title and summary as ordinary blocks;
/// 2. per step, a 1×2 table: a narrow coloured bar cell and the text cell (heading + Markdown,
///    its source markers numbered with the footnotes under it), then the lesson's sources;
/// 3. a comfortable line height on every block; then the current card gets its highlight.
void NarrativePane::rebuild() {
    m_rebuilding = true;
    QTextDocument* doc = document();
    doc->clear();
    m_cards.clear();

    QFont base = font();
    base.setPointSizeF(base.pointSizeF() * m_fontScale);
    // Prefer Simplified Chinese faces for Han characters; Latin text keeps the UI family.
    base.setFamilies({base.family(), QStringLiteral("Noto Sans CJK SC"),
                      QStringLiteral("Source Han Sans SC"), QStringLiteral("WenQuanYi Micro Hei"),
                      QStringLiteral("Noto Serif CJK SC"), QStringLiteral("Microsoft YaHei"),
                      QStringLiteral("PingFang SC")});
    doc->setDefaultFont(base);
    const QFontMetricsF fm(base);
    const qreal em = fm.height();
    doc->setDocumentMargin(em * 0.75);

    QTextCursor cursor(doc);
    if (!m_lesson) {
        QTextCharFormat hint;
        hint.setForeground(palette().color(QPalette::PlaceholderText));
        cursor.insertText(tr("Choose a lesson in the navigator to begin."), hint);
        m_rebuilding = false;
        return;
    }

    // 1. Title and summary.
    QTextCharFormat titleFormat;
    titleFormat.setFontPointSize(base.pointSizeF() * 1.6);
    titleFormat.setFontWeight(QFont::Bold);
    QTextBlockFormat titleBlock;
    titleBlock.setBottomMargin(em * 0.4);
    cursor.setBlockFormat(titleBlock);
    cursor.insertText(qs(m_lesson->title.get(m_lang)), titleFormat);
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
    insertMarkdown(cursor, lessons::markdownWithFootnotes(m_lesson->summary.get(m_lang),
                                                          m_lesson->sources, m_lang));

    // 2. One card per step.
    QTextTableFormat tableFormat;
    tableFormat.setBorder(0);
    tableFormat.setCellSpacing(0);
    tableFormat.setCellPadding(0);
    tableFormat.setTopMargin(em * 0.5);
    tableFormat.setWidth(QTextLength(QTextLength::PercentageLength, 100));
    tableFormat.setColumnWidthConstraints(
        {QTextLength(QTextLength::FixedLength, std::max(3.0, em / 4)),
         QTextLength(QTextLength::PercentageLength, 100)});
    QTextCharFormat headingFormat;
    headingFormat.setFontWeight(QFont::Bold);
    headingFormat.setFontPointSize(base.pointSizeF() * 1.15);
    for (std::size_t i = 0; i < m_lesson->steps.size(); ++i) {
        const lessons::LessonStep& step = m_lesson->steps[i];
        cursor.movePosition(QTextCursor::End);
        QTextTable* table = cursor.insertTable(1, 2, tableFormat);
        QTextCursor cell = table->cellAt(0, 1).firstCursorPosition();
        QString heading = qs(step.title.get(m_lang));
        heading =
            heading.isEmpty() ? tr("Step %1").arg(i + 1) : tr("%1. %2").arg(i + 1).arg(heading);
        cell.insertText(heading, headingFormat);
        if (!step.text.get(m_lang).empty()) {
            cell.insertBlock(QTextBlockFormat(), QTextCharFormat());
            insertMarkdown(cell, lessons::markdownWithFootnotes(step.text.get(m_lang),
                                                                m_lesson->sources, m_lang));
        }
        m_cards.push_back(table);
    }
    // The lesson's sources after its last step (each step's own footnotes are in its card).
    if (const std::string src = lessons::sourcesMarkdown(m_lesson->sources, m_lang); !src.empty()) {
        cursor.movePosition(QTextCursor::End);
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
        insertMarkdown(cursor, src);
    }

    // 3. Line height for reading, then the highlight.
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        QTextBlockFormat f;
        f.setLineHeight(125, QTextBlockFormat::ProportionalHeight);
        QTextCursor(b).mergeBlockFormat(f);
    }
    for (int i = 0; i < static_cast<int>(m_cards.size()); ++i)
        styleCard(i, false);
    if (!m_cards.empty() && m_current >= 0) {
        m_current = std::min(m_current, static_cast<int>(m_cards.size()) - 1);
        styleCard(m_current, true);
        QTimer::singleShot(0, this, &NarrativePane::scrollToCurrent);
    }
    m_rebuilding = false;
}

/// Colours come from the widget palette, so the cards follow the light and dark themes.
void NarrativePane::styleCard(int step, bool current) {
    QTextTable* table = m_cards[static_cast<std::size_t>(step)];
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor accent = pal.color(QPalette::Highlight);
    const qreal em = QFontMetricsF(document()->defaultFont()).height();

    QTextTableCellFormat bar;
    bar.setBackground(current ? accent : mixColor(base, pal.color(QPalette::Text), 0.15));
    bar.setPadding(0);
    table->cellAt(0, 0).setFormat(bar);

    QTextTableCellFormat text;
    text.setBackground(current ? mixColor(base, accent, 0.16) : base);
    text.setLeftPadding(em * 0.8);
    text.setRightPadding(em * 0.5);
    text.setTopPadding(em * 0.45);
    text.setBottomPadding(em * 0.45);
    table->cellAt(0, 1).setFormat(text);
}

void NarrativePane::scrollToCurrent() {
    if (m_current < 0 || m_current >= static_cast<int>(m_cards.size()))
        return;
    QAbstractTextDocumentLayout* layout = document()->documentLayout();
    layout->documentSize(); // finishes the layout
    const QRectF card = layout->frameBoundingRect(m_cards[static_cast<std::size_t>(m_current)]);
    QScrollBar* bar = verticalScrollBar();
    const int top = bar->value();
    const int height = viewport()->height();
    const int margin = QFontMetrics(document()->defaultFont()).height() / 2;
    if (m_current == 0 && card.bottom() <= height) {
        bar->setValue(0); // the first step fits with the title and summary above it
        return;
    }
    if (card.top() >= top && card.bottom() <= top + height)
        return; // already fully visible
    bar->setValue(static_cast<int>(card.top()) - margin);
}

int NarrativePane::cardAt(const QPoint& viewportPos) const {
    const QPointF docPos(viewportPos.x() + horizontalScrollBar()->value(),
                         viewportPos.y() + verticalScrollBar()->value());
    QAbstractTextDocumentLayout* layout = document()->documentLayout();
    for (std::size_t i = 0; i < m_cards.size(); ++i)
        if (layout->frameBoundingRect(m_cards[i]).contains(docPos))
            return static_cast<int>(i);
    return -1;
}

void NarrativePane::mouseMoveEvent(QMouseEvent* event) {
    QTextBrowser::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton || !anchorAt(event->position().toPoint()).isEmpty())
        return;
    const int card = cardAt(event->position().toPoint());
    viewport()->setCursor(card >= 0 && card != m_current ? Qt::PointingHandCursor
                                                         : Qt::ArrowCursor);
}

void NarrativePane::mouseReleaseEvent(QMouseEvent* event) {
    QTextBrowser::mouseReleaseEvent(event);
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton || textCursor().hasSelection() ||
        !anchorAt(pos).isEmpty())
        return;
    const int card = cardAt(pos);
    if (card >= 0)
        emit stepActivated(card);
}

// The layout changes with the width, so the current card is looked for again afterwards.
void NarrativePane::resizeEvent(QResizeEvent* event) {
    QTextBrowser::resizeEvent(event);
    QTimer::singleShot(0, this, &NarrativePane::scrollToCurrent);
}

void NarrativePane::showEvent(QShowEvent* event) {
    QTextBrowser::showEvent(event);
    QTimer::singleShot(0, this, &NarrativePane::scrollToCurrent);
}

void NarrativePane::changeEvent(QEvent* event) {
    QTextBrowser::changeEvent(event);
    const QEvent::Type t = event->type();
    if (!m_rebuilding &&
        (t == QEvent::PaletteChange || t == QEvent::FontChange || t == QEvent::LanguageChange))
        rebuild();
}

} // namespace aisys::app
