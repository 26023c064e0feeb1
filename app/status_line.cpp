// The status bar's lasting parts: the hovered object, the open lesson and the step shown.
#include "app/status_line.h"

#include <QLabel>
#include <QStatusBar>

namespace aisys::app {

StatusLine::StatusLine(QStatusBar* bar) {
    m_hoverLabel = new QLabel(bar);
    m_lessonLabel = new QLabel(bar);
    m_stepLabel = new QLabel(bar);
    const int pad = bar->window()->fontMetrics().averageCharWidth(); // the window's font
    for (QLabel* l : {m_hoverLabel, m_lessonLabel, m_stepLabel})
        l->setContentsMargins(pad, 0, pad, 0);
    bar->addWidget(m_hoverLabel, 1);
    bar->addPermanentWidget(m_lessonLabel);
    bar->addPermanentWidget(m_stepLabel);
}

void StatusLine::showFrame(const lessons::LessonPlayer* player, int frame, lessons::Lang lang) {
    if (!player) {
        m_lessonLabel->setText(tr("No lesson"));
        m_stepLabel->clear();
        m_hoverLabel->clear();
        return;
    }
    m_lessonLabel->setText(QString::fromStdString(player->lesson().id));
    m_lessonLabel->setToolTip(QString::fromStdString(player->lesson().title.get(lang)));
    m_stepLabel->setText(tr("Step %1 of %2").arg(frame + 1).arg(player->frameCount()));
}

void StatusLine::setHovered(const QString& title) {
    m_hoverLabel->setText(title);
}

} // namespace aisys::app
