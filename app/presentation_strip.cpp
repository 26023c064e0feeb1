// The presentation narrative strip: large-type labels laid out as a band under the viewport, sized
// to the text, shrunk to a readable minimum, paged beyond it.
#include "app/presentation_strip.h"

#include "lessons/markdown.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace aisys::app {

namespace {

/// Markdown split into paragraphs (blank-line separated), then, for a paragraph that is longer
/// than `fits` allows, into sentences.
QStringList pieces(const QString& markdown) {
    QStringList out;
    for (const QString& p : markdown.split(QRegularExpression(QStringLiteral("\\n\\s*\\n"))))
        if (!p.trimmed().isEmpty())
            out << p.trimmed();
    return out;
}

QStringList sentences(const QString& paragraph) {
    // After ". ", "! ", "? ", "。", "！", "？", "；" — the mark stays with its sentence.
    static const QRegularExpression kEnd(QStringLiteral("(?<=[.!?])\\s+|(?<=[。！？；])"));
    QStringList out;
    for (const QString& s : paragraph.split(kEnd))
        if (!s.trimmed().isEmpty())
            out << s.trimmed();
    return out;
}

} // namespace

PresentationStrip::PresentationStrip(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("presentationStrip"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
    m_baseFont = font();

    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::MarkdownText);
    m_text->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_text->setTextInteractionFlags(Qt::NoTextInteraction);
    m_progress = new QLabel(this);
    m_progress->setAlignment(Qt::AlignRight | Qt::AlignBottom);
    m_progress->setForegroundRole(QPalette::PlaceholderText);

    auto* column = new QVBoxLayout;
    column->addWidget(m_title);
    column->addWidget(m_text, 1);
    auto* row = new QHBoxLayout(this);
    row->addLayout(column, 1);
    row->addWidget(m_progress, 0, Qt::AlignBottom);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    applyFonts();
}

void PresentationStrip::setStep(const QString& title, const QString& markdown) {
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
    m_markdown = QString::fromStdString(lessons::joinCjkSoftBreaks(markdown.toStdString()));
    m_page = 0;
    relayout();
}

void PresentationStrip::setProgress(int frame, int count) {
    count = std::max(1, count);
    m_progress->setText(tr("%1 / %2").arg(std::clamp(frame, 0, count - 1) + 1).arg(count));
}

QString PresentationStrip::progressText() const {
    return m_progress->text();
}

void PresentationStrip::setScale(float scale) {
    m_scale = std::clamp(scale, 0.5f, 6.0f);
    applyFonts();
    relayout();
}

void PresentationStrip::setBeside(bool beside) {
    if (beside == m_beside)
        return;
    m_beside = beside;
    m_laidOutWidth = -1;
    setSizePolicy(beside ? QSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding)
                         : QSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed));
    relayout();
}

void PresentationStrip::setWindowHeight(int height) {
    if (height != m_windowHeight) {
        m_windowHeight = std::max(1, height);
        relayout();
    }
}

bool PresentationStrip::nextPage() {
    if (m_page + 1 >= pageCount())
        return false;
    ++m_page;
    showPage();
    return true;
}

bool PresentationStrip::previousPage() {
    if (m_page == 0)
        return false;
    --m_page;
    showPage();
    return true;
}

/// Sizes in points relative to the UI font, so they follow the screen's DPI; margins in em.
void PresentationStrip::applyFonts() {
    m_applying = true;
    const qreal pt = m_baseFont.pointSizeF() > 0 ? m_baseFont.pointSizeF() : 10.0;
    QFont title = m_baseFont;
    title.setPointSizeF(pt * 1.3 * m_scale);
    title.setBold(true);
    m_title->setFont(title);
    QFont text = m_baseFont;
    text.setPointSizeF(pt * 1.05 * m_scale);
    m_text->setFont(text);
    m_maxTextPx = QFontInfo(text).pixelSize();
    QFont progress = m_baseFont;
    progress.setPointSizeF(pt * 0.9 * m_scale);
    m_progress->setFont(progress);
    const int em = QFontMetrics(text).height();
    layout()->setContentsMargins(em, em / 2, em, em / 2);
    layout()->setSpacing(em);
    m_applying = false;
}

int PresentationStrip::titleHeight() const {
    const QMargins m = layout()->contentsMargins();
    // The title shares its column with the text: the progress label stands beside both.
    return m_title->isVisibleTo(this)
               ? m_title->heightForWidth(std::max(50, width() - m.left() - m.right() -
                                                          layout()->spacing() -
                                                          m_progress->sizeHint().width()))
               : 0;
}

