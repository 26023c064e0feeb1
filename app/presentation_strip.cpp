// The presentation narrative strip: large-type labels laid out as a band under the viewport.
#include "app/presentation_strip.h"

#include "lessons/markdown.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace aisys::app {

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
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    applyFonts();
}

void PresentationStrip::setStep(const QString& title, const QString& markdown) {
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
    m_text->setText(QString::fromStdString(lessons::joinCjkSoftBreaks(markdown.toStdString())));
    m_text->setVisible(!markdown.isEmpty());
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
    QFont progress = m_baseFont;
    progress.setPointSizeF(pt * 0.9 * m_scale);
    m_progress->setFont(progress);
    const int em = QFontMetrics(text).height();
    layout()->setContentsMargins(em, em / 2, em, em / 2);
    layout()->setSpacing(em);
    m_applying = false;
}

void PresentationStrip::changeEvent(QEvent* event) {
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange && !m_applying) {
        m_baseFont = font();
        applyFonts();
    }
}

} // namespace aisys::app
