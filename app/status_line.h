// The status bar's lasting parts: the hovered object, the open lesson and the step shown.
#pragma once

#include "lessons/lesson_player.h"
#include "lessons/text.h"

#include <QCoreApplication>
#include <QString>

class QLabel;
class QStatusBar;

namespace aisys::app {

/// Three labels in a status bar: the hovered object on the left (messages replace it for a
/// while), the lesson id (its title as tooltip) and "Step N of M" on the right.
class StatusLine {
    Q_DECLARE_TR_FUNCTIONS(StatusLine)

public:
    /// Adds the labels to `bar` (already in its window), which owns them.
    explicit StatusLine(QStatusBar* bar);

    /// Shows `frame` of `player`'s lesson, titled in `lang`; "No lesson" for nullptr (which
    /// also clears the hovered object).
    void showFrame(const lessons::LessonPlayer* player, int frame, lessons::Lang lang);
    /// Names the object under the mouse ("" for none).
    void setHovered(const QString& title);

private:
    QLabel* m_hoverLabel = nullptr;
    QLabel* m_lessonLabel = nullptr;
    QLabel* m_stepLabel = nullptr;
};

} // namespace aisys::app