int PresentationStrip::textHeight(const QString& markdown, double px) const {
    QFont f = m_text->font();
    f.setPixelSize(std::max(1, int(std::lround(px))));
    QLabel probe;
    probe.setWordWrap(true);
    probe.setTextFormat(Qt::MarkdownText);
    probe.setFont(f);
    probe.setText(markdown);
    const QMargins m = layout()->contentsMargins();
    const int width = std::max(50, this->width() - m.left() - m.right() - layout()->spacing() -
                                       m_progress->sizeHint().width());
    return probe.heightForWidth(width);
}

void PresentationStrip::relayout() {
    // 1. The most the text may take: the strip's share of the window, less title and margins.
    // 2. The largest text size from the presentation size down to the minimum at which the
    //    whole text fits. 3. Otherwise the minimum size, and the text in pages of paragraphs
    //    (a paragraph too long alone: of sentences) that each fit.
    m_laidOutWidth = width();
    const QMargins m = layout()->contentsMargins();
    if (window() != this && window()->height() > 0)
        m_windowHeight = window()->height();
    const int titleH = titleHeight();
    const int maxH = int((m_beside ? 1.0 : kMaxShare) * m_windowHeight);
    const int avail =
        std::max(20, maxH - titleH - m.top() - m.bottom() - (titleH > 0 ? layout()->spacing() : 0));
    const double maxPx = m_maxTextPx;
    const double minPx = std::min(maxPx, kMinTextPxPer720 * m_windowHeight / 720.0);
    m_pages.clear();
    m_textPx = minPx;
    if (m_markdown.isEmpty()) {
        m_pages << QString();
    } else {
        bool fits = false;
        for (double px = maxPx; px >= minPx; px -= 1) {
            if (textHeight(m_markdown, px) <= avail) {
                m_textPx = px;
                fits = true;
                break;
            }
        }
        if (fits) {
            m_pages << m_markdown;
        } else {
            // Pages keep room for their "(1 / 2 ▸)" line.
            const int pageAvail = std::max(20, avail - int(2.2 * minPx));
            QStringList parts;
            for (const QString& p : pieces(m_markdown)) {
                if (textHeight(p, minPx) <= pageAvail)
                    parts << p;
                else
                    parts << sentences(p);
            }
            QString page;
            for (const QString& p : parts) {
                const QString joined = page.isEmpty() ? p : page + QStringLiteral("\n\n") + p;
                if (!page.isEmpty() && textHeight(joined, minPx) > pageAvail) {
                    m_pages << page;
                    page = p;
                } else {
                    page = joined;
                }
            }
            if (!page.isEmpty())
                m_pages << page;
        }
    }
    m_page = std::clamp(m_page, 0, pageCount() - 1);
    QFont f = m_text->font();
    f.setPixelSize(std::max(1, int(std::lround(m_textPx))));
    m_applying = true;
    m_text->setFont(f);
    m_applying = false;
    showPage();
}

void PresentationStrip::showPage() {
    const QString& text = m_pages.isEmpty() ? QString() : m_pages[m_page];
    m_text->setText(pageCount() > 1
                        ? text +
                              QStringLiteral("\n\n*(%1 / %2 ▸)*").arg(m_page + 1).arg(pageCount())
                        : text);
    m_text->setVisible(!text.isEmpty());
    // The strip is as tall as its content, within its share of the window.
    const QMargins m = layout()->contentsMargins();
    const int titleH = titleHeight();
    const int textH = text.isEmpty() ? 0 : textHeight(m_text->text(), m_textPx);
    const int h =
        m.top() + m.bottom() + titleH + textH + (titleH > 0 && textH > 0 ? layout()->spacing() : 0);
    if (m_beside) { // a column as tall as the picture, its text at the top
        setMinimumHeight(0);
        setMaximumHeight(QWIDGETSIZE_MAX);
        return;
    }
    setFixedHeight(std::min(std::max(h, m_progress->sizeHint().height() + m.top() + m.bottom()),
                            int(kMaxShare * m_windowHeight) + 1));
}

void PresentationStrip::resizeEvent(QResizeEvent* event) {
    QFrame::resizeEvent(event);
    if (width() != m_laidOutWidth)
        relayout();
}

void PresentationStrip::changeEvent(QEvent* event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange && !m_applying) {
        m_baseFont = font();
        applyFonts();
        relayout();
    }
}

} // namespace aisys::app
