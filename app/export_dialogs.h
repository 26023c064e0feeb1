// Exporting pictures: one frame to a file, and the Export Current View / Export All Steps dialogs.
#pragma once

#include "lessons/lesson_player.h"
#include "lessons/text.h"

#include <QCoreApplication>
#include <QString>

class QSettings;
class QWidget;

namespace aisys::app {

/// Writes lesson frames as SVG, PDF or PNG, always in the light theme, titled
/// "<lesson title> — <step>/<steps>". The dialogs remember folder, format and scale in the
/// settings ("export/…") and return a message for the status bar ("" when cancelled).
class ExportDialogs {
    Q_DECLARE_TR_FUNCTIONS(ExportDialogs)

public:
    /// Writes `frame` of `player` to `path` (format from the extension); "" or an error message.
    static QString exportFrame(const lessons::LessonPlayer& player, int frame, lessons::Lang lang,
                               const QString& path, float pngScale = 1.0f);

    /// File ▸ Export Current View…: a save dialog with the three formats and, for PNG, a pixel
    /// scale; then writes `frame`. Errors are shown in a message box.
    static QString exportCurrentView(QWidget* parent, const lessons::LessonPlayer& player,
                                     int frame, lessons::Lang lang, QSettings& settings);

    /// File ▸ Export All Steps…: asks for a format and a folder, asks before replacing files,
    /// then writes one file per frame with a progress dialog that can cancel.
    static QString exportAllSteps(QWidget* parent, const lessons::LessonPlayer& player,
                                  lessons::Lang lang, QSettings& settings);

    /// File ▸ Export Lesson as Slides…: slides (1280×720, 1024×768 or 1920×1080) or a printable
    /// handout, then a PDF file name; writes one page per step (writeSlideDeck).
    static QString exportSlides(QWidget* parent, const lessons::LessonPlayer& player,
                                lessons::Lang lang, QSettings& settings);

    /// "<lesson>-step-NN.<ext>" with NN 1-based and at least two digits; the id is made safe
    /// for a file name.
    static QString stepFileName(const QString& lessonId, int frame, int count, const QString& ext);
};

} // namespace aisys::app
